#pragma once

#include "cluster/cluster.h"
#include "metrics/kpi.h"
#include "metrics/target_status.h"

#include <QMainWindow>
#include <memory>

class QLabel;
class QTreeView;

namespace clusterdeck {

class Collector;
class EventLogModel;
class KpiTile;
class LiveChart;
class LiveSeriesStore;
class LogForwarding;
class NodeStatusModel;
struct ScrapeFailure;

// The console's main window: headline KPIs, every node and gateway of one cluster grouped by role with live
// state and key figures, live charts (TPS, p95 against the target, consumer lag) and a bounded event log
// (state changes, collection errors, warnings of the clusterdeck.* log categories). Owns the collector that
// feeds it and the live series store the charts read.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(const clusterdeck::Cluster &cluster, QWidget *parent = nullptr);
    ~MainWindow() override;

    NodeStatusModel *nodeModel() const { return m_model; }
    QTreeView *nodeView() const { return m_nodeView; }
    EventLogModel *eventLog() const { return m_eventLog; }
    LiveChart *tpsChart() const { return m_tpsChart; }
    LiveChart *latencyChart() const { return m_latencyChart; }
    LiveChart *lagChart() const { return m_lagChart; }
    KpiTile *lagTile() const { return m_lagTile; }

private:
    QWidget *createHeader();
    QWidget *createCharts();
    void onStatuses(const QList<clusterdeck::TargetStatus> &statuses);
    void onKpis(const clusterdeck::KpiPoints &points);
    void onStoredPoints(const clusterdeck::KpiPoints &batch);
    void onCollectionErrors(const QList<clusterdeck::ScrapeFailure> &errors);
    void logStateChange(const clusterdeck::TargetStatus &previous, const clusterdeck::TargetStatus &current);
    void updateTiles();
    void updateLagTile();
    void updateEventsTitle();

    clusterdeck::Cluster m_cluster;
    NodeStatusModel *m_model;
    clusterdeck::LiveSeriesStore *m_store;
    clusterdeck::Collector *m_collector;
    QTreeView *m_nodeView = nullptr;
    EventLogModel *m_eventLog;
    std::unique_ptr<LogForwarding> m_logForwarding;
    QLabel *m_eventsTitle = nullptr;
    QLabel *m_updatedLabel = nullptr;
    QString m_lastCollectionError;
    KpiTile *m_upTile = nullptr;
    KpiTile *m_tpsTile = nullptr;
    KpiTile *m_p95Tile = nullptr;
    KpiTile *m_errorTile = nullptr;
    KpiTile *m_lagTile = nullptr;
    LiveChart *m_tpsChart = nullptr;
    LiveChart *m_latencyChart = nullptr;
    LiveChart *m_lagChart = nullptr;
};

} // namespace clusterdeck
