#include "alerts/alert_text.h"

#include <QCoreApplication>
#include <QDateTime>

namespace clusterdeck {

namespace {

constexpr char kContext[] = "clusterdeck::AlertText";

// `source` is marked with QT_TRANSLATE_NOOP(kContext, ...) where it is written, for lupdate.
QString word(AlertWords words, const char *source)
{
    return words == AlertWords::Translated ? QCoreApplication::translate(kContext, source)
                                           : QString::fromUtf8(source);
}

} // namespace

QString alertSeverityText(AlertSeverity severity)
{
    return severity == AlertSeverity::Critical
               ? word(AlertWords::Translated, QT_TRANSLATE_NOOP("clusterdeck::AlertText", "critical"))
               : word(AlertWords::Translated, QT_TRANSLATE_NOOP("clusterdeck::AlertText", "warning"));
}

QString alertStateText(AlertState state)
{
    switch (state) {
    case AlertState::Inactive:
        return word(AlertWords::Translated, QT_TRANSLATE_NOOP("clusterdeck::AlertText", "inactive"));
    case AlertState::Pending:
        return word(AlertWords::Translated, QT_TRANSLATE_NOOP("clusterdeck::AlertText", "pending"));
    case AlertState::Firing:
        return word(AlertWords::Translated, QT_TRANSLATE_NOOP("clusterdeck::AlertText", "firing"));
    }
    return QString();
}

QString alertTransitionText(const AlertTransition &transition, AlertWords words)
{
    if (transition.to() == AlertState::Inactive)
        return transition.from == AlertState::Firing
                   ? word(words, QT_TRANSLATE_NOOP("clusterdeck::AlertText", "resolved"))
                   : word(words, QT_TRANSLATE_NOOP("clusterdeck::AlertText", "cleared"));
    return words == AlertWords::Translated ? alertStateText(transition.to())
                                           : alertStateName(transition.to());
}

QString alertLine(const AlertTransition &transition, AlertWords words)
{
    const Alert &alert = transition.alert;
    QString figure = alert.kpi ? alert.valueText() : QString();
    if (!alert.thresholdText().isEmpty())
        figure = word(words, QT_TRANSLATE_NOOP("clusterdeck::AlertText", "%1 (limit %2)"))
                     .arg(figure, alert.thresholdText());
    if (alert.kpi && !alert.detail.isEmpty())
        figure += QStringLiteral(" (") + alert.detail + QLatin1Char(')');
    else if (!alert.kpi && !alert.detail.isEmpty())
        figure = alert.detail;
    const QString since = QDateTime::fromMSecsSinceEpoch(alert.sinceMs).toString(QStringLiteral("HH:mm:ss"));
    const QString name = alertTransitionText(transition, words);
    if (figure.isEmpty())
        return word(words, QT_TRANSLATE_NOOP("clusterdeck::AlertText", "%1: %2 %3 (since %4)"))
            .arg(name, alert.rule, alert.subject(), since);
    return word(words, QT_TRANSLATE_NOOP("clusterdeck::AlertText", "%1: %2 %3: %4 (since %5)"))
        .arg(name, alert.rule, alert.subject(), figure, since);
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
