#include "metrics/kpi.h"

#include <cmath>

namespace clusterdeck {

namespace {

constexpr std::array<KpiInfo, kKpiIdCount> kCatalog{{
    {KpiId::WasTps, "was.tps", KpiSource::Was, KpiUnit::PerSecond, "TPS", false},
    {KpiId::WasLatencyP50, "was.latency_p50", KpiSource::Was, KpiUnit::Seconds, "p50", false},
    {KpiId::WasLatencyP95, "was.latency_p95", KpiSource::Was, KpiUnit::Seconds, "p95", false},
    {KpiId::WasLatencyP99, "was.latency_p99", KpiSource::Was, KpiUnit::Seconds, "p99", false},
    {KpiId::WasLatencyAvg, "was.latency_avg", KpiSource::Was, KpiUnit::Seconds, "avg", false},
    {KpiId::WasLatencyMax, "was.latency_max", KpiSource::Was, KpiUnit::Seconds, "max", false},
    {KpiId::WasErrorRatio, "was.error_ratio", KpiSource::Was, KpiUnit::Ratio, "5xx", false},
    {KpiId::WasDbPoolActive, "was.db_pool_active", KpiSource::Was, KpiUnit::Count, "pool active", false},
    {KpiId::WasDbPoolPending, "was.db_pool_pending", KpiSource::Was, KpiUnit::Count, "pool pending", false},
    {KpiId::WasDbPoolTimeoutsRate, "was.db_pool_timeouts_rate", KpiSource::Was, KpiUnit::PerSecond,
     "pool timeouts", false},
    {KpiId::GatewayTps, "gateway.tps", KpiSource::Gateway, KpiUnit::PerSecond, "TPS", true},
    {KpiId::GatewayErrorRatio, "gateway.error_ratio", KpiSource::Gateway, KpiUnit::Ratio, "5xx", true},
    {KpiId::GatewayResponseTimeAvg, "gateway.response_time_avg", KpiSource::Gateway, KpiUnit::Seconds,
     "rt avg", true},
    {KpiId::GatewaySessions, "gateway.sessions", KpiSource::Gateway, KpiUnit::Count, "sessions", true},
    {KpiId::GatewayQueue, "gateway.queue", KpiSource::Gateway, KpiUnit::Count, "queue", true},
    {KpiId::GatewayServerState, "gateway.server_state", KpiSource::Gateway, KpiUnit::State, "state", true},
    {KpiId::GatewayUpstreamHealthy, "gateway.upstream_healthy", KpiSource::Gateway, KpiUnit::Boolean,
     "healthy", true},
    {KpiId::RedisOpsRate, "redis.ops_rate", KpiSource::Redis, KpiUnit::PerSecond, "ops", false},
    {KpiId::RedisMemoryBytes, "redis.memory_bytes", KpiSource::Redis, KpiUnit::Bytes, "memory", false},
    {KpiId::RedisClients, "redis.clients", KpiSource::Redis, KpiUnit::Count, "clients", false},
    {KpiId::RedisHitRatio, "redis.hit_ratio", KpiSource::Redis, KpiUnit::Ratio, "hit ratio", false},
    {KpiId::RedisUp, "redis.up", KpiSource::Redis, KpiUnit::Boolean, "up", false},
    {KpiId::KafkaConsumerLag, "kafka.consumer_lag", KpiSource::Kafka, KpiUnit::Count, "lag", true},
    {KpiId::KafkaConsumeRate, "kafka.consume_rate", KpiSource::Kafka, KpiUnit::PerSecond, "consume", true},
    {KpiId::DbQps, "db.qps", KpiSource::Db, KpiUnit::PerSecond, "QPS", false},
    {KpiId::DbThreadsConnected, "db.threads_connected", KpiSource::Db, KpiUnit::Count, "connected", false},
    {KpiId::DbThreadsRunning, "db.threads_running", KpiSource::Db, KpiUnit::Count, "running", false},
    {KpiId::DbSlowQueriesRate, "db.slow_queries_rate", KpiSource::Db, KpiUnit::PerSecond, "slow", false},
    {KpiId::DbUp, "db.up", KpiSource::Db, KpiUnit::Boolean, "up", false},
    {KpiId::ClusterTps, "cluster.tps", KpiSource::Cluster, KpiUnit::PerSecond, "TPS", false},
    {KpiId::ClusterErrorRatio, "cluster.error_ratio", KpiSource::Cluster, KpiUnit::Ratio, "5xx", false},
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

QString compact(double value, int precision = 3)
{
    return QString::number(value, 'g', precision);
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

QString kpiSourceName(KpiSource source)
{
    switch (source) {
    case KpiSource::Gateway:
        return QStringLiteral("gateway");
    case KpiSource::Was:
        return QStringLiteral("was");
    case KpiSource::Redis:
        return QStringLiteral("redis");
    case KpiSource::Kafka:
        return QStringLiteral("kafka");
    case KpiSource::Db:
        return QStringLiteral("db");
    case KpiSource::Cluster:
        return QStringLiteral("cluster");
    }
    return QStringLiteral("other");
}

QString kpiUnitSuffix(KpiUnit unit)
{
    switch (unit) {
    case KpiUnit::PerSecond:
        return QStringLiteral("/s");
    case KpiUnit::Seconds:
        return QStringLiteral("s");
    case KpiUnit::Ratio:
        return QStringLiteral("%");
    case KpiUnit::Bytes:
        return QStringLiteral("B");
    case KpiUnit::Count:
    case KpiUnit::State:
    case KpiUnit::Boolean:
        break;
    }
    return {};
}

QString formatKpiValue(KpiId id, double value)
{
    if (std::isnan(value))
        return QStringLiteral("-");
    switch (kpiInfo(id).unit) {
    case KpiUnit::PerSecond:
        return QString::number(value, 'f', value < 10 ? 2 : 1) + QStringLiteral("/s");
    case KpiUnit::Seconds:
        if (std::isinf(value))
            return value > 0 ? QStringLiteral("+Inf") : QStringLiteral("-Inf");
        if (std::abs(value) < 1)
            return compact(value * 1000) + QStringLiteral("ms");
        return compact(value) + QStringLiteral("s");
    case KpiUnit::Ratio:
        return QString::number(value * 100, 'f', 2) + QStringLiteral("%");
    case KpiUnit::Bytes: {
        static const char *const suffixes[] = {"B", "KiB", "MiB", "GiB", "TiB"};
        int i = 0;
        while (std::abs(value) >= 1024 && i < 4) {
            value /= 1024;
            ++i;
        }
        return compact(value) + QLatin1String(suffixes[i]);
    }
    case KpiUnit::State:
        return gatewayServerStateName(value);
    case KpiUnit::Boolean:
        return value != 0 ? QStringLiteral("yes") : QStringLiteral("no");
    case KpiUnit::Count:
        break;
    }
    return QString::number(value, 'g', 10);
}

QString gatewayServerStateName(double value)
{
    if (std::isnan(value))
        return QStringLiteral("?");
    switch (int(value)) {
    case int(GatewayServerState::Down):
        return QStringLiteral("DOWN");
    case int(GatewayServerState::Up):
        return QStringLiteral("UP");
    case int(GatewayServerState::Maint):
        return QStringLiteral("MAINT");
    case int(GatewayServerState::Drain):
        return QStringLiteral("DRAIN");
    case int(GatewayServerState::Nolb):
        return QStringLiteral("NOLB");
    default:
        break;
    }
    return QStringLiteral("?");
}

std::optional<GatewayServerState> gatewayServerStateFromLabel(QStringView label)
{
    if (label == QLatin1String("UP"))
        return GatewayServerState::Up;
    if (label == QLatin1String("DOWN"))
        return GatewayServerState::Down;
    if (label == QLatin1String("MAINT"))
        return GatewayServerState::Maint;
    if (label == QLatin1String("DRAIN"))
        return GatewayServerState::Drain;
    if (label == QLatin1String("NOLB"))
        return GatewayServerState::Nolb;
    return std::nullopt;
}

QString KpiKey::toString() const
{
    QString text = target + QLatin1Char('/') + kpi;
    if (!instance.isEmpty())
        text += QLatin1Char('/') + instance;
    return text;
}

} // namespace clusterdeck
