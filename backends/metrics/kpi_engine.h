#pragma once

#include "cluster/cluster.h"
#include "common/result.h"
#include "metrics/kpi.h"
#include "metrics/kpi_mapping.h"

#include <QList>
#include <QString>
#include <memory>

namespace clusterdeck {

class MetricPage;

// What the engine needs to know about one scraped target.
struct KpiTarget {
    QString name;
    bool isGateway = false;
    NodeRole role = NodeRole::Other;                // when !isGateway
    GatewayKind gatewayKind = GatewayKind::HAProxy; // when isGateway
    QString backend; // HAProxy: the proxy label to report (Gateway::backend); empty = every backend, instance
                     // names become "proxy/server"

    static KpiTarget fromNode(const Node &node);
    static KpiTarget fromGateway(const Gateway &gateway);
};

// The direct-scrape KPI engine: turns successive MetricPages of each target into KpiPoints by interpreting
// the KPI catalogue's rows (kpi.h, kpi_catalog.cpp; the table in ARCHITECTURE.md §4) for the target's role.
// Parts several rows share (a request histogram's _count, _sum, _bucket; HAProxy's responses per upstream)
// are read once per scrape. Rates come from two successive successful scrapes of the same target; the first
// scrape of a target gives only its gauges. Not thread-safe: one engine per collector thread.
//
// A round is: ingest() or markFailed() for each target (any order, each at most once), then finishRound(),
// which adds the cluster-wide KPIs (target clusterTarget(); the catalogue's ClusterSum / ClusterRatio rows):
//   cluster.tps          sum of was.tps over the WAS nodes that gave a rate this round (a node that failed
//                        adds nothing); NaN when every WAS node failed; absent while no node has a rate yet;
//   cluster.error_ratio  sum of the WAS nodes' error ratio x TPS (their 5xx rates) / sum of their TPS; NaN
//                        without traffic.
//
// Conventions of the emitted values (shared with Prometheus mode):
//   - rates are increase / (t2 - t1) between the two scrapes, per series with reset handling, then summed;
//   - a request-counter series that was absent from the previous scrape counts from 0 (a first 5xx, a new
//     URI, a server added to a backend); Prometheus' rate() would drop its first sample;
//   - latency quantiles are histogram_quantile over the bucket increases summed over every non-excluded
//     series (Prometheus: histogram_quantile(q, sum by (le) (rate(..._bucket{uri!~"/actuator.*"}[..]))));
//   - a ratio with a zero denominator and a quantile without observations are NaN;
//   - markFailed() emits NaN for every series the target emitted last time, so charts show a gap.
class KpiEngine {
public:
    KpiEngine(const QList<KpiTarget> &targets, const KpiMapping &mapping = KpiMapping());
    KpiEngine(KpiEngine &&other) noexcept;
    KpiEngine &operator=(KpiEngine &&other) noexcept;
    ~KpiEngine();

    // Every node and gateway of the cluster, with its metric_names overrides; an error for a bad override.
    static Result<KpiEngine> forCluster(const Cluster &cluster);

    int targetCount() const;
    const KpiTarget &target(int index) const;
    int indexOf(const QString &targetName) const; // -1 when unknown
    const KpiMapping &mapping() const;

    // One successful scrape of target `index` taken at `timestampMs` (epoch ms); appends its points to `out`.
    void ingest(int index, const MetricPage &page, qint64 timestampMs, KpiPoints &out);
    // The scrape of target `index` failed this round: NaN gaps for its series. Its counter state is kept, so
    // the next successful scrape gives rates over the whole gap.
    void markFailed(int index, qint64 timestampMs, KpiPoints &out);
    // Ends the round: appends the cluster-wide KPIs.
    void finishRound(qint64 timestampMs, KpiPoints &out);

    // Forget every target's previous scrape (rates start over), e.g. after the inventory changed.
    void reset();

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace clusterdeck
