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
// against the 3 s target. Points older than the window fall off. A NaN point is a gap: the line stops there and
// starts again at the next value, so an outage never looks like traffic.
//
// Qt Charts draws no gaps in a QLineSeries, so each named series is drawn as one QLineSeries per unbroken run
// of points (all named like it, in its colour, without a legend entry of their own) plus one empty series that
// carries its legend entry. appendPoint() only records; refresh() hands each changed run to Qt Charts in one
// replace(), so a batch of any size costs one redraw per run.
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
    // printf-style format of the value axis labels, e.g. "%.1f" for seconds (default "%.0f"). The tick interval
    // is never finer than the format shows, so no two ticks share a label.
    void setLabelFormat(const QString &printfFormat);
    void appendPoint(const QString &seriesName, qint64 timestampMs, double value);
    // Drops what fell out of the window ending now, draws what was appended and re-fits the axes; call once
    // after a batch of appendPoint().
    void refresh(qint64 nowMs);

    int seriesCount() const { return int(m_lines.size()); }
    // Points of a named series in the window, over all its runs.
    int pointCount(const QString &seriesName) const;
    // The newest drawn value of a series (NaN when it has none).
    double lastValue(const QString &seriesName) const;
    // The unbroken runs of a series, oldest first, as handed to Qt Charts by the last refresh().
    QList<QList<QPointF>> runs(const QString &seriesName) const;

private:
    struct Run {
        QLineSeries *series = nullptr;
        QList<QPointF> points;
        bool dirty = false; // points differ from what the series holds
    };
    struct Line {
        QLineSeries *legendEntry = nullptr; // no points: the name and colour in the legend
        QColor color;
        QList<Run> runs;
        bool open = false; // the last run takes the next value (no gap since its last point)
        qint64 lastMs = 0;
    };

    Line &lineNamed(const QString &name);
    QLineSeries *addSeries(const QString &name, const QColor &color, bool inLegend);
    void removeSeries(QLineSeries *series);
    void trim(Line &line, double oldest);
    void fitValueAxis();

    QString m_unit;
    qint64 m_windowMs = 10 * 60 * 1000;
    qint64 m_maxGapMs = 0;
    QHash<QString, Line> m_lines;
    QLineSeries *m_threshold = nullptr;
    double m_thresholdValue = 0;
    double m_minimumTop = 1;
    double m_dataTop = 0;       // the largest value in the window, kept up to date cheaply
    bool m_dataTopStale = false; // it fell out of the window: recompute on the next refresh
    QString m_labelFormat = QStringLiteral("%.0f");
    QDateTimeAxis *m_timeAxis;
    QValueAxis *m_valueAxis;
};

} // namespace clusterdeck
