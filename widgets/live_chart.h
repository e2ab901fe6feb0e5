#pragma once

#include <QChartView>
#include <QHash>

class QDateTimeAxis;
class QLineSeries;
class QValueAxis;

// A rolling time chart of a few named series (one per node, say) with an optional threshold line, e.g. p95
// against the 3 s target. Points older than the window fall off; NaN points are gaps and are not drawn.
class LiveChart : public QChartView {
    Q_OBJECT
public:
    LiveChart(const QString &title, const QString &unit, QWidget *parent = nullptr);

    void setWindowMs(qint64 windowMs) { m_windowMs = windowMs; }
    // The value axis never shrinks below this, so an idle chart does not magnify noise.
    void setMinimumTop(double value) { m_minimumTop = value; }
    void setThreshold(double value, const QString &label);
    // printf-style format of the value axis labels, e.g. "%.1f" for seconds (default "%.0f").
    void setLabelFormat(const QString &printfFormat);
    void appendPoint(const QString &seriesName, qint64 timestampMs, double value);
    // Re-fits the axes to the window ending now; call once after a batch of appendPoint().
    void refresh(qint64 nowMs);

    int seriesCount() const { return int(m_series.size()); }
    int pointCount(const QString &seriesName) const;
    double lastValue(const QString &seriesName) const;

private:
    QLineSeries *seriesNamed(const QString &name);

    QString m_unit;
    qint64 m_windowMs = 10 * 60 * 1000;
    QHash<QString, QLineSeries *> m_series;
    QLineSeries *m_threshold = nullptr;
    double m_thresholdValue = 0;
    double m_minimumTop = 1;
    QDateTimeAxis *m_timeAxis;
    QValueAxis *m_valueAxis;
};
