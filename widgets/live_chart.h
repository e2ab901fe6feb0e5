#pragma once

#include "column_raster.h"
#include "stacked_runs.h"

#include <QChartView>
#include <QColor>
#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QPointF>
#include <algorithm>
#include <functional>

class QDateTimeAxis;
class QLineSeries;
class QTimer;
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
//
// Updates are cheap whatever the window holds: refresh() drops old points at once but re-fits the axes and
// repaints at most 10 times a second (later calls coalesce into one), and each run is decimated to the plot's
// pixel width before it is drawn, keeping the first, lowest, highest and last point of every pixel column
// (decimateMinMax), so a one-sample spike stays visible. Every update's cost goes to ChartUpdateStats.
// Hovering shows a crosshair and a tooltip with each series' exact value at that time.
class LiveChart : public QChartView {
    Q_OBJECT
public:
    LiveChart(const QString &title, const QString &unit, QWidget *parent = nullptr);
    ~LiveChart() override;

    void setWindowMs(qint64 windowMs);
    // Two points further apart than this are not joined either (nothing was recorded between them, e.g. the
    // console was not running); 0 (the default) joins any two values that have no NaN between them.
    void setMaxGapMs(qint64 ms) { m_maxGapMs = ms; }
    // The value axis never shrinks below this, so an idle chart does not magnify noise.
    void setMinimumTop(double value);
    void setThreshold(double value, const QString &label);
    // Stacked areas (e.g. responses per upstream): each series is filled on top of the ones that appeared
    // before it, so the top edge is their total. The tooltip keeps each series' own value and adds the total.
    void setStacked(bool stacked);
    bool isStacked() const { return m_stacked; }
    // printf-style format of the value axis labels, e.g. "%.1f" for seconds (default "%.0f"). The tick
    // interval is never finer than the format shows, so no two ticks share a label.
    void setLabelFormat(const QString &printfFormat);
    // Exact values in the tooltip (default: 4 significant digits and the unit).
    void setValueFormatter(std::function<QString(double)> formatter) { m_formatValue = std::move(formatter); }
    // Fixed colours for named series (one per node across every chart); others take the palette's next.
    void setSeriesColors(const QHash<QString, QColor> &colors) { m_fixedColors = colors; }
    // The legend's text of a named series ("was2 · DRAINED"); empty: the name itself.
    void setSeriesLegend(const QString &seriesName, const QString &legend);
    QString seriesLegend(const QString &seriesName) const;
    // Coalescing interval of refresh() (default 100 ms: at most 10 updates a second); 0 updates at once.
    void setMinUpdateIntervalMs(int ms) { m_minUpdateIntervalMs = ms; }
    qint64 windowMs() const { return m_windowMs; }
    void appendPoint(const QString &seriesName, qint64 timestampMs, double value);
    // Forgets every point (the series and their colours stay), e.g. to fill the chart again for a new window.
    void clearPoints();
    // The palette LiveChart takes colours from in order: distinct for ten series, then darker.
    static QColor paletteColor(int index);
    // Drops what fell out of the window ending now and schedules re-fitting the axes and a repaint (at once
    // when the last update is older than the coalescing interval); call once after a batch of appendPoint().
    void refresh(qint64 nowMs);
    // Performs a scheduled update now (tests, benchmarks).
    void flushUpdate();
    bool updatePending() const { return m_updatePending; }
    // Axis updates applied so far (each one a coalesced batch of refresh() calls).
    int updateCount() const { return m_updateCount; }

    int seriesCount() const { return int(m_lines.size()); }
    // Points of a named series in the window, over all its runs.
    int pointCount(const QString &seriesName) const;
    // The newest drawn value of a series (NaN when it has none).
    double lastValue(const QString &seriesName) const;
    // What is drawn of a series: its unbroken runs, oldest first, each a line (a dot when it has one point).
    QList<QList<QPointF>> runs(const QString &seriesName) const;
    QColor seriesColor(const QString &seriesName) const;
    // What a stacked chart draws of a series: its bands over the series below, oldest first.
    QList<StackedBand> stackedBands(const QString &seriesName) const;
    // What the chart draws of a run at the plot's current width: decimated to its pixel columns.
    QList<QPointF> drawnPoints(const QList<QPointF> &run) const;
    // The tooltip text at a time (the crosshair's): each series' value nearest to it.
    QString valuesAt(qint64 timestampMs) const;

protected:
    void drawForeground(QPainter *painter, const QRectF &rect) override;
    void paintEvent(QPaintEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void leaveEvent(QEvent *event) override;

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
    void applyUpdate();
    QRectF plotRect() const;
    void setTimeRange(qint64 nowMs);
    void requestUpdate();
    friend class UpdateSpacing;
    QList<QList<StackedBand>> stackVisible() const;
    void paintStacked(QPainter *painter, const QRectF &plot) const;

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
    // The time axis' range as plain numbers: QDateTimeAxis::min()/max() build local-time QDateTimes, and each
    // one re-reads the time zone (a stat() of /etc/localtime); painting asked for them once per run.
    double m_x0 = 0;
    double m_x1 = 0;
    QValueAxis *m_valueAxis;
    std::function<QString(double)> m_formatValue;
    QHash<QString, QColor> m_fixedColors;
    QHash<QString, QString> m_legends; // series name -> legend text, where it differs
    ColumnRaster m_raster;             // reused: one image the plot's size
    QTimer *m_updateTimer;
    QElapsedTimer m_sinceUpdate; // invalid until the first update
    int m_minUpdateIntervalMs = 100;
    qint64 m_pendingNowMs = 0;
    bool m_updatePending = false;
    int m_updateCount = 0;
    double m_updateCostMs = -1; // axes' share of the update whose repaint is still to come; <0: none
    double m_crosshairX = -1;   // widget x of the mouse over the plot, <0: none
    bool m_stacked = false;
};

} // namespace clusterdeck
