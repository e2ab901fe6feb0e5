#include "main_window.h"

#include "alert_history/alert_history_event.h"
#include "alerts/alert_monitor.h"
#include "alerts/alert_text.h"
#include "alerts_page.h"
#include "common/url_text.h"
#include "console_log.h"
#include "drain_dialog.h"
#include "gateway_rotation_poller.h"
#include "history_session.h"
#include "kpi_tile.h"
#include "live_chart.h"
#include "log_forwarding.h"
#include "metrics/collector.h"
#include "metrics/kpi_catalog.h"
#include "metrics/live_series_store.h"
#include "models/event_log_model.h"
#include "models/node_status_model.h"
#include "node_page.h"
#include "page_stack.h"
#include "sidebar.h"
#include "status_dot.h"
#include "target_state_style.h"
#include "window_alerts.h"
#include "window_points.h"

#include <QComboBox>
#include <QDateTime>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QScrollArea>
#include <QShortcut>
#include <QSplitter>
#include <QStatusBar>
#include <QTimer>
#include <QToolBar>
#include <QTreeView>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

namespace clusterdeck {

namespace {

// At most this many names in a tile's caption; the tooltip has them all.
QString shortList(const QStringList &names, int shown = 2)
{
    if (names.size() <= shown)
        return names.join(QStringLiteral(", "));
    return QStringLiteral("%1 +%2")
        .arg(names.mid(0, shown).join(QStringLiteral(", ")))
        .arg(names.size() - shown);
}

struct ChartSpec {
    const char *objectName;
    const char *title;
    const char *unit;
    KpiId kpi;
    const char *labelFormat;
    double minimumTop;
    double scale = 1;     // shown value = KPI value × scale (bytes → MiB)
    bool stacked = false; // one area per instance on top of the others; the total is the top edge
};

constexpr double kMiB = 1024.0 * 1024.0;

// The overview's charts besides TPS, latency and lag (which keep their own members for the tiles and tests).
// Units on every value axis; series are named by target, or by instance (upstream, group) where the KPI has
// them.
const ChartSpec kMoreCharts[] = {
    {"chart.gateway_tps",
     QT_TRANSLATE_NOOP("clusterdeck::MainWindow", "Gateway responses per second, stacked by upstream"),
     QT_TRANSLATE_NOOP("clusterdeck::MainWindow", "resp/s"), KpiId::GatewayTps, "%.0f", 10, 1, true},
    {"chart.error_ratio", QT_TRANSLATE_NOOP("clusterdeck::MainWindow", "5xx error ratio by WAS node"),
     QT_TRANSLATE_NOOP("clusterdeck::MainWindow", "ratio"), KpiId::WasErrorRatio, "%.3f", 0.01},
    {"chart.redis_ops", QT_TRANSLATE_NOOP("clusterdeck::MainWindow", "Redis commands per second"),
     QT_TRANSLATE_NOOP("clusterdeck::MainWindow", "ops/s"), KpiId::RedisOpsRate, "%.0f", 10},
    {"chart.redis_memory", QT_TRANSLATE_NOOP("clusterdeck::MainWindow", "Redis memory used"),
     QT_TRANSLATE_NOOP("clusterdeck::MainWindow", "MiB"), KpiId::RedisMemoryBytes, "%.1f", 1, 1 / kMiB},
    {"chart.db_qps", QT_TRANSLATE_NOOP("clusterdeck::MainWindow", "Database queries per second"),
     QT_TRANSLATE_NOOP("clusterdeck::MainWindow", "q/s"), KpiId::DbQps, "%.0f", 10},
    {"chart.db_connections", QT_TRANSLATE_NOOP("clusterdeck::MainWindow", "Database connections"),
     QT_TRANSLATE_NOOP("clusterdeck::MainWindow", "conns"), KpiId::DbThreadsConnected, "%.0f", 10},
};

// Two points further apart than this are drawn apart: three scrape intervals, at least 30 s, and two steps of
// a query_range fill (`rangeStepMs`), whose points are that far apart by construction.
qint64 maxGapMs(const Cluster &cluster, qint64 rangeStepMs)
{
    return std::max({3 * qint64(cluster.scrapeIntervalMs), qint64(30'000), 2 * rangeStepMs});
}

QString seriesNameOf(const KpiKey &key)
{
    return key.instance.isEmpty() ? key.target : key.instance;
}

} // namespace

const QList<qint64> &MainWindow::timeWindowsMs()
{
    static const QList<qint64> windows{5 * 60 * 1000, 15 * 60 * 1000, 60 * 60 * 1000, 6 * 60 * 60 * 1000};
    return windows;
}

MainWindow::MainWindow(const clusterdeck::Cluster &cluster, QWidget *parent)
    : QMainWindow(parent), m_cluster(cluster), m_model(new NodeStatusModel(this)),
      m_store(new clusterdeck::LiveSeriesStore(timeWindowsMs().last(), cluster.scrapeIntervalMs, this)),
      m_collector(new clusterdeck::Collector(cluster, this)),
      m_eventLog(new EventLogModel(EventLogModel::kDefaultCapacity, this)),
      m_logForwarding(std::make_unique<LogForwarding>(m_eventLog))
{
    setWindowTitle(tr("%1 — ClusterDeck").arg(cluster.name));
    m_model->setCluster(cluster);

    m_nodeView = new QTreeView;
    m_nodeView->setModel(m_model);
    m_nodeView->setRootIsDecorated(false);
    m_nodeView->setUniformRowHeights(true);
    m_nodeView->setAlternatingRowColors(true);
    m_nodeView->setSelectionBehavior(QAbstractItemView::SelectRows);
    for (int column : {NodeStatusModel::NameColumn, NodeStatusModel::StateColumn, NodeStatusModel::KpiColumn,
                       NodeStatusModel::LatencyColumn})
        m_nodeView->header()->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    m_nodeView->header()->setStretchLastSection(true);
    m_nodeView->expandAll();
    connect(m_model, &QAbstractItemModel::modelReset, m_nodeView, &QTreeView::expandAll);

    auto *eventView = new QTreeView;
    eventView->setObjectName(QStringLiteral("eventLog"));
    eventView->setModel(m_eventLog);
    eventView->setRootIsDecorated(false);
    eventView->setUniformRowHeights(true);
    eventView->setAlternatingRowColors(true);
    eventView->setSelectionBehavior(QAbstractItemView::SelectRows);
    eventView->setIconSize(QSize(12, 12));
    // Fit columns to the rows in sight only: the log holds up to its capacity and grows at the top.
    eventView->header()->setResizeContentsPrecision(0);
    for (int column : {EventLogModel::TimeColumn, EventLogModel::SeverityColumn, EventLogModel::SourceColumn})
        eventView->header()->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    eventView->header()->setStretchLastSection(true);
    m_eventsTitle = new QLabel;
    updateEventsTitle();
    connect(m_eventLog, &EventLogModel::droppedCountChanged, this, &MainWindow::updateEventsTitle);
    auto *eventPane = new QWidget;
    auto *eventLayout = new QVBoxLayout(eventPane);
    eventLayout->setContentsMargins(0, 0, 0, 0);
    eventLayout->addWidget(m_eventsTitle);
    eventLayout->addWidget(eventView);

    // One colour per target across every chart, in the inventory's order.
    int colorIndex = 0;
    for (const clusterdeck::Gateway &gateway : cluster.gateways)
        m_nodeColors.insert(gateway.name, LiveChart::paletteColor(colorIndex++));
    for (const clusterdeck::Node &node : cluster.nodes)
        m_nodeColors.insert(node.name, LiveChart::paletteColor(colorIndex++));

    auto *tables = new QSplitter(Qt::Vertical);
    tables->addWidget(m_nodeView);
    tables->addWidget(eventPane);
    tables->setStretchFactor(0, 2);
    tables->setStretchFactor(1, 1);
    auto *overviewBody = new QSplitter(Qt::Horizontal);
    overviewBody->addWidget(createCharts());
    overviewBody->addWidget(tables);
    overviewBody->setStretchFactor(0, 3);
    overviewBody->setStretchFactor(1, 2);
    auto *overview = new QWidget;
    overview->setObjectName(QStringLiteral("overviewPage"));
    auto *overviewLayout = new QVBoxLayout(overview);
    overviewLayout->setContentsMargins(0, 0, 0, 0);
    overviewLayout->addWidget(createHeader());
    overviewLayout->addWidget(overviewBody, 1);

    QStringList targets;
    for (const clusterdeck::Gateway &gateway : cluster.gateways)
        targets.append(gateway.name);
    for (const clusterdeck::Node &node : cluster.nodes)
        targets.append(node.name);
    m_nodePage = new NodePage(cluster, m_store);
    m_nodePage->setSeriesColors(m_nodeColors);
    m_nodePage->setWindowMs(m_windowMs);
    m_pages = new PageStack;
    m_pages->addPage(QStringLiteral("overview"), overview);
    m_pages->setNodePage(m_nodePage, targets);
    m_sidebar = new Sidebar(m_model);
    m_sidebar->addPage(QStringLiteral("overview"), tr("Overview"));
    m_sidebar->setCurrentPage(QStringLiteral("overview"));
    connect(m_sidebar, &Sidebar::pageRequested, this, &MainWindow::showPage);
    for (const clusterdeck::Node &node : cluster.nodes)
        if (node.role == clusterdeck::NodeRole::Was && !node.upstream.isEmpty())
            m_drainable.append(node.name);
    m_sidebar->setDrainableTargets(m_drainable);
    connect(m_sidebar, &Sidebar::drainRequested, this,
            [this](const QString &node) { openDrainDialog(node, true); });
    connect(m_sidebar, &Sidebar::readmitRequested, this,
            [this](const QString &node) { openDrainDialog(node, false); });
    connect(m_nodePage, &NodePage::drainRequested, this,
            [this](const QString &node) { openDrainDialog(node, true); });
    connect(m_nodePage, &NodePage::readmitRequested, this,
            [this](const QString &node) { openDrainDialog(node, false); });
    connect(m_pages, &PageStack::pageShown, m_sidebar, &Sidebar::setCurrentPage);
    // The collector hands over the parsed page of the target whose page is open (shared, not copied).
    connect(m_pages, &PageStack::pageShown, this, [this](const QString &id) {
        m_collector->setBrowsedTarget(id.startsWith(QLatin1String("node:")) ? id.mid(5) : QString());
        if (id.startsWith(QLatin1String("node:")))
            selectTarget(id.mid(5));
    });
    connect(m_collector, &clusterdeck::Collector::roundFinished, m_nodePage,
            [this](const clusterdeck::CollectionRound &round) {
                if (round.browsedPage.page)
                    m_nodePage->setRawPage(round.browsedPage);
            });
    createToolBar();

    auto *body = new QSplitter(Qt::Horizontal);
    body->setObjectName(QStringLiteral("bodySplitter"));
    body->addWidget(m_sidebar);
    body->addWidget(m_pages);
    body->setStretchFactor(1, 1);
    body->setSizes({220, 1140});
    setCentralWidget(body);
    createShortcuts();

    const QString source =
        cluster.metricsSource == clusterdeck::MetricsSource::Prometheus
            ? tr("KPIs from Prometheus at %1").arg(clusterdeck::redactUrl(cluster.prometheusUrl))
            : tr("KPIs scraped directly");
    createStatusBar();
    auto *sourceLabel =
        new QLabel(cluster.metricsSource == clusterdeck::MetricsSource::Prometheus ? tr("source: Prometheus")
                                                                                   : tr("source: direct"));
    sourceLabel->setObjectName(QStringLiteral("sourceLabel"));
    sourceLabel->setToolTip(tr("%1 · every %2 s · %3")
                                .arg(source)
                                .arg(cluster.scrapeIntervalMs / 1000.0)
                                .arg(QFileInfo(cluster.sourceFile).fileName()));
    statusBar()->addPermanentWidget(sourceLabel);
    resize(1440, 900);

    connect(m_model, &NodeStatusModel::stateChanged, this, &MainWindow::logStateChange);
    // A node's shown state changes with a probe, a KPI batch or Caddy's rotation: the legends, the node page,
    // the up tile and the toolbar follow.
    connect(m_model, &QAbstractItemModel::dataChanged, this, &MainWindow::onShownStatesChanged);
    m_rotation = new GatewayRotationPoller(cluster, this);
    connect(m_rotation, &GatewayRotationPoller::viewsUpdated, m_model, &NodeStatusModel::updateGatewayViews);
    connect(m_collector, &clusterdeck::Collector::statusesUpdated, this, &MainWindow::onStatuses);
    connect(m_collector, &clusterdeck::Collector::kpisUpdated, this, &MainWindow::onKpis);
    connect(m_collector, &clusterdeck::Collector::scrapeErrors, this, &MainWindow::onCollectionErrors);
    connect(m_store, &clusterdeck::LiveSeriesStore::pointsAppended, this, &MainWindow::onStoredPoints);
    if (cluster.metricsSource == clusterdeck::MetricsSource::Prometheus) {
        // How long Prometheus takes to answer, and how often a poll outlasted the interval.
        auto *promPoll = new QLabel(tr("waiting for Prometheus…"));
        promPoll->setObjectName(QStringLiteral("promPollLabel"));
        statusBar()->addPermanentWidget(promPoll);
        connect(m_collector, &clusterdeck::Collector::promPollStatsUpdated, promPoll,
                [promPoll](const clusterdeck::PromPollStats &stats) {
                    if (stats.completed == 0)
                        return;
                    QString text = tr("Prometheus answers in %1 ms").arg(stats.answerMs);
                    if (stats.skipped > 0)
                        text += tr(" · %n poll(s) skipped", nullptr, int(stats.skipped));
                    promPoll->setText(text);
                    promPoll->setToolTip(tr("Last poll: %1 queries in %2 ms, %3 failed; %4 polls completed")
                                             .arg(stats.queries)
                                             .arg(stats.pollMs)
                                             .arg(stats.failedQueries)
                                             .arg(stats.completed));
                });
    }
    m_collector->setLiveSeriesStore(m_store);
    connect(m_collector, &clusterdeck::Collector::rangeFilled, this,
            [this](quint64 id, const clusterdeck::KpiPoints &points, const QStringList &errors) {
                if (id != m_rangeRequest)
                    return; // the window changed again since
                for (const QString &error : errors)
                    onCollectionErrors(
                        {clusterdeck::ScrapeFailure{QStringLiteral("prometheus"), QString(), error,
                                                    QDateTime::currentMSecsSinceEpoch()}});
                ++m_rangeFillsApplied;
                refillCharts(points);
                m_nodePage->setOlderPoints(points, m_rangeStepMs);
            });
    // Back-fills the charts from the history file, then records every round on its own writer thread.
    m_history = new HistorySession(cluster, m_store, this);
    m_history->attach(m_collector);
    statusBar()->addPermanentWidget(m_history->statusLabel());
    createAlerts(m_history);
    m_collector->start();
    m_rotation->start();
}

clusterdeck::DrainDialog *MainWindow::openDrainDialog(const QString &node, bool drain)
{
    auto *dialog = new clusterdeck::DrainDialog(
        m_cluster, node, drain ? clusterdeck::ConfigAction::Drain : clusterdeck::ConfigAction::Readmit,
        m_history, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    return dialog;
}

MainWindow::~MainWindow()
{
    m_collector->stop(); // before the store it writes into goes away
}

QWidget *MainWindow::createHeader()
{
    auto *header = new QWidget;
    auto *layout = new QHBoxLayout(header);
    layout->setContentsMargins(4, 0, 4, 4);
    auto *title = new QLabel(m_cluster.name);
    QFont titleFont = title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.6);
    titleFont.setBold(true);
    title->setFont(titleFont);
    m_updatedLabel = new QLabel(tr("waiting for the first scrape…"));
    m_updatedLabel->setForegroundRole(QPalette::PlaceholderText);
    auto *titleBox = new QVBoxLayout;
    titleBox->addWidget(title);
    titleBox->addWidget(m_updatedLabel);
    layout->addLayout(titleBox);
    layout->addSpacing(16);

    m_upTile = new KpiTile(tr("Targets up"));
    m_tpsTile = new KpiTile(tr("Cluster TPS"));
    m_p95Tile = new KpiTile(
        tr("Worst p95 (target %1)")
            .arg(clusterdeck::formatKpiValue(
                KpiId::WasLatencyP95, clusterdeck::thresholdFor(KpiId::WasLatencyP95, m_cluster).value)));
    m_errorTile = new KpiTile(tr("Error ratio (5xx)"));
    m_lagTile = new KpiTile(tr("Consumer lag"));
    for (KpiTile *tile : {m_upTile, m_tpsTile, m_p95Tile, m_errorTile, m_lagTile})
        layout->addWidget(tile);
    m_tpsTile->setObjectName(QStringLiteral("tile.tps"));
    m_p95Tile->setObjectName(QStringLiteral("tile.p95"));
    m_errorTile->setObjectName(QStringLiteral("tile.error_ratio"));
    m_lagTile->setObjectName(QStringLiteral("tile.lag"));
    using Combine = TileTrend::Combine;
    m_trends = {{m_tpsTile, kpiName(KpiId::ClusterTps), Combine::Cluster, {}},
                {m_p95Tile, kpiName(KpiId::WasLatencyP95), Combine::Max, {}},
                {m_errorTile, kpiName(KpiId::ClusterErrorRatio), Combine::Cluster, {}},
                {m_lagTile, kpiName(KpiId::KafkaConsumerLag), Combine::Sum, {}}};
    layout->addStretch(1);
    m_windowPicker = new QComboBox;
    m_windowPicker->setObjectName(QStringLiteral("timeWindow"));
    for (const QString &label : {tr("5 min"), tr("15 min"), tr("1 hour"), tr("6 hours")})
        m_windowPicker->addItem(label);
    m_windowPicker->setToolTip(tr("Time window of the charts (Alt+1 … Alt+4)"));
    connect(m_windowPicker, &QComboBox::currentIndexChanged, this,
            [this](int index) { setTimeWindowMs(timeWindowsMs().value(index, timeWindowsMs().first())); });
    layout->addWidget(new QLabel(tr("Window:")));
    layout->addWidget(m_windowPicker);
    updateTiles();
    return header;
}

QWidget *MainWindow::createCharts()
{
    auto *charts = new QWidget;
    auto *grid = new QGridLayout(charts);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setSpacing(2);
    m_tpsChart = new LiveChart(tr("Requests per second by WAS node"), tr("req/s"));
    m_tpsChart->setObjectName(QStringLiteral("chart.tps"));
    m_tpsChart->setProperty("kpi", kpiName(KpiId::WasTps));
    m_latencyChart = new LiveChart(tr("WAS latency p50 / p95 / p99 by node"), tr("s"));
    m_latencyChart->setObjectName(QStringLiteral("chart.latency"));
    m_latencyChart->setProperty("kpi", kpiName(KpiId::WasLatencyP95));
    m_latencyChart->setLabelFormat(QStringLiteral("%.1f"));
    // Three quantiles per node in the node's colour: p50 lighter, p99 darker.
    const std::pair<KpiId, int> quantiles[] = {
        {KpiId::WasLatencyP50, 160}, {KpiId::WasLatencyP95, 100}, {KpiId::WasLatencyP99, 60}};
    QHash<QString, QColor> latencyColors;
    for (const auto &[id, shade] : quantiles) {
        const QString suffix = QLatin1Char(' ') + kpiLabel(id);
        m_feeds.insert(kpiName(id), ChartFeed{m_latencyChart, suffix});
        for (const clusterdeck::Node &node : m_cluster.nodes) {
            const QColor color = m_nodeColors.value(node.name);
            latencyColors.insert(node.name + suffix, shade > 100   ? color.lighter(shade)
                                                     : shade < 100 ? color.darker(10000 / shade)
                                                                   : color);
        }
    }
    const double p95Target = clusterdeck::thresholdFor(KpiId::WasLatencyP95, m_cluster).value;
    m_latencyChart->setThreshold(
        p95Target, tr("target %1").arg(clusterdeck::formatKpiValue(KpiId::WasLatencyP95, p95Target)));
    m_lagChart = new LiveChart(tr("Consumer lag by group"), tr("msgs"));
    m_lagChart->setObjectName(QStringLiteral("chart.lag"));
    m_lagChart->setProperty("kpi", kpiName(KpiId::KafkaConsumerLag));
    m_tpsChart->setMinimumTop(10);
    m_lagChart->setMinimumTop(10);
    m_feeds.insert(kpiName(KpiId::WasTps), ChartFeed{m_tpsChart, QString()});
    m_feeds.insert(kpiName(KpiId::KafkaConsumerLag), ChartFeed{m_lagChart, QString()});
    m_charts = {m_tpsChart, m_latencyChart};
    for (const ChartSpec &spec : kMoreCharts) {
        auto *chart = new LiveChart(tr(spec.title), tr(spec.unit));
        chart->setObjectName(QLatin1String(spec.objectName));
        chart->setProperty("kpi", kpiName(spec.kpi));
        chart->setProperty("scale", spec.scale);
        chart->setLabelFormat(QLatin1String(spec.labelFormat));
        chart->setMinimumTop(spec.minimumTop);
        chart->setStacked(spec.stacked);
        if (const KpiThreshold limit = thresholdFor(spec.kpi, m_cluster); limit.isSet())
            chart->setThreshold(limit.value * spec.scale,
                                tr("limit %1").arg(formatThreshold(spec.kpi, limit)));
        m_feeds.insert(kpiName(spec.kpi), ChartFeed{chart, QString(), spec.scale, spec.stacked});
        m_charts.append(chart);
        if (spec.kpi == KpiId::WasErrorRatio)
            m_charts.append(m_lagChart); // lag next to errors: the two that say "users wait"
    }
    // Traffic first (WAS, gateway), then latency across the whole width (three quantiles per node need the
    // room for their legend), then the rest in pairs.
    m_charts.move(m_charts.indexOf(m_latencyChart), 2);
    int cell = 0;
    for (LiveChart *chart : std::as_const(m_charts)) {
        const std::optional<KpiId> kpi = kpiIdFromName(chart->property("kpi").toString());
        const double scale = chart->property("scale").isValid() ? chart->property("scale").toDouble() : 1.0;
        chart->setWindowMs(m_windowMs);
        chart->setSeriesColors(chart == m_latencyChart ? latencyColors : m_nodeColors);
        // The tooltip gives the exact value in the KPI's own unit (bytes as "12.3 MiB").
        if (kpi)
            chart->setValueFormatter(
                [id = *kpi, scale](double value) { return formatKpiValue(id, value / scale); });
        chart->setMinimumHeight(200);
        // Both sources send NaN for a missed scrape. This also breaks the line where nothing came at all for
        // a long while (Prometheus not answering, a stalled collector), but not where a slow Prometheus only
        // spaces its polls out: its values still describe the time between them.
        chart->setMaxGapMs(maxGapMs(m_cluster, 0));
        if (chart == m_latencyChart) {
            cell += cell % 2; // a row of its own
            grid->addWidget(chart, cell / 2, 0, 1, 2);
            cell += 2;
            continue;
        }
        grid->addWidget(chart, cell / 2, cell % 2);
        ++cell;
    }
    auto *scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(charts);
    return scroll;
}

LiveChart *MainWindow::overviewChart(const QString &objectName) const
{
    for (LiveChart *chart : m_charts) {
        if (chart->objectName() == objectName)
            return chart;
    }
    return nullptr;
}

bool MainWindow::showPage(const QString &id)
{
    return m_pages->showPage(id);
}

void MainWindow::setTimeWindowMs(qint64 windowMs)
{
    if (windowMs == m_windowMs)
        return;
    m_windowMs = windowMs;
    const int index = int(timeWindowsMs().indexOf(windowMs));
    if (index >= 0 && m_windowPicker->currentIndex() != index)
        m_windowPicker->setCurrentIndex(index);
    refillCharts();
    m_nodePage->setWindowMs(windowMs);
    requestRangeFill();
}

// Prometheus mode: the live store holds what was polled since start-up (and a 15 min back-fill); a longer
// window is filled from query_range over the whole window, at a step of about one pixel column of a chart.
void MainWindow::requestRangeFill()
{
    if (m_cluster.metricsSource != clusterdeck::MetricsSource::Prometheus)
        return;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const int columns = std::max(300, m_tpsChart->width() - 80);
    m_rangeStepMs = std::max<qint64>(m_cluster.scrapeIntervalMs, m_windowMs / columns);
    m_collector->fillRange(++m_rangeRequest, now - m_windowMs, now, int(m_rangeStepMs));
}

// Fills the overview charts again from the live store (itself back-filled from history at start-up) over the
// current window.
void MainWindow::refillCharts(const clusterdeck::KpiPoints &older)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (TileTrend &trend : m_trends)
        trend.values.clear();
    for (LiveChart *chart : std::as_const(m_charts)) {
        chart->clearPoints();
        chart->setWindowMs(m_windowMs);
        chart->setMaxGapMs(maxGapMs(m_cluster, older.isEmpty() ? 0 : m_rangeStepMs));
    }
    onStoredPoints(windowPoints(*m_store, now - m_windowMs, older));
}

// The alerts page after the overview, its sidebar entry counting the firing alerts; every transition goes to
// the history file (firing and resolve to the tray: WindowAlerts).
void MainWindow::createAlerts(HistorySession *history)
{
    m_alerts = new WindowAlerts(m_cluster, m_model, this);
    m_alerts->attach(m_collector);
    AlertMonitor *monitor = m_alerts->monitor();
    m_alertsPage = new AlertsPage(monitor->model());
    m_pages->addPage(QStringLiteral("alerts"), m_alertsPage);
    m_sidebar->addPage(QStringLiteral("alerts"), m_alertsPage->title());
    connect(m_alertsPage, &AlertsPage::titleChanged, m_sidebar,
            [this](const QString &title) { m_sidebar->setPageTitle(QStringLiteral("alerts"), title); });
    connect(monitor, &AlertMonitor::transitioned, history, [history](const AlertTransition &transition) {
        history->recordEvent(alertHistoryEvent(transition, QStringLiteral("clusterdeck")));
    });
    connect(monitor, &AlertMonitor::lagStatusesUpdated, this,
            [this](const QList<ConsumerLagStatus> &statuses) {
                m_lagStatuses = statuses;
                updateLagTile();
            });
}

void MainWindow::createShortcuts()
{
    // Pages: Ctrl+1 the overview, Ctrl+2 the alerts, Ctrl+PgDown / Ctrl+PgUp the next and
    // previous target; Ctrl+F the target filter; Alt+1 … Alt+4 the time windows.
    auto *overview = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_1), this);
    connect(overview, &QShortcut::activated, this, [this] { showPage(QStringLiteral("overview")); });
    connect(new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_2), this), &QShortcut::activated, this,
            [this] { showPage(QStringLiteral("alerts")); });
    auto *filter = new QShortcut(QKeySequence::Find, this);
    connect(filter, &QShortcut::activated, m_sidebar, &Sidebar::focusFilter);
    const auto stepTarget = [this](int step) {
        const QStringList ids = m_pages->pageIds();
        QStringList nodes;
        for (const QString &id : ids) {
            if (id.startsWith(QLatin1String("node:")))
                nodes.append(id);
        }
        if (nodes.isEmpty())
            return;
        const int at = int(nodes.indexOf(m_pages->currentPageId()));
        const int next =
            at < 0 ? (step > 0 ? 0 : int(nodes.size()) - 1) : int((at + step + nodes.size()) % nodes.size());
        showPage(nodes[next]);
    };
    connect(new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_PageDown), this), &QShortcut::activated, this,
            [stepTarget] { stepTarget(1); });
    connect(new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_PageUp), this), &QShortcut::activated, this,
            [stepTarget] { stepTarget(-1); });
    const QList<Qt::Key> keys{Qt::Key_1, Qt::Key_2, Qt::Key_3, Qt::Key_4};
    for (int i = 0; i < keys.size(); ++i) {
        auto *shortcut = new QShortcut(QKeySequence(Qt::ALT | keys[i]), this);
        connect(shortcut, &QShortcut::activated, this, [this, i] { setTimeWindowMs(timeWindowsMs()[i]); });
    }
}

void MainWindow::createStatusBar()
{
    m_upLabel = new QLabel;
    m_upLabel->setObjectName(QStringLiteral("targetsUpLabel"));
    m_scrapeAgeLabel = new QLabel;
    m_scrapeAgeLabel->setObjectName(QStringLiteral("scrapeAgeLabel"));
    statusBar()->addPermanentWidget(m_upLabel);
    statusBar()->addPermanentWidget(m_scrapeAgeLabel);
    auto *ticker = new QTimer(this);
    connect(ticker, &QTimer::timeout, this, &MainWindow::updateStatusBar);
    ticker->start(1000);
    updateStatusBar();
}

void MainWindow::updateStatusBar()
{
    m_upLabel->setText(tr("targets up %1/%2").arg(m_model->upCount()).arg(m_model->targetCount()));
    if (m_lastScrapeMs == 0) {
        m_scrapeAgeLabel->setText(tr("no scrape yet"));
        return;
    }
    const qint64 age = std::max<qint64>(0, QDateTime::currentMSecsSinceEpoch() - m_lastScrapeMs) / 1000;
    m_scrapeAgeLabel->setText(tr("last scrape %1 s ago").arg(age));
    // Late by more than two intervals: the collector is stuck or every target times out.
    m_scrapeAgeLabel->setStyleSheet(age * 1000 > 2 * qint64(m_cluster.scrapeIntervalMs) + 5000
                                        ? QStringLiteral("color: %1").arg(StatusDot::downColor().name())
                                        : QString());
}

void MainWindow::onStatuses(const QList<TargetStatus> &statuses)
{
    m_model->updateStatuses(statuses);
    for (const TargetStatus &status : statuses) {
        m_nodePage->updateStatus(m_model->status(status.name)); // with its gateways' word
        m_lastScrapeMs = std::max(m_lastScrapeMs, status.checkedAtMs);
    }
    // The time axes move on when no point comes at all (every target down), so the charts show the outage.
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (LiveChart *chart : std::as_const(m_charts))
        chart->refresh(now);
    updateStatusBar();
    m_updatedLabel->setText(tr("updated %1 · every %2 s")
                                .arg(QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss")))
                                .arg(m_cluster.scrapeIntervalMs / 1000.0));
    updateTiles();
}

void MainWindow::onKpis(const clusterdeck::KpiPoints &points)
{
    m_model->updateKpis(points);
    updateTiles();
}

void MainWindow::onStoredPoints(const clusterdeck::KpiPoints &batch)
{
    for (const clusterdeck::KpiPoint &point : batch) {
        // Cluster-wide sums are tiles; the charts show each target (or its instances).
        if (point.key.target == clusterdeck::clusterTarget())
            continue;
        for (auto feed = m_feeds.constFind(point.key.kpi);
             feed != m_feeds.cend() && feed.key() == point.key.kpi; ++feed) {
            if (feed->instancesOnly && point.key.instance.isEmpty())
                continue; // a stack's total is its top edge
            feed->chart->appendPoint(seriesNameOf(point.key) + feed->suffix, point.timestampMs,
                                     point.value * feed->scale);
        }
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (LiveChart *chart : std::as_const(m_charts))
        chart->refresh(now);
    updateTrends(batch, now);
    if (m_pages->currentWidget() == m_nodePage)
        m_nodePage->appendPoints(batch, now);
}

void MainWindow::updateTrends(const clusterdeck::KpiPoints &batch, qint64 nowMs)
{
    using Combine = TileTrend::Combine;
    for (TileTrend &trend : m_trends) {
        bool touched = false;
        for (const clusterdeck::KpiPoint &point : batch) {
            if (point.key.kpi != trend.kpi)
                continue;
            const bool cluster = point.key.target == clusterdeck::clusterTarget();
            if (trend.combine == Combine::Cluster
                    ? !cluster
                    : cluster || point.key.instance.isEmpty() != (trend.combine == Combine::Max))
                continue;
            touched = true;
            const auto found = trend.values.find(point.timestampMs);
            if (found == trend.values.end() || std::isnan(*found))
                trend.values.insert(point.timestampMs, point.value);
            else if (trend.combine == Combine::Max && point.value > *found)
                *found = point.value;
            else if (trend.combine == Combine::Sum)
                addIgnoringNaN(*found, point.value);
        }
        if (!touched)
            continue;
        const qint64 oldest = nowMs - m_windowMs;
        while (!trend.values.isEmpty() && trend.values.firstKey() < oldest)
            trend.values.erase(trend.values.begin());
        QList<QPointF> points;
        points.reserve(trend.values.size());
        for (auto it = trend.values.cbegin(); it != trend.values.cend(); ++it)
            points.append(QPointF(double(it.key()), it.value()));
        trend.tile->setTrend(points, oldest, nowMs);
    }
}

void MainWindow::onCollectionErrors(const QList<clusterdeck::ScrapeFailure> &errors)
{
    // A target's failed scrape already shows on its row; what has no row (the Prometheus server, a bad
    // metric_names entry) goes to the event log, once per distinct message.
    for (const clusterdeck::ScrapeFailure &error : errors) {
        if (m_model->indexOfTarget(error.target).isValid())
            continue;
        const QString text = QStringLiteral("%1: %2").arg(error.target, error.reason);
        if (text == m_lastCollectionError)
            continue;
        m_lastCollectionError = text;
        qCDebug(lcUi).noquote() << text;
        m_eventLog->append(LogEvent{QDateTime::fromMSecsSinceEpoch(error.timestampMs),
                                    LogEvent::Severity::Warning, error.target, error.reason});
    }
}

void MainWindow::updateTiles()
{
    using Level = KpiTile::Level;
    const auto breached = [this](KpiId id, double value) {
        return clusterdeck::thresholdFor(id, m_cluster).breachedBy(value);
    };
    const int up = m_model->upCount();
    const int total = m_model->targetCount();
    // Out of rotation on purpose (DRAINING, DRAINED, MAINT) is a warning, not an outage; the tile names them.
    QStringList notUp;
    bool anyDown = false;
    for (const clusterdeck::Node &node : m_cluster.nodes) {
        const TargetStatus status = m_model->status(node.name);
        if (status.state == TargetStatus::State::Up || status.state == TargetStatus::State::Unknown)
            continue;
        anyDown = anyDown || status.state == TargetStatus::State::Down;
        notUp.append(QStringLiteral("%1 %2").arg(node.name, targetStateStyle(status).label));
    }
    m_upTile->setValue(QStringLiteral("%1 / %2").arg(up).arg(total),
                       up == total                  ? Level::Good
                       : anyDown || notUp.isEmpty() ? Level::Bad
                                                    : Level::Warning,
                       shortList(notUp, 1));
    m_upTile->setToolTip(notUp.join(QLatin1Char('\n')));

    const QString cluster = clusterdeck::clusterTarget();
    const double tps = m_model->kpiValue(cluster, KpiId::ClusterTps);
    m_tpsTile->setValue(clusterdeck::formatKpiValue(KpiId::ClusterTps, tps));

    double worst = std::nan("");
    QString worstNode;
    for (const clusterdeck::Node &node : m_cluster.nodes) {
        const double value = m_model->kpiValue(node.name, KpiId::WasLatencyP95);
        if (!std::isnan(value) && (std::isnan(worst) || value > worst)) {
            worst = value;
            worstNode = node.name;
        }
    }
    m_p95Tile->setValue(clusterdeck::formatKpiValue(KpiId::WasLatencyP95, worst),
                        std::isnan(worst)                       ? Level::Neutral
                        : breached(KpiId::WasLatencyP95, worst) ? Level::Bad
                                                                : Level::Good,
                        worstNode);

    const double errors = m_model->kpiValue(cluster, KpiId::ClusterErrorRatio);
    m_errorTile->setValue(clusterdeck::formatKpiValue(KpiId::ClusterErrorRatio, errors),
                          std::isnan(errors)                           ? Level::Neutral
                          : breached(KpiId::ClusterErrorRatio, errors) ? Level::Bad
                                                                       : Level::Good);

    updateLagTile();
}

void MainWindow::updateLagTile()
{
    using Level = KpiTile::Level;
    // The sum over the groups whose lag is known; a group without a committed offset has no lag to add, and
    // saying which ones they are beats blanking the tile.
    double lag = std::nan("");
    QStringList withoutOffsets;
    int queues = 0;
    for (const clusterdeck::Node &node : m_cluster.nodes)
        queues += node.role == NodeRole::Kafka ? 1 : 0;
    for (const clusterdeck::Node &node : m_cluster.nodes) {
        if (node.role != NodeRole::Kafka)
            continue;
        addIgnoringNaN(lag, m_model->kpiValue(node.name, KpiId::KafkaConsumerLag));
        for (const QString &group : m_model->instancesWithoutValue(node.name, KpiId::KafkaConsumerLag))
            withoutOffsets.append(queues > 1 ? node.name + QLatin1Char('/') + group : group);
    }
    const clusterdeck::KpiThreshold limit = clusterdeck::thresholdFor(KpiId::KafkaConsumerLag, m_cluster);
    // Each group's lag status (Burrow's rules, from the alert engine) next to the sum: the groups not OK on
    // the tile, every group in the tooltip.
    QStringList notOk;
    QStringList statusLines;
    LagStatus worst = LagStatus::Ok;
    for (const ConsumerLagStatus &group : std::as_const(m_lagStatuses)) {
        const QString name = queues > 1 ? group.target + QLatin1Char('/') + group.group : group.group;
        statusLines.append(tr("%1: %2 (lag %3): %4")
                               .arg(name, lagStatusName(group.status),
                                    clusterdeck::formatKpiValue(KpiId::KafkaConsumerLag, group.lag),
                                    lagStatusExplanation(group.status)));
        if (group.status == LagStatus::Ok || group.status == LagStatus::NoData)
            continue;
        notOk.append(QStringLiteral("%1 %2").arg(name, lagStatusName(group.status)));
        if (group.status != LagStatus::Warning || worst == LagStatus::Ok)
            worst = group.status;
    }
    QStringList notes;
    if (!notOk.isEmpty())
        notes.append(shortList(notOk, 1));
    else if (!m_lagStatuses.isEmpty())
        notes.append(lagStatusName(LagStatus::Ok));
    if (!withoutOffsets.isEmpty())
        notes.append(tr("no offsets: %1").arg(shortList(withoutOffsets)));
    const Level level = worst == LagStatus::Stalled || worst == LagStatus::Stopped ? Level::Bad
                        : worst == LagStatus::Warning || (!std::isnan(lag) && limit.breachedBy(lag))
                            ? Level::Warning
                        : std::isnan(lag) ? Level::Neutral
                                          : Level::Good;
    m_lagTile->setValue(clusterdeck::formatKpiValue(KpiId::KafkaConsumerLag, lag), level,
                        notes.join(QStringLiteral(" · ")));
    QString tip = tr("Messages not yet consumed, summed over the consumer groups with committed offsets "
                     "(warning above %1).")
                      .arg(limit.value);
    if (!statusLines.isEmpty())
        tip += QLatin1Char('\n') + tr("Lag status per group:") + QLatin1Char('\n') +
               statusLines.join(QLatin1Char('\n'));
    if (!withoutOffsets.isEmpty())
        tip += QLatin1Char('\n') + tr("Without a committed offset (lag unknown, not counted): %1")
                                       .arg(withoutOffsets.join(QStringLiteral(", ")));
    m_lagTile->setToolTip(tip);
}

void MainWindow::createToolBar()
{
    auto *toolBar = addToolBar(tr("Actions"));
    toolBar->setObjectName(QStringLiteral("actionsToolBar"));
    toolBar->setMovable(false);
    m_drainAction = toolBar->addAction(tr("Drain…"));
    m_drainAction->setObjectName(QStringLiteral("drainAction"));
    connect(m_drainAction, &QAction::triggered, this, [this] {
        if (!m_drainable.contains(m_selectedTarget))
            return;
        openDrainDialog(m_selectedTarget, !m_drainAction->property("readmit").toBool());
    });
    // The overview's table selects a target too, without leaving the overview.
    connect(m_nodeView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                if (current.parent().isValid())
                    selectTarget(current.siblingAtColumn(NodeStatusModel::NameColumn).data().toString());
            });
    updateDrainAction();
}

void MainWindow::selectTarget(const QString &name)
{
    m_selectedTarget = name;
    updateDrainAction();
}

void MainWindow::updateDrainAction()
{
    if (!m_drainAction)
        return;
    const bool was = m_drainable.contains(m_selectedTarget);
    const TargetStatus::State state = m_model->status(m_selectedTarget).state;
    const bool readmit =
        was && (state == TargetStatus::State::Draining || state == TargetStatus::State::Drained ||
                state == TargetStatus::State::Maint);
    m_drainAction->setEnabled(was);
    m_drainAction->setProperty("readmit", readmit);
    m_drainAction->setText(!was      ? tr("Drain…")
                           : readmit ? tr("Readmit %1…").arg(m_selectedTarget)
                                     : tr("Drain %1…").arg(m_selectedTarget));
    m_drainAction->setToolTip(
        was ? tr("Take %1 out of the gateway's rotation, or put it back (a dialog shows "
                 "the plan first)")
                  .arg(m_selectedTarget)
            : tr("Select a WAS node to drain or readmit it"));
}

void MainWindow::onShownStatesChanged()
{
    // Chart legends name a node's state when it is not UP: "was2 · DRAINED".
    bool changed = false;
    for (const clusterdeck::Node &node : m_cluster.nodes) {
        const TargetStatus status = m_model->status(node.name);
        const QString legend =
            status.state == TargetStatus::State::Up || status.state == TargetStatus::State::Unknown
                ? node.name
                : tr("%1 · %2").arg(node.name, targetStateStyle(status).label);
        for (LiveChart *chart : std::as_const(m_charts)) {
            if (chart->seriesLegend(node.name) != legend) {
                chart->setSeriesLegend(node.name, legend);
                changed = true;
            }
        }
    }
    if (const TargetStatus shown = m_model->status(m_nodePage->target()); shown.checkedAtMs > 0)
        m_nodePage->updateStatus(shown);
    updateDrainAction();
    if (changed)
        updateTiles();
}

void MainWindow::updateEventsTitle()
{
    const qint64 dropped = m_eventLog->droppedCount();
    m_eventsTitle->setText(
        dropped == 0 ? tr("<b>Events</b>")
                     : tr("<b>Events</b> <span style='color: gray'>(newest %1; %2 older dropped)</span>")
                           .arg(m_eventLog->capacity())
                           .arg(dropped));
}

void MainWindow::logStateChange(const TargetStatus &previous, const TargetStatus &current)
{
    QString text =
        tr("%1 → %2").arg(clusterdeck::stateName(previous.state), clusterdeck::stateName(current.state));
    if (!current.reason.isEmpty())
        text += QStringLiteral("  (") + current.reason + QLatin1Char(')');
    qCDebug(lcUi).noquote() << current.name << text;
    const LogEvent::Severity severity = current.state == TargetStatus::State::Up ? LogEvent::Severity::Info
                                        : current.state == TargetStatus::State::Down
                                            ? LogEvent::Severity::Error
                                            : LogEvent::Severity::Warning;
    m_eventLog->append(
        LogEvent{QDateTime::fromMSecsSinceEpoch(current.checkedAtMs), severity, current.name, text});
}

} // namespace clusterdeck
