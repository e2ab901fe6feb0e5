#pragma once

#include "cluster/cluster.h"
#include "metrics/gateway_view.h"
#include "metrics/kpi.h"
#include "metrics/kpi_catalog.h"
#include "metrics/target_status.h"

#include <QAbstractItemModel>
#include <QList>
#include <QSet>
#include <QStringList>
#include <array>

namespace clusterdeck {

// The cluster's targets grouped by role (gateways first, then WAS nodes, Redis, Kafka, database), with their
// live state. Group rows summarise "2/3 up"; target rows carry the last probe's result, and a WAS node's
// state is what its gateways say where they have it out of rotation or failing (withGatewayViews): HAProxy's
// from its per-upstream KPIs, Caddy's from updateGatewayViews (its running config).
class NodeStatusModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { NameColumn, StateColumn, KpiColumn, LatencyColumn, DetailColumn, ColumnCount };
    // StateRole: TargetStatus::State as int. AlertRole: the target's active alert ("" when none), which the
    // sidebar marks next to its name.
    enum Role { StateRole = Qt::UserRole + 1, AlertRole };

    explicit NodeStatusModel(QObject *parent = nullptr);

    void setCluster(const clusterdeck::Cluster &cluster);
    // The probe's statuses; a WAS node's shown state also takes its gateways' views.
    void updateStatuses(const QList<clusterdeck::TargetStatus> &statuses);
    // What one gateway says about its upstreams beyond its metrics (Caddy's running config); replaces that
    // gateway's previous views. HAProxy's come from updateKpis.
    void updateGatewayViews(const QString &gateway, const clusterdeck::GatewayViews &views);
    // A target's status as shown (the probe's with its gateways' word); a default status when unknown.
    clusterdeck::TargetStatus status(const QString &target) const;
    // Latest KPI values per target, shown as one line of key figures per row. A batch holds every instance a
    // target reports for a KPI (a round, a poll): instances of that KPI older than its newest point are
    // dropped.
    void updateKpis(const clusterdeck::KpiPoints &points);
    // The latest value of a KPI of a target; summed over the instances (e.g. consumer groups) that have a
    // value when it has several, NaN when none has.
    double kpiValue(const QString &target, clusterdeck::KpiId kpi) const;
    // Instances of a KPI of a target whose latest value is NaN, sorted: consumer groups without a committed
    // offset for kafka.consumer_lag. Empty while the target is down (then every value is a gap).
    QStringList instancesWithoutValue(const QString &target, clusterdeck::KpiId kpi) const;

    // The alert a target has now (the alert engine's text; empty clears it): a marker next to its name.
    void setAlert(const QString &target, const QString &text);

    int upCount() const;
    int targetCount() const;
    // Row of a target by name, for tests and selection; invalid index when unknown.
    QModelIndex indexOfTarget(const QString &name, int column = NameColumn) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

signals:
    // A target's state changed between two rounds (not on the first report).
    void stateChanged(const clusterdeck::TargetStatus &previous, const clusterdeck::TargetStatus &current);

private:
    struct Group {
        QString title;
        QList<clusterdeck::TargetStatus> targets;
    };
    static constexpr quintptr kGroupId = 0; // internalId of group rows; target rows store group index + 1

    QVariant groupData(const Group &group, int column, int role) const;
    QVariant targetData(const clusterdeck::TargetStatus &target, int column, int role) const;
    QString keyFigures(const clusterdeck::TargetStatus &target) const;
    QString missingValues(const clusterdeck::TargetStatus &target) const;
    bool breachesThreshold(const clusterdeck::TargetStatus &target) const;
    void emitRowChanged(const QString &target);
    void updateKpiViews(const QString &gateway);
    // Re-derives every target's shown status from the probe's and the gateways' views; `touched`: targets
    // whose row changes anyway (a new probe result).
    void applyViews(const QSet<QString> &touched = {});

    QList<Group> m_groups; // targets as shown
    clusterdeck::Cluster m_cluster;
    QHash<QString, clusterdeck::TargetStatus> m_probed;                  // target -> the probe's last word
    QHash<QString, clusterdeck::GatewayViews> m_kpiViews, m_polledViews; // gateway -> its views
    // Per KPI: the catalogue's limit, or the inventory's where its `thresholds:` sets one.
    std::array<clusterdeck::KpiThreshold, clusterdeck::kKpiIdCount> m_limits{};
    struct Latest {
        double value = 0;
        qint64 timestampMs = 0;
    };
    // target -> KPI -> instance -> latest value
    QHash<QString, QHash<clusterdeck::KpiId, QHash<QString, Latest>>> m_kpis;
    QHash<QString, QString> m_alerts; // target -> alert text
};

} // namespace clusterdeck
