// PromKpiSource, PrometheusClient's request queue and the Collector's Prometheus-mode scheduling against a
// deliberately slow fake Prometheus (tests/support/slow_prometheus.h) on 127.0.97.1: each query is answered
// after a fixed delay, per request, so the client's concurrency is real. The inventory is shaped like the
// lab's, so the plan sends as many queries per poll as it does there.

#include "cluster/inventory_loader.h"
#include "metrics/collector.h"
#include "metrics/prom_kpi_source.h"
#include "metrics/prometheus_client.h"
#include "slow_prometheus.h"

#include <QSignalSpy>
#include <QTest>
#include <QTimer>
#include <cmath>

using namespace clusterdeck;
using clusterdeck::testing::SlowPrometheus;

namespace {

const QHostAddress kHost(QStringLiteral("127.0.97.1"));
const QStringList kWasNodes{QStringLiteral("was1"), QStringLiteral("was2"), QStringLiteral("was3")};

bool hasValue(const KpiPoints &points, const QString &target, const char *kpi)
{
    for (const KpiPoint &p : points) {
        if (p.key.target == target && p.key.kpi == QLatin1String(kpi) && p.key.instance.isEmpty())
            return !std::isnan(p.value);
    }
    return false;
}

// Why a poll's points are not the ones expected from the fake server, or empty.
QString missingKpis(const KpiPoints &points)
{
    QStringList missing;
    for (const QString &node : kWasNodes) {
        if (!hasValue(points, node, "was.tps"))
            missing << node + QStringLiteral("/was.tps");
    }
    if (!hasValue(points, QStringLiteral("mariadb"), "db.up"))
        missing << QStringLiteral("mariadb/db.up");
    return missing.join(QStringLiteral(", "));
}

} // namespace

class TestPromKpiSource : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void init();

    void everyPollThatIsNotSkippedAnswers_data();
    void everyPollThatIsNotSkippedAnswers();
    void timeoutStartsWhenTheRequestIsSent();
    void queuedRequestCanBeAborted();
    void backfillStillWorks();
    void collectorSkipsTicksAndPublishesStats();
    void collectorFillsARangeAndDropsASupersededOne();

private:
    Cluster cluster(int intervalMs) const;
    std::unique_ptr<SlowPrometheus> m_server;
};

void TestPromKpiSource::initTestCase()
{
    qRegisterMetaType<KpiPoints>();
    qRegisterMetaType<PromPollStats>();
}

void TestPromKpiSource::init()
{
    m_server = std::make_unique<SlowPrometheus>();
    QVERIFY(m_server->listen(kHost));
    m_server->setInstances(clusterdeck::testing::labLikeInstances());
}

Cluster TestPromKpiSource::cluster(int intervalMs) const
{
    const InventoryLoader::Outcome loaded = InventoryLoader::loadText(
        clusterdeck::testing::labLikeClusterYaml(m_server->url(), intervalMs), QStringLiteral("slow"));
    if (!loaded.problems.isEmpty())
        qWarning().noquote() << formatProblems(QStringLiteral("slow"), loaded.problems);
    return loaded.cluster;
}

void TestPromKpiSource::everyPollThatIsNotSkippedAnswers_data()
{
    QTest::addColumn<int>("delayMs");
    QTest::addColumn<int>("intervalMs");
    QTest::addColumn<int>("ticks");
    // The case: 300 ms per query, a poll every second. Before the fix every tick cancelled the poll
    // in flight and none of them ever answered.
    QTest::newRow("300 ms per query, 1 s interval") << 300 << 1000 << 6;
    QTest::newRow("no delay, 1 s interval") << 0 << 1000 << 3;
}

void TestPromKpiSource::everyPollThatIsNotSkippedAnswers()
{
    QFETCH(int, delayMs);
    QFETCH(int, intervalMs);
    QFETCH(int, ticks);
    m_server->setDelayMs(delayMs);
    const Result<PromKpiPlan> plan = PromKpiPlan::forCluster(cluster(intervalMs));
    QVERIFY2(plan, qPrintable(plan ? QString() : plan.error().toString()));
    PromKpiSource source(*plan, m_server->url());
    QSignalSpy polled(&source, &PromKpiSource::polled);

    int ticked = 0;
    int started = 0;
    QTimer timer;
    timer.setInterval(intervalMs);
    const auto tick = [&] {
        if (ticked == ticks)
            return;
        ++ticked;
        if (source.poll())
            ++started;
    };
    connect(&timer, &QTimer::timeout, this, tick);
    tick();
    timer.start();
    QTRY_VERIFY_WITH_TIMEOUT(ticked == ticks && !source.isPolling(), ticks * intervalMs + 60'000);

    QCOMPARE(polled.size(), started);
    for (const QList<QVariant> &answer : std::as_const(polled)) {
        const QStringList errors = answer.at(1).toStringList();
        QVERIFY2(errors.isEmpty(), qPrintable(errors.join(QLatin1Char('\n'))));
        const QString missing = missingKpis(answer.at(0).value<KpiPoints>());
        QVERIFY2(missing.isEmpty(), qPrintable(QStringLiteral("missing: ") + missing));
    }
    const PromPollStats &stats = source.stats();
    QCOMPARE(stats.completed, quint64(started));
    QCOMPARE(stats.skipped, quint64(ticks - started));
    QCOMPARE(stats.queries, int(plan->queries().size()));
    QCOMPARE(stats.failedQueries, 0);
    QVERIFY(stats.answerMs >=
            delayMs); // the server holds every answer that long: a lower bound, not a timing
    QVERIFY(stats.pollMs >= stats.answerMs);
    QVERIFY2(m_server->peakInFlight() <= source.client().maxConcurrent(),
             qPrintable(QStringLiteral("%1 requests at once").arg(m_server->peakInFlight())));
    if (delayMs > 0 && plan->queries().size() > source.client().maxConcurrent() * intervalMs / delayMs)
        QVERIFY2(stats.skipped > 0, "a poll longer than the interval must make the next tick skip");
}

void TestPromKpiSource::timeoutStartsWhenTheRequestIsSent()
{
    // 30 queries, 6 at a time, 300 ms each: the last wave is sent after 1.2 s, well past the 900 ms timeout.
    // Timed from the call, as before the fix, the last waves would time out without a byte sent.
    m_server->setDelayMs(300);
    PrometheusClient client(m_server->url());
    client.setTimeoutMs(900);
    int ok = 0;
    QStringList errors;
    for (int i = 0; i < 30; ++i) {
        client.query(QStringLiteral("up"), {}, [&](Result<PromQueryResult> r) {
            if (r)
                ++ok;
            else
                errors << r.error().toString();
        });
    }
    QCOMPARE(client.pendingCount(), 30);
    QTRY_VERIFY_WITH_TIMEOUT(ok + errors.size() == 30, 30'000);
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join(QLatin1Char('\n'))));
    QCOMPARE(m_server->peakInFlight(), client.maxConcurrent());
    QVERIFY(client.lastAnswerMs() >= 300);

    // And a request the server really holds too long still times out.
    m_server->setDelayMs(2000);
    std::optional<Result<PromQueryResult>> late;
    client.query(QStringLiteral("up"), {}, [&late](Result<PromQueryResult> r) { late = std::move(r); });
    QTRY_VERIFY_WITH_TIMEOUT(late.has_value(), 30'000);
    QVERIFY(!late->ok());
    QVERIFY2(late->error().message.contains(QLatin1String("timed out")), qPrintable(late->error().message));
}

void TestPromKpiSource::queuedRequestCanBeAborted()
{
    m_server->setDelayMs(100);
    PrometheusClient client(m_server->url());
    client.setMaxConcurrent(2);
    QList<int> answered;
    QList<quint64> ids;
    for (int i = 0; i < 6; ++i)
        ids << client.query(QStringLiteral("up"), {},
                            [&answered, i](Result<PromQueryResult>) { answered << i; });
    QCOMPARE(client.sendingCount(), 2);
    client.abort(ids[3]); // queued
    client.abort(ids[0]); // sent: frees its slot for the next queued one
    QCOMPARE(client.pendingCount(), 4);
    QCOMPARE(client.sendingCount(), 2);
    QTRY_COMPARE_WITH_TIMEOUT(answered.size(), 4, 30'000);
    // Sent in call order, two at a time: 3 was skipped, and 0 never calls back.
    std::sort(answered.begin(), answered.end());
    QCOMPARE(answered, (QList<int>{1, 2, 4, 5}));
    QCOMPARE(client.pendingCount(), 0);
    QCOMPARE(client.sendingCount(), 0);
    QVERIFY(m_server->peakInFlight() <= 2);
}

void TestPromKpiSource::backfillStillWorks()
{
    m_server->setDelayMs(100);
    const Result<PromKpiPlan> plan = PromKpiPlan::forCluster(cluster(1000));
    QVERIFY(plan);
    PromKpiSource source(*plan, m_server->url());
    QSignalSpy backfilled(&source, &PromKpiSource::backfilled);
    const QDateTime end = QDateTime::fromMSecsSinceEpoch(QDateTime::currentMSecsSinceEpoch() / 1000 * 1000);
    source.backfill(end.addSecs(-15 * 60), end, 1000);
    QVERIFY(backfilled.wait(30'000));
    QVERIFY2(backfilled.first().at(1).toStringList().isEmpty(),
             qPrintable(backfilled.first().at(1).toStringList().join(QLatin1Char('\n'))));
    int tpsPoints = 0;
    for (const KpiPoint &p : backfilled.first().at(0).value<KpiPoints>()) {
        if (p.key.target == QLatin1String("was1") && p.key.kpi == QLatin1String("was.tps")) {
            ++tpsPoints;
            QVERIFY(p.timestampMs <= end.toMSecsSinceEpoch());
            QCOMPARE(p.timestampMs % 1000, 0);
        }
    }
    QCOMPARE(tpsPoints, 100); // the fake server's last 100 steps
    // A back-fill is not a poll: it neither counts nor blocks one.
    QCOMPARE(source.stats().completed, quint64(0));
    QVERIFY(source.poll());
}

void TestPromKpiSource::collectorSkipsTicksAndPublishesStats()
{
    // Polls every 250 ms against a server that takes 400 ms per query: every poll outlasts the interval, so
    // ticks are skipped, and each poll still delivers its KPIs (the collector thread, queued signals).
    m_server->setDelayMs(400);
    Cluster slow = cluster(250);
    QCOMPARE(slow.metricsSource, MetricsSource::Prometheus);
    Collector collector(slow);
    int kpiSignals = 0;
    QString badKpis;
    QList<PromPollStats> stats;
    QString order;
    connect(&collector, &Collector::kpisUpdated, this, [&](const KpiPoints &points) {
        ++kpiSignals;
        const QString missing = missingKpis(points);
        if (!missing.isEmpty())
            badKpis = missing;
    });
    connect(&collector, &Collector::promPollStatsUpdated, this, [&](const PromPollStats &s) {
        // The KPIs of a poll are published before its stats: the first signal is the back-fill's.
        if (s.completed + 1 != quint64(kpiSignals))
            order = QStringLiteral("stats after %1 completed polls, %2 KPI signals")
                        .arg(s.completed)
                        .arg(kpiSignals);
        stats << s;
    });
    collector.start();
    QTRY_VERIFY_WITH_TIMEOUT(!stats.isEmpty() && stats.last().completed >= 3, 60'000);
    collector.stop();
    QVERIFY2(badKpis.isEmpty(), qPrintable(QStringLiteral("missing: ") + badKpis));
    QVERIFY2(order.isEmpty(), qPrintable(order));
    const PromPollStats &last = stats.last();
    QVERIFY(last.skipped >= 2);
    QVERIFY(last.answerMs >= 400);
    QCOMPARE(last.failedQueries, 0);
    QVERIFY(last.queries > 0);
    for (qsizetype i = 1; i < stats.size(); ++i)
        QVERIFY(stats[i].completed + stats[i].skipped == stats[i - 1].completed + stats[i - 1].skipped + 1);
}

// Collector::fillRange (a window change in Prometheus mode): query_range on the collector thread, answered
// with the request's id; a newer request drops one still running, so only the newer one answers.
void TestPromKpiSource::collectorFillsARangeAndDropsASupersededOne()
{
    m_server->setDelayMs(300);
    m_server->setMaxRangePoints(10'000);
    qRegisterMetaType<quint64>();
    Collector collector(cluster(60'000)); // no poll gets in the way
    QList<quint64> answered;
    KpiPoints points;
    connect(&collector, &Collector::rangeFilled, this,
            [&](quint64 id, const KpiPoints &got, const QStringList &errors) {
                QVERIFY2(errors.isEmpty(), qPrintable(errors.join(QLatin1Char('\n'))));
                answered.append(id);
                points = got;
            });
    collector.start();
    const qint64 end = QDateTime::currentMSecsSinceEpoch();
    const qint64 start = end - 6 * 3600 * 1000;
    collector.fillRange(1, start, end, 60'000);
    collector.fillRange(2, start, end, 30'000);
    QTRY_COMPARE_WITH_TIMEOUT(answered.size(), 1, 20'000);
    QTest::qWait(600); // the first request's answer would be in by now
    QCOMPARE(answered, QList<quint64>{2});
    // was1's TPS over the whole six hours at the 30 s step.
    QList<qint64> times;
    for (const KpiPoint &point : std::as_const(points)) {
        if (point.key.target == QLatin1String("was1") && point.key.kpi == QLatin1String("was.tps") &&
            point.key.instance.isEmpty())
            times.append(point.timestampMs);
    }
    QVERIFY(times.size() >= 6 * 120 - 1);
    QVERIFY(times.first() - start < 30'000);
    QVERIFY(end - times.last() < 30'000);
    QCOMPARE(times[1] - times[0], 30'000);
    collector.stop();
}

QTEST_GUILESS_MAIN(TestPromKpiSource)
#include "tst_prom_kpi_source.moc"
