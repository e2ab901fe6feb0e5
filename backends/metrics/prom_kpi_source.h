#pragma once

#include "metrics/kpi.h"
#include "metrics/prom_poll_stats.h"
#include "metrics/promql_kpis.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QUrl>

namespace clusterdeck {

class PrometheusClient;

// Runs a PromKpiPlan against a server on the caller's thread (the collector thread): poll() for the current
// values, backfill() to fill charts at start-up. Each call answers once with every query's outcome merged.
class PromKpiSource : public QObject {
    Q_OBJECT
public:
    PromKpiSource(PromKpiPlan plan, const QUrl &server, QObject *parent = nullptr);
    ~PromKpiSource() override;

    PrometheusClient &client() { return *m_client; }
    const PromKpiPlan &plan() const { return m_plan; }

    // Evaluates every KPI at `at` (invalid = now). Targets Prometheus reports down get NaN points for the
    // series they had last time, like the direct engine's gaps. At most one poll runs: while one does, poll()
    // starts nothing, counts a skip and returns false. The running poll is never cancelled for a newer one:
    // on a server slower than the interval that would cancel every poll and none would ever complete.
    bool poll(const QDateTime &at = {});
    bool isPolling() const { return m_currentPoll != 0; }
    // Answer times and poll counts so far (see PromPollStats).
    const PromPollStats &stats() const { return m_stats; }
    // Range queries over [start, end] every stepMs; answers with backfilled().
    void backfill(const QDateTime &start, const QDateTime &end, int stepMs);

signals:
    // `errors`: one line per failed query ("was.requests: HTTP 400: bad_data: ..."); the points of the others
    // are still there.
    void polled(const clusterdeck::KpiPoints &points, const QStringList &errors);
    void backfilled(const clusterdeck::KpiPoints &points, const QStringList &errors);

private:
    struct Run;
    void start(bool range, const QDateTime &at, const QDateTime &end, int stepMs);
    void complete(quint64 runId);

    PromKpiPlan m_plan;
    PrometheusClient *m_client;
    quint64 m_nextRun = 1;
    quint64 m_currentPoll = 0;
    QHash<quint64, Run *> m_runs;
    QHash<QString, QList<KpiKey>> m_lastEmitted; // per target, from the last poll, for gaps
    PromPollStats m_stats;
};

} // namespace clusterdeck
