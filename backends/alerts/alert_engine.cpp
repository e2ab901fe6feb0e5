#include "alerts/alert_engine.h"

#include "alerts/alert_text.h"
#include "alerts/alerts_log.h"
#include "cluster/cluster.h"
#include "metrics/collector.h"
#include "metrics/kpi_catalog.h"

#include <QDateTime>

namespace clusterdeck {

QString alertStateName(AlertState state)
{
    switch (state) {
    case AlertState::Inactive:
        return QStringLiteral("inactive");
    case AlertState::Pending:
        return QStringLiteral("pending");
    case AlertState::Firing:
        return QStringLiteral("firing");
    }
    return QString();
}

QString Alert::subject() const
{
    return instance.isEmpty() ? target : target + QLatin1Char('/') + instance;
}

QString Alert::valueText() const
{
    if (!kpi)
        return detail;
    return formatKpiValue(*kpi, value);
}

QString Alert::thresholdText() const
{
    return kpi && threshold.isSet() ? formatThreshold(*kpi, threshold) : QString();
}

QString AlertTransition::name() const
{
    return alertTransitionText(*this, AlertWords::English);
}

QString AlertTransition::message() const
{
    return alertLine(*this, AlertWords::English);
}

AlertEngine::AlertEngine(const Cluster &cluster, int lagWindow)
    : AlertEngine(alertRulesFor(cluster), lagWindow)
{}

AlertEngine::AlertEngine(QList<AlertRule> rules, int lagWindow)
    : m_rules(std::move(rules)), m_lagWindow(lagWindow)
{}

QList<AlertTransition> AlertEngine::evaluateRound(const CollectionRound &round)
{
    return evaluate(round.startedMs, &round.statuses, round.points);
}

void AlertEngine::updateLag(qint64 atMs, const KpiPoints &points)
{
    m_groupsThisRound.clear();
    const QString lagKpi = kpiName(KpiId::KafkaConsumerLag);
    const QString offsetKpi = kpiName(KpiId::KafkaConsumerOffset);
    const QString membersKpi = kpiName(KpiId::KafkaConsumerMembers);
    std::map<std::pair<QString, QString>, LagSample> samples;
    for (const KpiPoint &point : points) {
        const bool lag = point.key.kpi == lagKpi;
        if (!lag && point.key.kpi != offsetKpi && point.key.kpi != membersKpi)
            continue;
        const std::pair<QString, QString> group{point.key.target, point.key.instance};
        auto [it, inserted] = samples.try_emplace(group);
        it->second.timestampMs = atMs;
        if (lag) {
            it->second.lag = point.value;
            m_groupsThisRound.append(group);
        } else if (point.key.kpi == offsetKpi) {
            it->second.offset = point.value;
        } else {
            it->second.members = point.value;
        }
    }
    for (const auto &group : std::as_const(m_groupsThisRound)) {
        const LagSample &sample = samples[group];
        auto it = m_groups.try_emplace(group, Group{LagEvaluator(m_lagWindow), {}}).first;
        const LagStatus status = it->second.evaluator.add(sample);
        if (status != it->second.latest.status)
            qCDebug(lcAlerts).noquote()
                << "consumer group" << group.second << "on" << group.first << "is" << lagStatusName(status);
        it->second.latest = {group.first, group.second, status, sample.lag, sample.offset, atMs};
    }
}

QList<AlertTransition> AlertEngine::evaluate(qint64 atMs, const QList<TargetStatus> *statuses,
                                             const KpiPoints &points)
{
    QList<AlertTransition> out;
    updateLag(atMs, points);
    for (int r = 0; r < m_rules.size(); ++r) {
        const AlertRule &rule = m_rules[r];
        if (!rule.enabled)
            continue;
        switch (rule.subject) {
        case AlertSubject::TargetDown:
            if (!statuses)
                break;
            for (const TargetStatus &status : *statuses) {
                const Condition condition = status.state == TargetStatus::State::Down ? Condition::True
                                            : status.state == TargetStatus::State::Up ? Condition::False
                                                                                      : Condition::NoData;
                step(r, status.name, QString(), condition, NAN, status.reason, atMs, out);
            }
            break;
        case AlertSubject::Kpi: {
            const QString kpi = kpiName(*rule.kpi);
            for (const KpiPoint &point : points) {
                if (point.key.kpi != kpi)
                    continue;
                const Condition condition = std::isnan(point.value)                  ? Condition::NoData
                                            : rule.threshold.breachedBy(point.value) ? Condition::True
                                                                                     : Condition::False;
                step(r, point.key.target, point.key.instance, condition, point.value, QString(), atMs, out);
            }
            break;
        }
        case AlertSubject::ConsumerLag:
            for (const auto &group : std::as_const(m_groupsThisRound)) {
                const ConsumerLagStatus &latest = m_groups.at(group).latest;
                const Condition condition =
                    latest.status == LagStatus::NoData ? Condition::NoData
                    : latest.status == LagStatus::Stalled || latest.status == LagStatus::Stopped
                        ? Condition::True
                        : Condition::False;
                step(r, group.first, group.second, condition, latest.lag, lagStatusName(latest.status), atMs,
                     out);
            }
            break;
        }
    }
    return out;
}

void AlertEngine::step(int ruleIndex, const QString &target, const QString &instance, Condition condition,
                       double value, const QString &detail, qint64 atMs, QList<AlertTransition> &out)
{
    const AlertRule &rule = m_rules[ruleIndex];
    const Key key{ruleIndex, target, instance};
    auto it = m_alerts.find(key);
    if (it == m_alerts.end()) {
        if (condition != Condition::True)
            return;
        Alert alert;
        alert.rule = rule.name;
        alert.target = target;
        alert.instance = instance;
        alert.severity = rule.severity;
        alert.kpi = rule.kpi;
        if (rule.subject == AlertSubject::Kpi)
            alert.threshold = rule.threshold;
        it = m_alerts.emplace(key, alert).first;
    }
    Alert &alert = it->second;
    const AlertState before = alert.state;
    alert.noData = condition == Condition::NoData;
    if (alert.noData)
        return; // held: no data neither fires nor resolves
    alert.value = value;
    alert.detail = detail;
    if (condition == Condition::True) {
        if (before == AlertState::Inactive) {
            alert.sinceMs = atMs;
            alert.state = rule.forMs <= 0 ? AlertState::Firing : AlertState::Pending;
        } else if (before == AlertState::Pending && atMs - alert.sinceMs >= rule.forMs) {
            alert.state = AlertState::Firing;
        }
    } else {
        alert.state = AlertState::Inactive;
    }
    if (alert.state != before) {
        alert.changedMs = atMs;
        out.append(AlertTransition{alert, before});
        qCDebug(lcAlerts).noquote() << out.last().message();
    }
    if (alert.state == AlertState::Inactive)
        m_alerts.erase(it);
}

QList<Alert> AlertEngine::activeAlerts() const
{
    QList<Alert> list;
    for (const auto &[key, alert] : m_alerts)
        list.append(alert);
    return list;
}

bool AlertEngine::anyFiring() const
{
    return std::any_of(m_alerts.begin(), m_alerts.end(),
                       [](const auto &entry) { return entry.second.state == AlertState::Firing; });
}

QList<ConsumerLagStatus> AlertEngine::lagStatuses() const
{
    QList<ConsumerLagStatus> list;
    for (const auto &[group, state] : m_groups)
        list.append(state.latest);
    return list;
}

} // namespace clusterdeck
