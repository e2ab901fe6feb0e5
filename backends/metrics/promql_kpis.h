#pragma once

// Prometheus mode: the KPI catalogue (kpi.h) as PromQL, evaluated by a Prometheus-compatible server, giving
// the same KpiPoints as the direct-scrape KpiEngine (same targets, KPI ids, instances and conventions).
//
// Each catalogue row's computation becomes one PromQL expression (kpiPromqlForm) over every target of its
// kind at once, aggregated `by (instance, ...)`; the cluster-wide rows are combined from the targets' values
// here. By default the rows of one kind of target are batched into one query (each tagged with a `kpi` label
// through label_replace and joined by `or`): the lab's inventories need 6 queries a poll instead of 31
// and 28. The price: a sub-query that fails fails its whole batch, so that kind of target shows no KPIs for
// that poll. A PromQL expression fails for a whole query anyway (timeout, server limits); names come from the
// validated mapping, so a single sub-query failing alone is not expected. `up` keeps its own query: it
// decides gaps for everything.
//
// Prometheus' `instance` label is mapped back to the inventory through each target's metrics URL (host:port,
// the default instance of a static target), or through the target's name when the server relabels instances
// to names. Metric and label names come from KpiMapping, so the cluster's `metric_names:` overrides apply
// here too.
//
// Differences from direct mode, by construction: rates are Prometheus' rate() over the rate window
// (extrapolated to the window's edges) instead of the increase between ClusterDeck's own two last scrapes; a
// series that appears for the first time is not counted from 0 (rate() needs two samples); a kafka consumer
// group whose partitions all lack a committed offset has no lag point at all rather than a NaN one.

#include "cluster/cluster.h"
#include "common/result.h"
#include "metrics/kpi.h"
#include "metrics/kpi_mapping.h"
#include "metrics/prometheus_client.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>
#include <QString>
#include <QStringList>
#include <optional>

namespace clusterdeck {

struct PromKpiOptions {
    // rate() window. Prometheus wants at least four of its scrape intervals in it; 1m suits 5–15 s scrapes.
    int rateWindowMs = 60000;
    // One query per kind of target (true) or one per KPI computation (false; each query a plain expression).
    bool batchByTargetKind = true;
};

// "1m", "30s", "1500ms": a PromQL duration for a number of milliseconds.
QString promDuration(int ms);
// A PromQL double-quoted string literal for `text` (backslashes and quotes escaped).
QString promString(const QString &text);
// `text` with RE2 metacharacters escaped, for use inside =~ / !~ matchers.
QString promRegexEscape(const QString &text);
// The PromQL of one catalogue computation over the series selected by `matchers` (e.g. the instance matcher),
// aggregated by instance (and proxy/server, or the row's label); empty for the cluster-wide shapes.
QString kpiPromqlForm(const KpiCompute &compute, const KpiMapping &mapping, const QStringList &matchers,
                      int rateWindowMs);

// The queries for one cluster and how their answers become KPI points. Pure: no network, safe to copy.
class PromKpiPlan {
public:
    struct Query {
        QString name; // stable id for logs and tests: a batch "was", "haproxy", ...; a KPI "was.tps",
                      // "gateway.tps/caddy"; "up"
        QString promql;
    };
    // What one evaluation gives besides the points: the targets Prometheus reports down (up == 0 or no `up`
    // at all), and the instances answers named that no inventory target matches (a hint that the mapping is
    // off).
    struct Outcome {
        KpiPoints points;
        QSet<QString> downTargets;
        QStringList unmatchedInstances;
    };

    PromKpiPlan(const Cluster &cluster, const KpiMapping &mapping, const PromKpiOptions &options = {});
    // With the cluster's metric_names overrides; an error names a bad override.
    static Result<PromKpiPlan> forCluster(const Cluster &cluster, const PromKpiOptions &options = {});

    const QList<Query> &queries() const { return m_queries; }
    // The inventory target (node or gateway name) a Prometheus instance label stands for, or empty.
    QString targetForInstance(const QString &instance) const;

    // One answer per query, in queries() order; std::nullopt for a query that failed (its KPIs are left out).
    // Instant answers give one frame; range answers one frame per step, each turned into points.
    Outcome evaluate(const QList<std::optional<PromQueryResult>> &answers) const;

private:
    // What a target is, as far as the catalogue's rows go.
    enum class Kind : std::uint8_t { Was, Haproxy, Caddy, Redis, Kafka, Db, Other };
    // One row's computation for one kind of target: a sub-query of query `query`.
    struct Part {
        const KpiInfo *info;
        const KpiCompute *compute;
        Kind kind;
        int query;
    };
    static std::optional<KpiSource> sourceOf(Kind kind);
    void build(const Cluster &cluster);
    // The sub-series key (KpiKey::instance) of a series of `part` for `target`; std::nullopt to skip it.
    std::optional<QString> subKey(const Part &part, const QString &target, const PromLabels &labels) const;

    KpiMapping m_mapping;
    PromKpiOptions m_options;
    QList<Part> m_parts;
    QList<Query> m_queries;
    QList<QList<int>> m_partsOfQuery;
    int m_upQuery = -1;
    QHash<QString, QString> m_targetByInstance; // host:port of the metrics URL and the target name → target
    QStringList m_targetOrder;                  // gateways, then nodes, as in the inventory
    QHash<QString, Kind> m_kindOf;
    QHash<QString, QString> m_backendOf; // HAProxy target → the proxy label it reports (empty: all)
};

} // namespace clusterdeck
