#include "metrics/prom_kpi_source.h"

#include "metrics/metrics_log.h"
#include "metrics/prometheus_client.h"

#include <QElapsedTimer>
#include <QSet>
#include <algorithm>
#include <limits>
#include <memory>

namespace clusterdeck {

struct PromKpiSource::Run {
    bool range = false;
    qint64 atMs = 0;
    QList<std::optional<PromQueryResult>> answers;
    QStringList errors;
    QList<quint64> requests;
    int pending = 0;
    QElapsedTimer started;
    qint64 slowestAnswerMs = -1;
};

PromKpiSource::PromKpiSource(PromKpiPlan plan, const QUrl &server, QObject *parent)
    : QObject(parent), m_plan(std::move(plan)), m_client(new PrometheusClient(server, this))
{}

PromKpiSource::~PromKpiSource()
{
    m_client->abortAll();
    qDeleteAll(m_runs);
}

bool PromKpiSource::poll(const QDateTime &at)
{
    if (m_currentPoll != 0) {
        ++m_stats.skipped;
        const Run *running = m_runs.value(m_currentPoll);
        qCDebug(lcMetrics).nospace() << "Prometheus poll skipped: the previous one is still running ("
                                     << (running ? running->pending : 0) << " of " << m_plan.queries().size()
                                     << " queries unanswered after "
                                     << (running ? running->started.elapsed() : 0) << " ms); "
                                     << m_stats.skipped << " skipped so far";
        return false;
    }
    start(false, at.isValid() ? at : QDateTime::currentDateTimeUtc(), {}, 0);
    return true;
}

void PromKpiSource::backfill(const QDateTime &start, const QDateTime &end, int stepMs)
{
    this->start(true, start, end, stepMs);
}

void PromKpiSource::start(bool range, const QDateTime &at, const QDateTime &end, int stepMs)
{
    const quint64 runId = m_nextRun++;
    auto *run = new Run;
    run->range = range;
    run->atMs = at.toMSecsSinceEpoch();
    const QList<PromKpiPlan::Query> &queries = m_plan.queries();
    run->answers.resize(queries.size());
    run->pending = int(queries.size());
    run->started.start();
    m_runs.insert(runId, run);
    if (!range)
        m_currentPoll = runId;
    if (queries.isEmpty()) {
        QMetaObject::invokeMethod(
            this, [this, runId] { complete(runId); }, Qt::QueuedConnection);
        return;
    }
    for (qsizetype i = 0; i < queries.size(); ++i) {
        auto done = [this, runId, i, name = queries[i].name](Result<PromQueryResult> result) {
            Run *r = m_runs.value(runId);
            if (!r)
                return;
            r->slowestAnswerMs = std::max(r->slowestAnswerMs, m_client->lastAnswerMs());
            if (result)
                r->answers[i] = std::move(result).value();
            else
                r->errors << name + QStringLiteral(": ") + result.error().toString();
            if (--r->pending == 0)
                complete(runId);
        };
        run->requests << (range ? m_client->queryRange(queries[i].promql, at, end, stepMs, std::move(done))
                                : m_client->query(queries[i].promql, at, std::move(done)));
    }
}

void PromKpiSource::complete(quint64 runId)
{
    std::unique_ptr<Run> run(m_runs.take(runId));
    if (!run)
        return;
    PromKpiPlan::Outcome outcome = m_plan.evaluate(run->answers);
    if (run->range) {
        emit backfilled(outcome.points, run->errors);
        return;
    }
    if (m_currentPoll == runId)
        m_currentPoll = 0;
    ++m_stats.completed;
    m_stats.queries = int(run->answers.size());
    m_stats.failedQueries = int(run->errors.size());
    m_stats.pollMs = run->started.elapsed();
    m_stats.answerMs = run->slowestAnswerMs;
    qCDebug(lcMetrics).nospace() << "Prometheus poll " << m_stats.completed << ": " << m_stats.queries
                                 << " queries in " << m_stats.pollMs << " ms, slowest answer "
                                 << m_stats.answerMs << " ms, " << m_stats.failedQueries << " failed";

    // Gaps: a target Prometheus reports down gets NaN for what it showed last time (its series went stale, so
    // the queries above returned nothing for it).
    QHash<QString, QList<KpiKey>> emitted;
    QSet<KpiKey> present;
    for (const KpiPoint &point : std::as_const(outcome.points)) {
        emitted[point.key.target].append(point.key);
        present.insert(point.key);
    }
    for (auto it = m_lastEmitted.cbegin(); it != m_lastEmitted.cend(); ++it) {
        const bool gap =
            outcome.downTargets.contains(it.key()) ||
            (it.key() == clusterTarget() && !emitted.contains(it.key()) && run->errors.isEmpty());
        if (!gap)
            continue;
        for (const KpiKey &key : it.value()) {
            if (!present.contains(key))
                outcome.points.append(KpiPoint{key, run->atMs, std::numeric_limits<double>::quiet_NaN()});
        }
        emitted[it.key()] = it.value(); // keep showing the gap until the target is back
    }
    m_lastEmitted = emitted;
    emit polled(outcome.points, run->errors);
}

} // namespace clusterdeck
