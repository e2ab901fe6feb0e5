#include "alert_notifier.h"

#include "alerts/alert_engine.h"

#include <QApplication>
#include <QDateTime>
#include <QSystemTrayIcon>

namespace clusterdeck {

AlertNotifier::AlertNotifier(const QString &clusterName, QObject *parent)
    : QObject(parent), m_clusterName(clusterName)
{}

AlertNotifier::~AlertNotifier() = default;

std::optional<AlertNotifier::Message> AlertNotifier::messageFor(const AlertTransition &transition) const
{
    const Alert &alert = transition.alert;
    const bool firing = transition.to() == AlertState::Firing;
    const bool resolved = transition.from == AlertState::Firing && transition.to() == AlertState::Inactive;
    if (!firing && !resolved)
        return std::nullopt;
    Message message;
    message.critical = firing && alert.severity == AlertSeverity::Critical;
    message.resolved = resolved;
    message.title = firing ? tr("%1: %2 firing on %3").arg(m_clusterName, alert.rule, alert.subject())
                           : tr("%1: %2 resolved on %3").arg(m_clusterName, alert.rule, alert.subject());
    QStringList lines;
    if (alert.kpi) {
        lines << (alert.thresholdText().isEmpty()
                      ? alert.valueText()
                      : tr("%1 (limit %2)").arg(alert.valueText(), alert.thresholdText()));
    }
    if (!alert.detail.isEmpty())
        lines << alert.detail; // why the target is down, the consumer group's lag status
    lines << tr("since %1")
                 .arg(QDateTime::fromMSecsSinceEpoch(alert.sinceMs).toString(QStringLiteral("HH:mm:ss")));
    message.text = lines.join(QLatin1Char('\n'));
    return message;
}

void AlertNotifier::notify(const AlertTransition &transition)
{
    const std::optional<Message> message = messageFor(transition);
    if (!message || !QSystemTrayIcon::isSystemTrayAvailable())
        return;
    if (!m_tray) {
        m_tray = new QSystemTrayIcon(QApplication::windowIcon(), this);
        m_tray->setToolTip(tr("ClusterDeck — %1").arg(m_clusterName));
        m_tray->show();
    }
    m_tray->showMessage(message->title, message->text,
                        message->critical   ? QSystemTrayIcon::Critical
                        : message->resolved ? QSystemTrayIcon::Information
                                            : QSystemTrayIcon::Warning);
}

} // namespace clusterdeck
