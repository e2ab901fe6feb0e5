#pragma once

// Prometheus mode: the KPI catalog (kpi.h) as PromQL, evaluated by a Prometheus-compatible server, giving the
// same KpiPoints as the direct-scrape KpiEngine (same targets, KPI ids, instances and conventions).
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
};

// "1m", "30s", "1500ms": a PromQL duration for a number of milliseconds.
QString promDuration(int ms);
// A PromQL double-quoted string literal for `text` (backslashes and quotes escaped).
QString promString(const QString &text);
// `text` with RE2 metacharacters escaped, for use inside =~ / !~ matchers.
QString promRegexEscape(const QString &text);

// The queries for one cluster and how their answers become KPI points. Pure: no network, safe to copy.
class PromKpiPlan {
public:
    struct Query {
        QString name; // stable id for logs and tests: "was.requests", "haproxy[lb1].state", "up"
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
    enum class Kind {
        WasRequests,
        WasErrors,
        WasSeconds,
        WasP50,
        WasP95,
        WasP99,
        WasMax,
        WasPoolActive,
        WasPoolPending,
        WasPoolTimeouts,
        HaRequests,
        HaErrors,
        HaResponseTime,
        HaBackendResponseTime,
        HaSessions,
        HaQueue,
        HaState,
        CaddyRequests,
        CaddyErrors,
        CaddySeconds,
        CaddyHealthy,
        RedisOps,
        RedisMemory,
        RedisClients,
        RedisHits,
        RedisMisses,
        RedisUp,
        KafkaLag,
        KafkaRate,
        DbQueries,
        DbConnected,
        DbRunning,
        DbSlow,
        DbUp,
        Up,
    };
    // Targets queried together: every WAS node, every Caddy gateway, ... and one group per HAProxy gateway
    // (each has its own backend).
    struct Group {
        QStringList targets;
        QString backend; // HAProxy: proxy label value; empty = every backend ("proxy/server" instances)
        QString instanceMatcher; // instance=~"a:1|b:2|name"
    };
    struct Spec {
        Kind kind;
        int group;
        QStringList subLabels; // label values joined by '/' give KpiKey::instance
    };
    void build(const Cluster &cluster);
    void add(Kind kind, int group, const QString &name, const QString &promql);
    QString selector(const QString &metric, int group, const QStringList &extra = {}) const;

    KpiMapping m_mapping;
    PromKpiOptions m_options;
    QList<Group> m_groups;
    QList<Spec> m_specs;
    QList<Query> m_queries;
    QHash<QString, QString> m_targetByInstance; // host:port of the metrics URL and the target name → target
    QStringList m_targetOrder;                  // gateways, then nodes, as in the inventory
    QSet<QString> m_haproxyTargets;
    QSet<QString> m_caddyTargets;
};

} // namespace clusterdeck
