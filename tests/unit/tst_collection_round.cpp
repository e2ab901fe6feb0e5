// CollectionRoundRunner and Collector against a small real HTTP server on loopback (no lab needed): health
// and scrape outcomes merged into statuses, failed scrapes as errors and DOWN, rates from the second round
// on, points reaching a LiveSeriesStore from the collector thread.

#include "metrics/collector.h"
#include "metrics/live_series_store.h"

#include <QDateTime>
#include <QHttpServer>
#include <QHttpServerResponse>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>
#include <cmath>

using namespace clusterdeck;

namespace {

const QHostAddress kHost(QStringLiteral("127.0.0.1"));

std::optional<KpiPoint> pointOf(const CollectionRound &round, const QString &target, const char *kpi)
{
    for (const KpiPoint &p : round.points) {
        if (p.key.target == target && p.key.kpi == QLatin1String(kpi) && p.key.instance.isEmpty())
            return p;
    }
    return std::nullopt;
}

const TargetStatus *statusOf(const CollectionRound &round, const QString &name)
{
    for (const TargetStatus &s : round.statuses) {
        if (s.name == name)
            return &s;
    }
    return nullptr;
}

} // namespace

class TestCollectionRound : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void init();

    void statusesErrorsAndRates();
    void healthSpeaksFirst();
    void badMetricNamesAreReported();
    void collectorFillsTheStore();

private:
    QUrl url(const char *path) const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_port).arg(QLatin1String(path)));
    }
    Node node(const char *name, NodeRole role, const char *metrics, const char *health = nullptr) const
    {
        Node n;
        n.name = QString::fromLatin1(name);
        n.role = role;
        n.metricsUrl = url(metrics);
        if (health)
            n.healthUrl = url(health);
        return n;
    }
    CollectionRound runRound(CollectionRoundRunner &runner)
    {
        QSignalSpy spy(&runner, &CollectionRoundRunner::finished);
        if (!runner.run())
            qFatal("a round is still running");
        if (!spy.wait(20'000))
            qFatal("no round within 20 s");
        return spy.at(0).at(0).value<CollectionRound>();
    }

    QHttpServer m_server;
    quint16 m_port = 0;
    qint64 m_requests = 0; // the WAS page's request counter
    bool m_healthUp = true;
    int m_metricsHits = 0; // how often /was was fetched (one fetch per round, not two)
};

void TestCollectionRound::initTestCase()
{
    m_server.route(QStringLiteral("/was"), [this] {
        ++m_metricsHits;
        const QByteArray page = "# TYPE http_server_requests_seconds histogram\n"
                                "http_server_requests_seconds_count{status=\"200\",uri=\"/api\"} " +
                                QByteArray::number(m_requests) +
                                "\n"
                                "# TYPE hikaricp_connections_active gauge\nhikaricp_connections_active 2\n";
        return QHttpServerResponse("text/plain; version=0.0.4", page);
    });
    m_server.route(QStringLiteral("/health"), [this] {
        return m_healthUp ? QHttpServerResponse("application/json", "{\"status\":\"UP\"}")
                          : QHttpServerResponse("application/json", "{\"status\":\"DOWN\"}",
                                                QHttpServerResponder::StatusCode::ServiceUnavailable);
    });
    m_server.route(QStringLiteral("/redis"), [] {
        return QHttpServerResponse("text/plain; version=0.0.4", "redis_up 1\nredis_connected_clients 4\n");
    });
    m_server.route(QStringLiteral("/broken"),
                   [] { return QHttpServerResponse("text/plain; version=0.0.4", "redis_up{oops 1\n"); });
    m_port = m_server.listen(kHost, 0);
    QVERIFY(m_port != 0);
}

void TestCollectionRound::init()
{
    m_requests = 1000;
    m_healthUp = true;
    m_metricsHits = 0;
}

void TestCollectionRound::statusesErrorsAndRates()
{
    // A port nothing listens on: take one from the OS and close it again.
    QTcpServer closed;
    QVERIFY(closed.listen(kHost, 0));
    const quint16 deadPort = closed.serverPort();
    closed.close();

    Cluster cluster;
    cluster.name = QStringLiteral("t");
    cluster.scrapeTimeoutMs = 5000;
    cluster.nodes << node("was1", NodeRole::Was, "/was", "/health")
                  << node("redis", NodeRole::Redis, "/redis");
    Node dead = node("dead", NodeRole::Redis, "/x");
    dead.metricsUrl.setPort(deadPort);
    cluster.nodes << dead;
    CollectionRoundRunner runner(cluster);
    QVERIFY(!runner.setupError());

    const CollectionRound first = runRound(runner);
    QCOMPARE(first.number, quint64(1));
    QCOMPARE(first.statuses.size(), 3);
    QCOMPARE(statusOf(first, QStringLiteral("was1"))->state, TargetStatus::State::Up);
    QCOMPARE(statusOf(first, QStringLiteral("redis"))->state, TargetStatus::State::Up);
    const TargetStatus *deadStatus = statusOf(first, QStringLiteral("dead"));
    QCOMPARE(deadStatus->state, TargetStatus::State::Down);
    QVERIFY2(deadStatus->reason.startsWith(QLatin1String("metrics: ")), qPrintable(deadStatus->reason));
    QCOMPARE(first.errors.size(), 1);
    QCOMPARE(first.errors.first().target, QStringLiteral("dead"));
    QVERIFY(!pointOf(first, QStringLiteral("was1"), "was.tps")); // no rate from one scrape
    const std::optional<KpiPoint> gauge = pointOf(first, QStringLiteral("was1"), "was.db_pool_active");
    QVERIFY(gauge);
    QCOMPARE(gauge->value, 2.0);
    QCOMPARE(pointOf(first, QStringLiteral("redis"), "redis.clients")->value, 4.0);
    QCOMPARE(m_metricsHits, 1); // the page is fetched once per round, not by the prober and the scraper

    m_requests += 500;
    // A measurable interval between the two scrapes: wait until the clock has moved past the first one.
    QTRY_VERIFY(QDateTime::currentMSecsSinceEpoch() > gauge->timestampMs + 50);
    const CollectionRound second = runRound(runner);
    const std::optional<KpiPoint> tps = pointOf(second, QStringLiteral("was1"), "was.tps");
    QVERIFY(tps);
    // The rate is the increase over the time between the two scrapes' own timestamps.
    const double expected = 500.0 / (double(tps->timestampMs - gauge->timestampMs) / 1000.0);
    QVERIFY2(std::abs(tps->value - expected) < 1e-9,
             qPrintable(QStringLiteral("%1 vs %2").arg(tps->value).arg(expected)));
    QCOMPARE(pointOf(second, QStringLiteral("@cluster"), "cluster.tps")->value, tps->value);
    QCOMPARE(m_metricsHits, 2);
}

void TestCollectionRound::healthSpeaksFirst()
{
    Cluster cluster;
    cluster.nodes << node("was1", NodeRole::Was, "/was", "/health")
                  << node("was2", NodeRole::Was, "/broken", "/health");
    CollectionRoundRunner runner(cluster);
    m_healthUp = false;
    CollectionRound round = runRound(runner);
    // Both fail health: the health reason is shown even though was2's page is broken too.
    for (const char *name : {"was1", "was2"}) {
        const TargetStatus *s = statusOf(round, QString::fromLatin1(name));
        QCOMPARE(s->state, TargetStatus::State::Down);
        QVERIFY2(s->reason.startsWith(QLatin1String("health: HTTP 503")), qPrintable(s->reason));
    }
    // was1's page was fine: its KPIs are there although the node is DOWN.
    QVERIFY(pointOf(round, QStringLiteral("was1"), "was.db_pool_active"));

    m_healthUp = true;
    round = runRound(runner);
    QCOMPARE(statusOf(round, QStringLiteral("was1"))->state, TargetStatus::State::Up);
    const TargetStatus *was2 = statusOf(round, QStringLiteral("was2"));
    QCOMPARE(was2->state, TargetStatus::State::Down);
    // The parse error with its position, from the scraper.
    QVERIFY2(was2->reason.startsWith(QLatin1String("metrics: ")) &&
                 was2->reason.contains(QLatin1String("line 1")),
             qPrintable(was2->reason));
    QCOMPARE(round.errors.size(), 1);
}

void TestCollectionRound::badMetricNamesAreReported()
{
    Cluster cluster;
    cluster.name = QStringLiteral("t");
    cluster.nodes << node("redis", NodeRole::Redis, "/redis");
    cluster.metricNames.insert(QStringLiteral("redis.nope"), QStringLiteral("x"));
    CollectionRoundRunner runner(cluster);
    QVERIFY(runner.setupError());
    const CollectionRound round = runRound(runner);
    QCOMPARE(round.errors.size(), 1);
    QVERIFY2(round.errors.first().reason.contains(QLatin1String("redis.nope")),
             qPrintable(round.errors.first().reason));
    // The defaults still work.
    QVERIFY(pointOf(round, QStringLiteral("redis"), "redis.up"));
}

void TestCollectionRound::collectorFillsTheStore()
{
    Cluster cluster;
    cluster.scrapeIntervalMs = 100;
    cluster.nodes << node("was1", NodeRole::Was, "/was", "/health");
    LiveSeriesStore store(60'000, cluster.scrapeIntervalMs);
    store.setNotifyInterval(50);
    QSignalSpy appended(&store, &LiveSeriesStore::pointsAppended);
    Collector collector(cluster);
    collector.setLiveSeriesStore(&store);
    QSignalSpy statuses(&collector, &Collector::statusesUpdated);
    QSignalSpy kpis(&collector, &Collector::kpisUpdated);
    collector.start();
    const KpiKey tps{QStringLiteral("was1"), QStringLiteral("was.tps"), QString()};
    QTRY_VERIFY_WITH_TIMEOUT(store.series(tps).size() >= 3, 20'000);
    QVERIFY(statuses.count() >= 3);
    QCOMPARE(statuses.first().first().value<QList<TargetStatus>>().first().state, TargetStatus::State::Up);
    QVERIFY(kpis.count() >= 3);
    QTRY_VERIFY_WITH_TIMEOUT(appended.count() >= 1, 10'000);
    collector.stop();
}

QTEST_GUILESS_MAIN(TestCollectionRound)
#include "tst_collection_round.moc"
