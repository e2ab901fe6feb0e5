#pragma once

// The metric and label names the KPIs are computed from: the defaults of ARCHITECTURE.md §4, overridable per
// cluster with `metric_names:` in the cluster YAML (Cluster::metricNames). Shared by the direct-scrape engine
// and the Prometheus-API mode so both read the same series.
//
// Keys [default]. A "family" key names a histogram's base name; _bucket/_count/_sum/_max are appended.
//   was.requests              [http_server_requests_seconds]   Micrometer histogram family (+ _max gauge)
//   was.uri_label             [uri]
//   was.status_label          [status]           5xx = a value of 3 characters starting with '5'
//   was.excluded_uri_prefix   [/actuator]        uri=~"<prefix>.*" is left out of TPS, latency and errors;
//                                                empty = exclude nothing
//   was.pool_active           [hikaricp_connections_active]
//   was.pool_pending          [hikaricp_connections_pending]
//   was.pool_timeouts         [hikaricp_connections_timeout_total]   counter
//   haproxy.responses         [haproxy_server_http_responses_total]  counter per proxy, server, code
//   haproxy.response_time     [haproxy_server_response_time_average_seconds]
//   haproxy.backend_response_time [haproxy_backend_response_time_average_seconds]  the instance "" value
//   haproxy.sessions          [haproxy_server_current_sessions]
//   haproxy.queue             [haproxy_server_current_queue]
//   haproxy.status            [haproxy_server_status]  1 for the current state label
//   haproxy.proxy_label       [proxy]
//   haproxy.server_label      [server]
//   haproxy.code_label        [code]
//   haproxy.state_label       [state]
//   caddy.requests            [caddy_http_request_duration_seconds]  histogram family (_count, _sum used)
//   caddy.code_label          [code]
//   caddy.handler_label       [handler]
//   caddy.handler             [reverse_proxy]    only this handler counts (Caddy's own metrics site is
//                                                another handler); empty = every handler
//   caddy.upstreams_healthy   [caddy_reverse_proxy_upstreams_healthy]
//   caddy.upstream_label      [upstream]
//   redis.commands            [redis_commands_processed_total]
//   redis.memory              [redis_memory_used_bytes]
//   redis.clients             [redis_connected_clients]
//   redis.hits                [redis_keyspace_hits_total]
//   redis.misses              [redis_keyspace_misses_total]
//   redis.up                  [redis_up]
//   kafka.lag                 [kafka_consumergroup_lag]   per partition; negative values (no offset) ignored
//   kafka.offset              [kafka_consumergroup_current_offset]  per partition, for the consume rate
//   kafka.group_label         [consumergroup]
//   db.queries                [mysql_global_status_queries]    untyped: read as a counter by name
//   db.threads_connected      [mysql_global_status_threads_connected]
//   db.threads_running        [mysql_global_status_threads_running]
//   db.slow_queries           [mysql_global_status_slow_queries]  untyped: read as a counter
//   db.up                     [mysql_up]
// Besides these shared keys, a catalogue row may name a metric of its own (KpiCompute::ownKey/ownDefault,
// e.g. redis.evicted [redis_evicted_keys_total]); its key is overridable the same way.

#include "common/result.h"

#include <QMap>
#include <QString>
#include <QStringList>
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace clusterdeck {

enum class MetricKey : int {
    WasRequests,
    WasUriLabel,
    WasStatusLabel,
    WasExcludedUriPrefix,
    WasPoolActive,
    WasPoolPending,
    WasPoolTimeouts,
    HaproxyResponses,
    HaproxyResponseTime,
    HaproxyBackendResponseTime,
    HaproxySessions,
    HaproxyQueue,
    HaproxyStatus,
    HaproxyProxyLabel,
    HaproxyServerLabel,
    HaproxyCodeLabel,
    HaproxyStateLabel,
    CaddyRequests,
    CaddyCodeLabel,
    CaddyHandlerLabel,
    CaddyHandler,
    CaddyUpstreamsHealthy,
    CaddyUpstreamLabel,
    RedisCommands,
    RedisMemory,
    RedisClients,
    RedisHits,
    RedisMisses,
    RedisUp,
    KafkaLag,
    KafkaOffset,
    KafkaGroupLabel,
    DbQueries,
    DbThreadsConnected,
    DbThreadsRunning,
    DbSlowQueries,
    DbUp,
};
inline constexpr int kMetricKeyCount = int(MetricKey::DbUp) + 1;

// Resolved names for one cluster; UTF-8 std::strings, so the engine compares them with page string_views.
class KpiMapping {
public:
    KpiMapping(); // the defaults

    // Defaults with `overrides` (key → name) applied. Unknown keys and empty names (except for keys where
    // empty means "no filter") are errors naming the key, so a typo in the YAML does not silently fall back
    // to a default.
    static Result<KpiMapping> fromOverrides(const QMap<QString, QString> &overrides);

    const std::string &name(MetricKey key) const { return m_names[std::size_t(key)]; }
    // The name of a catalogue row's own metric (KpiCompute::ownKey); empty for an unknown key.
    const std::string &ownName(std::string_view key) const;
    QString qname(MetricKey key) const { return QString::fromStdString(name(key)); }
    void set(MetricKey key, std::string value) { m_names[std::size_t(key)] = std::move(value); }

    static const char *keyName(MetricKey key);     // "was.requests"
    static const char *defaultName(MetricKey key); // "http_server_requests_seconds"
    static std::optional<MetricKey> keyFromName(QStringView key);
    static QStringList keyNames(); // the shared keys, then the catalogue rows' own keys

private:
    std::array<std::string, kMetricKeyCount> m_names;
    std::vector<std::pair<std::string, std::string>> m_own; // own key -> name, from the catalogue
};

} // namespace clusterdeck
