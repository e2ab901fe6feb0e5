#include "live_chart.h"

#include "chart_update_stats.h"
#include "column_raster.h"
#include "min_max_decimation.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QLegend>
#include <QLineSeries>
#include <QMouseEvent>
#include <QPainter>
#include <QPointer>
#include <QRegularExpression>
#include <QTimer>
#include <QToolTip>
#include <QTransform>
#include <QValueAxis>
#include <algorithm>
#include <array>
#include <cmath>

namespace clusterdeck {

// Spaces the updates of different charts apart, one every kSpacingMs: applying the axes and repainting every
// chart of the window in one go (they all refresh on the same round of points) held the GUI thread for their
// sum, and input waited that long. One chart's own updates are not spaced (its coalescing interval governs
// them); a chart whose turn comes applies its newest state.
class UpdateSpacing : public QObject {
public:
    static constexpr int kSpacingMs = 12;

    static void request(LiveChart *chart)
    {
        // Owned by the application, so its timer goes before the event dispatcher does.
        if (s_instance.isNull())
            s_instance = new UpdateSpacing(QCoreApplication::instance());
        if (UpdateSpacing *spacing = s_instance.data())
            spacing->enqueue(chart);
    }

    static void forget(const LiveChart *chart)
    {
        if (UpdateSpacing *spacing = s_instance.data())
            spacing->m_queue.removeAll(chart);
    }

private:
    void enqueue(LiveChart *chart)
    {
        // A chart not on screen does not paint: nothing to space out.
        if (!chart->isVisible() || (m_queue.isEmpty() && (!m_timer.isActive() || m_last == chart))) {
            apply(chart);
            return;
        }
        if (!m_queue.contains(chart))
            m_queue.append(chart);
    }

    explicit UpdateSpacing(QObject *parent) : QObject(parent)
    {
        m_timer.setSingleShot(true);
        m_timer.setInterval(kSpacingMs);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            while (!m_queue.isEmpty()) {
                LiveChart *next = m_queue.takeFirst();
                if (next != nullptr && next->m_updatePending) {
                    apply(next);
                    return;
                }
            }
            m_last = nullptr;
        });
    }

    void apply(LiveChart *chart)
    {
        m_last = chart;
        m_timer.start();
        chart->applyUpdate();
    }

    QList<LiveChart *> m_queue; // a chart leaves it when it is destroyed (forget())

    const LiveChart *m_last = nullptr; // compared, never used
    QTimer m_timer;
    static QPointer<UpdateSpacing> s_instance;
};

QPointer<UpdateSpacing> UpdateSpacing::s_instance;

// Distinct colours for up to ten series, then the same ones darker, in the order series first appear.
QColor LiveChart::paletteColor(int index)
{
    static const std::array<QColor, 10> palette{QColor(0x1f, 0x77, 0xb4), QColor(0xff, 0x7f, 0x0e),
                                                QColor(0x2c, 0xa0, 0x2c), QColor(0x94, 0x67, 0xbd),
                                                QColor(0x8c, 0x56, 0x4b), QColor(0xe3, 0x77, 0xc2),
                                                QColor(0x7f, 0x7f, 0x7f), QColor(0xbc, 0xbd, 0x22),
                                                QColor(0x17, 0xbe, 0xcf), QColor(0x39, 0x3b, 0x79)};
    const QColor base = palette[std::size_t(index) % palette.size()];
    return index < int(palette.size()) ? base : base.darker(100 + 40 * (index / int(palette.size())));
}

namespace {

// The smallest difference between two values that a printf format still shows apart: 10^-precision for %f,
// 1 for %d and %i, 0 (no limit) for the rest.
double labelResolution(const QString &printfFormat)
{
    static const QRegularExpression conversion(
        QStringLiteral(R"(%[-+ #0]*\d*(?:\.(\d+))?(?:ll|l|h)?([dioufFeEgG]))"));
    const QRegularExpressionMatch match = conversion.match(printfFormat);
    if (!match.hasMatch())
        return 0;
    const QChar kind = match.captured(2).at(0).toLower();
    if (kind == QLatin1Char('d') || kind == QLatin1Char('i') || kind == QLatin1Char('o') ||
        kind == QLatin1Char('u'))
        return 1;
    if (kind != QLatin1Char('f'))
        return 0;
    const int precision = match.capturedLength(1) > 0 ? match.captured(1).toInt() : 6;
    return std::pow(10.0, -precision);
}

// A tick interval of 1, 2 or 5 times a power of ten, at least `rough` and at least `resolution`.
double niceStep(double rough, double resolution)
{
    rough = std::max({rough, resolution, 1e-12});
    const double magnitude = std::pow(10.0, std::floor(std::log10(rough)));
    for (double multiple : {1.0, 2.0, 5.0}) {
        if (multiple * magnitude >= rough * (1 - 1e-9))
            return multiple * magnitude;
    }
    return 10 * magnitude;
}

int firstAtOrAfter(const QList<QPointF> &points, double x)
{
    const auto it = std::lower_bound(points.begin(), points.end(), x,
                                     [](const QPointF &point, double value) { return point.x() < value; });
    return int(it - points.begin());
}

} // namespace

LiveChart::LiveChart(const QString &title, const QString &unit, QWidget *parent)
    : QChartView(parent), m_unit(unit), m_timeAxis(new QDateTimeAxis), m_valueAxis(new QValueAxis),
      m_updateTimer(new QTimer(this))
{
    m_formatValue = [unit](double value) {
        return QStringLiteral("%1 %2").arg(QString::number(value, 'g', 4), unit);
    };
    m_updateTimer->setSingleShot(true);
    connect(m_updateTimer, &QTimer::timeout, this, &LiveChart::requestUpdate);
    setMouseTracking(true);
    auto *chart = new QChart;
    // Dark palette, dark chart (the theme goes first: it resets fonts and colours).
    if (palette().color(QPalette::Window).lightness() < palette().color(QPalette::WindowText).lightness())
        chart->setTheme(QChart::ChartThemeDark);
    chart->setTitle(title);
    chart->legend()->setAlignment(Qt::AlignTop);
    // The legend changes only when a series comes: painted from a pixmap, not its text items, each update.
    chart->legend()->setCacheMode(QGraphicsItem::DeviceCoordinateCache);
    chart->setBackgroundRoundness(0);
    chart->setMargins(QMargins(4, 2, 4, 2));
    m_timeAxis->setFormat(QStringLiteral("HH:mm:ss"));
    m_timeAxis->setTickCount(5);
    m_timeAxis->setLabelsVisible(true);
    m_valueAxis->setLabelFormat(m_labelFormat);
    m_valueAxis->setTitleText(unit);
    m_valueAxis->setTickType(QValueAxis::TicksDynamic);
    m_valueAxis->setTickAnchor(0);
    m_valueAxis->setMinorTickCount(0);
    chart->addAxis(m_timeAxis, Qt::AlignBottom);
    chart->addAxis(m_valueAxis, Qt::AlignLeft);
    // QDateTimeAxis draws no labels at all if it starts from its default (epoch) range, so start from "now".
    m_pendingNowMs = QDateTime::currentMSecsSinceEpoch();
    setTimeRange(m_pendingNowMs);
    fitValueAxis();
    setChart(chart);
    // What Qt Charts draws here is axis-aligned (grid, axes, frames, the threshold): no antialiasing, which
    // was a tenth of an update. The runs are antialiased where they are painted (drawForeground).
    setRenderHint(QPainter::Antialiasing, false);
    setMinimumHeight(170);
}

LiveChart::~LiveChart()
{
    UpdateSpacing::forget(this);
}

void LiveChart::setMinimumTop(double value)
{
    m_minimumTop = value;
    fitValueAxis();
}

void LiveChart::setLabelFormat(const QString &printfFormat)
{
    m_labelFormat = printfFormat;
    m_valueAxis->setLabelFormat(printfFormat);
    fitValueAxis();
}

void LiveChart::setThreshold(double value, const QString &label)
{
    if (!m_threshold) {
        m_threshold = new QLineSeries;
        QPen pen(QColor(0xd3, 0x2f, 0x2f));
        pen.setStyle(Qt::DashLine);
        pen.setWidth(2);
        m_threshold->setPen(pen);
        chart()->addSeries(m_threshold);
        m_threshold->attachAxis(m_timeAxis);
        m_threshold->attachAxis(m_valueAxis);
    }
    m_threshold->setName(label);
    m_thresholdValue = value;
    // Drawn across the current window at once, so an idle chart shows its target too.
    m_threshold->replace({QPointF(m_x0, value), QPointF(m_x1, value)});
    fitValueAxis();
}

LiveChart::Line *LiveChart::findLine(const QString &name)
{
    const auto found = m_lineIndex.constFind(name);
    return found == m_lineIndex.constEnd() ? nullptr : &m_lines[*found];
}

const LiveChart::Line *LiveChart::findLine(const QString &name) const
{
    const auto found = m_lineIndex.constFind(name);
    return found == m_lineIndex.constEnd() ? nullptr : &m_lines[*found];
}

LiveChart::Line &LiveChart::lineNamed(const QString &name)
{
    if (Line *existing = findLine(name))
        return *existing;
    Line line;
    line.name = name;
    line.color = m_fixedColors.value(name, paletteColor(int(m_lines.size())));
    line.legendEntry = new QLineSeries;
    line.legendEntry->setName(m_legends.value(name, name));
    chart()->addSeries(line.legendEntry);
    line.legendEntry->attachAxis(m_timeAxis);
    line.legendEntry->attachAxis(m_valueAxis);
    line.legendEntry->setPen(QPen(line.color, 2));
    m_lineIndex.insert(name, int(m_lines.size()));
    m_lines.append(line);
    return m_lines.last();
}

void LiveChart::setSeriesLegend(const QString &seriesName, const QString &legend)
{
    if (legend.isEmpty() || legend == seriesName)
        m_legends.remove(seriesName);
    else
        m_legends.insert(seriesName, legend);
    if (Line *line = findLine(seriesName))
        line->legendEntry->setName(legend.isEmpty() ? seriesName : legend);
}

QString LiveChart::seriesLegend(const QString &seriesName) const
{
    return m_legends.value(seriesName, seriesName);
}

void LiveChart::appendPoint(const QString &seriesName, qint64 timestampMs, double value)
{
    Line &line = lineNamed(seriesName);
    if (!line.runs.isEmpty() && timestampMs <= line.lastMs)
        return; // not newer than what is drawn: the store hands points over in time order
    if (line.open && m_maxGapMs > 0 && timestampMs - line.lastMs > m_maxGapMs)
        line.open = false;
    line.lastMs = timestampMs;
    if (!std::isfinite(value)) {
        line.open = false;
        return;
    }
    if (!line.open) {
        line.runs.append(QList<QPointF>());
        line.open = true;
    }
    line.runs.last().append(QPointF(double(timestampMs), value));
    m_dataTop = std::max(m_dataTop, value);
}

void LiveChart::setWindowMs(qint64 windowMs)
{
    m_windowMs = std::max<qint64>(windowMs, 1000);
    // The axis shows the new window at once, also on a chart that has no points yet (not an update: the
    // coalescing of refresh() is not affected).
    setTimeRange(m_pendingNowMs);
}

void LiveChart::setTimeRange(qint64 nowMs)
{
    m_timeAxis->setFormat(m_windowMs <= 15 * 60 * 1000 ? QStringLiteral("HH:mm:ss")
                                                       : QStringLiteral("HH:mm"));
    m_timeAxis->setRange(QDateTime::fromMSecsSinceEpoch(nowMs - m_windowMs),
                         QDateTime::fromMSecsSinceEpoch(nowMs));
    m_x0 = double(nowMs - m_windowMs);
    m_x1 = double(nowMs);
}

void LiveChart::clearPoints()
{
    for (Line &line : m_lines) {
        line.runs.clear();
        line.open = false;
        line.lastMs = 0;
    }
    m_dataTop = 0;
    m_dataTopStale = false;
}

void LiveChart::trim(Line &line, double oldest)
{
    while (!line.runs.isEmpty()) {
        QList<QPointF> &first = line.runs.first();
        const int stale = firstAtOrAfter(first, oldest);
        if (stale == 0)
            break;
        for (int i = 0; i < stale && !m_dataTopStale; ++i)
            m_dataTopStale = first.at(i).y() >= m_dataTop;
        if (stale < first.size()) {
            first.remove(0, stale);
            break;
        }
        line.runs.removeFirst();
    }
    if (line.runs.isEmpty())
        line.open = false;
}

void LiveChart::refresh(qint64 nowMs)
{
    const double oldest = double(nowMs - m_windowMs);
    for (Line &line : m_lines)
        trim(line, oldest);
    m_pendingNowMs = nowMs;
    m_updatePending = true;
    // Coalesce: at once when the last update is old enough, else one update when the interval is over.
    const qint64 since = m_sinceUpdate.isValid() ? m_sinceUpdate.elapsed() : qint64(m_minUpdateIntervalMs);
    if (since >= m_minUpdateIntervalMs)
        requestUpdate();
    else if (!m_updateTimer->isActive())
        m_updateTimer->start(int(m_minUpdateIntervalMs - since));
}

void LiveChart::requestUpdate()
{
    UpdateSpacing::request(this);
}

void LiveChart::flushUpdate()
{
    if (m_updatePending)
        applyUpdate();
}

void LiveChart::applyUpdate()
{
    m_updateTimer->stop();
    if (!m_updatePending)
        return;
    // On a page not shown (the window is, this chart is not): the update waits for showEvent().
    if (window()->isVisible() && !isVisible())
        return;
    QElapsedTimer cost;
    cost.start();
    m_updatePending = false;
    m_sinceUpdate.start();
    ++m_updateCount;
    const qint64 nowMs = m_pendingNowMs;
    const double oldest = double(nowMs - m_windowMs);
    if (m_dataTopStale) {
        m_dataTop = 0;
        for (const Line &line : std::as_const(m_lines)) {
            for (const QList<QPointF> &run : line.runs) {
                for (const QPointF &point : run)
                    m_dataTop = std::max(m_dataTop, point.y());
            }
        }
        m_dataTopStale = false;
    }
    if (m_threshold)
        m_threshold->replace({QPointF(oldest, m_thresholdValue), QPointF(double(nowMs), m_thresholdValue)});
    setTimeRange(nowMs);
    if (m_stacked) {
        m_dataTop = 0;
        for (const QList<StackedBand> &bands : stackVisible()) {
            for (const StackedBand &band : bands) {
                for (const QPointF &point : band.top)
                    m_dataTop = std::max(m_dataTop, point.y());
            }
        }
    }
    fitValueAxis();
    viewport()->update(); // the runs are painted here, not by Qt Charts
    // The repaint that follows completes this update; paintEvent() records the sum (a hidden chart never
    // paints and records nothing).
    m_updateCostMs = double(cost.nsecsElapsed()) / 1e6;
}

void LiveChart::showEvent(QShowEvent *event)
{
    QChartView::showEvent(event);
    flushUpdate();
}

void LiveChart::paintEvent(QPaintEvent *event)
{
    QElapsedTimer cost;
    cost.start();
    QChartView::paintEvent(event);
    bool withData = false;
    for (const Line &line : std::as_const(m_lines))
        withData = withData || !line.runs.isEmpty();
    ChartUpdateStats::global().notePaint(withData);
    if (m_updateCostMs >= 0) {
        ChartUpdateStats::global().record(m_updateCostMs + double(cost.nsecsElapsed()) / 1e6);
        m_updateCostMs = -1;
    }
}

QRectF LiveChart::plotRect() const
{
    return mapFromScene(chart()->mapRectToScene(chart()->plotArea())).boundingRect();
}

QList<QPointF> LiveChart::drawnPoints(const QList<QPointF> &run) const
{
    return decimateMinMax(run, m_x0, m_x1, std::max(1, int(std::ceil(chart()->plotArea().width()))));
}

void LiveChart::drawForeground(QPainter *painter, const QRectF &rect)
{
    QChartView::drawForeground(painter, rect);
    const QRectF plot = chart()->mapRectToScene(chart()->plotArea());
    const double x0 = m_x0;
    const double x1 = m_x1;
    const double y0 = m_valueAxis->min();
    const double y1 = m_valueAxis->max();
    if (plot.isEmpty() || x1 <= x0 || y1 <= y0)
        return;
    // Both axes are linear: a value maps to the plot area as Qt Charts maps the threshold series.
    const double sx = plot.width() / (x1 - x0);
    const double sy = plot.height() / (y1 - y0);
    const auto position = [&](const QPointF &point) {
        return QPointF(plot.left() + (point.x() - x0) * sx, plot.bottom() - (point.y() - y0) * sy);
    };
    painter->save();
    painter->setClipRect(plot);
    painter->setRenderHint(QPainter::Antialiasing);
    const QTransform toPlot(sx, 0, 0, -sy, plot.left() - x0 * sx, plot.bottom() + y0 * sy);
    QList<QLineF> segments;
    bool rasterStarted = false;
    for (const Line &line : std::as_const(m_lines)) {
        if (m_stacked || !line.legendEntry->isVisible())
            continue;
        QPen pen(line.color, 2);
        pen.setJoinStyle(Qt::RoundJoin);
        for (const QList<QPointF> &run : line.runs) {
            if (run.size() == 1) {
                // A run of one point has no segment: a dot shows that the value was there.
                painter->setPen(Qt::NoPen);
                painter->setBrush(line.color);
                painter->drawEllipse(position(run.first()), 3.0, 3.0);
                continue;
            }
            // The run's points in the window and one beyond each edge (what decimateMinMax keeps), so the
            // line enters and leaves the plot.
            const qsizetype first = std::max(0, firstAtOrAfter(run, x0) - 1);
            const qsizetype last = std::min<qsizetype>(run.size(), firstAtOrAfter(run, x1) + 1);
            if (last - first < 2)
                continue;
            // Closer than about two pixels apart on average, the stroked line looks like a column of spans
            // and costs a hundred times more. The raster keeps each column's first, lowest, highest and last
            // point itself, which is what decimating first would leave of the run: it takes the slice as is.
            if ((last - first) * 2 > qsizetype(plot.width())) {
                if (!rasterStarted) {
                    m_raster.begin(plot, painter->device() ? painter->device()->devicePixelRatioF() : 1.0);
                    rasterStarted = true;
                }
                m_raster.addLine(run.constData() + first, run.constData() + last, toPlot, line.color, 2);
                continue;
            }
            const QList<QPointF> drawn = drawnPoints(run);
            if (drawn.size() < 2)
                continue;
            if (rasterStarted) { // keep the drawing order: what is rasterised so far goes under this line
                m_raster.paint(painter);
                m_raster.begin(plot, painter->device() ? painter->device()->devicePixelRatioF() : 1.0);
            }
            segments.resize(drawn.size() - 1);
            QPointF from = position(drawn[0]);
            for (qsizetype i = 1; i < drawn.size(); ++i) {
                const QPointF to = position(drawn[i]);
                segments[i - 1] = QLineF(from, to);
                from = to;
            }
            painter->setPen(pen);
            painter->setBrush(Qt::NoBrush);
            painter->drawLines(segments);
        }
    }
    if (rasterStarted)
        m_raster.paint(painter);
    if (m_stacked)
        paintStacked(painter, plot);
    if (m_crosshairX >= 0) {
        const double sceneX = mapToScene(QPoint(int(m_crosshairX), 0)).x();
        QPen pen(palette().color(QPalette::WindowText), 1, Qt::DashLine);
        painter->setPen(pen);
        painter->drawLine(QPointF(sceneX, plot.top()), QPointF(sceneX, plot.bottom()));
    }
    painter->restore();
}

void LiveChart::mouseMoveEvent(QMouseEvent *event)
{
    QChartView::mouseMoveEvent(event);
    const QRectF plot = plotRect();
    const QPointF pos = event->position();
    if (!plot.contains(pos)) {
        if (m_crosshairX >= 0) {
            m_crosshairX = -1;
            QToolTip::hideText();
            viewport()->update();
        }
        return;
    }
    m_crosshairX = pos.x();
    const double x0 = m_x0;
    const double x1 = m_x1;
    const qint64 at = qint64(x0 + (pos.x() - plot.left()) / plot.width() * (x1 - x0));
    QToolTip::showText(event->globalPosition().toPoint(), valuesAt(at), this);
    viewport()->update();
}

void LiveChart::leaveEvent(QEvent *event)
{
    QChartView::leaveEvent(event);
    m_crosshairX = -1;
    viewport()->update();
}

QString LiveChart::valuesAt(qint64 timestampMs) const
{
    // Within two scrape-ish steps of the cursor; farther than that the series has no value there (a gap).
    const double tolerance = std::max<double>(double(m_windowMs) / 200.0, 1000.0);
    QString text = QDateTime::fromMSecsSinceEpoch(timestampMs).toString(QStringLiteral("HH:mm:ss"));
    double total = 0;
    bool any = false;
    for (const Line &line : m_lines) {
        const QPointF *nearest = nullptr;
        double distance = tolerance;
        for (const QList<QPointF> &run : line.runs) {
            const int i = firstAtOrAfter(run, double(timestampMs));
            for (int j : {i - 1, i}) {
                if (j >= 0 && j < run.size() && std::abs(run[j].x() - double(timestampMs)) <= distance) {
                    distance = std::abs(run[j].x() - double(timestampMs));
                    nearest = &run[j];
                }
            }
        }
        text += QStringLiteral("\n%1: %2")
                    .arg(line.name, nearest ? m_formatValue(nearest->y()) : QStringLiteral("—"));
        if (nearest)
            total += nearest->y();
        any = any || nearest;
    }
    if (m_stacked && any)
        text += QStringLiteral("\n%1: %2").arg(tr("total"), m_formatValue(total));
    return text;
}

void LiveChart::fitValueAxis()
{
    // Ticks at whole multiples of a 1-2-5 step no finer than the label format shows: a fixed tick count over
    // an idle 0..1 range printed "0 0 0 1 1" with "%.0f".
    const double top = std::max({m_minimumTop, m_threshold ? m_thresholdValue * 1.2 : 0.0, m_dataTop}) * 1.1;
    const double step = niceStep(top / 4, labelResolution(m_labelFormat));
    m_valueAxis->setTickInterval(step);
    m_valueAxis->setRange(0, std::max(1.0, std::ceil(top / step - 1e-9)) * step);
}

int LiveChart::pointCount(const QString &seriesName) const
{
    int count = 0;
    if (const Line *line = findLine(seriesName)) {
        for (const QList<QPointF> &run : line->runs)
            count += int(run.size());
    }
    return count;
}

double LiveChart::lastValue(const QString &seriesName) const
{
    const Line *line = findLine(seriesName);
    return line && !line->runs.isEmpty() ? line->runs.last().last().y() : std::nan("");
}

QList<QList<QPointF>> LiveChart::runs(const QString &seriesName) const
{
    const Line *line = findLine(seriesName);
    return line ? line->runs : QList<QList<QPointF>>();
}

QColor LiveChart::seriesColor(const QString &seriesName) const
{
    const Line *line = findLine(seriesName);
    return line ? line->color : QColor();
}

void LiveChart::setStacked(bool stacked)
{
    m_stacked = stacked;
    m_dataTopStale = true;
    viewport()->update();
}

// The visible series stacked in legend order (a hidden series leaves no band and lifts none above it).
QList<QList<StackedBand>> LiveChart::stackVisible() const
{
    QList<QList<QList<QPointF>>> series;
    series.reserve(m_lines.size());
    for (const Line &line : m_lines)
        series.append(line.legendEntry->isVisible() ? line.runs : QList<QList<QPointF>>());
    return stackRuns(series);
}

QList<StackedBand> LiveChart::stackedBands(const QString &seriesName) const
{
    const auto found = m_lineIndex.constFind(seriesName);
    if (!m_stacked || found == m_lineIndex.constEnd())
        return {};
    return stackVisible().value(*found);
}

void LiveChart::paintStacked(QPainter *painter, const QRectF &plot) const
{
    const double x0 = double(m_timeAxis->min().toMSecsSinceEpoch());
    const double x1 = double(m_timeAxis->max().toMSecsSinceEpoch());
    const double y0 = m_valueAxis->min();
    const double y1 = m_valueAxis->max();
    const double sx = plot.width() / (x1 - x0);
    const double sy = plot.height() / (y1 - y0);
    const auto position = [&](const QPointF &point) {
        return QPointF(plot.left() + (point.x() - x0) * sx, plot.bottom() - (point.y() - y0) * sy);
    };
    const QList<QList<StackedBand>> stacked = stackVisible();
    for (int i = 0; i < stacked.size(); ++i) {
        const QColor color = m_lines[i].color;
        QColor fill = color;
        fill.setAlpha(150);
        for (const StackedBand &band : stacked[i]) {
            if (band.top.size() == 1) {
                painter->setPen(Qt::NoPen);
                painter->setBrush(color);
                painter->drawEllipse(position(band.top.first()), 3.0, 3.0);
                continue;
            }
            QPolygonF area;
            area.reserve(band.top.size() * 2);
            for (const QPointF &point : band.top)
                area.append(position(point));
            for (qsizetype k = band.bottom.size() - 1; k >= 0; --k)
                area.append(position(band.bottom[k]));
            painter->setPen(Qt::NoPen);
            painter->setBrush(fill);
            painter->drawPolygon(area);
            QPolygonF edge;
            edge.reserve(band.top.size());
            for (const QPointF &point : drawnPoints(band.top))
                edge.append(position(point));
            painter->setPen(QPen(color, 1.5));
            painter->setBrush(Qt::NoBrush);
            painter->drawPolyline(edge);
        }
    }
}

} // namespace clusterdeck
