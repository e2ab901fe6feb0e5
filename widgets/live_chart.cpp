#include "live_chart.h"

#include "chart_update_stats.h"
#include "column_raster.h"
#include "min_max_decimation.h"

#include <QDateTime>
#include <QDateTimeAxis>
#include <QLineSeries>
#include <QMouseEvent>
#include <QPainter>
#include <QRegularExpression>
#include <QTimer>
#include <QToolTip>
#include <QTransform>
#include <QValueAxis>
#include <algorithm>
#include <array>
#include <cmath>

namespace clusterdeck {

namespace {} // namespace

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
    connect(m_updateTimer, &QTimer::timeout, this, &LiveChart::applyUpdate);
    setMouseTracking(true);
    auto *chart = new QChart;
    // Dark palette, dark chart (the theme goes first: it resets fonts and colours).
    if (palette().color(QPalette::Window).lightness() < palette().color(QPalette::WindowText).lightness())
        chart->setTheme(QChart::ChartThemeDark);
    chart->setTitle(title);
    chart->legend()->setAlignment(Qt::AlignTop);
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
    const QDateTime now = QDateTime::currentDateTime();
    m_timeAxis->setRange(now.addMSecs(-m_windowMs), now);
    m_pendingNowMs = now.toMSecsSinceEpoch();
    fitValueAxis();
    setChart(chart);
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(170);
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
    m_threshold->replace({QPointF(double(m_timeAxis->min().toMSecsSinceEpoch()), value),
                          QPointF(double(m_timeAxis->max().toMSecsSinceEpoch()), value)});
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
    m_timeAxis->setFormat(m_windowMs <= 15 * 60 * 1000 ? QStringLiteral("HH:mm:ss")
                                                       : QStringLiteral("HH:mm"));
    m_timeAxis->setRange(QDateTime::fromMSecsSinceEpoch(m_pendingNowMs - m_windowMs),
                         QDateTime::fromMSecsSinceEpoch(m_pendingNowMs));
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
        applyUpdate();
    else if (!m_updateTimer->isActive())
        m_updateTimer->start(int(m_minUpdateIntervalMs - since));
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
    m_timeAxis->setFormat(m_windowMs <= 15 * 60 * 1000 ? QStringLiteral("HH:mm:ss")
                                                       : QStringLiteral("HH:mm"));
    m_timeAxis->setRange(QDateTime::fromMSecsSinceEpoch(nowMs - m_windowMs),
                         QDateTime::fromMSecsSinceEpoch(nowMs));
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
    const double x0 = double(m_timeAxis->min().toMSecsSinceEpoch());
    const double x1 = double(m_timeAxis->max().toMSecsSinceEpoch());
    return decimateMinMax(run, x0, x1, std::max(1, int(std::ceil(chart()->plotArea().width()))));
}

void LiveChart::drawForeground(QPainter *painter, const QRectF &rect)
{
    QChartView::drawForeground(painter, rect);
    const QRectF plot = chart()->mapRectToScene(chart()->plotArea());
    const double x0 = double(m_timeAxis->min().toMSecsSinceEpoch());
    const double x1 = double(m_timeAxis->max().toMSecsSinceEpoch());
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
        if (!line.legendEntry->isVisible())
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
            const QList<QPointF> drawn = drawnPoints(run);
            if (drawn.size() < 2)
                continue;
            // Closer than about two pixels apart on average, the stroked line looks like a column of spans
            // and costs a hundred times more.
            if (drawn.size() * 2 > qsizetype(plot.width())) {
                if (!rasterStarted) {
                    m_raster.begin(plot, painter->device() ? painter->device()->devicePixelRatioF() : 1.0);
                    rasterStarted = true;
                }
                m_raster.addLine(drawn, toPlot, line.color, 2);
                continue;
            }
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
    const double x0 = double(m_timeAxis->min().toMSecsSinceEpoch());
    const double x1 = double(m_timeAxis->max().toMSecsSinceEpoch());
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
    }
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

} // namespace clusterdeck
