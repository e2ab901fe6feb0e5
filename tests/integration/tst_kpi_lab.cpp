// The KPI engine on the running lab cluster (CTest "lab" fixture), through the real Collector thread:
//  - under `lab load --concurrency 20 --duration 20` through HAProxy, the requests the engine counts on the
//  WAS nodes
//    (per-node was.tps integrated over the rounds that cover the load) divided by wrk's own duration agree
//    with wrk's measured rps within 10%, and each node serves roughly a third. Health checks and scrapes hit
//    /actuator/*, which was.tps leaves out, so they do not inflate the count;
//  - `lab fault was2 latency 4000` under load moves was2's p95 above 3 s while was1's stays below.

#include "cluster/inventory_loader.h"
#include "lab_client.h"
#include "metrics/collector.h"
#include "metrics/live_series_store.h"

#include <QDateTime>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>
#include <cmath>
#include <memory>

using namespace clusterdeck;

namespace {

const QStringList kWasNodes{QStringLiteral("was1"), QStringLiteral("was2"), QStringLiteral("was3")};

struct LoadSummary {
    double durationS = 0;
    qint64 requests = 0;
    double rps = 0;
    qint64 non2xx = 0;
};

// "lab-load: gateway=haproxy concurrency=20 duration=20.0 requests=N rps=X non2xx=K"
std::optional<LoadSummary> parseLoadLine(const QString &output)
{
    static const QRegularExpression line(
        QStringLiteral(R"(lab-load: .*duration=([0-9.]+) requests=([0-9]+) rps=([0-9.]+) non2xx=([0-9]+))"));
    const QRegularExpressionMatch m = line.match(output);
    if (!m.hasMatch())
        return std::nullopt;
    return LoadSummary{m.captured(1).toDouble(), m.captured(2).toLongLong(), m.captured(3).toDouble(),
                       m.captured(4).toLongLong()};
}

std::optional<double> pointValue(const CollectionRound &round, const QString &target, const char *kpi)
{
    for (const KpiPoint &p : round.points) {
        if (p.key.target == target && p.key.kpi == QLatin1String(kpi) && p.key.instance.isEmpty())
            return p.value;
    }
    return std::nullopt;
}

} // namespace

class TestKpiLab : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();

    void tpsAgreesWithLoadGenerator();
    void latencyFaultMovesOnlyThatNodesP95();

private:
    void startCollector();
    void startLoad();
    bool loadFinished() const { return m_load && m_load->state() == QProcess::NotRunning; }

    Cluster m_cluster;
    std::unique_ptr<LiveSeriesStore> m_store;
    std::unique_ptr<Collector> m_collector;
    std::unique_ptr<QProcess> m_load;
    QList<CollectionRound> m_rounds; // every round of the current test, in order
};

void TestKpiLab::initTestCase()
{
    const QString clusterFile = runLab({QStringLiteral("cluster"), QStringLiteral("haproxy")});
    QVERIFY2(!clusterFile.isEmpty(), "`lab cluster haproxy` gave no file: is the lab up?");
    const Result<Cluster> cluster = loadClusterFile(clusterFile);
    QVERIFY2(cluster, qPrintable(cluster ? QString() : cluster.error().toString()));
    m_cluster = *cluster;
    // Short rounds give many points per test; the lab answers well within this.
    m_cluster.scrapeIntervalMs = 1000;
    m_cluster.scrapeTimeoutMs = 900;
    for (const QString &name : kWasNodes)
        QVERIFY2(m_cluster.findNode(name), qPrintable(name));
}

void TestKpiLab::init()
{
    m_rounds.clear();
    runLab({QStringLiteral("fault"), QStringLiteral("was2"), QStringLiteral("up")}); // a clean start
    startCollector();
}

void TestKpiLab::cleanup()
{
    if (m_load && m_load->state() != QProcess::NotRunning) {
        m_load->terminate();
        m_load->waitForFinished(30'000);
    }
    m_load.reset();
    m_collector.reset(); // stops its thread before the store goes
    m_store.reset();
    QVERIFY(!runLab({QStringLiteral("fault"), QStringLiteral("was2"), QStringLiteral("up")}).isNull());
}

void TestKpiLab::startCollector()
{
    m_store = std::make_unique<LiveSeriesStore>(10 * 60 * 1000, m_cluster.scrapeIntervalMs);
    m_collector = std::make_unique<Collector>(m_cluster);
    m_collector->setLiveSeriesStore(m_store.get());
    connect(m_collector.get(), &Collector::roundFinished, this,
            [this](const CollectionRound &round) { m_rounds.append(round); });
    m_collector->start();
    // Two rounds before anything else, so that the engine has rates.
    QTRY_VERIFY_WITH_TIMEOUT(m_rounds.size() >= 2, 30'000);
    for (const QString &name : kWasNodes)
        QVERIFY2(pointValue(m_rounds.last(), name, "was.tps").has_value(),
                 qPrintable(name + QStringLiteral(" has no was.tps")));
}

void TestKpiLab::startLoad()
{
    m_load = std::make_unique<QProcess>();
    m_load->setProcessChannelMode(QProcess::SeparateChannels);
    m_load->start(QStringLiteral(CLUSTERDECK_LAB_SCRIPT),
                  {QStringLiteral("load"), QStringLiteral("--concurrency"), QStringLiteral("20"),
                   QStringLiteral("--duration"), QStringLiteral("20"), QStringLiteral("--gateway"),
                   QStringLiteral("haproxy")});
    QVERIFY(m_load->waitForStarted(10'000));
}

void TestKpiLab::tpsAgreesWithLoadGenerator()
{
    const qint64 loadStartMs = QDateTime::currentMSecsSinceEpoch();
    startLoad();
    QTRY_VERIFY_WITH_TIMEOUT(loadFinished(), 120'000);
    const qint64 loadEndMs = QDateTime::currentMSecsSinceEpoch();
    const QString output = QString::fromUtf8(m_load->readAllStandardOutput());
    QVERIFY2(m_load->exitCode() == 0, qPrintable(output + QString::fromUtf8(m_load->readAllStandardError())));
    const std::optional<LoadSummary> load = parseLoadLine(output);
    QVERIFY2(load, qPrintable(output));
    QVERIFY(load->requests > 0);

    // One round that starts after the load ended, so the last requests are in a scrape.
    const auto roundsAfterEnd = [&] {
        return std::count_if(m_rounds.begin(), m_rounds.end(),
                             [&](const CollectionRound &r) { return r.startedMs >= loadEndMs; });
    };
    QTRY_VERIFY_WITH_TIMEOUT(roundsAfterEnd() >= 2, 30'000);

    // The window: from the last round that started before the load to the first that started after it.
    qsizetype before = -1;
    qsizetype after = -1;
    for (qsizetype i = 0; i < m_rounds.size(); ++i) {
        if (m_rounds[i].startedMs <= loadStartMs)
            before = i;
        if (after < 0 && m_rounds[i].startedMs >= loadEndMs)
            after = i;
    }
    QVERIFY(before >= 0 && after > before);

    // Requests each node served in the window = sum of was.tps x the interval each rate was taken over (the
    // time since that node's previous successful scrape).
    QHash<QString, double> counted;
    QHash<QString, qint64> lastScrape;
    QList<double> clusterTps; // for the report: the cluster sum in rounds fully inside the load
    for (qsizetype i = 0; i <= after; ++i) {
        for (const KpiPoint &p : m_rounds[i].points) {
            if (p.key.kpi != QLatin1String("was.tps") || !kWasNodes.contains(p.key.target) ||
                std::isnan(p.value))
                continue;
            if (i > before && lastScrape.contains(p.key.target))
                counted[p.key.target] +=
                    p.value * double(p.timestampMs - lastScrape.value(p.key.target)) / 1000.0;
            lastScrape[p.key.target] = p.timestampMs;
        }
        if (i > before + 1 && m_rounds[i].startedMs + 1000 < loadEndMs)
            if (const std::optional<double> tps = pointValue(m_rounds[i], clusterTarget(), "cluster.tps"))
                clusterTps << *tps;
    }
    double total = 0;
    for (const QString &name : kWasNodes)
        total += counted.value(name);
    const double engineRps = total / load->durationS;
    double steady = 0;
    for (double v : clusterTps)
        steady += v;
    steady = clusterTps.isEmpty() ? 0 : steady / double(clusterTps.size());
    qInfo("wrk: %lld requests in %.1f s = %.1f rps; engine: %.0f requests on was1+was2+was3 (%.0f / %.0f / "
          "%.0f) "
          "= %.1f rps over wrk's duration (%+.2f%%); mean cluster.tps in %lld rounds inside the load: %.1f",
          static_cast<long long>(load->requests), load->durationS, load->rps, total,
          counted.value(QStringLiteral("was1")), counted.value(QStringLiteral("was2")),
          counted.value(QStringLiteral("was3")), engineRps, 100.0 * (engineRps - load->rps) / load->rps,
          static_cast<long long>(clusterTps.size()), steady);

    QVERIFY2(std::abs(engineRps - load->rps) <= 0.10 * load->rps,
             qPrintable(QStringLiteral("engine %1 rps vs wrk %2 rps").arg(engineRps).arg(load->rps)));
    for (const QString &name : kWasNodes) {
        const double share = counted.value(name) / total;
        QVERIFY2(share > 0.25 && share < 0.42,
                 qPrintable(QStringLiteral("%1 served %2 of the requests").arg(name).arg(share)));
    }
    // The same points reached the live store on the collector thread.
    QVERIFY(m_store->series(KpiKey{QStringLiteral("was1"), QStringLiteral("was.tps"), QString()}).size() >=
            after - before);
}

void TestKpiLab::latencyFaultMovesOnlyThatNodesP95()
{
    QVERIFY(!runLab({QStringLiteral("fault"), QStringLiteral("was2"), QStringLiteral("latency"),
                     QStringLiteral("4000")})
                 .isNull());
    const qsizetype firstRound = m_rounds.size();
    startLoad();
    // A round in which was2 finished requests (its p95 has a value) above 3 s, and was1's p95 in the same
    // round is below 3 s.
    const auto sawFault = [&] {
        for (qsizetype i = firstRound; i < m_rounds.size(); ++i) {
            const std::optional<double> was2 =
                pointValue(m_rounds[i], QStringLiteral("was2"), "was.latency_p95");
            const std::optional<double> was1 =
                pointValue(m_rounds[i], QStringLiteral("was1"), "was.latency_p95");
            if (was2 && was1 && *was2 > 3.0 && *was1 < 3.0)
                return true;
        }
        return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(sawFault() || loadFinished(), 120'000);
    QString trace;
    double was1Max = 0;
    for (qsizetype i = firstRound; i < m_rounds.size(); ++i) {
        const double was1 = pointValue(m_rounds[i], QStringLiteral("was1"), "was.latency_p95").value_or(NAN);
        const double was2 = pointValue(m_rounds[i], QStringLiteral("was2"), "was.latency_p95").value_or(NAN);
        const double tps1 = pointValue(m_rounds[i], QStringLiteral("was1"), "was.tps").value_or(NAN);
        const double tps2 = pointValue(m_rounds[i], QStringLiteral("was2"), "was.tps").value_or(NAN);
        trace += QStringLiteral(" [%1 %2 | %3/s %4/s%5]")
                     .arg(was1, 0, 'g', 3)
                     .arg(was2, 0, 'g', 3)
                     .arg(tps1, 0, 'f', 0)
                     .arg(tps2, 0, 'f', 0)
                     .arg(m_rounds[i].errors.isEmpty()
                              ? QString()
                              : QStringLiteral(" errors: ") + m_rounds[i].errors.first().target +
                                    QLatin1Char(' ') + m_rounds[i].errors.first().reason);
        if (!std::isnan(was1))
            was1Max = std::max(was1Max, was1);
    }
    qInfo("per round [was1 p95, was2 p95 | was1 tps, was2 tps]:%s", qPrintable(trace));
    QVERIFY2(sawFault(),
             qPrintable(QStringLiteral("no round with was2 p95 > 3 s and was1 p95 < 3 s:") + trace));
    QVERIFY2(was1Max < 3.0, qPrintable(QStringLiteral("was1's p95 reached %1 s").arg(was1Max)));
    QTRY_VERIFY_WITH_TIMEOUT(loadFinished(), 120'000);
}

QTEST_GUILESS_MAIN(TestKpiLab)
#include "tst_kpi_lab.moc"
