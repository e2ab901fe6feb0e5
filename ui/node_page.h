#pragma once

#include "cluster/cluster.h"
#include "metrics/kpi.h"
#include "metrics/target_status.h"

#include <QHash>
#include <QWidget>

class QGridLayout;
class QLabel;

namespace clusterdeck {

class LiveChart;
class LiveSeriesStore;

// One target's page ("node:NAME"): its state and last health response, and a chart over time of every KPI of
// its role (per instance where the KPI has them: gateway upstreams, consumer groups), back-filled from the
// live store when the page opens and then fed the store's new points.
class NodePage : public QWidget {
    Q_OBJECT
public:
    NodePage(const Cluster &cluster, LiveSeriesStore *store, QWidget *parent = nullptr);

    void showTarget(const QString &name);
    QString target() const { return m_target; }
    void setWindowMs(qint64 windowMs);
    void setSeriesColors(const QHash<QString, QColor> &colors) { m_colors = colors; }

    // The collector's latest statuses and the store's new points; only the shown target's are kept.
    void updateStatus(const TargetStatus &status);
    void appendPoints(const KpiPoints &batch, qint64 nowMs);

    LiveChart *chart(KpiId kpi) const { return m_charts.value(kpi); }
    QString healthText() const;

signals:
    // The Drain… / Readmit… buttons of a WAS node's page.
    void drainRequested(const QString &node);
    void readmitRequested(const QString &node);

private:
    void rebuildCharts(KpiSource source);

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
};

} // namespace clusterdeck
