#include "window_alerts.h"

#include "alert_notifier.h"
#include "alerts/alert_monitor.h"
#include "alerts/alert_text.h"
#include "cluster/cluster.h"
#include "metrics/collector.h"
#include "models/node_status_model.h"

#include <QHash>

namespace clusterdeck {

WindowAlerts::WindowAlerts(const Cluster &cluster, NodeStatusModel *targets, QObject *parent)
    : QObject(parent), m_prometheus(cluster.metricsSource == MetricsSource::Prometheus), m_targets(targets),
      m_monitor(new AlertMonitor(cluster, this)), m_notifier(new AlertNotifier(cluster.name, this))
{
    connect(m_monitor, &AlertMonitor::transitioned, m_notifier, &AlertNotifier::notify);
    AlertListModel *model = m_monitor->model();
    for (const auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(model, signal, this, &WindowAlerts::updateMarkers);
    connect(model, &QAbstractItemModel::dataChanged, this, &WindowAlerts::updateMarkers);
}

WindowAlerts::~WindowAlerts() = default;

void WindowAlerts::attach(Collector *collector)
{
    connect(collector, &Collector::roundFinished, m_monitor, &AlertMonitor::onRound);
    // Direct mode's kpisUpdated repeats the round's own points, which onRound has seen.
    if (m_prometheus)
        connect(collector, &Collector::kpisUpdated, m_monitor, &AlertMonitor::onKpis);
}

// A target's marker lists its firing alerts (pending ones have not paged anybody yet).
void WindowAlerts::updateMarkers()
{
    const AlertListModel *model = m_monitor->model();
    QHash<QString, QStringList> firing;
    for (int row = 0; row < model->rowCount(); ++row) {
        const Alert &alert = model->alertAt(row);
        if (alert.state == AlertState::Firing)
            firing[alert.target].append(alertLine(AlertTransition{alert, alert.state}));
    }
    for (const QString &target : std::as_const(m_marked)) {
        if (!firing.contains(target))
            m_targets->setAlert(target, QString());
    }
    m_marked.clear();
    for (auto it = firing.cbegin(); it != firing.cend(); ++it) {
        m_targets->setAlert(it.key(), it.value().join(QLatin1Char('\n')));
        m_marked.insert(it.key());
    }
}

} // namespace clusterdeck
