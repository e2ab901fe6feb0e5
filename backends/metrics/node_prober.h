#pragma once

#include "cluster/cluster.h"
#include "metrics/target_status.h"

#include <QList>
#include <QObject>

namespace clusterdeck {

class HttpFetch;
struct HttpFetchResponse;

// Runs one round of reachability probes (health endpoint and metrics page) over every node and gateway of a
// cluster, concurrently and without blocking, and reports the round as a whole. Each check has a deadline for
// the whole exchange (the cluster's scrape timeout) and a body cap; a node is UP only on a complete 2xx
// answer whose body, where it is JSON (Spring's /actuator/health), says "status": "UP".
class NodeProber : public QObject {
    Q_OBJECT
public:
    explicit NodeProber(QObject *parent = nullptr);
    ~NodeProber() override;

    // Starts a round; a round still running is abandoned (its results are dropped, not mixed in).
    void probe(const Cluster &cluster);
    bool isRunning() const { return m_pending > 0; }

    static constexpr qint64 kMaxHealthBodyBytes = 64 * 1024; // Spring's health with details is a few KiB
    static constexpr qint64 kMaxMetricsBodyBytes = 64LL * 1024 * 1024;
    // The verdict on one finished health check: empty when it says UP, else the reason ("health: ...").
    static QString healthFailure(const HttpFetchResponse &response);

signals:
    void roundFinished(const QList<clusterdeck::TargetStatus> &statuses);

private:
    void startCheck(int targetIndex, const QUrl &url, bool isHealth, int timeoutMs);
    void finishCheck(HttpFetch *fetch, const HttpFetchResponse &response, int targetIndex, bool isHealth,
                     quint64 round, qint64 startedMs);

    QList<TargetStatus> m_statuses;
    QList<HttpFetch *> m_fetches; // of the current round
    int m_pending = 0;
    quint64 m_round = 0;
};

} // namespace clusterdeck
