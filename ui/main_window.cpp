#include "main_window.h"

#include "common/url_text.h"
#include "console_log.h"
#include "history_session.h"
#include "kpi_tile.h"
#include "live_chart.h"
#include "log_forwarding.h"
#include "metrics/collector.h"
#include "metrics/kpi_catalog.h"
#include "metrics/live_series_store.h"
#include "models/event_log_model.h"
#include "models/node_status_model.h"

#include <QDateTime>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QStatusBar>
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

} // namespace

MainWindow::MainWindow(const clusterdeck::Cluster &cluster, QWidget *parent)
    : QMainWindow(parent), m_cluster(cluster), m_model(new NodeStatusModel(this)),
      m_store(new clusterdeck::LiveSeriesStore(clusterdeck::LiveSeriesStore::kDefaultWindowMs,
                                               cluster.scrapeIntervalMs, this)),
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

    auto *left = new QSplitter(Qt::Vertical);
    left->addWidget(m_nodeView);
    left->addWidget(eventPane);
    left->setStretchFactor(0, 3);
    left->setStretchFactor(1, 1);

    auto *body = new QSplitter(Qt::Horizontal);
    body->addWidget(left);
    body->addWidget(createCharts());
    body->setSizes({760, 600});

    auto *central = new QWidget;
    auto *layout = new QVBoxLayout(central);
    layout->addWidget(createHeader());
    layout->addWidget(body, 1);
    setCentralWidget(central);

    const QString source =
        cluster.metricsSource == clusterdeck::MetricsSource::Prometheus
            ? tr("KPIs from Prometheus at %1").arg(clusterdeck::redactUrl(cluster.prometheusUrl))
            : tr("KPIs scraped directly");
    statusBar()->showMessage(tr("Watching %1 targets every %2 s · %3 · %4")
                                 .arg(m_model->targetCount())
                                 .arg(cluster.scrapeIntervalMs / 1000.0)
                                 .arg(source, QFileInfo(cluster.sourceFile).fileName()));
    resize(1360, 820);

    connect(m_model, &NodeStatusModel::stateChanged, this, &MainWindow::logStateChange);
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
    // Back-fills the charts from the history file, then records every round on its own writer thread.
    auto *history = new HistorySession(cluster, m_store, this);
    history->attach(m_collector);
    statusBar()->addPermanentWidget(history->statusLabel());
    m_collector->start();
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
    m_updatedLabel->setStyleSheet(QStringLiteral("color: gray"));
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
    layout->addStretch(1);
    updateTiles();
    return header;
}

QWidget *MainWindow::createCharts()
{
    auto *charts = new QWidget;
    auto *layout = new QVBoxLayout(charts);
    layout->setContentsMargins(0, 0, 0, 0);
    m_tpsChart = new LiveChart(tr("Requests per second by WAS node"), tr("req/s"));
    m_latencyChart = new LiveChart(tr("p95 latency by WAS node"), tr("seconds"));
    m_latencyChart->setLabelFormat(QStringLiteral("%.1f"));
    const double p95Target = clusterdeck::thresholdFor(KpiId::WasLatencyP95, m_cluster).value;
    m_latencyChart->setThreshold(
        p95Target, tr("target %1").arg(clusterdeck::formatKpiValue(KpiId::WasLatencyP95, p95Target)));
    m_lagChart = new LiveChart(tr("Consumer lag by group"), tr("messages"));
    m_tpsChart->setMinimumTop(10);
    m_lagChart->setMinimumTop(10);
    for (LiveChart *chart : {m_tpsChart, m_latencyChart, m_lagChart}) {
        chart->setWindowMs(5 * 60 * 1000);
        // Both sources send NaN for a missed scrape. This also breaks the line where nothing came at all for
        // a long while (Prometheus not answering, a stalled collector), but not where a slow Prometheus only
        // spaces its polls out: its values still describe the time between them.
        chart->setMaxGapMs(std::max<qint64>(3 * qint64(m_cluster.scrapeIntervalMs), 30'000));
        layout->addWidget(chart, 1);
    }
    return charts;
}

void MainWindow::onStatuses(const QList<TargetStatus> &statuses)
{
    m_model->updateStatuses(statuses);
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
    const QString tps = clusterdeck::kpiName(KpiId::WasTps);
    const QString p95 = clusterdeck::kpiName(KpiId::WasLatencyP95);
    const QString lag = clusterdeck::kpiName(KpiId::KafkaConsumerLag);
    for (const clusterdeck::KpiPoint &point : batch) {
        if (point.key.kpi == tps)
            m_tpsChart->appendPoint(point.key.target, point.timestampMs, point.value);
        else if (point.key.kpi == p95)
            m_latencyChart->appendPoint(point.key.target, point.timestampMs, point.value);
        else if (point.key.kpi == lag)
            m_lagChart->appendPoint(point.key.instance.isEmpty() ? point.key.target : point.key.instance,
                                    point.timestampMs, point.value);
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (LiveChart *chart : {m_tpsChart, m_latencyChart, m_lagChart})
        chart->refresh(now);
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
    m_upTile->setValue(QStringLiteral("%1 / %2").arg(up).arg(total), up == total ? Level::Good : Level::Bad);

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
    m_lagTile->setValue(clusterdeck::formatKpiValue(KpiId::KafkaConsumerLag, lag),
                        std::isnan(lag)         ? Level::Neutral
                        : limit.breachedBy(lag) ? Level::Warning
                                                : Level::Good,
                        withoutOffsets.isEmpty() ? QString()
                                                 : tr("no offsets: %1").arg(shortList(withoutOffsets)));
    QString tip = tr("Messages not yet consumed, summed over the consumer groups with committed offsets "
                     "(warning above %1).")
                      .arg(limit.value);
    if (!withoutOffsets.isEmpty())
        tip += QLatin1Char('\n') + tr("Without a committed offset (lag unknown, not counted): %1")
                                       .arg(withoutOffsets.join(QStringLiteral(", ")));
    m_lagTile->setToolTip(tip);
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
