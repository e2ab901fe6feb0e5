#pragma once

#include "common/result.h"

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <optional>

namespace clusterdeck {

enum class NodeRole { Was, Redis, Kafka, Db, Other };

QString roleName(NodeRole role);
// Human label for grouping in the UI: "WAS nodes", "Redis", ... (English; the window translates it, context
// clusterdeck::RoleTitle)
QString roleTitle(NodeRole role);

enum class GatewayKind { HAProxy, Caddy };

QString gatewayKindName(GatewayKind kind);

// "user@host:port" as written in the inventory; port 22 when omitted.
struct SshTarget {
    QString user;
    QString host;
    int port = 22;
    QString identityFile;   // private key; empty = agent / default keys
    QString knownHostsFile; // empty = ~/.ssh/known_hosts

    bool isSet() const { return !host.isEmpty(); }
    QString toString() const;
};

struct Gateway {
    QString name;
    GatewayKind kind = GatewayKind::HAProxy;
    QUrl metricsUrl;
    SshTarget ssh;
    QString configPath;
    QString backend;         // HAProxy backend name / Caddy site address holding the reverse_proxy
    QString reloadCommand;   // run on the gateway host after a config change
    QString validateCommand; // "{config}" is replaced by the file to check
    QString adminSocket;     // HAProxy: unix socket path on the gateway host
    QUrl adminApi;           // Caddy: admin endpoint
    QUrl baseUrl;            // where clients reach the service through this gateway (optional)
};

struct Node {
    QString name;
    NodeRole role = NodeRole::Other;
    QUrl metricsUrl;
    QUrl healthUrl;
    QString upstream; // "host:port" as the gateway's config names this node
    SshTarget ssh;

    // Whether a gateway's upstream is this node: by address (its `upstream`), or by the server's name where
    // the gateway names it like the node (HAProxy's metrics carry the name only). The drain job and the
    // window's gateway state both match through here.
    bool isUpstream(const QString &server, const QString &address) const
    {
        return (!address.isEmpty() && address == upstream) || (!server.isEmpty() && server == name);
    }
};

// The inventory's `thresholds:`. A KPI limit left unset takes the KPI catalogue's default (metrics:
// thresholdFor()), so the defaults live in one place.
struct Thresholds {
    std::optional<double> latencyP95Seconds;
    std::optional<double> errorRatio;
    std::optional<double> consumerLag;
    int minHealthyUpstreams = 1;
};

// One entry of the inventory's `alerts:` (keyed by rule name, see alertRuleNames()): what replaces the rule's
// default. Unset fields keep the default (backends/alerts: AlertRule).
struct AlertOverride {
    std::optional<double> threshold; // in the KPI's unit: seconds for latency_p95, a ratio, a message count
    std::optional<int> forMs;        // how long the condition must hold before the alert fires
    std::optional<bool> enabled;
};

// The rule names `alerts:` accepts, in the order the alert engine lists its rules. The rules themselves live
// in backends/alerts; the names are here so the loader can check them.
const QStringList &alertRuleNames();
// Whether a rule compares a value with a threshold (false: the down rules and consumer_stalled, which only
// take `for` and `enabled`).
bool alertRuleHasThreshold(const QString &rule);

// Where KPIs come from: the console's own scrapes of every target, or PromQL against the cluster's
// Prometheus.
enum class MetricsSource { Direct, Prometheus };

struct Cluster;

// The `--source direct|prometheus` option of both programs for `cluster`: the source to use, or an error
// naming the option's problem (an unknown word; prometheus without the server's URL in the file).
Result<MetricsSource> metricsSourceFromOption(const QString &text, const Cluster &cluster);

// The whole inventory of one cluster as the operator described it.
struct Cluster {
    QString name;
    QString sourceFile;
    QUrl prometheusUrl;
    MetricsSource metricsSource = MetricsSource::Direct;
    int scrapeIntervalMs = 5000;
    int scrapeTimeoutMs = 4000;
    QList<Gateway> gateways;
    QList<Node> nodes;
    Thresholds thresholds;
    QString historyDb; // `history_db:` as written (relative to sourceFile's folder); empty = the default file
    bool recordRaw = true; // `record_raw:` every scraped sample goes into the history, not only KPIs
    // Metric / label name overrides: KPI mapping key -> name (see ARCHITECTURE.md §4).
    QMap<QString, QString> metricNames;
    // `alerts:` overrides per rule name.
    QMap<QString, AlertOverride> alertOverrides;

    const Node *findNode(const QString &name) const;
    const Gateway *findGateway(const QString &name) const;
};

} // namespace clusterdeck
