#pragma once

#include <QObject>
#include <QSet>

namespace clusterdeck {

class AlertMonitor;
class AlertNotifier;
class Collector;
class NodeStatusModel;
struct Cluster;

// The alert engine in the console window: evaluates every round of the window's collector (in Prometheus mode
// also the PromQL points, which arrive apart), marks each target with a firing alert in the sidebar's model
// (cleared when its last one resolves), and shows a tray notification on firing and resolve.
class WindowAlerts : public QObject {
    Q_OBJECT
public:
    WindowAlerts(const Cluster &cluster, NodeStatusModel *targets, QObject *parent = nullptr);
    ~WindowAlerts() override;

    void attach(Collector *collector);
    AlertMonitor *monitor() const { return m_monitor; }
    AlertNotifier *notifier() const { return m_notifier; }

private:
    void updateMarkers();

    bool m_prometheus;
    NodeStatusModel *m_targets;
    AlertMonitor *m_monitor;
    AlertNotifier *m_notifier;
    QSet<QString> m_marked;
};

} // namespace clusterdeck
