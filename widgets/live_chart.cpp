#include "live_chart.h"

#include <QDateTime>
#include <QDateTimeAxis>
#include <QLineSeries>
#include <QValueAxis>

#include <cmath>

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
    m_valueAxis->setLabelFormat(QStringLiteral("%.0f"));
    m_valueAxis->setTitleText(unit);
    m_valueAxis->setRange(0, 1);
    chart->addAxis(m_timeAxis, Qt::AlignBottom);
    chart->addAxis(m_valueAxis, Qt::AlignLeft);
    // QDateTimeAxis draws no labels at all if it starts from its default (epoch) range, so start from "now".
    const QDateTime now = QDateTime::currentDateTime();
    m_timeAxis->setRange(now.addMSecs(-m_windowMs), now);
    setChart(chart);
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(170);
}

void LiveChart::setLabelFormat(const QString &printfFormat)
{
    m_valueAxis->setLabelFormat(printfFormat);
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
}

QLineSeries *LiveChart::seriesNamed(const QString &name)
{
    if (QLineSeries *existing = m_series.value(name))
        return existing;
    auto *series = new QLineSeries;
    series->setName(name);
    chart()->addSeries(series);
    series->attachAxis(m_timeAxis);
    series->attachAxis(m_valueAxis);
    QPen pen = series->pen();
    pen.setWidth(2);
    series->setPen(pen);
    m_series.insert(name, series);
    return series;
}

void LiveChart::appendPoint(const QString &seriesName, qint64 timestampMs, double value)
{
    QLineSeries *series = seriesNamed(seriesName);
    if (std::isfinite(value))
        series->append(double(timestampMs), value);
}

void LiveChart::refresh(qint64 nowMs)
{
    const double oldest = double(nowMs - m_windowMs);
    double top = std::max(m_minimumTop, m_threshold ? m_thresholdValue * 1.2 : 0);
    for (QLineSeries *series : std::as_const(m_series)) {
        int stale = 0;
        while (stale < series->count() && series->at(stale).x() < oldest)
            ++stale;
        if (stale > 0)
            series->removePoints(0, stale);
        for (const QPointF &point : series->points())
            top = std::max(top, point.y());
    }
    if (m_threshold) {
        m_threshold->replace({QPointF(oldest, m_thresholdValue), QPointF(double(nowMs), m_thresholdValue)});
    }
    m_timeAxis->setRange(QDateTime::fromMSecsSinceEpoch(nowMs - m_windowMs), QDateTime::fromMSecsSinceEpoch(nowMs));
    m_valueAxis->setRange(0, top * 1.1);
    m_valueAxis->applyNiceNumbers();
}

int LiveChart::pointCount(const QString &seriesName) const
{
    const QLineSeries *series = m_series.value(seriesName);
    return series ? int(series->count()) : 0;
}

double LiveChart::lastValue(const QString &seriesName) const
{
    const QLineSeries *series = m_series.value(seriesName);
    return series && series->count() > 0 ? series->at(series->count() - 1).y() : std::nan("");
}
