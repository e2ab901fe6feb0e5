#pragma once

#include "alerts/alert_engine.h"
#include "cluster/cluster.h"
#include "metrics/kpi.h"
#include "metrics/target_status.h"

#include <QHash>
#include <QMainWindow>
#include <QMap>
#include <memory>

class QAction;
class QComboBox;
class QLabel;
class QTreeView;
class HistorySession;

namespace clusterdeck {

class AlertsPage;
class Collector;
class DrainDialog;
class EventLogModel;
class GatewayRotationPoller;
class KpiTile;
class LiveChart;
class LiveSeriesStore;
class LogForwarding;
class NodePage;
class NodeStatusModel;
class PageStack;
class Sidebar;
class WindowAlerts;
struct ScrapeFailure;

// The console's main window: a sidebar (pages, the cluster's targets by role with state and alert marker,
// filtered by name) next to a stack of pages — the overview (headline KPIs, charts of every role with one
// colour per node, the targets table, a bounded event log) and a node page per target — and a status bar
// (targets up, last scrape's age, recording, source). Owns the collector that feeds it and the live series
// store the charts read.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(const clusterdeck::Cluster &cluster, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Time windows the charts offer (5 m, 15 m, 1 h, 6 h); the store keeps the longest.
    static const QList<qint64> &timeWindowsMs();

    NodeStatusModel *nodeModel() const { return m_model; }
    Sidebar *sidebar() const { return m_sidebar; }
    PageStack *pages() const { return m_pages; }
    NodePage *nodePage() const { return m_nodePage; }
    // Shows a page by id ("overview", "node:NAME", and pages registered later such as "alerts").
    bool showPage(const QString &id);
    void setTimeWindowMs(qint64 windowMs);
    qint64 timeWindowMs() const { return m_windowMs; }
    // Prometheus mode: query_range answers that reached the charts (tests, the status bar's tooltip).
    int rangeFillsApplied() const { return m_rangeFillsApplied; }
    QList<LiveChart *> overviewCharts() const { return m_charts; }
    LiveChart *overviewChart(const QString &objectName) const;
    QTreeView *nodeView() const { return m_nodeView; }
    EventLogModel *eventLog() const { return m_eventLog; }
    LiveChart *tpsChart() const { return m_tpsChart; }
    LiveChart *latencyChart() const { return m_latencyChart; }
    LiveChart *lagChart() const { return m_lagChart; }
    KpiTile *lagTile() const { return m_lagTile; }
    AlertsPage *alertsPage() const { return m_alertsPage; }
    WindowAlerts *alerts() const { return m_alerts; }
    // Drain… / Readmit… of a WAS node (node page, sidebar menu): a dialog of its own, the window keeps
    // running.
    clusterdeck::DrainDialog *openDrainDialog(const QString &node, bool drain);
    // The toolbar's Drain… / Readmit… for the selected WAS node (readmit when its gateway has it out of
    // rotation); disabled unless a WAS node is selected.
    QAction *drainAction() const { return m_drainAction; }
    QString selectedTarget() const { return m_selectedTarget; }

private:
    QWidget *createHeader();
    QWidget *createCharts();
    QWidget *createOverview();
    void createShortcuts();
    void createStatusBar();
    void createAlerts(HistorySession *history);
    // Fills the overview charts again over the window: `older` (a query_range answer) where the live store
    // has nothing yet for a series, then the store's points.
    void refillCharts(const clusterdeck::KpiPoints &older = {});
    void requestRangeFill();
    void updateStatusBar();
    void onStatuses(const QList<clusterdeck::TargetStatus> &statuses);
    void onKpis(const clusterdeck::KpiPoints &points);
    void onStoredPoints(const clusterdeck::KpiPoints &batch);
    void onCollectionErrors(const QList<clusterdeck::ScrapeFailure> &errors);
    void logStateChange(const clusterdeck::TargetStatus &previous, const clusterdeck::TargetStatus &current);
    void updateTiles();
    void updateLagTile();
    void updateEventsTitle();
    void createToolBar();
    void selectTarget(const QString &name);
    void updateDrainAction();
    void onShownStatesChanged();

    clusterdeck::Cluster m_cluster;
    HistorySession *m_history = nullptr;
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
    QList<LiveChart *> m_charts; // every overview chart, fed by KPI name (ui/overview_charts)
    // How a KPI's points reach an overview chart: the series is named by target or instance plus a suffix
    // (" p95"), values are multiplied by a scale (bytes → MiB), and a stacked chart leaves out the total.
    struct ChartFeed {
        LiveChart *chart = nullptr;
        QString suffix;
        double scale = 1;
        bool instancesOnly = false;
    };
    QMultiHash<QString, ChartFeed> m_feeds; // by KPI name
    Sidebar *m_sidebar = nullptr;
    PageStack *m_pages = nullptr;
    NodePage *m_nodePage = nullptr;
    QComboBox *m_windowPicker = nullptr;
    qint64 m_windowMs = 5 * 60 * 1000;
    QHash<QString, QColor> m_nodeColors; // one colour per target, the same in every chart
    QLabel *m_upLabel = nullptr;
    QLabel *m_scrapeAgeLabel = nullptr;
    qint64 m_lastScrapeMs = 0;
    WindowAlerts *m_alerts = nullptr;
    AlertsPage *m_alertsPage = nullptr;
    QList<clusterdeck::ConsumerLagStatus> m_lagStatuses; // shown on the lag tile
    // A tile's sparkline: one KPI over the window, per timestamp the cluster's value, the worst node's (Max)
    // or the sum over the instances (Sum).
    struct TileTrend {
        KpiTile *tile = nullptr;
        QString kpi;
        enum class Combine { Cluster, Max, Sum } combine = Combine::Cluster;
        QMap<qint64, double> values;
    };
    QList<TileTrend> m_trends;
    void updateTrends(const clusterdeck::KpiPoints &batch, qint64 nowMs);
    int m_rangeFillsApplied = 0;
    qint64 m_rangeStepMs = 0;   // its step
    quint64 m_rangeRequest = 0; // the latest Collector::fillRange() asked for; older answers are dropped
    GatewayRotationPoller *m_rotation = nullptr; // Caddy's rotation (HAProxy's comes with its KPIs)
    QAction *m_drainAction = nullptr;
    QString m_selectedTarget;
    QStringList m_drainable; // WAS nodes with an upstream
};

} // namespace clusterdeck
