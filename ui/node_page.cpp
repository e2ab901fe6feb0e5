#include "node_page.h"

#include "live_chart.h"
#include "metrics/kpi_catalog.h"
#include "metrics/live_series_store.h"
#include "metrics/metric_page.h"
#include "models/raw_metrics_model.h"
#include "target_state_style.h"
#include "window_points.h"

#include <QDateTime>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>
#include <cmath>

namespace clusterdeck {

namespace {

KpiSource sourceOf(const Cluster &cluster, const QString &name)
{
    for (const Gateway &gateway : cluster.gateways) {
        if (gateway.name == name)
            return KpiSource::Gateway;
    }
    for (const Node &node : cluster.nodes) {
        if (node.name != name)
            continue;
        switch (node.role) {
        case NodeRole::Was:
            return KpiSource::Was;
        case NodeRole::Redis:
            return KpiSource::Redis;
        case NodeRole::Kafka:
            return KpiSource::Kafka;
        case NodeRole::Db:
            return KpiSource::Db;
        case NodeRole::Other:
            break;
        }
    }
    return KpiSource::Cluster;
}

// The value axis' title: the unit in words, so no axis goes without one.
QString axisUnit(KpiUnit unit)
{
    switch (unit) {
    case KpiUnit::PerSecond:
        return NodePage::tr("per second");
    case KpiUnit::Seconds:
        return NodePage::tr("seconds");
    case KpiUnit::Ratio:
        return NodePage::tr("ratio");
    case KpiUnit::Count:
        return NodePage::tr("count");
    case KpiUnit::Bytes:
        return NodePage::tr("bytes");
    case KpiUnit::State:
        return NodePage::tr("state");
    case KpiUnit::Boolean:
        return NodePage::tr("0 / 1");
    }
    return {};
}

QString seriesName(const KpiKey &key)
{
    return key.instance.isEmpty() ? key.target : key.instance;
}

} // namespace

NodePage::NodePage(const Cluster &cluster, LiveSeriesStore *store, QWidget *parent)
    : QWidget(parent), m_cluster(cluster), m_store(store), m_title(new QLabel), m_health(new QLabel),
      m_chartArea(new QWidget), m_grid(new QGridLayout(m_chartArea)), m_tabs(new QTabWidget),
      m_rawModel(new RawMetricsModel(this)), m_rawFilter(new RawMetricsFilter(this))
{
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.4);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_health->setObjectName(QStringLiteral("healthResponse"));
    m_health->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_health->setWordWrap(true);
    auto *scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(m_chartArea);
    auto *layout = new QVBoxLayout(this);
    auto *drain = new QPushButton(tr("Drain…"));
    drain->setObjectName(QStringLiteral("drainButton"));
    drain->setToolTip(tr("Take this node out of the gateway's rotation (runtime and config file)"));
    auto *readmit = new QPushButton(tr("Readmit…"));
    readmit->setObjectName(QStringLiteral("readmitButton"));
    readmit->setToolTip(tr("Put this node back into the gateway's rotation"));
    connect(drain, &QPushButton::clicked, this, [this] { emit drainRequested(m_target); });
    connect(readmit, &QPushButton::clicked, this, [this] { emit readmitRequested(m_target); });
    m_rotationButtons = new QWidget;
    auto *buttons = new QHBoxLayout(m_rotationButtons);
    buttons->setContentsMargins(0, 0, 0, 0);
    buttons->addWidget(drain);
    buttons->addWidget(readmit);
    auto *titleRow = new QHBoxLayout;
    titleRow->addWidget(m_title, 1);
    titleRow->addWidget(m_rotationButtons);
    layout->addLayout(titleRow);
    layout->addWidget(m_health);
    m_tabs->setObjectName(QStringLiteral("nodeTabs"));
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(scroll, tr("KPIs"));
    m_tabs->addTab(createRawTab(), tr("Raw metrics"));
    layout->addWidget(m_tabs, 1);
}

QWidget *NodePage::createRawTab()
{
    m_rawFilter->setSourceModel(m_rawModel);
    m_rawFilter->setDynamicSortFilter(true);
    m_rawNameFilter = new QLineEdit;
    m_rawNameFilter->setObjectName(QStringLiteral("rawNameFilter"));
    m_rawNameFilter->setPlaceholderText(tr("Filter by metric name…"));
    m_rawNameFilter->setClearButtonEnabled(true);
    m_rawLabelFilter = new QLineEdit;
    m_rawLabelFilter->setObjectName(QStringLiteral("rawLabelFilter"));
    m_rawLabelFilter->setPlaceholderText(tr("Filter by label (name=value)…"));
    m_rawLabelFilter->setClearButtonEnabled(true);
    connect(m_rawNameFilter, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_rawFilter->setNameFilter(text.trimmed());
        updateRawStatus();
    });
    connect(m_rawLabelFilter, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_rawFilter->setLabelFilter(text.trimmed());
        updateRawStatus();
    });
    m_rawStatus = new QLabel;
    m_rawStatus->setObjectName(QStringLiteral("rawStatus"));
    m_rawStatus->setForegroundRole(QPalette::PlaceholderText);
    auto *chartButton = new QPushButton(tr("Chart series"));
    chartButton->setObjectName(QStringLiteral("chartSeriesButton"));
    chartButton->setToolTip(tr("Chart the selected series over time (or double-click a row)"));
    auto *clearButton = new QPushButton(tr("Clear chart"));
    clearButton->setObjectName(QStringLiteral("clearChartButton"));

    m_rawView = new QTableView;
    m_rawView->setObjectName(QStringLiteral("rawMetricsView"));
    m_rawView->setModel(m_rawFilter);
    m_rawView->setSortingEnabled(true);
    m_rawView->sortByColumn(-1, Qt::AscendingOrder); // page order until a header is clicked
    m_rawView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_rawView->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_rawView->setAlternatingRowColors(true);
    m_rawView->setWordWrap(false);
    m_rawView->verticalHeader()->hide();
    m_rawView->verticalHeader()->setDefaultSectionSize(m_rawView->fontMetrics().height() + 6);
    m_rawView->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_rawView->horizontalHeader()->setStretchLastSection(false);
    m_rawView->horizontalHeader()->setSectionResizeMode(RawMetricsModel::LabelsColumn, QHeaderView::Stretch);
    m_rawView->setColumnWidth(RawMetricsModel::NameColumn, 320);
    m_rawView->setColumnWidth(RawMetricsModel::ValueColumn, 130);
    m_rawView->setColumnWidth(RawMetricsModel::TypeColumn, 80);
    const auto chartRows = [this](const QModelIndexList &rows) {
        for (const QModelIndex &row : rows)
            chartSeries(row.data(RawMetricsModel::SeriesKeyRole).toString());
    };
    connect(m_rawView, &QTableView::doubleClicked, this,
            [chartRows](const QModelIndex &index) { chartRows({index}); });
    connect(chartButton, &QPushButton::clicked, this,
            [this, chartRows] { chartRows(m_rawView->selectionModel()->selectedRows()); });
    connect(clearButton, &QPushButton::clicked, this, [this] {
        m_picked.clear();
        m_rawChartBox->layout()->removeWidget(m_rawChart);
        delete m_rawChart;
        m_rawChart = nullptr;
        resetRaw();
    });

    auto *filters = new QHBoxLayout;
    filters->addWidget(m_rawNameFilter, 2);
    filters->addWidget(m_rawLabelFilter, 2);
    filters->addWidget(m_rawStatus, 1);
    filters->addWidget(chartButton);
    filters->addWidget(clearButton);
    m_rawChartBox = new QWidget;
    auto *chartLayout = new QVBoxLayout(m_rawChartBox);
    chartLayout->setContentsMargins(0, 0, 0, 0);
    m_rawHint =
        new QLabel(tr("Double-click a series (or select rows and press Chart series) to chart it over "
                      "time while this page is open."));
    m_rawHint->setObjectName(QStringLiteral("rawHint"));
    m_rawHint->setForegroundRole(QPalette::PlaceholderText);
    m_rawHint->setAlignment(Qt::AlignCenter);
    chartLayout->addWidget(m_rawHint);
    auto *split = new QSplitter(Qt::Vertical);
    split->addWidget(m_rawView);
    split->addWidget(m_rawChartBox);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setSizes({520, 300});
    auto *tab = new QWidget;
    auto *layout = new QVBoxLayout(tab);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->addLayout(filters);
    layout->addWidget(split, 1);
    resetRaw();
    return tab;
}

// A fresh chart for the picked series (none yet); the table waits for the target's next scrape.
void NodePage::resetRaw()
{
    if (!m_rawChart) {
        m_rawChart =
            new LiveChart(tr("Picked series (raw values; double-click a row to add one)"), tr("value"));
        m_rawChart->setObjectName(QStringLiteral("rawChart"));
        m_rawChart->setMinimumHeight(200);
        m_rawChart->setLabelFormat(QStringLiteral("%.2f"));
        m_rawChart->setValueFormatter([](double value) { return QString::number(value, 'g', 15); });
        m_rawChartBox->layout()->addWidget(m_rawChart);
    }
    m_rawChart->setWindowMs(m_windowMs);
    m_rawChart->setMaxGapMs(std::max<qint64>(3 * qint64(m_cluster.scrapeIntervalMs), 30'000));
    // The chart once there is something to chart; until then, how to pick.
    m_rawChart->setVisible(!m_picked.isEmpty());
    m_rawHint->setVisible(m_picked.isEmpty());
    updateRawStatus();
}

void NodePage::showRawMetrics()
{
    m_tabs->setCurrentIndex(1);
}

void NodePage::updateRawStatus()
{
    if (!m_rawModel->page()) {
        m_rawStatus->setText(tr("waiting for the next scrape…"));
        return;
    }
    m_rawStatus->setText(tr("%1 of %2 series · scraped %3")
                             .arg(m_rawFilter->rowCount())
                             .arg(m_rawModel->rowCount())
                             .arg(QDateTime::fromMSecsSinceEpoch(m_rawModel->timestampMs())
                                      .toString(QStringLiteral("HH:mm:ss"))));
}

void NodePage::setRawPage(const ScrapedPage &page)
{
    if (page.target != m_target || !page.page)
        return;
    m_rawModel->setPage(page.page, page.timestampMs);
    for (const QString &key : std::as_const(m_picked)) {
        const int row = m_rawModel->rowOf(key);
        // A series that left the page is a gap until it comes back.
        m_rawChart->appendPoint(key, page.timestampMs,
                                row < 0 ? std::nan("")
                                        : m_rawModel->page()->sample(std::size_t(row)).value());
    }
    if (!m_picked.isEmpty())
        m_rawChart->refresh(QDateTime::currentMSecsSinceEpoch());
    updateRawStatus();
}

bool NodePage::chartSeries(const QString &seriesKey)
{
    const int row = m_rawModel->rowOf(seriesKey);
    if (row < 0)
        return false;
    if (!m_picked.contains(seriesKey)) {
        m_picked.append(seriesKey);
        m_rawChart->show();
        m_rawHint->hide();
        m_rawChart->appendPoint(seriesKey, m_rawModel->timestampMs(),
                                m_rawModel->page()->sample(std::size_t(row)).value());
        m_rawChart->refresh(QDateTime::currentMSecsSinceEpoch());
    }
    return true;
}

void NodePage::rebuildCharts(KpiSource source)
{
    qDeleteAll(m_charts);
    m_charts.clear();
    int cell = 0;
    for (const KpiInfo &info : kpiCatalog()) {
        if (info.source != source || info.unit == KpiUnit::State)
            continue;
        const KpiId id = info.id;
        auto *chart =
            new LiveChart(QStringLiteral("%1 — %2").arg(kpiLabel(id), QString::fromUtf8(info.description)),
                          axisUnit(info.unit));
        chart->setObjectName(kpiName(id));
        chart->setWindowMs(m_windowMs);
        chart->setSeriesColors(m_colors);
        chart->setValueFormatter([id](double value) { return formatKpiValue(id, value); });
        chart->setLabelFormat(info.unit == KpiUnit::Seconds || info.unit == KpiUnit::Ratio
                                  ? QStringLiteral("%.2f")
                                  : QStringLiteral("%.0f"));
        chart->setMaxGapMs(
            std::max({3 * qint64(m_cluster.scrapeIntervalMs), qint64(30'000), 2 * m_olderStepMs}));
        chart->setMinimumHeight(220);
        if (const KpiThreshold limit = thresholdFor(id, m_cluster);
            limit.direction != KpiThreshold::Direction::None)
            chart->setThreshold(limit.value, tr("limit %1").arg(formatThreshold(id, limit)));
        m_grid->addWidget(chart, cell / 2, cell % 2);
        m_charts.insert(id, chart);
        ++cell;
    }
}

void NodePage::showTarget(const QString &name)
{
    m_target = name;
    if (name != m_rawTarget) { // another target: its own page and picks (a new window keeps them)
        m_rawTarget = name;
        m_picked.clear();
        m_rawModel->setPage(nullptr, 0);
        m_rawChartBox->layout()->removeWidget(m_rawChart);
        delete m_rawChart;
        m_rawChart = nullptr;
    }
    resetRaw();
    m_title->setText(name);
    const Node *node = m_cluster.findNode(name);
    m_rotationButtons->setVisible(node && node->role == NodeRole::Was && !node->upstream.isEmpty());
    m_health->setText(tr("waiting for the first health check…"));
    rebuildCharts(sourceOf(m_cluster, name));
    // Back-fill from what the live store holds (itself back-filled from history at start-up), and before
    // that from a query_range fill of the window (Prometheus mode).
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    appendPoints(windowPoints(*m_store, now - m_windowMs, m_older, name), now);
}

void NodePage::setOlderPoints(const KpiPoints &points, qint64 stepMs)
{
    m_older = points;
    m_olderStepMs = stepMs;
    const QString shown = m_target;
    m_target.clear();
    if (!shown.isEmpty())
        showTarget(shown);
}

void NodePage::setWindowMs(qint64 windowMs)
{
    m_windowMs = windowMs;
    m_older.clear(); // of the last window
    m_olderStepMs = 0;
    const QString shown = m_target;
    m_target.clear();
    if (!shown.isEmpty())
        showTarget(shown); // again from the store, over the new window
}

void NodePage::updateStatus(const TargetStatus &status)
{
    if (status.name != m_target)
        return;
    const TargetStateStyle style = targetStateStyle(status.state);
    QString text = QStringLiteral("<b style='color:%1'>%2</b> · %3")
                       .arg(style.color.name(), style.label, status.endpoint.toHtmlEscaped());
    if (status.latencyMs >= 0)
        text += tr(" · answered in %1 ms").arg(status.latencyMs);
    if (status.checkedAtMs > 0)
        text +=
            tr(" · checked %1")
                .arg(QDateTime::fromMSecsSinceEpoch(status.checkedAtMs).toString(QStringLiteral("HH:mm:ss")));
    if (!status.reason.isEmpty())
        text += QStringLiteral("<br>") + status.reason.toHtmlEscaped();
    m_health->setText(text);
}

QString NodePage::healthText() const
{
    return m_health->text();
}

void NodePage::appendPoints(const KpiPoints &batch, qint64 nowMs)
{
    bool any = false;
    for (const KpiPoint &point : batch) {
        if (point.key.target != m_target)
            continue;
        const std::optional<KpiId> id = kpiIdFromName(point.key.kpi);
        LiveChart *chart = id ? m_charts.value(*id) : nullptr;
        if (!chart)
            continue;
        chart->appendPoint(seriesName(point.key), point.timestampMs, point.value);
        any = true;
    }
    if (any || batch.isEmpty()) {
        for (LiveChart *chart : std::as_const(m_charts))
            chart->refresh(nowMs);
    }
}

} // namespace clusterdeck
