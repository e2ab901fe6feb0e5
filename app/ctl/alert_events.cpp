#include "alert_events.h"

#include <cmath>

namespace clusterdeck::ctl {

HistoryEvent alertHistoryEvent(const AlertTransition &transition, const QString &actor)
{
    const Alert &alert = transition.alert;
    HistoryEvent event;
    event.timestampMs = alert.changedMs;
    event.kind = QStringLiteral("alert");
    event.target = alert.target;
    event.severity = transition.to() != AlertState::Firing       ? EventSeverity::Info
                     : alert.severity == AlertSeverity::Critical ? EventSeverity::Critical
                                                                 : EventSeverity::Warning;
    event.actor = actor;
    event.message = transition.message();
    QJsonObject details{{QStringLiteral("rule"), alert.rule},
                        {QStringLiteral("from"), alertStateName(transition.from)},
                        {QStringLiteral("to"), alertStateName(transition.to())},
                        {QStringLiteral("transition"), transition.name()},
                        {QStringLiteral("since_ms"), alert.sinceMs}};
    if (!alert.instance.isEmpty())
        details.insert(QStringLiteral("instance"), alert.instance);
    if (std::isfinite(alert.value))
        details.insert(QStringLiteral("value"), alert.value);
    if (alert.threshold.isSet())
        details.insert(QStringLiteral("threshold"), alert.threshold.value);
    if (!alert.detail.isEmpty())
        details.insert(QStringLiteral("detail"), alert.detail);
    event.details = details;
    return event;
}

} // namespace clusterdeck::ctl
