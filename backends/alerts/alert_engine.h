#pragma once

#include "alerts/alert_rule.h"
#include "alerts/lag_evaluator.h"
#include "metrics/kpi.h"
#include "metrics/target_status.h"

#include <QList>
#include <QMetaType>
#include <QString>
#include <map>
#include <tuple>

namespace clusterdeck {

struct Cluster;
struct CollectionRound;

enum class AlertState : std::uint8_t {
    Inactive, // condition false (or never seen)
    Pending,  // condition true, its `for` not elapsed yet
    Firing,
};
// "inactive", "pending", "firing"
QString alertStateName(AlertState state);

// One alert: a rule about one target (and instance: a consumer group, an upstream) in its current state.
struct Alert {
    QString rule;
    QString target;
    QString instance;
    AlertSeverity severity = AlertSeverity::Warning;
    AlertState state = AlertState::Inactive;
    std::optional<KpiId> kpi; // the value's KPI, for formatting; none for target_down
    double value = NAN;       // the latest value seen (NaN: none, or no data in the latest round)
    KpiThreshold threshold;   // unset for target_down and consumer_stalled
    QString detail;           // the target's reason when down, the lag status of consumer_stalled
    qint64 sinceMs = 0;       // when the condition became true (epoch ms of that round)
    qint64 changedMs = 0;     // when the state last changed
    bool noData = false;      // the latest round had no data for it: the state is held, not re-evaluated

    // "was2", "kafka/coupon-consumers"
    QString subject() const;
    QString valueText() const;
    QString thresholdText() const;
};

// A change of state, as the history, the tray and `clusterdeckctl alerts` report it.
struct AlertTransition {
    Alert alert; // after the change; alert.changedMs is when it happened
    AlertState from = AlertState::Inactive;

    AlertState to() const { return alert.state; }
    // "pending", "firing", "resolved" (firing → inactive), "cleared" (pending → inactive, never fired)
    QString name() const;
    // One line for people: "firing: latency_p95 was2 p95 4.2s > 3s (since 12:00:05)".
    QString message() const;
};

// The lag status of one consumer group after the latest round, to show next to its lag.
struct ConsumerLagStatus {
    QString target; // the kafka node
    QString group;
    LagStatus status = LagStatus::NoData;
    double lag = NAN;
    double offset = NAN;
    qint64 timestampMs = 0;
};

// Evaluates the alert rules of a cluster over collection rounds. Pure and deterministic: the time of a round
// is its own timestamp, never the clock, so tests feed rounds with explicit times.
//
// Missing data (a NaN KPI, a target in state Unknown, a consumer group without an offset) is "no data": it
// neither fires nor resolves anything; the alert keeps its state (marked noData) until a round with data
// decides, and a pending alert does not fire on a round without data. A target that goes down therefore does
// not resolve its latency alert; target_down reports it.
class AlertEngine {
public:
    explicit AlertEngine(const Cluster &cluster, int lagWindow = LagEvaluator::kDefaultWindow);
    explicit AlertEngine(QList<AlertRule> rules, int lagWindow = LagEvaluator::kDefaultWindow);

    const QList<AlertRule> &rules() const { return m_rules; }

    // A direct-mode round: statuses and KPI points, at round.startedMs (the points' own timestamp).
    QList<AlertTransition> evaluateRound(const CollectionRound &round);
    // The general form. `statuses` null: KPI points only (Prometheus mode, whose points arrive apart from
    // the rounds; pass the rounds' statuses with an empty point list).
    QList<AlertTransition> evaluate(qint64 atMs, const QList<TargetStatus> *statuses,
                                    const KpiPoints &points);

    // Pending and firing alerts, ordered by rule (alertRuleNames() order), target, instance.
    QList<Alert> activeAlerts() const;
    bool anyFiring() const;
    // Every consumer group seen, with its status after the latest round.
    QList<ConsumerLagStatus> lagStatuses() const;

private:
    using Key = std::tuple<int, QString, QString>; // rule index, target, instance
    enum class Condition { False, True, NoData };

    void step(int ruleIndex, const QString &target, const QString &instance, Condition condition,
              double value, const QString &detail, qint64 atMs, QList<AlertTransition> &out);
    void updateLag(qint64 atMs, const KpiPoints &points);

    QList<AlertRule> m_rules;
    int m_lagWindow;
    std::map<Key, Alert> m_alerts;
    struct Group {
        LagEvaluator evaluator;
        ConsumerLagStatus latest;
    };
    std::map<std::pair<QString, QString>, Group> m_groups;
    QList<std::pair<QString, QString>> m_groupsThisRound;
};

} // namespace clusterdeck

Q_DECLARE_METATYPE(clusterdeck::Alert)
Q_DECLARE_METATYPE(clusterdeck::AlertTransition)
Q_DECLARE_METATYPE(clusterdeck::ConsumerLagStatus)
