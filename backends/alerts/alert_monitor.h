#pragma once

#include "alerts/alert_engine.h"
#include "alerts/alert_list_model.h"

#include <QObject>

namespace clusterdeck {

struct Cluster;
struct CollectionRound;

// The alert engine in a window: fed by the collector's signals on the GUI thread, it keeps an AlertListModel
// current and announces every transition (for the tray notification and the history's event log).
class AlertMonitor : public QObject {
    Q_OBJECT
public:
    explicit AlertMonitor(const Cluster &cluster, QObject *parent = nullptr);

    AlertListModel *model() { return &m_model; }
    const AlertEngine &engine() const { return m_engine; }

    // Collector::roundFinished: statuses, and the KPI points in direct mode.
    void onRound(const clusterdeck::CollectionRound &round);
    // Collector::kpisUpdated in Prometheus mode (its points arrive apart from the rounds). Not in direct
    // mode: those points are the round's and would be counted twice.
    void onKpis(const clusterdeck::KpiPoints &points);

signals:
    // Each change of state, in the engine's order.
    void transitioned(const clusterdeck::AlertTransition &transition);
    // After every evaluation that saw consumer groups: their lag statuses, to show next to the lag.
    void lagStatusesUpdated(const QList<clusterdeck::ConsumerLagStatus> &statuses);

private:
    void publish(const QList<AlertTransition> &transitions, bool lagSeen);

    AlertEngine m_engine;
    AlertListModel m_model;
};

} // namespace clusterdeck
