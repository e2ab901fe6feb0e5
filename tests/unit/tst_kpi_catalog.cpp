// The KPI catalogue: its rows are consistent with what the engine and the PromQL plan assume of them, a row
// of a known shape needs nothing else (redis.evicted_rate), the limits resolve default-or-inventory, and the
// KPI table in ARCHITECTURE.md §4 is the one the catalogue renders.

#include "cluster/cluster.h"
#include "metrics/kpi_catalog.h"
#include "metrics/promql_kpis.h"

#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <QTest>
#include <cmath>

using namespace clusterdeck;

namespace {

bool perInstanceShape(KpiShape shape)
{
    switch (shape) {
    case KpiShape::GaugeSumByLabel:
    case KpiShape::GaugeMaxByLabel:
    case KpiShape::CounterRateByLabel:
    case KpiShape::UpstreamRate:
    case KpiShape::UpstreamErrorRatio:
    case KpiShape::UpstreamGauge:
    case KpiShape::UpstreamState:
        return true;
    default:
        return false;
    }
}

bool requestShape(KpiShape shape)
{
    return shape == KpiShape::RequestRate || shape == KpiShape::RequestErrorRatio ||
           shape == KpiShape::RequestAverage || shape == KpiShape::RequestQuantile;
}

bool clusterShape(KpiShape shape)
{
    return shape == KpiShape::ClusterSum || shape == KpiShape::ClusterRatio;
}

Node node(const char *name, NodeRole role, const char *url)
{
    Node n;
    n.name = QLatin1String(name);
    n.role = role;
    n.metricsUrl = QUrl(QLatin1String(url));
    return n;
}

} // namespace

class TestKpiCatalog : public QObject {
    Q_OBJECT
private slots:
    void rowsAreConsistent();
    void sharedPartsAgree();
    void everyComputationHasBothForms();
    void oneRowMakesAKpi();
    void thresholds_data();
    void thresholds();
    void architectureTableIsGenerated();
};

void TestKpiCatalog::rowsAreConsistent()
{
    QSet<QString> names;
    const QRegularExpression idPattern(QStringLiteral("^[a-z]+\\.[a-z0-9_]+$"));
    for (int i = 0; i < kKpiIdCount; ++i) {
        const KpiInfo &info = kpiCatalog()[std::size_t(i)];
        const QString name = QString::fromLatin1(info.name);
        QCOMPARE(int(info.id), i);
        QVERIFY2(idPattern.match(name).hasMatch(), qPrintable(name));
        QVERIFY2(name.startsWith(kpiSourceName(info.source) + QLatin1Char('.')), qPrintable(name));
        QVERIFY2(!names.contains(name), qPrintable(name));
        names.insert(name);
        QCOMPARE(kpiIdFromName(name), std::optional<KpiId>(info.id));
        QCOMPARE(kpiName(info.id), name);
        QCOMPARE(findKpi(name), &info);
        QVERIFY2(*info.label && *info.description, qPrintable(name));

        const bool gateway = info.source == KpiSource::Gateway;
        QVERIFY2(gateway || info.caddy.shape == KpiShape::None, qPrintable(name));
        QVERIFY2(info.compute.shape != KpiShape::None || (gateway && info.caddy.shape != KpiShape::None),
                 qPrintable(name));
        // Per instance when either gateway kind's computation has sub-series (Caddy's gateway.tps has none).
        QVERIFY2(info.perInstance ==
                     (perInstanceShape(info.compute.shape) || perInstanceShape(info.caddy.shape)),
                 qPrintable(name));
        for (const KpiCompute *c : {&info.compute, &info.caddy}) {
            if (c->shape == KpiShape::None)
                continue;
            QVERIFY2(clusterShape(c->shape) == (info.source == KpiSource::Cluster), qPrintable(name));
            if (clusterShape(c->shape)) {
                QVERIFY2(kpiInfo(c->of).source != KpiSource::Cluster, qPrintable(name));
                QVERIFY2(c->shape == KpiShape::ClusterSum || c->weight, qPrintable(name));
            }
            if (c->shape == KpiShape::RequestQuantile)
                QVERIFY2(c->quantile > 0 && c->quantile < 1, qPrintable(name));
            if (c->shape == KpiShape::RateShare)
                QVERIFY2(c->other.has_value(), qPrintable(name));
            if (perInstanceShape(c->shape) || requestShape(c->shape))
                QVERIFY2(c->label.has_value() || c->shape == KpiShape::UpstreamGauge, qPrintable(name));
            QVERIFY2(!c->ownKey == !c->ownDefault, qPrintable(name));
        }
        // An inventory override only replaces a limit the catalogue has.
        QVERIFY2(!info.thresholdOverride || info.threshold.isSet(), qPrintable(name));
    }
    QVERIFY(!kpiIdFromName(u"no.such").has_value());
    QCOMPARE(kpiLabel(KpiId::WasLatencyP95), QStringLiteral("p95"));
}

// The engine reads a request histogram and HAProxy's responses once per scrape for every row of a kind of
// target, with the first row's names and filter: the rows must agree on them.
void TestKpiCatalog::sharedPartsAgree()
{
    const auto same = [](const KpiCompute &a, const KpiCompute &b) {
        return a.metric == b.metric && a.label == b.label && a.select == b.select &&
               a.selectLabel == b.selectLabel && a.selectValue == b.selectValue && a.flags == b.flags &&
               !a.ownKey && !b.ownKey;
    };
    for (const bool caddy : {false, true}) {
        for (const KpiSource source :
             {KpiSource::Was, KpiSource::Gateway, KpiSource::Redis, KpiSource::Kafka, KpiSource::Db}) {
            const KpiCompute *request = nullptr;
            const KpiCompute *upstream = nullptr;
            for (const KpiInfo &info : kpiCatalog()) {
                if (info.source != source)
                    continue;
                const KpiCompute &c = kpiCompute(info, caddy);
                const KpiCompute **first = nullptr;
                if (requestShape(c.shape))
                    first = &request;
                else if (c.shape == KpiShape::UpstreamRate || c.shape == KpiShape::UpstreamErrorRatio)
                    first = &upstream;
                else
                    continue;
                if (!*first)
                    *first = &c;
                QVERIFY2(same(c, **first), info.name);
            }
        }
    }
}

void TestKpiCatalog::everyComputationHasBothForms()
{
    const KpiMapping mapping;
    for (const KpiInfo &info : kpiCatalog()) {
        for (const KpiCompute *c : {&info.compute, &info.caddy}) {
            if (c->shape == KpiShape::None)
                continue;
            QVERIFY2(!describePageForm(*c, mapping).isEmpty(), info.name);
            // Cluster rows are combined from the targets' values, in both modes.
            QCOMPARE(kpiPromqlForm(*c, mapping, {}, 60000).isEmpty(), clusterShape(c->shape));
        }
    }
}

// redis.evicted_rate is one row in the catalogue and nothing else: here is everything that follows from it.
void TestKpiCatalog::oneRowMakesAKpi()
{
    const KpiInfo *evicted = findKpi(u"redis.evicted_rate");
    QVERIFY(evicted);
    QCOMPARE(formatKpiValue(evicted->id, 2.5), QStringLiteral("2.50/s"));
    QCOMPARE(describePageForm(evicted->compute), QStringLiteral("rate of `redis_evicted_keys_total`"));
    QCOMPARE(kpiPromqlForm(evicted->compute, KpiMapping(), {QStringLiteral("instance=~\"r:9121\"")}, 60000),
             QStringLiteral("sum by (instance) (rate(redis_evicted_keys_total{instance=~\"r:9121\"}[1m]))"));
    // Its metric's name is a metric_names key like the shared ones.
    QVERIFY(KpiMapping::keyNames().contains(QStringLiteral("redis.evicted")));
    const Result<KpiMapping> mapping =
        KpiMapping::fromOverrides({{QStringLiteral("redis.evicted"), QStringLiteral("evictions_total")}});
    QVERIFY(mapping);
    QCOMPARE(mapping->ownName("redis.evicted"), std::string("evictions_total"));
    QCOMPARE(kpiPromqlForm(evicted->compute, *mapping, {}, 30000),
             QStringLiteral("sum by (instance) (rate(evictions_total[30s]))"));
    QVERIFY(!KpiMapping::fromOverrides({{QStringLiteral("redis.evicted"), QStringLiteral(" ")}}));
    // Prometheus mode polls it with the other Redis rows.
    Cluster cluster;
    cluster.nodes << node("cache", NodeRole::Redis, "http://10.0.0.2:9121/metrics");
    const PromKpiPlan plan(cluster, KpiMapping());
    QCOMPARE(plan.queries().first().name, QStringLiteral("redis"));
    QVERIFY2(plan.queries().first().promql.contains(QLatin1String("\"kpi\", \"redis.evicted_rate\"")),
             qPrintable(plan.queries().first().promql));
}

void TestKpiCatalog::thresholds_data()
{
    QTest::addColumn<QString>("kpi");
    QTest::addColumn<int>("direction");
    QTest::addColumn<double>("value");  // with the inventory's defaults
    QTest::addColumn<double>("edited"); // with the inventory below
    using D = KpiThreshold::Direction;
    QTest::newRow("p95") << "was.latency_p95" << int(D::Above) << 3.0 << 0.25;
    QTest::newRow("p99 has none") << "was.latency_p99" << int(D::None) << 0.0 << 0.0;
    QTest::newRow("was 5xx") << "was.error_ratio" << int(D::Above) << 0.01 << 0.05;
    QTest::newRow("gateway 5xx") << "gateway.error_ratio" << int(D::Above) << 0.01 << 0.05;
    QTest::newRow("cluster 5xx") << "cluster.error_ratio" << int(D::Above) << 0.01 << 0.05;
    QTest::newRow("lag") << "kafka.consumer_lag" << int(D::Above) << 1000.0 << 200.0;
    QTest::newRow("redis down") << "redis.up" << int(D::Below) << 1.0 << 1.0; // no inventory key
    QTest::newRow("tps has none") << "was.tps" << int(D::None) << 0.0 << 0.0;
}

void TestKpiCatalog::thresholds()
{
    QFETCH(QString, kpi);
    QFETCH(int, direction);
    QFETCH(double, value);
    QFETCH(double, edited);
    const KpiId id = *kpiIdFromName(kpi);
    Cluster cluster;
    const KpiThreshold defaults = thresholdFor(id, cluster);
    QCOMPARE(int(defaults.direction), direction);
    if (defaults.isSet())
        QCOMPARE(defaults.value, value);
    cluster.thresholds.latencyP95Seconds = 0.25;
    cluster.thresholds.errorRatio = 0.05;
    cluster.thresholds.consumerLag = 200;
    const KpiThreshold limit = thresholdFor(id, cluster);
    QCOMPARE(int(limit.direction), direction);
    if (!limit.isSet()) {
        QVERIFY(!limit.breachedBy(1e9) && !limit.breachedBy(-1e9));
        QVERIFY(formatThreshold(id, limit).isEmpty());
        return;
    }
    QCOMPARE(limit.value, edited);
    const bool above = limit.direction == KpiThreshold::Direction::Above;
    QCOMPARE(limit.breachedBy(edited * 2 + 1), above);
    QCOMPARE(limit.breachedBy(edited / 2 - 1), !above);
    QVERIFY(!limit.breachedBy(edited));
    QVERIFY(!limit.breachedBy(std::nan(""))); // no value is no breach
    QVERIFY(formatThreshold(id, limit).startsWith(QLatin1String(above ? "> " : "< ")));
}

void TestKpiCatalog::architectureTableIsGenerated()
{
    const QString path = QFINDTESTDATA("../../ARCHITECTURE.md");
    QVERIFY2(!path.isEmpty(), "ARCHITECTURE.md not found");
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(file.readAll());
    const qsizetype begin = text.indexOf(kpiTableBeginMarker());
    const qsizetype end = text.indexOf(kpiTableEndMarker());
    QVERIFY2(begin >= 0 && end > begin,
             qPrintable(QStringLiteral("ARCHITECTURE.md §4 lacks the markers %1 ... %2")
                            .arg(kpiTableBeginMarker(), kpiTableEndMarker())));
    const qsizetype from = begin + kpiTableBeginMarker().size() + 1; // after the marker's line
    const QString table = text.mid(from, end - from);
    QVERIFY2(table == kpiCatalogMarkdown(),
             "ARCHITECTURE.md §4 differs from the KPI catalogue: replace the lines between the kpi-catalogue "
             "markers with the output of `build/dev/app/ctl/clusterdeckctl kpis --markdown`");
}

QTEST_GUILESS_MAIN(TestKpiCatalog)
#include "tst_kpi_catalog.moc"
