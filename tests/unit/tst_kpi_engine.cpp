// KpiEngine against values computed by hand from small hand-written pages (each expected value is worked out
// in the comment next to it): rates between two scrapes, counter resets, histogram quantiles with empty
// buckets and in +Inf, actuator URIs left out, 5xx shares, Kafka's -1 offsets, untyped MySQL counters, name
// overrides, gaps.

#include "metrics/exposition_parser.h"
#include "metrics/kpi_engine.h"
#include "metrics/metric_page.h"

#include <QTest>
#include <cmath>
#include <optional>

using namespace clusterdeck;

namespace {

constexpr qint64 kT0 = 1'700'000'000'000;

MetricPage parsePage(const char *text)
{
    ExpositionParser parser;
    MetricPage page;
    if (const std::optional<ParseError> error = parser.parse(text, ExpositionFormat::PrometheusText, page))
        qFatal("test page does not parse: %s", error->toString().c_str());
    return page;
}

// The value of one KPI point in `points`; std::nullopt when there is no such point.
std::optional<double> valueOf(const KpiPoints &points, const QString &target, const char *kpi,
                              const QString &instance = QString())
{
    std::optional<double> found;
    for (const KpiPoint &p : points) {
        if (p.key.target == target && p.key.kpi == QLatin1String(kpi) && p.key.instance == instance) {
            if (found)
                qFatal("duplicate point %s", qPrintable(p.key.toString()));
            found = p.value;
        }
    }
    return found;
}

Node node(const QString &name, NodeRole role)
{
    Node n;
    n.name = name;
    n.role = role;
    n.metricsUrl = QUrl(QStringLiteral("http://127.0.0.1:1/metrics"));
    return n;
}

KpiEngine engineFor(const Cluster &cluster)
{
    Result<KpiEngine> engine = KpiEngine::forCluster(cluster);
    if (!engine)
        qFatal("%s", qPrintable(engine.error().toString()));
    return std::move(engine).value();
}

#define EXPECT_KPI(points, target, kpi, instance, expected)                                                  \
    do {                                                                                                     \
        const std::optional<double> actual_ =                                                                \
            valueOf(points, QStringLiteral(target), kpi, QStringLiteral(instance));                          \
        QVERIFY2(actual_.has_value(),                                                                        \
                 qPrintable(QStringLiteral("no point %1/%2/%3").arg(target, kpi, instance)));                \
        const double expected_ = (expected);                                                                 \
        if (std::isnan(expected_))                                                                           \
            QVERIFY2(std::isnan(*actual_),                                                                   \
                     qPrintable(QStringLiteral("%1: got %2, expected NaN").arg(kpi).arg(*actual_)));         \
        else                                                                                                 \
            QVERIFY2(std::abs(*actual_ - expected_) < 1e-9,                                                  \
                     qPrintable(QStringLiteral("%1/%2/%3: got %4, expected %5")                              \
                                    .arg(target, kpi, instance)                                              \
                                    .arg(*actual_, 0, 'g', 12)                                               \
                                    .arg(expected_, 0, 'g', 12)));                                           \
    } while (false)

#define EXPECT_NO_KPI(points, target, kpi, instance)                                                         \
    QVERIFY2(!valueOf(points, QStringLiteral(target), kpi, QStringLiteral(instance)).has_value(),            \
             qPrintable(QStringLiteral("unexpected point %1/%2/%3").arg(target, kpi, instance)))

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// ---- WAS (Micrometer) pages ----

const char *const kWas1 = R"(# HELP http_server_requests_seconds Duration of HTTP server request handling
# TYPE http_server_requests_seconds histogram
http_server_requests_seconds_bucket{exception="None",method="GET",outcome="SUCCESS",status="200",uri="/api/a",le="0.1"} 10
http_server_requests_seconds_bucket{exception="None",method="GET",outcome="SUCCESS",status="200",uri="/api/a",le="0.5"} 20
http_server_requests_seconds_bucket{exception="None",method="GET",outcome="SUCCESS",status="200",uri="/api/a",le="1.0"} 20
http_server_requests_seconds_bucket{exception="None",method="GET",outcome="SUCCESS",status="200",uri="/api/a",le="+Inf"} 20
http_server_requests_seconds_count{exception="None",method="GET",outcome="SUCCESS",status="200",uri="/api/a"} 20
http_server_requests_seconds_sum{exception="None",method="GET",outcome="SUCCESS",status="200",uri="/api/a"} 2.0
http_server_requests_seconds_bucket{exception="None",method="GET",outcome="SERVER_ERROR",status="500",uri="/api/a",le="0.1"} 0
http_server_requests_seconds_bucket{exception="None",method="GET",outcome="SERVER_ERROR",status="500",uri="/api/a",le="0.5"} 0
http_server_requests_seconds_bucket{exception="None",method="GET",outcome="SERVER_ERROR",status="500",uri="/api/a",le="1.0"} 1
http_server_requests_seconds_bucket{exception="None",method="GET",outcome="SERVER_ERROR",status="500",uri="/api/a",le="+Inf"} 2
http_server_requests_seconds_count{exception="None",method="GET",outcome="SERVER_ERROR",status="500",uri="/api/a"} 2
http_server_requests_seconds_sum{exception="None",method="GET",outcome="SERVER_ERROR",status="500",uri="/api/a"} 2.5
http_server_requests_seconds_bucket{exception="None",method="GET",outcome="SUCCESS",status="200",uri="/actuator/health",le="0.1"} 100
http_server_requests_seconds_bucket{exception="None",method="GET",outcome="SUCCESS",status="200",uri="/actuator/health",le="0.5"} 100
http_server_requests_seconds_bucket{exception="None",method="GET",outcome="SUCCESS",status="200",uri="/actuator/health",le="1.0"} 100
http_server_requests_seconds_bucket{exception="None",method="GET",outcome="SUCCESS",status="200",uri="/actuator/health",le="+Inf"} 100
http_server_requests_seconds_count{exception="None",method="GET",outcome="SUCCESS",status="200",uri="/actuator/health"} 100
http_server_requests_seconds_sum{exception="None",method="GET",outcome="SUCCESS",status="200",uri="/actuator/health"} 0.1
# TYPE http_server_requests_seconds_max gauge
http_server_requests_seconds_max{exception="None",method="GET",outcome="SUCCESS",status="200",uri="/api/a"} 0.4
http_server_requests_seconds_max{exception="None",method="GET",outcome="SERVER_ERROR",status="500",uri="/api/a"} 1.5
http_server_requests_seconds_max{exception="None",method="GET",outcome="SUCCESS",status="200",uri="/actuator/health"} 9.0
# TYPE hikaricp_connections_active gauge
hikaricp_connections_active{pool="HikariPool-1"} 3
# TYPE hikaricp_connections_pending gauge
hikaricp_connections_pending{pool="HikariPool-1"} 1
# TYPE hikaricp_connections_timeout_total counter
hikaricp_connections_timeout_total{pool="HikariPool-1"} 0
)";

// 10 s later. Increases: 200 buckets 30/60/80/80, count 80, sum 28; 500 buckets 0/0/0/10, count 10, sum 25;
// actuator +50 (must not count). The summed buckets: le0.1=30, le0.5=60, le1=80, +Inf=90.
const char *const kWas2 = R"(# TYPE http_server_requests_seconds histogram
http_server_requests_seconds_bucket{exception="None",method="GET",outcome="SUCCESS",status="200",uri="/api/a",le="0.1"} 40
http_server_requests_seconds_bucket{exception="None",method="GET",outcome="SUCCESS",status="200",uri="/api/a",le="0.5"} 80
http_server_requests_seconds_bucket{exception="None",method="GET",outcome="SUCCESS",status="200",uri="/api/a",le="1.0"} 100
http_server_requests_seconds_bucket{exception="None",method="GET",outcome="SUCCESS",status="200",uri="/api/a",le="+Inf"} 100
http_server_requests_seconds_count{exception="None",method="GET",outcome="SUCCESS",status="200",uri="/api/a"} 100
http_server_requests_seconds_sum{exception="None",method="GET",outcome="SUCCESS",status="200",uri="/api/a"} 30.0
http_server_requests_seconds_bucket{exception="None",method="GET",outcome="SERVER_ERROR",status="500",uri="/api/a",le="0.1"} 0
http_server_requests_seconds_bucket{exception="None",method="GET",outcome="SERVER_ERROR",status="500",uri="/api/a",le="0.5"} 0
http_server_requests_seconds_bucket{exception="None",method="GET",outcome="SERVER_ERROR",status="500",uri="/api/a",le="1.0"} 1
http_server_requests_seconds_bucket{exception="None",method="GET",outcome="SERVER_ERROR",status="500",uri="/api/a",le="+Inf"} 12
http_server_requests_seconds_count{exception="None",method="GET",outcome="SERVER_ERROR",status="500",uri="/api/a"} 12
http_server_requests_seconds_sum{exception="None",method="GET",outcome="SERVER_ERROR",status="500",uri="/api/a"} 27.5
http_server_requests_seconds_bucket{exception="None",method="GET",outcome="SUCCESS",status="200",uri="/actuator/health",le="0.1"} 150
http_server_requests_seconds_bucket{exception="None",method="GET",outcome="SUCCESS",status="200",uri="/actuator/health",le="0.5"} 150
http_server_requests_seconds_bucket{exception="None",method="GET",outcome="SUCCESS",status="200",uri="/actuator/health",le="1.0"} 150
http_server_requests_seconds_bucket{exception="None",method="GET",outcome="SUCCESS",status="200",uri="/actuator/health",le="+Inf"} 150
http_server_requests_seconds_count{exception="None",method="GET",outcome="SUCCESS",status="200",uri="/actuator/health"} 150
http_server_requests_seconds_sum{exception="None",method="GET",outcome="SUCCESS",status="200",uri="/actuator/health"} 0.15
# TYPE http_server_requests_seconds_max gauge
http_server_requests_seconds_max{exception="None",method="GET",outcome="SUCCESS",status="200",uri="/api/a"} 0.45
http_server_requests_seconds_max{exception="None",method="GET",outcome="SERVER_ERROR",status="500",uri="/api/a"} 2.0
http_server_requests_seconds_max{exception="None",method="GET",outcome="SUCCESS",status="200",uri="/actuator/health"} 9.0
# TYPE hikaricp_connections_active gauge
hikaricp_connections_active{pool="HikariPool-1"} 4
# TYPE hikaricp_connections_pending gauge
hikaricp_connections_pending{pool="HikariPool-1"} 0
# TYPE hikaricp_connections_timeout_total counter
hikaricp_connections_timeout_total{pool="HikariPool-1"} 5
)";

// 10 s later again, after a restart: every counter starts over, the 500 series is gone.
const char *const kWas3Restarted = R"(# TYPE http_server_requests_seconds histogram
http_server_requests_seconds_bucket{exception="None",method="GET",outcome="SUCCESS",status="200",uri="/api/a",le="0.1"} 30
http_server_requests_seconds_bucket{exception="None",method="GET",outcome="SUCCESS",status="200",uri="/api/a",le="0.5"} 30
http_server_requests_seconds_bucket{exception="None",method="GET",outcome="SUCCESS",status="200",uri="/api/a",le="1.0"} 30
http_server_requests_seconds_bucket{exception="None",method="GET",outcome="SUCCESS",status="200",uri="/api/a",le="+Inf"} 30
http_server_requests_seconds_count{exception="None",method="GET",outcome="SUCCESS",status="200",uri="/api/a"} 30
http_server_requests_seconds_sum{exception="None",method="GET",outcome="SUCCESS",status="200",uri="/api/a"} 1.5
http_server_requests_seconds_bucket{exception="None",method="GET",outcome="SUCCESS",status="200",uri="/actuator/health",le="0.1"} 5
http_server_requests_seconds_bucket{exception="None",method="GET",outcome="SUCCESS",status="200",uri="/actuator/health",le="0.5"} 5
http_server_requests_seconds_bucket{exception="None",method="GET",outcome="SUCCESS",status="200",uri="/actuator/health",le="1.0"} 5
http_server_requests_seconds_bucket{exception="None",method="GET",outcome="SUCCESS",status="200",uri="/actuator/health",le="+Inf"} 5
http_server_requests_seconds_count{exception="None",method="GET",outcome="SUCCESS",status="200",uri="/actuator/health"} 5
http_server_requests_seconds_sum{exception="None",method="GET",outcome="SUCCESS",status="200",uri="/actuator/health"} 0.005
# TYPE http_server_requests_seconds_max gauge
http_server_requests_seconds_max{exception="None",method="GET",outcome="SUCCESS",status="200",uri="/api/a"} 0.05
# TYPE hikaricp_connections_active gauge
hikaricp_connections_active{pool="HikariPool-1"} 1
# TYPE hikaricp_connections_pending gauge
hikaricp_connections_pending{pool="HikariPool-1"} 0
# TYPE hikaricp_connections_timeout_total counter
hikaricp_connections_timeout_total{pool="HikariPool-1"} 0
)";

// ---- HAProxy pages: two servers of backend "was" and a server of another backend that must not show ----

const char *const kHaproxyTemplate = R"(# TYPE haproxy_server_http_responses_total counter
haproxy_server_http_responses_total{proxy="was",server="was1",code="2xx"} %1
haproxy_server_http_responses_total{proxy="was",server="was1",code="5xx"} %2
haproxy_server_http_responses_total{proxy="was",server="was2",code="2xx"} %3
haproxy_server_http_responses_total{proxy="was",server="was2",code="5xx"} %4
haproxy_server_http_responses_total{proxy="other",server="x1",code="2xx"} 99
haproxy_server_http_responses_total{proxy="other",server="x1",code="5xx"} 99
# TYPE haproxy_server_current_sessions gauge
haproxy_server_current_sessions{proxy="was",server="was1"} 3
haproxy_server_current_sessions{proxy="was",server="was2"} 4
haproxy_server_current_sessions{proxy="other",server="x1"} 50
# TYPE haproxy_server_current_queue gauge
haproxy_server_current_queue{proxy="was",server="was1"} 0
haproxy_server_current_queue{proxy="was",server="was2"} 1
# TYPE haproxy_server_response_time_average_seconds gauge
haproxy_server_response_time_average_seconds{proxy="was",server="was1"} 0.002
haproxy_server_response_time_average_seconds{proxy="was",server="was2"} 0.004
# TYPE haproxy_backend_response_time_average_seconds gauge
haproxy_backend_response_time_average_seconds{proxy="other"} 1.0
haproxy_backend_response_time_average_seconds{proxy="was"} 0.003
# TYPE haproxy_server_status gauge
haproxy_server_status{proxy="was",server="was1",state="DOWN"} 0
haproxy_server_status{proxy="was",server="was1",state="UP"} 1
haproxy_server_status{proxy="was",server="was1",state="MAINT"} 0
haproxy_server_status{proxy="was",server="was1",state="DRAIN"} 0
haproxy_server_status{proxy="was",server="was1",state="NOLB"} 0
haproxy_server_status{proxy="was",server="was2",state="DOWN"} 0
haproxy_server_status{proxy="was",server="was2",state="UP"} 0
haproxy_server_status{proxy="was",server="was2",state="MAINT"} 0
haproxy_server_status{proxy="was",server="was2",state="DRAIN"} 1
haproxy_server_status{proxy="was",server="was2",state="NOLB"} 0
)";

MetricPage haproxyPage(int was1Ok, int was1Err, int was2Ok, int was2Err)
{
    const QByteArray text =
        QString::fromLatin1(kHaproxyTemplate).arg(was1Ok).arg(was1Err).arg(was2Ok).arg(was2Err).toLatin1();
    return parsePage(text.constData());
}

// ---- Caddy ----

const char *const kCaddyTemplate = R"(# TYPE caddy_http_request_duration_seconds histogram
caddy_http_request_duration_seconds_bucket{code="200",handler="reverse_proxy",method="GET",server="srv0",le="+Inf"} %1
caddy_http_request_duration_seconds_sum{code="200",handler="reverse_proxy",method="GET",server="srv0"} %2
caddy_http_request_duration_seconds_count{code="200",handler="reverse_proxy",method="GET",server="srv0"} %1
caddy_http_request_duration_seconds_bucket{code="502",handler="reverse_proxy",method="GET",server="srv0",le="+Inf"} %3
caddy_http_request_duration_seconds_sum{code="502",handler="reverse_proxy",method="GET",server="srv0"} %4
caddy_http_request_duration_seconds_count{code="502",handler="reverse_proxy",method="GET",server="srv0"} %3
caddy_http_request_duration_seconds_bucket{code="200",handler="metrics",method="GET",server="srv1",le="+Inf"} %5
caddy_http_request_duration_seconds_sum{code="200",handler="metrics",method="GET",server="srv1"} 0.05
caddy_http_request_duration_seconds_count{code="200",handler="metrics",method="GET",server="srv1"} %5
# TYPE caddy_reverse_proxy_upstreams_healthy gauge
caddy_reverse_proxy_upstreams_healthy{upstream="127.0.20.1:8080"} 1
caddy_reverse_proxy_upstreams_healthy{upstream="127.0.20.2:8080"} 0
)";

MetricPage caddyPage(int ok, double okSum, int err, double errSum, int metrics)
{
    const QByteArray text =
        QString::fromLatin1(kCaddyTemplate).arg(ok).arg(okSum).arg(err).arg(errSum).arg(metrics).toLatin1();
    return parsePage(text.constData());
}

} // namespace

class TestKpiEngine : public QObject {
    Q_OBJECT
private slots:
    void catalogIsConsistent();
    void wasRatesQuantilesAndActuatorExclusion();
    void wasCounterResetAfterRestart();
    void newSeriesCountsFromZero();
    void haproxyPerUpstreamAndReloadReset();
    void caddyCountsOnlyProxiedRequests();
    void redisRatesAndGauges();
    void kafkaLagIgnoresMissingOffsets();
    void mysqlUntypedCountersByName();
    void overridesOfMetricNames();
    void badOverrideIsAnError();
    void failedScrapeGivesGapsAndClusterSums();
    void clockGoingBackwardsGivesNoRate();
};

void TestKpiEngine::catalogIsConsistent()
{
    QSet<QString> names;
    for (const KpiInfo &info : kpiCatalog()) {
        const QString name = QString::fromLatin1(info.name);
        QVERIFY2(!names.contains(name), qPrintable(name));
        names.insert(name);
        QCOMPARE(kpiIdFromName(name), std::optional<KpiId>(info.id));
        QCOMPARE(kpiName(info.id), name);
    }
    QVERIFY(!kpiIdFromName(u"no.such").has_value());
    QCOMPARE(gatewayServerStateName(double(int(GatewayServerState::Drain))), QStringLiteral("DRAIN"));
    QCOMPARE(gatewayServerStateName(kNaN), QStringLiteral("?"));
    QCOMPARE(formatKpiValue(KpiId::WasErrorRatio, 0.25), QStringLiteral("25.00%"));
}

void TestKpiEngine::wasRatesQuantilesAndActuatorExclusion()
{
    Cluster cluster;
    cluster.nodes << node(QStringLiteral("was1"), NodeRole::Was);
    KpiEngine engine = engineFor(cluster);

    KpiPoints first;
    engine.ingest(0, parsePage(kWas1), kT0, first);
    engine.finishRound(kT0, first);
    // First scrape: gauges only, no rate yet, no cluster sum yet.
    EXPECT_NO_KPI(first, "was1", "was.tps", "");
    EXPECT_NO_KPI(first, "was1", "was.latency_p95", "");
    EXPECT_NO_KPI(first, "@cluster", "cluster.tps", "");
    EXPECT_KPI(first, "was1", "was.latency_max", "", 1.5); // max(0.4, 1.5); actuator's 9.0 left out
    EXPECT_KPI(first, "was1", "was.db_pool_active", "", 3);
    EXPECT_KPI(first, "was1", "was.db_pool_pending", "", 1);

    KpiPoints second;
    engine.ingest(0, parsePage(kWas2), kT0 + 10'000, second);
    engine.finishRound(kT0 + 10'000, second);
    EXPECT_KPI(second, "was1", "was.tps", "", 9.0); // (80 + 10) / 10 s; with actuator it would be 14
    EXPECT_KPI(second, "was1", "was.error_ratio", "", 10.0 / 90.0); // 500s / all
    EXPECT_KPI(second, "was1", "was.latency_p50", "", 0.3); // rank 45 in (0.1, 0.5]: 0.1 + 0.4 * 15/30
    EXPECT_KPI(second, "was1", "was.latency_p95", "", 1.0); // rank 85.5 only in +Inf → highest finite le
    EXPECT_KPI(second, "was1", "was.latency_p99", "", 1.0);
    EXPECT_KPI(second, "was1", "was.latency_avg", "", 53.0 / 90.0); // (28 + 25) s / 90 requests
    EXPECT_KPI(second, "was1", "was.latency_max", "", 2.0);
    EXPECT_KPI(second, "was1", "was.db_pool_active", "", 4);
    EXPECT_KPI(second, "was1", "was.db_pool_pending", "", 0);
    EXPECT_KPI(second, "was1", "was.db_pool_timeouts_rate", "", 0.5); // 5 / 10 s
    EXPECT_KPI(second, "@cluster", "cluster.tps", "", 9.0);
    EXPECT_KPI(second, "@cluster", "cluster.error_ratio", "", 10.0 / 90.0);
    for (const KpiPoint &p : second)
        QCOMPARE(p.timestampMs, kT0 + 10'000);
}

void TestKpiEngine::wasCounterResetAfterRestart()
{
    Cluster cluster;
    cluster.nodes << node(QStringLiteral("was1"), NodeRole::Was);
    KpiEngine engine = engineFor(cluster);
    KpiPoints ignored;
    engine.ingest(0, parsePage(kWas1), kT0, ignored);
    engine.ingest(0, parsePage(kWas2), kT0 + 10'000, ignored);

    KpiPoints points;
    engine.ingest(0, parsePage(kWas3Restarted), kT0 + 20'000, points);
    // 200 count 100 → 30: a reset, so the increase is 30 (not -70); the 500 series vanished.
    EXPECT_KPI(points, "was1", "was.tps", "", 3.0);
    EXPECT_KPI(points, "was1", "was.error_ratio", "", 0.0);
    EXPECT_KPI(points, "was1", "was.latency_p50", "",
               0.05); // every bucket reset to 30: rank 15 → 0.1 * 15/30
    EXPECT_KPI(points, "was1", "was.latency_p95", "", 0.095);         // rank 28.5 → 0.1 * 28.5/30
    EXPECT_KPI(points, "was1", "was.latency_avg", "", 0.05);          // 1.5 s / 30
    EXPECT_KPI(points, "was1", "was.db_pool_timeouts_rate", "", 0.0); // 5 → 0: reset with no new timeouts
}

void TestKpiEngine::newSeriesCountsFromZero()
{
    Cluster cluster;
    cluster.nodes << node(QStringLiteral("was1"), NodeRole::Was);
    KpiEngine engine = engineFor(cluster);
    KpiPoints points;
    engine.ingest(0, parsePage(R"(# TYPE http_server_requests_seconds histogram
http_server_requests_seconds_count{status="200",uri="/b"} 100
)"),
                  kT0, points);
    points.clear();
    // The first 503 ever creates its series with count 3: those 3 errors happened in this interval.
    engine.ingest(0, parsePage(R"(# TYPE http_server_requests_seconds histogram
http_server_requests_seconds_count{status="200",uri="/b"} 117
http_server_requests_seconds_count{status="503",uri="/b"} 3
)"),
                  kT0 + 5'000, points);
    EXPECT_KPI(points, "was1", "was.tps", "", 4.0); // (17 + 3) / 5 s
    EXPECT_KPI(points, "was1", "was.error_ratio", "", 0.15);
    // No buckets on the page: quantiles are NaN (no observations), not absent and not 0.
    EXPECT_KPI(points, "was1", "was.latency_p95", "", kNaN);
}

void TestKpiEngine::haproxyPerUpstreamAndReloadReset()
{
    Cluster cluster;
    Gateway gateway;
    gateway.name = QStringLiteral("gw");
    gateway.kind = GatewayKind::HAProxy;
    gateway.backend = QStringLiteral("was");
    gateway.metricsUrl = QUrl(QStringLiteral("http://127.0.0.1:1/metrics"));
    cluster.gateways << gateway;
    KpiEngine engine = engineFor(cluster);

    KpiPoints first;
    engine.ingest(0, haproxyPage(1000, 10, 2000, 0), kT0, first);
    EXPECT_NO_KPI(first, "gw", "gateway.tps", "was1");
    EXPECT_KPI(first, "gw", "gateway.sessions", "was1", 3);
    EXPECT_KPI(first, "gw", "gateway.sessions", "", 7); // was1 + was2; the other backend's 50 left out
    EXPECT_KPI(first, "gw", "gateway.queue", "was2", 1);
    EXPECT_KPI(first, "gw", "gateway.queue", "", 1);
    EXPECT_KPI(first, "gw", "gateway.response_time_avg", "was2", 0.004);
    EXPECT_KPI(first, "gw", "gateway.response_time_avg", "", 0.003); // the backend's own average
    EXPECT_KPI(first, "gw", "gateway.server_state", "was1", double(int(GatewayServerState::Up)));
    EXPECT_KPI(first, "gw", "gateway.server_state", "was2", double(int(GatewayServerState::Drain)));
    EXPECT_NO_KPI(first, "gw", "gateway.sessions", "x1");

    KpiPoints second;
    engine.ingest(0, haproxyPage(1100, 20, 2150, 0), kT0 + 5'000, second);
    EXPECT_KPI(second, "gw", "gateway.tps", "was1", 22.0); // (100 + 10) / 5 s
    EXPECT_KPI(second, "gw", "gateway.tps", "was2", 30.0); // 150 / 5 s
    EXPECT_KPI(second, "gw", "gateway.tps", "", 52.0);
    EXPECT_KPI(second, "gw", "gateway.error_ratio", "was1", 10.0 / 110.0);
    EXPECT_KPI(second, "gw", "gateway.error_ratio", "was2", 0.0);
    EXPECT_KPI(second, "gw", "gateway.error_ratio", "", 10.0 / 260.0);
    EXPECT_NO_KPI(second, "gw", "gateway.tps", "x1");

    // A reload resets every counter: was1 2xx 1100 → 40, 5xx 20 → 0; was2 2xx 2150 → 60, 5xx 0 → 5.
    KpiPoints third;
    engine.ingest(0, haproxyPage(40, 0, 60, 5), kT0 + 10'000, third);
    EXPECT_KPI(third, "gw", "gateway.tps", "was1", 8.0);  // 40 / 5 s
    EXPECT_KPI(third, "gw", "gateway.tps", "was2", 13.0); // (60 + 5) / 5 s
    EXPECT_KPI(third, "gw", "gateway.tps", "", 21.0);
    EXPECT_KPI(third, "gw", "gateway.error_ratio", "was1", 0.0);
    EXPECT_KPI(third, "gw", "gateway.error_ratio", "was2", 5.0 / 65.0);
    EXPECT_KPI(third, "gw", "gateway.error_ratio", "", 5.0 / 105.0);
}

void TestKpiEngine::caddyCountsOnlyProxiedRequests()
{
    Cluster cluster;
    Gateway gateway;
    gateway.name = QStringLiteral("caddy");
    gateway.kind = GatewayKind::Caddy;
    gateway.metricsUrl = QUrl(QStringLiteral("http://127.0.0.1:1/metrics"));
    cluster.gateways << gateway;
    KpiEngine engine = engineFor(cluster);
    KpiPoints points;
    engine.ingest(0, caddyPage(100, 5, 5, 0.5, 50), kT0, points);
    EXPECT_KPI(points, "caddy", "gateway.upstream_healthy", "127.0.20.1:8080", 1);
    EXPECT_KPI(points, "caddy", "gateway.upstream_healthy", "127.0.20.2:8080", 0);
    points.clear();
    engine.ingest(0, caddyPage(160, 8, 15, 1.5, 60), kT0 + 10'000, points);
    EXPECT_KPI(points, "caddy", "gateway.tps", "",
               7.0); // (60 + 10) / 10 s; the metrics handler's +10 left out
    EXPECT_KPI(points, "caddy", "gateway.error_ratio", "", 10.0 / 70.0);
    EXPECT_KPI(points, "caddy", "gateway.response_time_avg", "", 4.0 / 70.0); // (3 + 1) s / 70
}

void TestKpiEngine::redisRatesAndGauges()
{
    Cluster cluster;
    cluster.nodes << node(QStringLiteral("redis"), NodeRole::Redis);
    KpiEngine engine = engineFor(cluster);
    const char *page1 = R"(# TYPE redis_commands_processed_total counter
redis_commands_processed_total 1000
# TYPE redis_memory_used_bytes gauge
redis_memory_used_bytes 1048576
# TYPE redis_connected_clients gauge
redis_connected_clients 7
# TYPE redis_keyspace_hits_total counter
redis_keyspace_hits_total 90
# TYPE redis_keyspace_misses_total counter
redis_keyspace_misses_total 10
# TYPE redis_up gauge
redis_up 1
# TYPE redis_evicted_keys_total counter
redis_evicted_keys_total 10
)";
    const char *page2 = R"(# TYPE redis_commands_processed_total counter
redis_commands_processed_total 1500
# TYPE redis_memory_used_bytes gauge
redis_memory_used_bytes 2097152
# TYPE redis_connected_clients gauge
redis_connected_clients 8
# TYPE redis_keyspace_hits_total counter
redis_keyspace_hits_total 180
# TYPE redis_keyspace_misses_total counter
redis_keyspace_misses_total 20
# TYPE redis_up gauge
redis_up 1
# TYPE redis_evicted_keys_total counter
redis_evicted_keys_total 35
)";
    KpiPoints points;
    engine.ingest(0, parsePage(page1), kT0, points);
    EXPECT_KPI(points, "redis", "redis.memory_bytes", "", 1048576);
    EXPECT_NO_KPI(points, "redis", "redis.ops_rate", "");
    points.clear();
    engine.ingest(0, parsePage(page2), kT0 + 5'000, points);
    EXPECT_KPI(points, "redis", "redis.ops_rate", "", 100.0); // 500 / 5 s
    EXPECT_KPI(points, "redis", "redis.hit_ratio", "", 0.9);  // 90 / (90 + 10)
    EXPECT_KPI(points, "redis", "redis.clients", "", 8);
    EXPECT_KPI(points, "redis", "redis.memory_bytes", "", 2097152);
    EXPECT_KPI(points, "redis", "redis.up", "", 1);
    EXPECT_KPI(points, "redis", "redis.evicted_rate", "", 5.0); // 25 / 5 s
}

void TestKpiEngine::kafkaLagIgnoresMissingOffsets()
{
    Cluster cluster;
    cluster.nodes << node(QStringLiteral("queue"), NodeRole::Kafka);
    KpiEngine engine = engineFor(cluster);
    const char *page1 = R"(# TYPE kafka_consumergroup_lag gauge
kafka_consumergroup_lag{consumergroup="g1",partition="0",topic="t"} 5
kafka_consumergroup_lag{consumergroup="g1",partition="1",topic="t"} 7
kafka_consumergroup_lag{consumergroup="g1",partition="2",topic="t"} -1
kafka_consumergroup_lag{consumergroup="g2",partition="0",topic="t"} -1
# TYPE kafka_consumergroup_current_offset gauge
kafka_consumergroup_current_offset{consumergroup="g1",partition="0",topic="t"} 100
kafka_consumergroup_current_offset{consumergroup="g1",partition="1",topic="t"} 200
kafka_consumergroup_current_offset{consumergroup="g1",partition="2",topic="t"} -1
kafka_consumergroup_current_offset{consumergroup="g2",partition="0",topic="t"} -1
# TYPE kafka_consumergroup_members gauge
kafka_consumergroup_members{consumergroup="g1"} 2
kafka_consumergroup_members{consumergroup="g2"} 0
)";
    // Partition 2 of g1 got its first commit at offset 5000: that is not 5000 messages consumed in 10 s.
    const char *page2 = R"(# TYPE kafka_consumergroup_lag gauge
kafka_consumergroup_lag{consumergroup="g1",partition="0",topic="t"} 3
kafka_consumergroup_lag{consumergroup="g1",partition="1",topic="t"} 4
kafka_consumergroup_lag{consumergroup="g1",partition="2",topic="t"} 2
kafka_consumergroup_lag{consumergroup="g2",partition="0",topic="t"} -1
# TYPE kafka_consumergroup_current_offset gauge
kafka_consumergroup_current_offset{consumergroup="g1",partition="0",topic="t"} 150
kafka_consumergroup_current_offset{consumergroup="g1",partition="1",topic="t"} 260
kafka_consumergroup_current_offset{consumergroup="g1",partition="2",topic="t"} 5000
kafka_consumergroup_current_offset{consumergroup="g2",partition="0",topic="t"} -1
)";
    KpiPoints points;
    engine.ingest(0, parsePage(page1), kT0, points);
    EXPECT_KPI(points, "queue", "kafka.consumer_lag", "g1", 12.0); // 5 + 7, the -1 left out
    EXPECT_KPI(points, "queue", "kafka.consumer_lag", "g2", kNaN); // no committed offset anywhere: unknown
    // The committed position and the members, which the lag evaluator (alerts) reads.
    EXPECT_KPI(points, "queue", "kafka.consumer_offset", "g1", 300.0); // 100 + 200, the -1 left out
    EXPECT_KPI(points, "queue", "kafka.consumer_offset", "g2", kNaN);
    EXPECT_KPI(points, "queue", "kafka.consumer_members", "g1", 2.0);
    EXPECT_KPI(points, "queue", "kafka.consumer_members", "g2", 0.0);
    points.clear();
    engine.ingest(0, parsePage(page2), kT0 + 10'000, points);
    EXPECT_KPI(points, "queue", "kafka.consumer_lag", "g1", 9.0);  // 3 + 4 + 2
    EXPECT_KPI(points, "queue", "kafka.consume_rate", "g1", 11.0); // (50 + 60) / 10 s
    EXPECT_KPI(points, "queue", "kafka.consumer_offset", "g1", 5410.0);
    EXPECT_NO_KPI(points, "queue", "kafka.consumer_members", "g1"); // this page has none
    EXPECT_NO_KPI(points, "queue", "kafka.consume_rate", "g2");
}

void TestKpiEngine::mysqlUntypedCountersByName()
{
    Cluster cluster;
    cluster.nodes << node(QStringLiteral("db"), NodeRole::Db);
    KpiEngine engine = engineFor(cluster);
    const char *pageTemplate = R"(# TYPE mysql_global_status_queries untyped
mysql_global_status_queries %1
# TYPE mysql_global_status_slow_queries untyped
mysql_global_status_slow_queries %2
# TYPE mysql_global_status_threads_connected untyped
mysql_global_status_threads_connected 3
# TYPE mysql_global_status_threads_running untyped
mysql_global_status_threads_running 2
# TYPE mysql_up gauge
mysql_up 1
)";
    KpiPoints points;
    engine.ingest(0, parsePage(QString::fromLatin1(pageTemplate).arg(500).arg(0).toLatin1().constData()), kT0,
                  points);
    EXPECT_KPI(points, "db", "db.threads_connected", "", 3);
    EXPECT_KPI(points, "db", "db.up", "", 1);
    points.clear();
    engine.ingest(0, parsePage(QString::fromLatin1(pageTemplate).arg(1500).arg(2).toLatin1().constData()),
                  kT0 + 10'000, points);
    EXPECT_KPI(points, "db", "db.qps", "", 100.0);             // 1000 / 10 s
    EXPECT_KPI(points, "db", "db.slow_queries_rate", "", 0.2); // 2 / 10 s
    EXPECT_KPI(points, "db", "db.threads_running", "", 2);
}

void TestKpiEngine::overridesOfMetricNames()
{
    Cluster cluster;
    cluster.nodes << node(QStringLiteral("app"), NodeRole::Was)
                  << node(QStringLiteral("cache"), NodeRole::Redis);
    cluster.metricNames.insert(QStringLiteral("was.requests"), QStringLiteral("app_requests_seconds"));
    cluster.metricNames.insert(QStringLiteral("was.status_label"), QStringLiteral("code"));
    cluster.metricNames.insert(QStringLiteral("was.excluded_uri_prefix"),
                               QString()); // count the actuator too
    cluster.metricNames.insert(QStringLiteral("redis.commands"), QStringLiteral("cache_ops_total"));
    // A catalogue row's own metric (redis.evicted_rate's) is overridable like the shared ones.
    cluster.metricNames.insert(QStringLiteral("redis.evicted"), QStringLiteral("cache_evictions_total"));
    KpiEngine engine = engineFor(cluster);
    QCOMPARE(engine.mapping().name(MetricKey::WasRequests), std::string("app_requests_seconds"));

    const char *app1 = R"(# TYPE app_requests_seconds histogram
app_requests_seconds_count{code="500",uri="/actuator/x"} 10
app_requests_seconds_count{code="200",uri="/b"} 0
# TYPE http_server_requests_seconds histogram
http_server_requests_seconds_count{status="200",uri="/b"} 1000
)";
    const char *app2 = R"(# TYPE app_requests_seconds histogram
app_requests_seconds_count{code="500",uri="/actuator/x"} 20
app_requests_seconds_count{code="200",uri="/b"} 30
# TYPE http_server_requests_seconds histogram
http_server_requests_seconds_count{status="200",uri="/b"} 9000
)";
    const char *cache1 =
        "# TYPE cache_ops_total counter\ncache_ops_total 10\nredis_commands_processed_total 0\n"
        "cache_evictions_total 0\nredis_evicted_keys_total 0\n";
    const char *cache2 =
        "# TYPE cache_ops_total counter\ncache_ops_total 60\nredis_commands_processed_total 1000\n"
        "cache_evictions_total 20\nredis_evicted_keys_total 1000\n";
    KpiPoints points;
    engine.ingest(0, parsePage(app1), kT0, points);
    engine.ingest(1, parsePage(cache1), kT0, points);
    points.clear();
    engine.ingest(0, parsePage(app2), kT0 + 10'000, points);
    engine.ingest(1, parsePage(cache2), kT0 + 10'000, points);
    EXPECT_KPI(points, "app", "was.tps", "", 4.0); // (10 + 30) / 10 s from app_requests_seconds_count
    EXPECT_KPI(points, "app", "was.error_ratio", "", 0.25);     // code="500" under the renamed label
    EXPECT_KPI(points, "cache", "redis.ops_rate", "", 5.0);     // 50 / 10 s
    EXPECT_KPI(points, "cache", "redis.evicted_rate", "", 2.0); // 20 / 10 s from cache_evictions_total
}

void TestKpiEngine::badOverrideIsAnError()
{
    Cluster cluster;
    cluster.sourceFile = QStringLiteral("lab.yaml");
    cluster.metricNames.insert(QStringLiteral("was.reqests"), QStringLiteral("x"));
    cluster.metricNames.insert(QStringLiteral("redis.up"), QStringLiteral(" "));
    // Not a Prometheus name: it would break every PromQL query batched with it.
    cluster.metricNames.insert(QStringLiteral("redis.clients"), QStringLiteral("redis clients"));
    const Result<KpiEngine> engine = KpiEngine::forCluster(cluster);
    QVERIFY(!engine);
    QVERIFY2(engine.error().message.contains(QLatin1String("unknown key 'was.reqests'")),
             qPrintable(engine.error().message));
    QVERIFY2(engine.error().message.contains(QLatin1String("'redis.up' must name")),
             qPrintable(engine.error().message));
    QVERIFY2(engine.error().message.contains(QLatin1String("'redis.clients' must name a metric or label, not "
                                                           "'redis clients'")),
             qPrintable(engine.error().message));
    QCOMPARE(engine.error().where, QStringLiteral("lab.yaml"));
}

void TestKpiEngine::failedScrapeGivesGapsAndClusterSums()
{
    Cluster cluster;
    cluster.nodes << node(QStringLiteral("was1"), NodeRole::Was)
                  << node(QStringLiteral("was2"), NodeRole::Was);
    KpiEngine engine = engineFor(cluster);
    const char *tmpl = "# TYPE http_server_requests_seconds histogram\n"
                       "http_server_requests_seconds_count{status=\"200\",uri=\"/b\"} %1\n"
                       "http_server_requests_seconds_count{status=\"500\",uri=\"/b\"} %2\n";
    const auto page = [&](int ok, int err) {
        return parsePage(QString::fromLatin1(tmpl).arg(ok).arg(err).toLatin1().constData());
    };
    KpiPoints points;
    engine.ingest(0, page(0, 0), kT0, points);
    engine.ingest(1, page(0, 0), kT0, points);
    engine.finishRound(kT0, points);
    points.clear();
    engine.ingest(0, page(90, 10), kT0 + 10'000, points); // 10/s, 10% errors
    engine.ingest(1, page(300, 0), kT0 + 10'000, points); // 30/s
    engine.finishRound(kT0 + 10'000, points);
    EXPECT_KPI(points, "@cluster", "cluster.tps", "", 40.0);
    EXPECT_KPI(points, "@cluster", "cluster.error_ratio", "", 10.0 / 400.0);

    // was2 fails: every series it had gets a NaN point; the cluster sum is was1's alone.
    points.clear();
    engine.ingest(0, page(190, 10), kT0 + 20'000, points); // 10/s, no new errors
    engine.markFailed(1, kT0 + 20'000, points);
    engine.finishRound(kT0 + 20'000, points);
    EXPECT_KPI(points, "was2", "was.tps", "", kNaN);
    EXPECT_KPI(points, "was2", "was.error_ratio", "", kNaN);
    EXPECT_KPI(points, "was2", "was.latency_p95", "", kNaN);
    EXPECT_KPI(points, "@cluster", "cluster.tps", "", 10.0);
    EXPECT_KPI(points, "@cluster", "cluster.error_ratio", "", 0.0);

    // Both fail: the cluster KPIs are gaps too.
    points.clear();
    engine.markFailed(0, kT0 + 30'000, points);
    engine.markFailed(1, kT0 + 30'000, points);
    engine.finishRound(kT0 + 30'000, points);
    EXPECT_KPI(points, "@cluster", "cluster.tps", "", kNaN);

    // was2 comes back: its rate spans the whole gap (300 → 900 over 30 s = 20/s).
    points.clear();
    engine.ingest(1, page(900, 0), kT0 + 40'000, points);
    EXPECT_KPI(points, "was2", "was.tps", "", 20.0);
}

void TestKpiEngine::clockGoingBackwardsGivesNoRate()
{
    Cluster cluster;
    cluster.nodes << node(QStringLiteral("db"), NodeRole::Db);
    KpiEngine engine = engineFor(cluster);
    KpiPoints points;
    engine.ingest(0, parsePage("mysql_global_status_queries 100\nmysql_up 1\n"), kT0, points);
    points.clear();
    engine.ingest(0, parsePage("mysql_global_status_queries 200\nmysql_up 1\n"), kT0 - 1'000, points);
    EXPECT_NO_KPI(points, "db", "db.qps", "");
    EXPECT_KPI(points, "db", "db.up", "", 1);
    points.clear();
    engine.ingest(0, parsePage("mysql_global_status_queries 300\nmysql_up 1\n"), kT0 + 9'000, points);
    EXPECT_KPI(points, "db", "db.qps", "", 10.0); // 100 / 10 s since the previous (backwards) scrape
}

QTEST_GUILESS_MAIN(TestKpiEngine)
#include "tst_kpi_engine.moc"
