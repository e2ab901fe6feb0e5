#include "alerts/alert_text.h"

#include <QCoreApplication>
#include <QDateTime>

namespace clusterdeck {

QString alertSeverityText(AlertSeverity severity)
{
    return severity == AlertSeverity::Critical
               ? QCoreApplication::translate("clusterdeck::AlertText", "critical")
               : QCoreApplication::translate("clusterdeck::AlertText", "warning");
}

QString alertStateText(AlertState state)
{
    switch (state) {
    case AlertState::Inactive:
        return QCoreApplication::translate("clusterdeck::AlertText", "inactive");
    case AlertState::Pending:
        return QCoreApplication::translate("clusterdeck::AlertText", "pending");
    case AlertState::Firing:
        return QCoreApplication::translate("clusterdeck::AlertText", "firing");
    }
    return QString();
}

QString alertTransitionText(const AlertTransition &transition)
{
    if (transition.to() == AlertState::Inactive)
        return transition.from == AlertState::Firing
                   ? QCoreApplication::translate("clusterdeck::AlertText", "resolved")
                   : QCoreApplication::translate("clusterdeck::AlertText", "cleared");
    return alertStateText(transition.to());
}

QString alertDisplayMessage(const AlertTransition &transition)
{
    const Alert &alert = transition.alert;
    QString figure = alert.kpi ? alert.valueText() : QString();
    if (!alert.thresholdText().isEmpty())
        figure = QCoreApplication::translate("clusterdeck::AlertText", "%1 (limit %2)")
                     .arg(figure, alert.thresholdText());
    if (alert.kpi && !alert.detail.isEmpty())
        figure += QStringLiteral(" (") + alert.detail + QLatin1Char(')');
    else if (!alert.kpi && !alert.detail.isEmpty())
        figure = alert.detail;
    const QString since = QDateTime::fromMSecsSinceEpoch(alert.sinceMs).toString(QStringLiteral("HH:mm:ss"));
    if (figure.isEmpty())
        return QCoreApplication::translate("clusterdeck::AlertText", "%1: %2 %3 (since %4)")
            .arg(alertTransitionText(transition), alert.rule, alert.subject(), since);
    return QCoreApplication::translate("clusterdeck::AlertText", "%1: %2 %3: %4 (since %5)")
        .arg(alertTransitionText(transition), alert.rule, alert.subject(), figure, since);
}

QString lagStatusExplanation(LagStatus status)
{
    switch (status) {
    case LagStatus::NoData:
        return QCoreApplication::translate("clusterdeck::AlertText",
                                           "not enough observations with a committed offset yet");
    case LagStatus::Ok:
        return QCoreApplication::translate("clusterdeck::AlertText", "the consumer keeps up");
    case LagStatus::Warning:
        return QCoreApplication::translate("clusterdeck::AlertText",
                                           "offsets move, but the lag grew over every interval");
    case LagStatus::Stalled:
        return QCoreApplication::translate("clusterdeck::AlertText",
                                           "the consumer is connected but its offset stands still");
    case LagStatus::Stopped:
        return QCoreApplication::translate("clusterdeck::AlertText", "no consumer is running for the group");
    }
    return QString();
}

} // namespace clusterdeck
