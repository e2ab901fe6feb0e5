#pragma once

#include <QChartView>
#include <QColor>
#include <QHash>
#include <QList>
#include <QPointF>

class QDateTimeAxis;
class QLineSeries;
class QValueAxis;

namespace clusterdeck {

// A rolling time chart of a few named series (one per node, say) with an optional threshold line, e.g. p95
// against the 3 s target. Points older than the window fall off. A NaN point is a gap: the line stops there
// and starts again at the next value, so an outage never looks like traffic.
//
// Qt Charts joins every two neighbouring points of a QLineSeries, and a QLineSeries per unbroken run costs
// more than the runs themselves once there are hundreds (adding series to a QChart grows quadratically). So
// Qt Charts draws the axes, grid, legend and threshold, each named series has an empty QLineSeries for its
// legend entry, and the chart paints the runs itself over the plot area: a line per run, a dot for a run of
// one point.
class LiveChart : public QChartView {
    Q_OBJECT
public:
    LiveChart(const QString &title, const QString &unit, QWidget *parent = nullptr);

    void setWindowMs(qint64 windowMs) { m_windowMs = windowMs; }
    // Two points further apart than this are not joined either (nothing was recorded between them, e.g. the
    // console was not running); 0 (the default) joins any two values that have no NaN between them.
    void setMaxGapMs(qint64 ms) { m_maxGapMs = ms; }
    // The value axis never shrinks below this, so an idle chart does not magnify noise.
    void setMinimumTop(double value);
    void setThreshold(double value, const QString &label);
    // printf-style format of the value axis labels, e.g. "%.1f" for seconds (default "%.0f"). The tick
    // interval is never finer than the format shows, so no two ticks share a label.
    void setLabelFormat(const QString &printfFormat);
    void appendPoint(const QString &seriesName, qint64 timestampMs, double value);
    // Drops what fell out of the window ending now and re-fits the axes; call once after a batch of
    // appendPoint().
    void refresh(qint64 nowMs);

    int seriesCount() const { return int(m_lines.size()); }
    // Points of a named series in the window, over all its runs.
    int pointCount(const QString &seriesName) const;
    // The newest drawn value of a series (NaN when it has none).
    double lastValue(const QString &seriesName) const;
    // What is drawn of a series: its unbroken runs, oldest first, each a line (a dot when it has one point).
    QList<QList<QPointF>> runs(const QString &seriesName) const;
    QColor seriesColor(const QString &seriesName) const;

protected:
    void drawForeground(QPainter *painter, const QRectF &rect) override;

private:
    struct Line {
        QString name;
        QLineSeries *legendEntry = nullptr; // no points: the name and colour in the legend
        QColor color;
        QList<QList<QPointF>> runs;
        bool open = false; // the last run takes the next value (no gap since its last point)
        qint64 lastMs = 0;
    };

    Line *findLine(const QString &name);
    const Line *findLine(const QString &name) const;
    Line &lineNamed(const QString &name);
    void trim(Line &line, double oldest);
    void fitValueAxis();

    QString m_unit;
    qint64 m_windowMs = 10 * 60 * 1000;
    qint64 m_maxGapMs = 0;
    QList<Line> m_lines; // in the order they first appeared: legend order, colours, drawing order
    QHash<QString, int> m_lineIndex;
    QLineSeries *m_threshold = nullptr;
    double m_thresholdValue = 0;
    double m_minimumTop = 1;
    double m_dataTop = 0;        // the largest value in the window, kept up to date cheaply
    bool m_dataTopStale = false; // it fell out of the window: recompute on the next refresh
    QString m_labelFormat = QStringLiteral("%.0f");
    QDateTimeAxis *m_timeAxis;
    QValueAxis *m_valueAxis;
};

} // namespace clusterdeck
