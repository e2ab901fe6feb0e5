#pragma once

#include "cluster/inventory_loader.h"

#include <QStringList>
#include <QUrl>
#include <optional>
#include <yaml-cpp/yaml.h>

namespace clusterdeck {

// Typed, position-aware access to a YAML mapping that records every mistake instead of stopping at the first.
class YamlReader {
public:
    explicit YamlReader(QList<InventoryProblem> &problems) : m_problems(problems) {}

    void report(const YAML::Mark &mark, const QString &message);
    void report(const YAML::Node &node, const QString &message) { report(node.Mark(), message); }

    // False (and a problem) unless node is a mapping; `what` names it in the message.
    bool expectMap(const YAML::Node &node, const QString &what);
    bool expectSequence(const YAML::Node &node, const QString &what);
    // Each key not in `allowed` is a problem, with a did-you-mean hint when a known key is close; so is a key
    // given twice (yaml-cpp would silently keep the first).
    void rejectUnknownKeys(const YAML::Node &map, const QStringList &allowed, const QString &what);
    void rejectDuplicateKeys(const YAML::Node &map, const QString &what);

    std::optional<QString> string(const YAML::Node &map, const char *key, bool required, const QString &what);
    std::optional<QUrl> url(const YAML::Node &map, const char *key, bool required, const QString &what);
    std::optional<int> durationMs(const YAML::Node &map, const char *key, const QString &what);
    // A duration within [minMs, maxMs]; the message names the range.
    std::optional<int> durationMs(const YAML::Node &map, const char *key, int minMs, int maxMs,
                                  const QString &what);
    std::optional<double> number(const YAML::Node &map, const char *key, double min, double max,
                                 const QString &what);
    std::optional<QString> oneOf(const YAML::Node &map, const char *key, const QStringList &choices,
                                 bool required, const QString &what);

private:
    QList<InventoryProblem> &m_problems;
};

// Closest candidate within a small edit distance, or empty.
QString closestMatch(const QString &word, const QStringList &candidates);

} // namespace clusterdeck
