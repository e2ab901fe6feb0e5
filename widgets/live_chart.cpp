#include "live_chart.h"

#include <QDateTime>
#include <QDateTimeAxis>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QRegularExpression>
#include <QValueAxis>

#include <algorithm>
#include <array>
#include <cmath>

namespace clusterdeck {

namespace {

// Distinct colours for up to ten series, then the same ones darker; assigned by the order series first appear,
// because the runs of one series must share a colour that the chart theme would hand out per QLineSeries.
QColor seriesColor(int index)
{
    static const std::array<QColor, 10> palette{
        QColor(0x1f, 0x77, 0xb4), QColor(0xff, 0x7f, 0x0e), QColor(0x2c, 0xa0, 0x2c), QColor(0x94, 0x67, 0xbd),
        QColor(0x8c, 0x56, 0x4b), QColor(0xe3, 0x77, 0xc2), QColor(0x7f, 0x7f, 0x7f), QColor(0xbc, 0xbd, 0x22),
        QColor(0x17, 0xbe, 0xcf), QColor(0x39, 0x3b, 0x79)};
    const QColor base = palette[std::size_t(index) % palette.size()];
    return index < int(palette.size()) ? base : base.darker(100 + 40 * (index / int(palette.size())));
}

// The smallest difference between two values that a printf format still shows apart: 10^-precision for %f,
// 1 for %d and %i, 0 (no limit) for the rest.
double labelResolution(const QString &printfFormat)
{
    static const QRegularExpression conversion(QStringLiteral(R"(%[-+ #0]*\d*(?:\.(\d+))?(?:ll|l|h)?([dioufFeEgG]))"));
    const QRegularExpressionMatch match = conversion.match(printfFormat);
    if (!match.hasMatch())
        return 0;
    const QChar kind = match.captured(2).at(0).toLower();
    if (kind == QLatin1Char('d') || kind == QLatin1Char('i') || kind == QLatin1Char('o') || kind == QLatin1Char('u'))
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
    : QChartView(parent), m_unit(unit), m_timeAxis(new QDateTimeAxis), m_valueAxis(new QValueAxis)
{
    auto *chart = new QChart;
    chart->setTitle(title);
    chart->legend()->setAlignment(Qt::AlignTop);
    chart->setBackgroundRoundness(0);
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

QLineSeries *LiveChart::addSeries(const QString &name, const QColor &color, bool inLegend)
{
    auto *series = new QLineSeries;
    series->setName(name);
    chart()->addSeries(series);
    series->attachAxis(m_timeAxis);
    series->attachAxis(m_valueAxis);
    QPen pen = series->pen();
    pen.setWidth(2);
    pen.setColor(color);
    series->setPen(pen);
    series->setColor(color);
    series->setMarkerSize(6);
    if (!inLegend) {
        for (QLegendMarker *marker : chart()->legend()->markers(series))
            marker->setVisible(false);
    }
    return series;
}

void LiveChart::removeSeries(QLineSeries *series)
{
    chart()->removeSeries(series);
    delete series;
}

LiveChart::Line &LiveChart::lineNamed(const QString &name)
{
    auto found = m_lines.find(name);
    if (found != m_lines.end())
        return *found;
    Line line;
    line.color = seriesColor(int(m_lines.size())); // in the order series first appear, as their legend entries
    line.legendEntry = addSeries(name, line.color, true);
    return *m_lines.insert(name, line);
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
        line.runs.append(Run{addSeries(seriesName, line.color, false), {}, false});
        line.open = true;
    }
    Run &run = line.runs.last();
    run.points.append(QPointF(double(timestampMs), value));
    run.dirty = true;
    m_dataTop = std::max(m_dataTop, value);
}

void LiveChart::trim(Line &line, double oldest)
{
    while (!line.runs.isEmpty()) {
        Run &first = line.runs.first();
        const int stale = firstAtOrAfter(first.points, oldest);
        if (stale == 0)
            break;
        for (int i = 0; i < stale && !m_dataTopStale; ++i)
            m_dataTopStale = first.points.at(i).y() >= m_dataTop;
        if (stale < first.points.size()) {
            first.points.remove(0, stale);
            first.dirty = true;
            break;
        }
        removeSeries(first.series);
        line.runs.removeFirst();
    }
    if (line.runs.isEmpty())
        line.open = false;
}

void LiveChart::refresh(qint64 nowMs)
{
    const double oldest = double(nowMs - m_windowMs);
    for (Line &line : m_lines) {
        trim(line, oldest);
        for (Run &run : line.runs) {
            if (!run.dirty)
                continue;
            run.series->replace(run.points);
            // A run of one point has no line to draw; its marker shows that the value was there.
            run.series->setPointsVisible(run.points.size() == 1);
            run.dirty = false;
        }
    }
    if (m_dataTopStale) {
        m_dataTop = 0;
        for (const Line &line : std::as_const(m_lines)) {
            for (const Run &run : line.runs) {
                for (const QPointF &point : run.points)
                    m_dataTop = std::max(m_dataTop, point.y());
            }
        }
        m_dataTopStale = false;
    }
    if (m_threshold)
        m_threshold->replace({QPointF(oldest, m_thresholdValue), QPointF(double(nowMs), m_thresholdValue)});
    m_timeAxis->setRange(QDateTime::fromMSecsSinceEpoch(nowMs - m_windowMs), QDateTime::fromMSecsSinceEpoch(nowMs));
    fitValueAxis();
}

void LiveChart::fitValueAxis()
{
    // Ticks at whole multiples of a 1-2-5 step no finer than the label format shows: a fixed tick count over an
    // idle 0..1 range printed "0 0 0 1 1" with "%.0f".
    const double top = std::max({m_minimumTop, m_threshold ? m_thresholdValue * 1.2 : 0.0, m_dataTop}) * 1.1;
    const double step = niceStep(top / 4, labelResolution(m_labelFormat));
    m_valueAxis->setTickInterval(step);
    m_valueAxis->setRange(0, std::max(1.0, std::ceil(top / step - 1e-9)) * step);
}

int LiveChart::pointCount(const QString &seriesName) const
{
    int count = 0;
    for (const Run &run : m_lines.value(seriesName).runs)
        count += int(run.points.size());
    return count;
}

double LiveChart::lastValue(const QString &seriesName) const
{
    const auto found = m_lines.constFind(seriesName);
    if (found == m_lines.constEnd() || found->runs.isEmpty())
        return std::nan("");
    return found->runs.last().points.last().y();
}

QList<QList<QPointF>> LiveChart::runs(const QString &seriesName) const
{
    QList<QList<QPointF>> result;
    for (const Run &run : m_lines.value(seriesName).runs)
        result.append(run.series->points());
    return result;
}

} // namespace clusterdeck
