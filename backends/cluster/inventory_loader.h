#pragma once

#include "cluster/cluster.h"
#include "common/result.h"

#include <QList>
#include <QString>
#include <optional>

namespace clusterdeck {

// One mistake in an inventory file, with a 1-based position.
struct InventoryProblem {
    int line = 0;
    int column = 0;
    QString message;
};

// Reads a cluster inventory (YAML), applies defaults and reports every mistake with its position.
class InventoryLoader {
public:
    // Larger files are refused unread: an inventory of thousands of nodes is well under 1 MiB.
    static constexpr qint64 kMaxFileBytes = 16LL * 1024 * 1024;
    static constexpr int kMinScrapeIntervalMs = 100;
    static constexpr int kMaxScrapeIntervalMs = 3600 * 1000;

    struct Outcome {
        Cluster cluster;
        QList<InventoryProblem> problems; // empty = the cluster is valid
    };

    static Outcome loadFile(const QString &path);
    static Outcome loadText(const QByteArray &yaml, const QString &sourceName);
};

// "file:line:column: message" for each problem, one per line.
QString formatProblems(const QString &file, const QList<InventoryProblem> &problems);

// Convenience: the valid cluster, or an Error whose message lists every problem.
Result<Cluster> loadClusterFile(const QString &path);

// A duration as the inventory writes it: "500ms", "2s", "1.5s", "1m", or a bare number of seconds; nullopt
// when unreadable.
std::optional<int> parseDurationMs(const QString &text);

} // namespace clusterdeck
