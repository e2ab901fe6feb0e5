#pragma once

// A deliberately slow fake Prometheus for tests and benchmarks: a loopback HTTP/1.1 server (keep-alive) that
// answers /api/v1/query with a vector and /api/v1/query_range with a matrix, each request after its own
// delay, so requests on different connections are delayed concurrently, as on a real server with enough
// workers. Every answer carries one series per configured instance label, value 1, whatever the PromQL:
// enough for a PromKpiPlan to turn it into a point for every KPI of every target (and `up` = 1).

#include <QHostAddress>
#include <QObject>
#include <QStringList>
#include <QUrl>

class QTcpServer;
class QTcpSocket;

namespace clusterdeck::testing {

class SlowPrometheus : public QObject {
    Q_OBJECT
public:
    explicit SlowPrometheus(QObject *parent = nullptr);
    ~SlowPrometheus() override;

    bool listen(const QHostAddress &address, quint16 port = 0);
    QUrl url() const;

    // Delay of every answer, from the moment its request is complete.
    void setDelayMs(int ms) { m_delayMs = ms; }
    // `instance` label values of the series in every answer (e.g. the targets' metrics host:port).
    void setInstances(const QStringList &instances) { m_instances = instances; }
    // Range answers keep at most this many of the last steps, so a 15-minute back-fill at a short step stays
    // small; the points are still step-aligned and inside [start, end].
    void setMaxRangePoints(int points) { m_maxRangePoints = points; }

    int requests() const { return m_requests; } // complete requests received
    int inFlight() const { return m_inFlight; } // received, not answered yet
    int peakInFlight() const { return m_peakInFlight; }
    void resetCounts();

signals:
    void requestReceived(const QByteArray &path, const QByteArray &form);

private:
    void onReadyRead(QTcpSocket *socket);
    QByteArray answer(const QByteArray &path, const QByteArray &form) const;

    QTcpServer *m_server;
    int m_delayMs = 0;
    QStringList m_instances;
    int m_maxRangePoints = 100;
    int m_requests = 0;
    int m_inFlight = 0;
    int m_peakInFlight = 0;
};

// An inventory shaped like the lab's (an HAProxy gateway, three WAS nodes, Redis, a queue, a database) on
// 127.0.97.x addresses where nothing listens, reading its KPIs from `prometheus`; and the `instance` labels
// of its targets, for setInstances().
QByteArray labLikeClusterYaml(const QUrl &prometheus, int scrapeIntervalMs);
QStringList labLikeInstances();

} // namespace clusterdeck::testing
