#include "metrics/kpi_mapping.h"

#include "metrics/kpi.h"

#include <algorithm>

namespace clusterdeck {

namespace {

struct KeyDef {
    MetricKey key;
    const char *name;
    const char *defaultName;
    bool mayBeEmpty; // empty disables a filter
};

constexpr std::array<KeyDef, kMetricKeyCount> kKeys{{
    {MetricKey::WasRequests, "was.requests", "http_server_requests_seconds", false},
    {MetricKey::WasUriLabel, "was.uri_label", "uri", false},
    {MetricKey::WasStatusLabel, "was.status_label", "status", false},
    {MetricKey::WasExcludedUriPrefix, "was.excluded_uri_prefix", "/actuator", true},
    {MetricKey::WasPoolActive, "was.pool_active", "hikaricp_connections_active", false},
    {MetricKey::WasPoolPending, "was.pool_pending", "hikaricp_connections_pending", false},
    {MetricKey::WasPoolTimeouts, "was.pool_timeouts", "hikaricp_connections_timeout_total", false},
    {MetricKey::HaproxyResponses, "haproxy.responses", "haproxy_server_http_responses_total", false},
    {MetricKey::HaproxyResponseTime, "haproxy.response_time", "haproxy_server_response_time_average_seconds",
     false},
    {MetricKey::HaproxyBackendResponseTime, "haproxy.backend_response_time",
     "haproxy_backend_response_time_average_seconds", false},
    {MetricKey::HaproxySessions, "haproxy.sessions", "haproxy_server_current_sessions", false},
    {MetricKey::HaproxyQueue, "haproxy.queue", "haproxy_server_current_queue", false},
    {MetricKey::HaproxyStatus, "haproxy.status", "haproxy_server_status", false},
    {MetricKey::HaproxyProxyLabel, "haproxy.proxy_label", "proxy", false},
    {MetricKey::HaproxyServerLabel, "haproxy.server_label", "server", false},
    {MetricKey::HaproxyCodeLabel, "haproxy.code_label", "code", false},
    {MetricKey::HaproxyStateLabel, "haproxy.state_label", "state", false},
    {MetricKey::CaddyRequests, "caddy.requests", "caddy_http_request_duration_seconds", false},
    {MetricKey::CaddyCodeLabel, "caddy.code_label", "code", false},
    {MetricKey::CaddyHandlerLabel, "caddy.handler_label", "handler", false},
    {MetricKey::CaddyHandler, "caddy.handler", "reverse_proxy", true},
    {MetricKey::CaddyUpstreamsHealthy, "caddy.upstreams_healthy", "caddy_reverse_proxy_upstreams_healthy",
     false},
    {MetricKey::CaddyUpstreamLabel, "caddy.upstream_label", "upstream", false},
    {MetricKey::RedisCommands, "redis.commands", "redis_commands_processed_total", false},
    {MetricKey::RedisMemory, "redis.memory", "redis_memory_used_bytes", false},
    {MetricKey::RedisClients, "redis.clients", "redis_connected_clients", false},
    {MetricKey::RedisHits, "redis.hits", "redis_keyspace_hits_total", false},
    {MetricKey::RedisMisses, "redis.misses", "redis_keyspace_misses_total", false},
    {MetricKey::RedisUp, "redis.up", "redis_up", false},
    {MetricKey::KafkaLag, "kafka.lag", "kafka_consumergroup_lag", false},
    {MetricKey::KafkaOffset, "kafka.offset", "kafka_consumergroup_current_offset", false},
    {MetricKey::KafkaGroupLabel, "kafka.group_label", "consumergroup", false},
    {MetricKey::DbQueries, "db.queries", "mysql_global_status_queries", false},
    {MetricKey::DbThreadsConnected, "db.threads_connected", "mysql_global_status_threads_connected", false},
    {MetricKey::DbThreadsRunning, "db.threads_running", "mysql_global_status_threads_running", false},
    {MetricKey::DbSlowQueries, "db.slow_queries", "mysql_global_status_slow_queries", false},
    {MetricKey::DbUp, "db.up", "mysql_up", false},
}};

constexpr bool keysInOrder()
{
    for (int i = 0; i < kMetricKeyCount; ++i) {
        if (int(kKeys[std::size_t(i)].key) != i)
            return false;
    }
    return true;
}
static_assert(keysInOrder(), "kKeys must list the keys in MetricKey order");

// The metrics catalogue rows name for themselves (KpiCompute::ownKey), each once.
std::vector<const KpiCompute *> ownMetrics()
{
    std::vector<const KpiCompute *> result;
    for (const KpiInfo &info : kpiCatalog()) {
        for (const KpiCompute *c : {&info.compute, &info.caddy}) {
            if (!c->ownKey)
                continue;
            bool known = false;
            for (const KpiCompute *seen : result)
                known = known || std::string_view(seen->ownKey) == c->ownKey;
            if (!known)
                result.push_back(c);
        }
    }
    return result;
}

// A Prometheus metric or label name: both the engine's page lookups and the PromQL built from it need one,
// and a name that is not one would break every PromQL query it is batched with.
bool isPrometheusName(const QString &name)
{
    if (name.isEmpty())
        return false;
    for (qsizetype i = 0; i < name.size(); ++i) {
        const QChar c = name[i];
        const bool letter = (c >= QLatin1Char('a') && c <= QLatin1Char('z')) ||
                            (c >= QLatin1Char('A') && c <= QLatin1Char('Z')) || c == QLatin1Char('_') ||
                            c == QLatin1Char(':');
        if (!letter && !(i > 0 && c >= QLatin1Char('0') && c <= QLatin1Char('9')))
            return false;
    }
    return true;
}

} // namespace

KpiMapping::KpiMapping()
{
    for (const KeyDef &def : kKeys)
        m_names[std::size_t(def.key)] = def.defaultName;
    for (const KpiCompute *c : ownMetrics())
        m_own.emplace_back(c->ownKey, c->ownDefault);
}

const std::string &KpiMapping::ownName(std::string_view key) const
{
    static const std::string none;
    for (const auto &[own, name] : m_own) {
        if (own == key)
            return name;
    }
    return none;
}

Result<KpiMapping> KpiMapping::fromOverrides(const QMap<QString, QString> &overrides)
{
    KpiMapping mapping;
    QStringList problems;
    for (auto it = overrides.begin(); it != overrides.end(); ++it) {
        const QString value = it.value().trimmed();
        const std::optional<MetricKey> key = keyFromName(it.key());
        if (!key) {
            const std::string ownKey = it.key().toStdString();
            auto own = std::find_if(mapping.m_own.begin(), mapping.m_own.end(),
                                    [&](const auto &entry) { return entry.first == ownKey; });
            if (own == mapping.m_own.end())
                problems << QStringLiteral("unknown key '%1'").arg(it.key());
            else if (!isPrometheusName(value))
                problems << QStringLiteral("'%1' must name a metric or label").arg(it.key());
            else
                own->second = value.toStdString();
            continue;
        }
        // The keys that may be empty are label values (a URI prefix, a handler), anything goes; the others
        // name a metric or a label.
        if (!kKeys[std::size_t(*key)].mayBeEmpty && !isPrometheusName(value)) {
            problems << QStringLiteral("'%1' must name a metric or label, not '%2'").arg(it.key(), value);
            continue;
        }
        mapping.set(*key, value.toStdString());
    }
    if (!problems.isEmpty()) {
        return Error{QStringLiteral("metric_names: %1 (known keys: %2)")
                         .arg(problems.join(QStringLiteral("; ")), keyNames().join(QStringLiteral(", "))),
                     QString()};
    }
    return mapping;
}

const char *KpiMapping::keyName(MetricKey key)
{
    return kKeys[std::size_t(key)].name;
}
const char *KpiMapping::defaultName(MetricKey key)
{
    return kKeys[std::size_t(key)].defaultName;
}

std::optional<MetricKey> KpiMapping::keyFromName(QStringView key)
{
    for (const KeyDef &def : kKeys) {
        if (key == QLatin1String(def.name))
            return def.key;
    }
    return std::nullopt;
}

QStringList KpiMapping::keyNames()
{
    QStringList names;
    for (const KeyDef &def : kKeys)
        names << QLatin1String(def.name);
    for (const KpiCompute *c : ownMetrics())
        names << QLatin1String(c->ownKey);
    return names;
}

} // namespace clusterdeck
