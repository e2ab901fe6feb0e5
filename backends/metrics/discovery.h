#pragma once

// Builds a cluster inventory from a Prometheus server's active targets (/api/v1/targets): each scrape job is
// mapped to a role, each target becomes a gateway or a node whose metrics URL is the target's scrape URL. The
// result is written in the inventory YAML format (resources/clusters/*.yaml) for `clusterdeckctl discover`.

#include "cluster/cluster.h"
#include "common/result.h"
#include "metrics/prometheus_client.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <optional>

namespace clusterdeck {

// What a scrape job becomes in the inventory.
enum class DiscoveredRole { HAProxyGateway, CaddyGateway, Was, Redis, Kafka, Db, Other, Ignore };

// "haproxy", "caddy", "was", "redis", "kafka", "db", "other", "ignore".
QString discoveredRoleName(DiscoveredRole role);
std::optional<DiscoveredRole> discoveredRoleFromName(const QString &name);

// One user mapping: jobs whose name matches `pattern` (a glob such as "spring-*", whole name,
// case-insensitive).
struct JobRoleRule {
    QString pattern;
    DiscoveredRole role = DiscoveredRole::Other;

    bool matches(const QString &job) const;
};

// Parses "JOB=ROLE" as given to --job-role; the error says what is wrong and lists the roles.
Result<JobRoleRule> parseJobRoleRule(const QString &text);

// The built-in mapping: haproxy / caddy → gateways of that kind; redis; kafka; mysql|mariadb → db;
// was|spring|api|app → was; db → db; everything else → other. Substrings, case-insensitive, product names
// first (so "redis-app" is redis, not was).
DiscoveredRole defaultRoleForJob(const QString &job);

struct DiscoveryOptions {
    QList<JobRoleRule> rules; // tried in order before the defaults
    QString clusterName;      // empty: derived from the Prometheus host
    QString nameLabel;        // take node names from this target label when a target has it (e.g. "node")
};

// Summary of one target's fate, for the CLI's report and the YAML comments.
struct DiscoveredTarget {
    QString job;
    QString instance;
    QString name; // gateway / node name given; empty when ignored
    DiscoveredRole role = DiscoveredRole::Other;
    QString health;
    QString lastError;
};

struct DiscoveryResult {
    Cluster cluster;
    QList<DiscoveredTarget> targets;
    QStringList notes; // things the operator should check (guessed upstreams, down targets, ...)
};

// Maps targets to an inventory. Fails only when nothing is left to watch (no targets, or all ignored).
Result<DiscoveryResult> discoverInventory(const QList<PromTarget> &targets, const QUrl &prometheusUrl,
                                          const DiscoveryOptions &options);

// The inventory as YAML that InventoryLoader reads back to the same cluster (for the keys discovery fills
// in).
QByteArray discoveryToYaml(const DiscoveryResult &result);

} // namespace clusterdeck
