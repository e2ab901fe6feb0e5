#pragma once

// The KPI vocabulary shared by both metric sources (direct scrape: KpiEngine; Prometheus API: PromQL) and by
// every consumer (live series store, charts, history, alerts, clusterdeckctl status). Value types only; they
// cross threads.
//
// A KPI series is identified by KpiKey{target, kpi, instance}:
//   target   the node or gateway name from the inventory, or clusterTarget() ("@cluster") for cluster-wide
//            KPIs: a pseudo-target rather than the cluster's name, so it never collides with a node that is
//            named like the cluster ('@' is not used in node names by convention);
//   kpi      a catalogue id such as "was.tps" (see kpiCatalog() below, rows in kpi_catalog.cpp);
//   instance the sub-series: the upstream server for per-upstream gateway KPIs ("" = the gateway's total),
//            the consumer group for kafka.consumer_lag / kafka.consume_rate, empty otherwise.
// A KpiPoint's value NaN is a gap: the target failed that round, or the KPI has no defined value (a latency
// quantile over a window without requests, an error ratio without traffic).

#include "metrics/kpi_mapping.h"

#include <QAnyStringView>
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

// Who a KPI is about; gateway KPIs may be computed differently (or not at all) per gateway kind
// (KpiInfo::caddy).
enum class KpiSource : std::uint8_t { Gateway, Was, Redis, Kafka, Db, Cluster };

enum class KpiUnit : std::uint8_t {
    PerSecond, // events per second, from a counter rate
    Seconds,
    Ratio, // 0..1
    Count, // a gauge of things (connections, sessions, messages)
    Bytes,
    State,   // an enumeration encoded as a number (see GatewayServerState)
    Boolean, // 1 = yes/up, 0 = no/down
};

// Every KPI the catalogue knows, for code that names one KPI. The string id (KpiInfo::name) is what
// KpiKey::kpi holds and what the history store keeps. Append new ids at the end (ids persist); the row
// itself, with everything else about the KPI, is in kpi_catalog.cpp.
enum class KpiId : std::uint8_t {
    WasTps,
    WasLatencyP50,
    WasLatencyP95,
    WasLatencyP99,
    WasLatencyAvg,
    WasLatencyMax,
    WasErrorRatio,
    WasDbPoolActive,
    WasDbPoolPending,
    WasDbPoolTimeoutsRate,
    GatewayTps,
    GatewayErrorRatio,
    GatewayResponseTimeAvg,
    GatewaySessions,
    GatewayQueue,
    GatewayServerState,
    GatewayUpstreamHealthy,
    RedisOpsRate,
    RedisMemoryBytes,
    RedisClients,
    RedisHitRatio,
    RedisUp,
    KafkaConsumerLag,
    KafkaConsumeRate,
    DbQps,
    DbThreadsConnected,
    DbThreadsRunning,
    DbSlowQueriesRate,
    DbUp,
    ClusterTps,
    ClusterErrorRatio,
    RedisEvictedRate,
    KafkaConsumerOffset,
    KafkaConsumerMembers,
};
inline constexpr int kKpiIdCount = int(KpiId::KafkaConsumerMembers) + 1;

// How a KPI is computed from one target's scraped page. The direct engine (kpi_engine.cpp) interprets these
// shapes and the PromQL plan (promql_kpis.cpp) derives its query from the same fields, so a KPI of a known
// shape is one catalogue row. Rates are increase / seconds between two scrapes (rate() in PromQL).
enum class KpiShape : std::uint8_t {
    None,               // not reported (a gateway KPI the other gateway kind has no metric for)
    GaugeSum,           // sum of the samples of `metric`; absent when the page has none
    GaugeMax,           // max of the samples of `metric`
    CounterRate,        // sum of the increases of the `metric` series / seconds
    RateShare,          // rate(`metric`) / (rate(`metric`) + rate(`other`)): a hit ratio; NaN without events
    RequestRate,        // rate of the request histogram `metric`_count
    RequestErrorRatio,  // share of that rate whose `label` (status or code) is 5xx; NaN without requests
    RequestAverage,     // rate(`metric`_sum) / rate(`metric`_count); NaN without requests
    RequestQuantile,    // histogram_quantile(`quantile`) over the `metric`_bucket rates; NaN without requests
    GaugeSumByLabel,    // per value of `label` (KpiKey::instance): sum of its samples
    GaugeMaxByLabel,    // per value of `label`: max of its samples
    CounterRateByLabel, // per value of `label`: rate
    UpstreamRate,       // HAProxy, per upstream server (instance) and in total (""): rate of `metric`
    UpstreamErrorRatio, // per server and total: share of `metric` whose `label` is 5xx
    UpstreamGauge,      // per server; the total is their sum, or the backend's own gauge `other` when set
    UpstreamState,      // per server: the `label` of the `metric` sample that is 1, as GatewayServerState
    ClusterSum,         // @cluster: sum of KPI `of` over the targets that gave it this round
    ClusterRatio,       // @cluster: sum(`of` x `weight`) / sum(`weight`): ratio `of` over all the traffic
};

// Which samples of the metric count.
enum class KpiSelect : std::uint8_t {
    All,
    LabelNotPrefix, // `selectLabel` does not start with the value of `selectValue` (empty value: all count)
    LabelEquals,    // `selectLabel` equals the value of `selectValue` (empty value: all count)
};

namespace KpiFlag {
inline constexpr std::uint8_t None = 0;
// A counter series that first appears counts from 0 (it is born with its first event).
inline constexpr std::uint8_t NewSeriesFromZero = 1;
// Negative samples mean "unknown" (kafka's -1 offsets): ignored.
inline constexpr std::uint8_t NonNegative = 2;
} // namespace KpiFlag

struct KpiCompute {
    KpiShape shape = KpiShape::None;
    MetricKey metric = MetricKey::WasRequests; // the series, or a request histogram's family
    const char *suffix = "";                   // appended to the metric's name ("_max")
    std::optional<MetricKey> label;            // 5xx label; the instance label of *ByLabel; state label
    std::optional<MetricKey> other;            // RateShare's second counter; UpstreamGauge's backend gauge
    KpiSelect select = KpiSelect::All;
    MetricKey selectLabel = MetricKey::WasUriLabel;
    MetricKey selectValue = MetricKey::WasExcludedUriPrefix;
    double quantile = 0; // RequestQuantile
    std::uint8_t flags = KpiFlag::None;
    KpiId of = KpiId::WasTps;    // Cluster*, UpstreamErrorRatio's total: the KPI combined
    std::optional<KpiId> weight; // ClusterRatio, UpstreamErrorRatio: the rate weighting it
    // A metric only this row reads: its metric_names key and default name, used instead of `metric`.
    const char *ownKey = nullptr;
    const char *ownDefault = nullptr;

    constexpr bool has(std::uint8_t flag) const { return (flags & flag) != 0; }
};

// A default limit: the KPI is bad when its value is above (or below) `value`. NaN never breaches.
struct KpiThreshold {
    enum class Direction : std::uint8_t { None, Above, Below };
    Direction direction = Direction::None;
    double value = 0;

    constexpr bool isSet() const { return direction != Direction::None; }
    bool breachedBy(double v) const
    {
        return (direction == Direction::Above && v > value) || (direction == Direction::Below && v < value);
    }
};

struct Thresholds; // cluster/cluster.h: the inventory's `thresholds:`

// One row of the KPI catalogue: everything about one KPI.
struct KpiInfo {
    KpiId id;
    const char *name; // "was.tps": persisted, never renamed
    KpiSource source;
    KpiUnit unit;
    const char *label;       // short, for tables and chart titles: "TPS", "p95"
    bool perInstance;        // the KPI has sub-series (gateway upstreams, consumer groups)
    const char *description; // one line for the docs and `clusterdeckctl kpis`
    KpiCompute compute;      // gateway rows: HAProxy's computation
    KpiCompute caddy;        // gateway rows: Caddy's (shape None: Caddy has no such KPI)
    KpiThreshold threshold;  // the default; `thresholdOverride` names the inventory field that replaces it
    std::optional<double> Thresholds::*thresholdOverride;
};

// The catalogue, indexed by KpiId (kpi_catalog.cpp).
const std::array<KpiInfo, kKpiIdCount> &kpiCatalog();
inline const KpiInfo &kpiInfo(KpiId id)
{
    return kpiCatalog()[std::size_t(id)];
}
// The id string of a KPI (shared QString, cheap to copy).
const QString &kpiName(KpiId id);
// Look up a KPI by its id string; std::nullopt for an unknown id.
std::optional<KpiId> kpiIdFromName(QStringView name);
const KpiInfo *findKpi(QStringView name);
// The computation for a target; `caddy` (the target is a Caddy gateway) only matters for gateway rows.
const KpiCompute &kpiCompute(const KpiInfo &info, bool caddy);

QString kpiSourceName(KpiSource source);
// The short label of a KPI ("p95").
QString kpiLabel(KpiId id);
// "/s", "s", "%", "B", or "" for display next to a value.
QString kpiUnitSuffix(KpiUnit unit);
// A value in its unit for people: "123.4/s", "12ms", "1.20%", "UP", "-" for NaN.
QString formatKpiValue(KpiId id, double value);

// Adds v to a sum that starts as NaN ("no value yet"); NaN values add nothing. Every sum over samples,
// upstreams and targets in both KPI sources goes through here, so a sum of nothing stays a gap rather than a
// misleading 0.
inline void addIgnoringNaN(double &total, double v)
{
    if (!std::isnan(v))
        total = std::isnan(total) ? v : total + v;
}

// The pseudo-target that carries cluster-wide KPIs.
inline QString clusterTarget()
{
    return QStringLiteral("@cluster");
}

// HAProxy server states as gateway.server_state values (haproxy_server_status{state=...} == 1).
enum class GatewayServerState : int { Down = 0, Up = 1, Maint = 2, Drain = 3, Nolb = 4 };
// "DOWN", "UP", "MAINT", "DRAIN", "NOLB"; "?" for NaN or an unknown number.
QString gatewayServerStateName(double value);
// The number for a state label of haproxy_server_status; std::nullopt for an unknown label. Both KPI sources
// read the label through here: the direct engine's UTF-8 view and PromQL's QString.
std::optional<GatewayServerState> gatewayServerStateFromLabel(QAnyStringView label);

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
