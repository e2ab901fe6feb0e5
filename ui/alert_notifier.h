#pragma once

#include <QObject>
#include <QString>
#include <optional>

class QSystemTrayIcon;

namespace clusterdeck {

struct AlertTransition;

// The desktop notification of alerts through a tray icon: a message when an alert fires and when it resolves
// (pending and cleared stay quiet). Where the desktop has no system tray (offscreen, a bare X server) it does
// nothing at all.
class AlertNotifier : public QObject {
    Q_OBJECT
public:
    struct Message {
        QString title;
        QString text;
        bool critical = false; // a critical alert firing: the critical icon, else information / warning
        bool resolved = false;
    };

    explicit AlertNotifier(const QString &clusterName, QObject *parent = nullptr);
    ~AlertNotifier() override;

    // What notify() shows for a transition; none for pending and cleared.
    std::optional<Message> messageFor(const AlertTransition &transition) const;
    void notify(const AlertTransition &transition);
    // The tray icon, once a message needed it on a desktop that has a tray; null otherwise.
    QSystemTrayIcon *trayIcon() const { return m_tray; }

private:
    QString m_clusterName;
    QSystemTrayIcon *m_tray = nullptr;
};

} // namespace clusterdeck
