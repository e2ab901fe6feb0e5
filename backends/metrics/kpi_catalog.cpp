#include "metrics/kpi_catalog.h"

#include "cluster/cluster.h"
#include "metrics/promql_kpis.h"

#include <QStringList>

namespace clusterdeck {

namespace {

using Shape = KpiShape;
using Limit = KpiThreshold::Direction;

constexpr KpiCompute gaugeSum(MetricKey metric)
{
    return {.shape = Shape::GaugeSum, .metric = metric};
}
constexpr KpiCompute gaugeMax(MetricKey metric)
{
    return {.shape = Shape::GaugeMax, .metric = metric};
}
constexpr KpiCompute counterRate(MetricKey metric, std::uint8_t flags = KpiFlag::None)
{
    return {.shape = Shape::CounterRate, .metric = metric, .flags = flags};
}
// Micrometer's http_server_requests_seconds histogram, the actuator's own requests left out.
constexpr KpiCompute wasRequests(Shape shape, double quantile = 0)
{
    return {.shape = shape,
            .metric = MetricKey::WasRequests,
            .label = MetricKey::WasStatusLabel,
            .select = KpiSelect::LabelNotPrefix,
            .selectLabel = MetricKey::WasUriLabel,
            .selectValue = MetricKey::WasExcludedUriPrefix,
            .quantile = quantile,
            .flags = KpiFlag::NewSeriesFromZero};
}
// Caddy's request histogram, reverse_proxy's requests only (its metrics site is another handler).
constexpr KpiCompute caddyRequests(Shape shape)
{
    return {.shape = shape,
            .metric = MetricKey::CaddyRequests,
            .label = MetricKey::CaddyCodeLabel,
            .select = KpiSelect::LabelEquals,
            .selectLabel = MetricKey::CaddyHandlerLabel,
            .selectValue = MetricKey::CaddyHandler,
            .flags = KpiFlag::NewSeriesFromZero};
}
constexpr KpiCompute upstreamGauge(MetricKey metric)
{
    return {.shape = Shape::UpstreamGauge, .metric = metric};
}
constexpr KpiThreshold above(double value)
{
    return {Limit::Above, value};
}
constexpr KpiThreshold below(double value)
{
    return {Limit::Below, value};
}
constexpr KpiCompute none{};
constexpr KpiThreshold noLimit{};

// The catalogue: one row per KPI, in KpiId order. Adding a KPI of a known shape is one row here (its id
// appended to KpiId) and its test; a metric only it reads is named in the row (ownKey/ownDefault).
constexpr std::array<KpiInfo, kKpiIdCount> kCatalog{{
    {KpiId::WasTps, "was.tps", KpiSource::Was, KpiUnit::PerSecond, "TPS", false, "requests per second",
     wasRequests(Shape::RequestRate), none, noLimit, nullptr},
    {KpiId::WasLatencyP50, "was.latency_p50", KpiSource::Was, KpiUnit::Seconds, "p50", false,
     "median latency over the bucket rates", wasRequests(Shape::RequestQuantile, 0.5), none, noLimit,
     nullptr},
    {KpiId::WasLatencyP95, "was.latency_p95", KpiSource::Was, KpiUnit::Seconds, "p95", false,
     "95th percentile latency; the SLO target", wasRequests(Shape::RequestQuantile, 0.95), none, above(3.0),
     &Thresholds::latencyP95Seconds},
    {KpiId::WasLatencyP99, "was.latency_p99", KpiSource::Was, KpiUnit::Seconds, "p99", false,
     "99th percentile latency", wasRequests(Shape::RequestQuantile, 0.99), none, noLimit, nullptr},
    {KpiId::WasLatencyAvg, "was.latency_avg", KpiSource::Was, KpiUnit::Seconds, "avg", false, "mean latency",
     wasRequests(Shape::RequestAverage), none, noLimit, nullptr},
    {KpiId::WasLatencyMax,
     "was.latency_max",
     KpiSource::Was,
     KpiUnit::Seconds,
     "max",
     false,
     "Micrometer's recent maximum (a decaying window, not since start)",
     {.shape = Shape::GaugeMax,
      .metric = MetricKey::WasRequests,
      .suffix = "_max",
      .select = KpiSelect::LabelNotPrefix,
      .selectLabel = MetricKey::WasUriLabel,
      .selectValue = MetricKey::WasExcludedUriPrefix},
     none,
     noLimit,
     nullptr},
    {KpiId::WasErrorRatio, "was.error_ratio", KpiSource::Was, KpiUnit::Ratio, "5xx", false,
     "share of requests answered 5xx", wasRequests(Shape::RequestErrorRatio), none, above(0.01),
     &Thresholds::errorRatio},
    {KpiId::WasDbPoolActive, "was.db_pool_active", KpiSource::Was, KpiUnit::Count, "pool active", false,
     "HikariCP connections in use", gaugeSum(MetricKey::WasPoolActive), none, noLimit, nullptr},
    {KpiId::WasDbPoolPending, "was.db_pool_pending", KpiSource::Was, KpiUnit::Count, "pool pending", false,
     "threads waiting for a HikariCP connection", gaugeSum(MetricKey::WasPoolPending), none, noLimit,
     nullptr},
    {KpiId::WasDbPoolTimeoutsRate, "was.db_pool_timeouts_rate", KpiSource::Was, KpiUnit::PerSecond,
     "pool timeouts", false, "connection requests that timed out",
     counterRate(MetricKey::WasPoolTimeouts, KpiFlag::NewSeriesFromZero), none, noLimit, nullptr},
    {KpiId::GatewayTps,
     "gateway.tps",
     KpiSource::Gateway,
     KpiUnit::PerSecond,
     "TPS",
     true,
     "responses per second, per upstream and in total",
     {.shape = Shape::UpstreamRate,
      .metric = MetricKey::HaproxyResponses,
      .label = MetricKey::HaproxyCodeLabel,
      .flags = KpiFlag::NewSeriesFromZero},
     caddyRequests(Shape::RequestRate),
     noLimit,
     nullptr},
    {KpiId::GatewayErrorRatio,
     "gateway.error_ratio",
     KpiSource::Gateway,
     KpiUnit::Ratio,
     "5xx",
     true,
     "share of responses that are 5xx, per upstream and in total",
     {.shape = Shape::UpstreamErrorRatio,
      .metric = MetricKey::HaproxyResponses,
      .label = MetricKey::HaproxyCodeLabel,
      .flags = KpiFlag::NewSeriesFromZero,
      .weight = KpiId::GatewayTps},
     caddyRequests(Shape::RequestErrorRatio),
     above(0.01),
     &Thresholds::errorRatio},
    {KpiId::GatewayResponseTimeAvg,
     "gateway.response_time_avg",
     KpiSource::Gateway,
     KpiUnit::Seconds,
     "rt avg",
     true,
     "HAProxy: average of the last 1024 requests, not a percentile; Caddy: mean",
     {.shape = Shape::UpstreamGauge,
      .metric = MetricKey::HaproxyResponseTime,
      .other = MetricKey::HaproxyBackendResponseTime},
     caddyRequests(Shape::RequestAverage),
     noLimit,
     nullptr},
    {KpiId::GatewaySessions, "gateway.sessions", KpiSource::Gateway, KpiUnit::Count, "sessions", true,
     "current sessions; a drain is done when sessions and queue are 0",
     upstreamGauge(MetricKey::HaproxySessions), none, noLimit, nullptr},
    {KpiId::GatewayQueue, "gateway.queue", KpiSource::Gateway, KpiUnit::Count, "queue", true,
     "requests queued for an upstream", upstreamGauge(MetricKey::HaproxyQueue), none, noLimit, nullptr},
    {KpiId::GatewayServerState,
     "gateway.server_state",
     KpiSource::Gateway,
     KpiUnit::State,
     "state",
     true,
     "UP, DOWN, MAINT, DRAIN or NOLB per upstream",
     {.shape = Shape::UpstreamState,
      .metric = MetricKey::HaproxyStatus,
      .label = MetricKey::HaproxyStateLabel},
     none,
     noLimit,
     nullptr},
    {KpiId::GatewayUpstreamHealthy,
     "gateway.upstream_healthy",
     KpiSource::Gateway,
     KpiUnit::Boolean,
     "healthy",
     true,
     "Caddy's active health check per upstream",
     none,
     {.shape = Shape::GaugeMaxByLabel,
      .metric = MetricKey::CaddyUpstreamsHealthy,
      .label = MetricKey::CaddyUpstreamLabel},
     noLimit,
     nullptr},
    {KpiId::RedisOpsRate, "redis.ops_rate", KpiSource::Redis, KpiUnit::PerSecond, "ops", false,
     "commands processed per second", counterRate(MetricKey::RedisCommands), none, noLimit, nullptr},
    {KpiId::RedisMemoryBytes, "redis.memory_bytes", KpiSource::Redis, KpiUnit::Bytes, "memory", false,
     "memory used by Redis", gaugeSum(MetricKey::RedisMemory), none, noLimit, nullptr},
    {KpiId::RedisClients, "redis.clients", KpiSource::Redis, KpiUnit::Count, "clients", false,
     "connected clients", gaugeSum(MetricKey::RedisClients), none, noLimit, nullptr},
    {KpiId::RedisHitRatio,
     "redis.hit_ratio",
     KpiSource::Redis,
     KpiUnit::Ratio,
     "hit ratio",
     false,
     "keyspace hits / (hits + misses)",
     {.shape = Shape::RateShare, .metric = MetricKey::RedisHits, .other = MetricKey::RedisMisses},
     none,
     noLimit,
     nullptr},
    {KpiId::RedisUp, "redis.up", KpiSource::Redis, KpiUnit::Boolean, "up", false,
     "the exporter reached Redis", gaugeMax(MetricKey::RedisUp), none, below(1), nullptr},
    {KpiId::KafkaConsumerLag,
     "kafka.consumer_lag",
     KpiSource::Kafka,
     KpiUnit::Count,
     "lag",
     true,
     "messages behind, per consumer group; -1 (no committed offset) ignored, NaN if no partition has one",
     {.shape = Shape::GaugeSumByLabel,
      .metric = MetricKey::KafkaLag,
      .label = MetricKey::KafkaGroupLabel,
      .flags = KpiFlag::NonNegative},
     none,
     above(1000),
     &Thresholds::consumerLag},
    {KpiId::KafkaConsumeRate,
     "kafka.consume_rate",
     KpiSource::Kafka,
     KpiUnit::PerSecond,
     "consume",
     true,
     "messages consumed per second, per consumer group",
     {.shape = Shape::CounterRateByLabel,
      .metric = MetricKey::KafkaOffset,
      .label = MetricKey::KafkaGroupLabel,
      .flags = KpiFlag::NonNegative},
     none,
     noLimit,
     nullptr},
    {KpiId::DbQps, "db.qps", KpiSource::Db, KpiUnit::PerSecond, "QPS", false,
     "statements per second (untyped counter, read as a counter by name)", counterRate(MetricKey::DbQueries),
     none, noLimit, nullptr},
    {KpiId::DbThreadsConnected, "db.threads_connected", KpiSource::Db, KpiUnit::Count, "connected", false,
     "open connections", gaugeSum(MetricKey::DbThreadsConnected), none, noLimit, nullptr},
    {KpiId::DbThreadsRunning, "db.threads_running", KpiSource::Db, KpiUnit::Count, "running", false,
     "connections running a statement", gaugeSum(MetricKey::DbThreadsRunning), none, noLimit, nullptr},
    {KpiId::DbSlowQueriesRate, "db.slow_queries_rate", KpiSource::Db, KpiUnit::PerSecond, "slow", false,
     "slow queries per second", counterRate(MetricKey::DbSlowQueries), none, noLimit, nullptr},
    {KpiId::DbUp, "db.up", KpiSource::Db, KpiUnit::Boolean, "up", false, "the exporter reached the database",
     gaugeMax(MetricKey::DbUp), none, below(1), nullptr},
    {KpiId::ClusterTps,
     "cluster.tps",
     KpiSource::Cluster,
     KpiUnit::PerSecond,
     "TPS",
     false,
     "sum of was.tps over the WAS nodes that answered",
     {.shape = Shape::ClusterSum, .of = KpiId::WasTps},
     none,
     noLimit,
     nullptr},
    {KpiId::ClusterErrorRatio,
     "cluster.error_ratio",
     KpiSource::Cluster,
     KpiUnit::Ratio,
     "5xx",
     false,
     "5xx share of all WAS requests",
     {.shape = Shape::ClusterRatio, .of = KpiId::WasErrorRatio, .weight = KpiId::WasTps},
     none,
     above(0.01),
     &Thresholds::errorRatio},
    {KpiId::RedisEvictedRate,
     "redis.evicted_rate",
     KpiSource::Redis,
     KpiUnit::PerSecond,
     "evicted",
     false,
     "keys evicted per second for lack of memory",
     {.shape = Shape::CounterRate, .ownKey = "redis.evicted", .ownDefault = "redis_evicted_keys_total"},
     none,
     noLimit,
     nullptr},
    // The lag evaluator (alerts, Burrow's rules) needs the committed position itself, not only its rate.
    {KpiId::KafkaConsumerOffset,
     "kafka.consumer_offset",
     KpiSource::Kafka,
     KpiUnit::Count,
     "offset",
     true,
     "committed offset per consumer group (sum over partitions); -1 (none committed) ignored",
     {.shape = Shape::GaugeSumByLabel,
      .metric = MetricKey::KafkaOffset,
      .label = MetricKey::KafkaGroupLabel,
      .flags = KpiFlag::NonNegative},
     none,
     noLimit,
     nullptr},
    // Tells a consumer that is gone (no members: STOPPED) from one that is stuck (STALLED).
    {KpiId::KafkaConsumerMembers,
     "kafka.consumer_members",
     KpiSource::Kafka,
     KpiUnit::Count,
     "members",
     true,
     "members of the consumer group",
     {.shape = Shape::GaugeSumByLabel,
      .label = MetricKey::KafkaGroupLabel,
      .ownKey = "kafka.members",
      .ownDefault = "kafka_consumergroup_members"},
     none,
     noLimit,
     nullptr},
}};

constexpr bool catalogIsIndexedById()
{
    for (int i = 0; i < kKpiIdCount; ++i) {
        if (int(kCatalog[std::size_t(i)].id) != i)
            return false;
    }
    return true;
}
static_assert(catalogIsIndexedById(), "kCatalog must list the KPIs in KpiId order");

const std::array<QString, kKpiIdCount> &names()
{
    static const std::array<QString, kKpiIdCount> table = [] {
        std::array<QString, kKpiIdCount> result;
        for (int i = 0; i < kKpiIdCount; ++i)
            result[std::size_t(i)] = QString::fromLatin1(kCatalog[std::size_t(i)].name);
        return result;
    }();
    return table;
}

QString code(const std::string &name)
{
    return QLatin1Char('`') + QString::fromStdString(name) + QLatin1Char('`');
}

QString roleOf(const KpiInfo &info, bool caddy)
{
    if (info.source != KpiSource::Gateway)
        return kpiSourceName(info.source);
    return caddy ? QStringLiteral("gateway (Caddy)") : QStringLiteral("gateway (HAProxy)");
}

QString unitName(KpiUnit unit)
{
    switch (unit) {
    case KpiUnit::PerSecond:
        return QStringLiteral("1/s");
    case KpiUnit::Seconds:
        return QStringLiteral("s");
    case KpiUnit::Ratio:
        return QStringLiteral("ratio");
    case KpiUnit::Count:
        return QStringLiteral("count");
    case KpiUnit::Bytes:
        return QStringLiteral("bytes");
    case KpiUnit::State:
        return QStringLiteral("state");
    case KpiUnit::Boolean:
        return QStringLiteral("0/1");
    }
    return {};
}

} // namespace

const std::array<KpiInfo, kKpiIdCount> &kpiCatalog()
{
    return kCatalog;
}

const QString &kpiName(KpiId id)
{
    return names()[std::size_t(id)];
}

std::optional<KpiId> kpiIdFromName(QStringView name)
{
    const auto &table = names();
    for (int i = 0; i < kKpiIdCount; ++i) {
        if (table[std::size_t(i)] == name)
            return KpiId(i);
    }
    return std::nullopt;
}

const KpiInfo *findKpi(QStringView name)
{
    const std::optional<KpiId> id = kpiIdFromName(name);
    return id ? &kCatalog[std::size_t(*id)] : nullptr;
}

const KpiCompute &kpiCompute(const KpiInfo &info, bool caddy)
{
    return info.source == KpiSource::Gateway && caddy ? info.caddy : info.compute;
}

KpiThreshold thresholdFor(KpiId id, const Cluster &cluster)
{
    const KpiInfo &info = kpiInfo(id);
    KpiThreshold threshold = info.threshold;
    if (info.thresholdOverride && threshold.isSet()) {
        if (const std::optional<double> &value = cluster.thresholds.*info.thresholdOverride)
            threshold.value = *value;
    }
    return threshold;
}

QString formatThreshold(KpiId id, const KpiThreshold &threshold)
{
    if (!threshold.isSet())
        return {};
    const KpiUnit unit = kpiInfo(id).unit;
    // "< 1" reads better than "< yes" for a 0/1 KPI.
    const QString value = unit == KpiUnit::Boolean || unit == KpiUnit::State
                              ? QString::number(threshold.value)
                              : formatKpiValue(id, threshold.value);
    return (threshold.direction == Limit::Above ? QStringLiteral("> ") : QStringLiteral("< ")) + value;
}

QString describePageForm(const KpiCompute &c, const KpiMapping &mapping)
{
    const std::string metric = c.ownKey ? mapping.ownName(c.ownKey) : mapping.name(c.metric) + c.suffix;
    const QString family = QString::fromStdString(mapping.name(c.metric));
    const auto series = [&](const char *suffix) {
        return QLatin1Char('`') + family + QLatin1String(suffix) + QLatin1Char('`');
    };
    const QString label = c.label ? code(mapping.name(*c.label)) : QString();
    QString where;
    if (c.select == KpiSelect::LabelNotPrefix && !mapping.name(c.selectValue).empty())
        where = QStringLiteral(", %1 not starting with %2")
                    .arg(code(mapping.name(c.selectLabel)), code(mapping.name(c.selectValue)));
    else if (c.select == KpiSelect::LabelEquals && !mapping.name(c.selectValue).empty())
        where = QStringLiteral(", %1 = %2")
                    .arg(code(mapping.name(c.selectLabel)), code(mapping.name(c.selectValue)));
    const QString perUpstream = QStringLiteral(" per upstream (%1, %2)")
                                    .arg(code(mapping.name(MetricKey::HaproxyProxyLabel)),
                                         code(mapping.name(MetricKey::HaproxyServerLabel)));
    const QString negative =
        c.has(KpiFlag::NonNegative) ? QStringLiteral(", negative samples ignored") : QString();
    switch (c.shape) {
    case Shape::None:
        return {};
    case Shape::GaugeSum:
        return QStringLiteral("sum of %1%2").arg(code(metric), where);
    case Shape::GaugeMax:
        return QStringLiteral("max of %1%2").arg(code(metric), where);
    case Shape::CounterRate:
        return QStringLiteral("rate of %1%2").arg(code(metric), where);
    case Shape::RateShare:
        return QStringLiteral("rate(%1) / (rate(%1) + rate(%2))")
            .arg(code(metric), code(mapping.name(*c.other)));
    case Shape::RequestRate:
        return QStringLiteral("rate of %1%2").arg(series("_count"), where);
    case Shape::RequestErrorRatio:
        return QStringLiteral("%1=~\"5..\" share of the rate of %2%3").arg(label, series("_count"), where);
    case Shape::RequestAverage:
        return QStringLiteral("rate(%1) / rate(%2)%3").arg(series("_sum"), series("_count"), where);
    case Shape::RequestQuantile:
        return QStringLiteral("histogram_quantile(%1) of the rates of %2%3")
            .arg(QString::number(c.quantile), series("_bucket"), where);
    case Shape::GaugeSumByLabel:
        return QStringLiteral("sum of %1 by %2%3").arg(code(metric), label, negative);
    case Shape::GaugeMaxByLabel:
        return QStringLiteral("max of %1 by %2").arg(code(metric), label);
    case Shape::CounterRateByLabel:
        return QStringLiteral("rate of %1 by %2%3").arg(code(metric), label, negative);
    case Shape::UpstreamRate:
        return QStringLiteral("rate of %1%2; total: their sum").arg(code(metric), perUpstream);
    case Shape::UpstreamErrorRatio:
        return QStringLiteral("%1=~\"5..\" share of the rate of %2%3 and in total")
            .arg(label, code(metric), perUpstream);
    case Shape::UpstreamGauge:
        return QStringLiteral("%1%2; total: %3")
            .arg(code(metric), perUpstream,
                 c.other ? QStringLiteral("the backend's %1").arg(code(mapping.name(*c.other)))
                         : QStringLiteral("their sum"));
    case Shape::UpstreamState:
        return QStringLiteral("the %1 of the %2 sample that is 1,%3").arg(label, code(metric), perUpstream);
    case Shape::ClusterSum:
        return QStringLiteral("sum of %1 over the targets that gave it").arg(kpiName(c.of));
    case Shape::ClusterRatio:
        return QStringLiteral("%1 weighted by %2 over the targets that gave it")
            .arg(kpiName(c.of), kpiName(c.weight.value_or(c.of)));
    }
    return {};
}

QString kpiTableBeginMarker()
{
    return QStringLiteral("<!-- kpi-catalogue: begin (generated: clusterdeckctl kpis --markdown) -->");
}

QString kpiTableEndMarker()
{
    return QStringLiteral("<!-- kpi-catalogue: end -->");
}

QString kpiCatalogMarkdown()
{
    const KpiMapping mapping;
    const auto cell = [](QString text) { return text.replace(QLatin1Char('|'), QStringLiteral("\\|")); };
    QString out = QStringLiteral("| KPI | role | unit | what | direct scrape | PromQL (grouped by instance, "
                                 "window 1m) | default limit |\n"
                                 "|---|---|---|---|---|---|---|\n");
    for (const KpiInfo &info : kpiCatalog()) {
        for (const bool caddy : {false, true}) {
            if (caddy && info.source != KpiSource::Gateway)
                continue;
            const KpiCompute &c = kpiCompute(info, caddy);
            if (c.shape == Shape::None)
                continue;
            const QString promql = kpiPromqlForm(c, mapping, {}, 60000);
            out += QStringLiteral("| `%1` | %2 | %3 | %4 | %5 | %6 | %7 |\n")
                       .arg(QLatin1String(info.name), roleOf(info, caddy), unitName(info.unit),
                            cell(QString::fromUtf8(info.description)), cell(describePageForm(c, mapping)),
                            promql.isEmpty() ? QString() : QLatin1Char('`') + cell(promql) + QLatin1Char('`'),
                            cell(formatThreshold(info.id, info.threshold)));
        }
    }
    return out;
}

QString kpiCatalogText()
{
    QString out;
    for (const KpiInfo &info : kpiCatalog()) {
        const QString role =
            info.source == KpiSource::Gateway
                ? QStringLiteral("gateway%1%2")
                      .arg(info.compute.shape == Shape::None ? QString() : QStringLiteral(" haproxy"),
                           info.caddy.shape == Shape::None ? QString() : QStringLiteral(" caddy"))
                : kpiSourceName(info.source);
        out += QStringLiteral("%1 %2 %3 %4 %5 %6\n")
                   .arg(QString::fromLatin1(info.name).leftJustified(27), role.leftJustified(22),
                        unitName(info.unit).leftJustified(6), QString::fromUtf8(info.label).leftJustified(14),
                        formatThreshold(info.id, info.threshold).leftJustified(9),
                        QString::fromUtf8(info.description));
    }
    return out;
}

} // namespace clusterdeck
