#pragma once

#include "cluster/cluster.h"
#include "metrics/collector.h"
#include "metrics/kpi.h"
#include "metrics/target_status.h"

#include <QHash>
#include <QWidget>

class QGridLayout;
class QLabel;
class QLineEdit;
class QTabWidget;
class QTableView;

namespace clusterdeck {

class LiveChart;
class LiveSeriesStore;
class RawMetricsFilter;
class RawMetricsModel;

// One target's page ("node:NAME"): its state and last health response; a "KPIs" tab with a chart over time of
// every KPI of its role (per instance where the KPI has them: gateway upstreams, consumer groups),
// back-filled from the live store when the page opens and then fed the store's new points; and a "Raw
// metrics" tab: the target's last scraped page (the collector's parsed page, shared) as a table filtered by
// metric name and by label, where any series can be charted over time (its values kept by the chart while the
// page shows that target).
class NodePage : public QWidget {
    Q_OBJECT
public:
    NodePage(const Cluster &cluster, LiveSeriesStore *store, QWidget *parent = nullptr);

    void showTarget(const QString &name);
    QString target() const { return m_target; }
    void setWindowMs(qint64 windowMs);
    // Points from before what the live store holds (a query_range fill of the window, Prometheus mode): shown
    // where the store has nothing yet for a series, now and whenever a target's page opens.
    // `stepMs`: their spacing (lines join points up to two steps apart).
    void setOlderPoints(const KpiPoints &points, qint64 stepMs);
    void setSeriesColors(const QHash<QString, QColor> &colors) { m_colors = colors; }

    // The collector's latest statuses and the store's new points; only the shown target's are kept.
    void updateStatus(const TargetStatus &status);
    void appendPoints(const KpiPoints &batch, qint64 nowMs);

    LiveChart *chart(KpiId kpi) const { return m_charts.value(kpi); }
    QString healthText() const;

    // The shown target's last scraped page (pages of other targets are ignored).
    void setRawPage(const ScrapedPage &page);
    // Charts a series of the raw page by its key (RawMetricsModel::SeriesKeyRole) from now on; false when the
    // page has no such series.
    bool chartSeries(const QString &seriesKey);
    QStringList chartedSeries() const { return m_picked; }
    void showRawMetrics();
    RawMetricsModel *rawModel() const { return m_rawModel; }
    RawMetricsFilter *rawFilter() const { return m_rawFilter; }
    QTableView *rawView() const { return m_rawView; }
    QLineEdit *rawNameFilter() const { return m_rawNameFilter; }
    QLineEdit *rawLabelFilter() const { return m_rawLabelFilter; }
    LiveChart *rawChart() const { return m_rawChart; }

signals:
    // The Drain… / Readmit… buttons of a WAS node's page.
    void drainRequested(const QString &node);
    void readmitRequested(const QString &node);

private:
    void rebuildCharts(KpiSource source);
    QWidget *createRawTab();
    void resetRaw();
    void updateRawStatus();

    Cluster m_cluster;
    LiveSeriesStore *m_store;
    QString m_target;
    qint64 m_windowMs = 5 * 60 * 1000;
    QHash<QString, QColor> m_colors;
    QLabel *m_title;
    QLabel *m_health;
    QWidget *m_rotationButtons;
    QWidget *m_chartArea;
    QGridLayout *m_grid;
    QHash<KpiId, LiveChart *> m_charts;
    KpiPoints m_older;
    qint64 m_olderStepMs = 0;
    QTabWidget *m_tabs;
    // Raw metrics of m_rawTarget (kept across a change of the time window).
    QString m_rawTarget;
    RawMetricsModel *m_rawModel;
    RawMetricsFilter *m_rawFilter;
    QTableView *m_rawView = nullptr;
    QLineEdit *m_rawNameFilter = nullptr;
    QLineEdit *m_rawLabelFilter = nullptr;
    QLabel *m_rawStatus = nullptr;
    QWidget *m_rawChartBox = nullptr;
    QLabel *m_rawHint = nullptr;
    LiveChart *m_rawChart = nullptr;
    QStringList m_picked; // series keys charted
};

} // namespace clusterdeck
