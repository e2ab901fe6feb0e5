#pragma once

// The KPI vocabulary shared by both metric sources (direct scrape: KpiEngine; Prometheus API: PromQL) and by
// every consumer (live series store, charts, history, alerts, clusterdeckctl status). Value types only; they
// cross threads.
//
// A KPI series is identified by KpiKey{target, kpi, instance}:
//   target   the node or gateway name from the inventory, or clusterTarget() ("@cluster") for cluster-wide
//            KPIs: a pseudo-target rather than the cluster's name, so it never collides with a node that is
//            named like the cluster ('@' is not used in node names by convention);
//   kpi      a catalog id such as "was.tps" (see KpiId below and kpiCatalog());
//   instance the sub-series: the upstream server for per-upstream gateway KPIs ("" = the gateway's total),
//            the consumer group for kafka.consumer_lag / kafka.consume_rate, empty otherwise.
// A KpiPoint's value NaN is a gap: the target failed that round, or the KPI has no defined value (a latency
// quantile over a window without requests, an error ratio without traffic).

#include <QHash>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringView>

#include <array>
#include <cmath>
#include <cstdint>
#include <optional>

namespace clusterdeck {

// Who a KPI is about; some gateway KPIs apply to one gateway kind only (see the KpiId comments).
enum class KpiSource : std::uint8_t { Gateway, Was, Redis, Kafka, Db, Cluster };

enum class KpiUnit : std::uint8_t {
    PerSecond, // events per second, from a counter rate
    Seconds,
    Ratio,     // 0..1
    Count,     // a gauge of things (connections, sessions, messages)
    Bytes,
    State,     // an enumeration encoded as a number (see GatewayServerState)
    Boolean,   // 1 = yes/up, 0 = no/down
};

// Every KPI the engine knows. The string id (KpiInfo::name) is what KpiKey::kpi holds and what the history
// store keeps; the enum is for code that switches over KPIs. Append new ids at the end (ids persist).
enum class KpiId : std::uint8_t {
    WasTps,              // was.tps: requests/s, uri=~"/actuator.*" excluded
    WasLatencyP50,       // was.latency_p50 (s), histogram_quantile over the bucket rates of two scrapes
    WasLatencyP95,       // was.latency_p95 (s)
    WasLatencyP99,       // was.latency_p99 (s)
    WasLatencyAvg,       // was.latency_avg (s), rate(_sum)/rate(_count)
    WasLatencyMax,       // was.latency_max (s), max of http_server_requests_seconds_max (Micrometer's max)
    WasErrorRatio,       // was.error_ratio: status=~"5.." share of the request rate
    WasDbPoolActive,     // was.db_pool_active: hikaricp_connections_active
    WasDbPoolPending,    // was.db_pool_pending: hikaricp_connections_pending
    WasDbPoolTimeoutsRate, // was.db_pool_timeouts_rate: rate of hikaricp_connections_timeout_total
    GatewayTps,          // gateway.tps: per upstream server (instance = server); instance "" = the total
    GatewayErrorRatio,   // gateway.error_ratio: 5xx share, per upstream and total
    GatewayResponseTimeAvg, // gateway.response_time_avg (s): HAProxy's average of the last 1024 requests,
                            // not a percentile; Caddy: rate(_sum)/rate(_count) of its request histogram
    GatewaySessions,     // gateway.sessions: HAProxy current sessions per upstream (and total)
    GatewayQueue,        // gateway.queue: HAProxy current queue per upstream (and total)
    GatewayServerState,  // gateway.server_state: HAProxy state per upstream as GatewayServerState
    GatewayUpstreamHealthy, // gateway.upstream_healthy: Caddy, per upstream, 1 healthy / 0 not
    RedisOpsRate,        // redis.ops_rate: rate of redis_commands_processed_total
    RedisMemoryBytes,    // redis.memory_bytes
    RedisClients,        // redis.clients
    RedisHitRatio,       // redis.hit_ratio: rate(hits)/(rate(hits)+rate(misses))
    RedisUp,             // redis.up: redis_up (the exporter reached Redis)
    KafkaConsumerLag,    // kafka.consumer_lag: per group (instance), sum over partitions, -1 ignored
    KafkaConsumeRate,    // kafka.consume_rate: per group, rate of kafka_consumergroup_current_offset summed
    DbQps,               // db.qps: rate of mysql_global_status_queries
    DbThreadsConnected,  // db.threads_connected
    DbThreadsRunning,    // db.threads_running
    DbSlowQueriesRate,   // db.slow_queries_rate: rate of mysql_global_status_slow_queries
    DbUp,                // db.up: mysql_up
    ClusterTps,          // cluster.tps (target "@cluster"): sum of was.tps over the WAS nodes that answered
    ClusterErrorRatio,   // cluster.error_ratio ("@cluster"): sum of 5xx rates / sum of request rates (WAS)
};
inline constexpr int kKpiIdCount = int(KpiId::ClusterErrorRatio) + 1;

struct KpiInfo {
    KpiId id;
    const char *name;    // "was.tps"
    KpiSource source;
    KpiUnit unit;
    const char *label;   // short, for tables and chart titles: "TPS", "p95"
    bool perInstance;    // the KPI has sub-series (gateway upstreams, consumer groups)
};

// The catalog, indexed by KpiId.
const std::array<KpiInfo, kKpiIdCount> &kpiCatalog();
inline const KpiInfo &kpiInfo(KpiId id) { return kpiCatalog()[std::size_t(id)]; }
// The id string of a KPI (shared QString, cheap to copy).
const QString &kpiName(KpiId id);
// Look up a KPI by its id string; std::nullopt for an unknown id.
std::optional<KpiId> kpiIdFromName(QStringView name);
const KpiInfo *findKpi(QStringView name);

QString kpiSourceName(KpiSource source);
// "1/s", "s", "", "B", ... for display next to a value.
QString kpiUnitSuffix(KpiUnit unit);
// A value in its unit for people: "123.4/s", "12 ms", "1.2%", "UP", "—" for NaN.
QString formatKpiValue(KpiId id, double value);

// Adds v to a sum that starts as NaN ("no value yet"); NaN values add nothing. Both KPI sources sum gauges
// over upstreams this way, so a sum of nothing stays a gap rather than a misleading 0.
inline void addIgnoringNaN(double &total, double v)
{
    if (!std::isnan(v))
        total = std::isnan(total) ? v : total + v;
}

// The pseudo-target that carries cluster-wide KPIs.
inline QString clusterTarget() { return QStringLiteral("@cluster"); }

// HAProxy server states as gateway.server_state values (haproxy_server_status{state=...} == 1).
enum class GatewayServerState : int { Down = 0, Up = 1, Maint = 2, Drain = 3, Nolb = 4 };
// "DOWN", "UP", "MAINT", "DRAIN", "NOLB"; "?" for NaN or an unknown number.
QString gatewayServerStateName(double value);
// The number for a state label of haproxy_server_status; std::nullopt for an unknown label.
std::optional<GatewayServerState> gatewayServerStateFromLabel(QStringView label);

struct KpiKey {
    QString target;
    QString kpi;
    QString instance;

    friend bool operator==(const KpiKey &a, const KpiKey &b)
    {
        return a.kpi == b.kpi && a.target == b.target && a.instance == b.instance;
    }
    friend bool operator!=(const KpiKey &a, const KpiKey &b) { return !(a == b); }
    friend bool operator<(const KpiKey &a, const KpiKey &b)
    {
        if (const int c = a.target.compare(b.target))
            return c < 0;
        if (const int c = a.kpi.compare(b.kpi))
            return c < 0;
        return a.instance < b.instance;
    }
    // "was1/was.tps" or "haproxy/gateway.tps/was1" for logs and CLI output.
    QString toString() const;
};

inline size_t qHash(const KpiKey &key, size_t seed = 0) noexcept
{
    return qHashMulti(seed, key.target, key.kpi, key.instance);
}

struct KpiPoint {
    KpiKey key;
    qint64 timestampMs = 0; // epoch ms of the scrape (the later of the two scrapes for a rate)
    double value = 0;       // NaN = gap
};

using KpiPoints = QList<KpiPoint>;

} // namespace clusterdeck

Q_DECLARE_METATYPE(clusterdeck::KpiKey)
Q_DECLARE_METATYPE(clusterdeck::KpiPoint)
