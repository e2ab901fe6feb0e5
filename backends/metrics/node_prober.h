#pragma once

#include "cluster/cluster.h"
#include "metrics/target_status.h"

#include <QList>
#include <QObject>

class QNetworkAccessManager;
class QNetworkReply;

namespace clusterdeck {

// Runs one round of reachability probes (health endpoint and metrics page) over every node and gateway of a
// cluster, concurrently and without blocking, and reports the round as a whole.
class NodeProber : public QObject {
    Q_OBJECT
public:
    explicit NodeProber(QObject *parent = nullptr);
    ~NodeProber() override;

    // Starts a round; a round still running is abandoned (its results are dropped, not mixed in).
    void probe(const Cluster &cluster);
    bool isRunning() const { return m_pending > 0; }

signals:
    void roundFinished(const QList<clusterdeck::TargetStatus> &statuses);

private:
    struct Check;
    void startCheck(int targetIndex, const QUrl &url, bool isHealth, int timeoutMs);
    void finishCheck(QNetworkReply *reply, int targetIndex, bool isHealth, quint64 round, qint64 startedMs);

    QNetworkAccessManager *m_network;
    QList<TargetStatus> m_statuses;
    int m_pending = 0;
    quint64 m_round = 0;
};

} // namespace clusterdeck
