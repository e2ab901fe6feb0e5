#pragma once

#include "metrics/kpi.h"

#include <QList>
#include <QString>
#include <optional>

namespace clusterdeck {

struct Cluster;

enum class AlertSeverity : std::uint8_t { Warning, Critical };
// "warning", "critical"
QString alertSeverityName(AlertSeverity severity);

// What an alert rule looks at.
enum class AlertSubject : std::uint8_t {
    TargetDown,  // a target's reachability (TargetStatus), every node and gateway
    Kpi,         // the KPI `kpi` of every target that reports it, against `threshold`
    ConsumerLag, // the Burrow-style lag status of each consumer group: fires on STALLED or STOPPED
};

// One alert rule as it applies to a cluster: the default with the inventory's `alerts:` on top.
struct AlertRule {
    QString name; // one of alertRuleNames() (cluster/cluster.h)
    QString summary;
    AlertSubject subject = AlertSubject::Kpi;
    std::optional<KpiId> kpi;
    KpiThreshold threshold; // Kpi rules; a NaN value never breaches it
    qint64 forMs = 0;       // how long the condition holds before the alert fires
    AlertSeverity severity = AlertSeverity::Warning;
    bool enabled = true;
};

// The default `for` of every rule: two or more scrape intervals at the default 5 s, so one bad round (a
// spike, one lost scrape) pages nobody.
inline constexpr qint64 kDefaultDownForMs = 15'000;
inline constexpr qint64 kDefaultKpiForMs = 30'000;

// Every rule for `cluster`, in alertRuleNames() order, disabled ones included (enabled = false). Thresholds
// come from the KPI catalogue (thresholdFor(): default or the inventory's `thresholds:`), then `alerts:`.
QList<AlertRule> alertRulesFor(const Cluster &cluster);

} // namespace clusterdeck
