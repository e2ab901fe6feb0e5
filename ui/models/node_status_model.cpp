#include "models/node_status_model.h"

#include "common/url_text.h"
#include "status_dot.h"
#include "target_state_style.h"

#include <QDateTime>
#include <QFont>
#include <QGuiApplication>
#include <QPalette>
#include <algorithm>
#include <cmath>

namespace clusterdeck {

namespace {

bool sameTarget(const TargetStatus &a, const TargetStatus &b)
{
    return a.isGateway == b.isGateway && a.name == b.name;
}

} // namespace

NodeStatusModel::NodeStatusModel(QObject *parent) : QAbstractItemModel(parent) {}

void NodeStatusModel::setCluster(const clusterdeck::Cluster &cluster)
{
    beginResetModel();
    m_groups.clear();
    m_kpis.clear();
    m_alerts.clear();
    m_probed.clear();
    m_kpiViews.clear();
    m_polledViews.clear();
    m_cluster = cluster;
    for (int id = 0; id < clusterdeck::kKpiIdCount; ++id)
        m_limits[std::size_t(id)] = clusterdeck::thresholdFor(clusterdeck::KpiId(id), cluster);
    if (!cluster.gateways.isEmpty()) {
        Group gateways{tr("Gateways"), {}};
        for (const clusterdeck::Gateway &gateway : cluster.gateways) {
            TargetStatus target;
            target.name = gateway.name;
            target.isGateway = true;
            target.gatewayKind = gateway.kind;
            target.endpoint = clusterdeck::redactUrl(gateway.metricsUrl);
            gateways.targets.append(target);
        }
        m_groups.append(gateways);
    }
    using clusterdeck::NodeRole;
    for (NodeRole role : {NodeRole::Was, NodeRole::Redis, NodeRole::Kafka, NodeRole::Db, NodeRole::Other}) {
        Group group{
            QCoreApplication::translate("clusterdeck::RoleTitle", clusterdeck::roleTitle(role).toUtf8()), {}};
        for (const clusterdeck::Node &node : cluster.nodes) {
            if (node.role != role)
                continue;
            TargetStatus target;
            target.name = node.name;
            target.role = node.role;
            target.endpoint =
                clusterdeck::redactUrl(node.healthUrl.isEmpty() ? node.metricsUrl : node.healthUrl);
            group.targets.append(target);
        }
        if (!group.targets.isEmpty())
            m_groups.append(group);
    }
    endResetModel();
}

void NodeStatusModel::updateStatuses(const QList<TargetStatus> &statuses)
{
    QSet<QString> touched;
    for (const TargetStatus &status : statuses) {
        const QModelIndex row = indexOfTarget(status.name);
        if (!row.isValid() || !sameTarget(status, m_groups[int(row.internalId() - 1)].targets[row.row()]))
            continue;
        m_probed.insert(status.name, status);
        touched.insert(status.name);
    }
    applyViews(touched);
}

void NodeStatusModel::updateGatewayViews(const QString &gateway, const clusterdeck::GatewayViews &views)
{
    m_polledViews.insert(gateway, views);
    applyViews();
}

TargetStatus NodeStatusModel::status(const QString &target) const
{
    const QModelIndex row = indexOfTarget(target);
    return row.isValid() ? m_groups[int(row.internalId() - 1)].targets[row.row()] : TargetStatus{};
}

void NodeStatusModel::updateKpiViews(const QString &gateway)
{
    const clusterdeck::Gateway *found = m_cluster.findGateway(gateway);
    if (!found)
        return;
    clusterdeck::KpiPoints latest;
    const auto byKpi = m_kpis.value(gateway);
    for (auto kpi = byKpi.cbegin(); kpi != byKpi.cend(); ++kpi)
        for (auto instance = kpi->cbegin(); instance != kpi->cend(); ++instance)
            latest.append(clusterdeck::KpiPoint{
                {gateway, kpiName(kpi.key()), instance.key()}, instance->timestampMs, instance->value});
    m_kpiViews.insert(gateway, clusterdeck::gatewayViewsFromKpis(m_cluster, *found, latest));
}

void NodeStatusModel::applyViews(const QSet<QString> &touched)
{
    clusterdeck::GatewayViews views;
    for (const clusterdeck::GatewayViews &gateway : std::as_const(m_kpiViews))
        views += gateway;
    for (const clusterdeck::GatewayViews &gateway : std::as_const(m_polledViews))
        views += gateway;
    for (int g = 0; g < m_groups.size(); ++g) {
        Group &group = m_groups[g];
        bool groupChanged = false;
        for (int row = 0; row < group.targets.size(); ++row) {
            TargetStatus &current = group.targets[row];
            const auto probed = m_probed.constFind(current.name);
            if (probed == m_probed.constEnd())
                continue; // not probed yet: Unknown, whatever a gateway says
            const TargetStatus shown =
                current.isGateway ? *probed : clusterdeck::withGatewayViews(*probed, views);
            const bool changed = shown.state != current.state || shown.reason != current.reason ||
                                 shown.gatewaySessions != current.gatewaySessions;
            if (!changed && !touched.contains(current.name))
                continue;
            const TargetStatus previous = current;
            current = shown;
            if (previous.state != current.state) {
                groupChanged = true;
                if (previous.state != TargetStatus::State::Unknown)
                    emit stateChanged(previous, current);
            }
            const QModelIndex groupIndex = index(g, 0);
            emit dataChanged(index(row, 0, groupIndex), index(row, ColumnCount - 1, groupIndex));
        }
        if (groupChanged)
            emit dataChanged(index(g, 0), index(g, ColumnCount - 1));
    }
}

void NodeStatusModel::updateKpis(const clusterdeck::KpiPoints &points)
{
    // The newest timestamp of each KPI of a target in this batch: an instance it no longer reports (a
    // consumer group that was deleted, an upstream taken out of the config) must stop counting and being
    // named.
    QHash<QString, QHash<KpiId, qint64>> newest;
    for (const clusterdeck::KpiPoint &point : points) {
        const std::optional<clusterdeck::KpiId> id = clusterdeck::kpiIdFromName(point.key.kpi);
        if (!id)
            continue;
        m_kpis[point.key.target][*id][point.key.instance] = Latest{point.value, point.timestampMs};
        qint64 &latest = newest[point.key.target][*id];
        latest = std::max(latest, point.timestampMs);
    }
    for (auto target = newest.cbegin(); target != newest.cend(); ++target) {
        for (auto kpi = target->cbegin(); kpi != target->cend(); ++kpi) {
            auto &byInstance = m_kpis[target.key()][kpi.key()];
            byInstance.removeIf(
                [&](const auto &instance) { return instance.value().timestampMs < kpi.value(); });
        }
        emitRowChanged(target.key());
        updateKpiViews(target.key());
    }
    applyViews();
}

double NodeStatusModel::kpiValue(const QString &target, clusterdeck::KpiId kpi) const
{
    const auto byInstance = m_kpis.value(target).value(kpi);
    if (byInstance.contains(QString()))
        return byInstance.value(QString()).value;
    // One consumer group without a committed offset must not blank the lag of the others.
    double sum = std::nan("");
    for (const Latest &latest : byInstance)
        addIgnoringNaN(sum, latest.value);
    return sum;
}

QStringList NodeStatusModel::instancesWithoutValue(const QString &target, clusterdeck::KpiId kpi) const
{
    const QModelIndex row = indexOfTarget(target);
    if (!row.isValid() ||
        m_groups[int(row.internalId() - 1)].targets[row.row()].state == TargetStatus::State::Down)
        return {};
    QStringList missing;
    const auto byInstance = m_kpis.value(target).value(kpi);
    for (auto it = byInstance.begin(); it != byInstance.end(); ++it) {
        if (!it.key().isEmpty() && std::isnan(it.value().value))
            missing.append(it.key());
    }
    std::sort(missing.begin(), missing.end());
    return missing;
}

void NodeStatusModel::emitRowChanged(const QString &target)
{
    const QModelIndex index = indexOfTarget(target);
    if (index.isValid())
        emit dataChanged(index, index.siblingAtColumn(ColumnCount - 1));
}

QString NodeStatusModel::keyFigures(const TargetStatus &target) const
{
    using clusterdeck::KpiId;
    const auto figure = [&](KpiId id, const QString &prefix = {}) {
        const double value = kpiValue(target.name, id);
        return std::isnan(value) ? QString() : prefix + clusterdeck::formatKpiValue(id, value);
    };
    QStringList parts;
    if (target.isGateway) {
        parts << figure(KpiId::GatewayTps) << figure(KpiId::GatewayErrorRatio, QStringLiteral("5xx "))
              << figure(KpiId::GatewaySessions, tr("sessions "));
    } else {
        switch (target.role) {
        case clusterdeck::NodeRole::Was:
            parts << figure(KpiId::WasTps) << figure(KpiId::WasLatencyP95, QStringLiteral("p95 "))
                  << figure(KpiId::WasErrorRatio, tr("err ")) << figure(KpiId::WasDbPoolActive, tr("pool "));
            break;
        case clusterdeck::NodeRole::Redis:
            parts << figure(KpiId::RedisOpsRate, tr("ops ")) << figure(KpiId::RedisMemoryBytes)
                  << figure(KpiId::RedisHitRatio, tr("hit ")) << figure(KpiId::RedisClients, tr("clients "));
            break;
        case clusterdeck::NodeRole::Kafka:
            parts << figure(KpiId::KafkaConsumerLag, tr("lag "))
                  << figure(KpiId::KafkaConsumeRate, tr("consumed "));
            break;
        case clusterdeck::NodeRole::Db:
            parts << figure(KpiId::DbQps, tr("queries ")) << figure(KpiId::DbThreadsConnected, tr("conn "))
                  << figure(KpiId::DbThreadsRunning, tr("running "));
            break;
        case clusterdeck::NodeRole::Other:
            break;
        }
    }
    parts.removeAll(QString());
    return parts.join(QStringLiteral("  ·  "));
}

QString NodeStatusModel::missingValues(const TargetStatus &target) const
{
    if (target.isGateway || target.role != NodeRole::Kafka)
        return {};
    const QStringList groups = instancesWithoutValue(target.name, KpiId::KafkaConsumerLag);
    if (groups.isEmpty())
        return {};
    return tr("no committed offset: %1").arg(groups.join(QStringLiteral(", ")));
}

bool NodeStatusModel::breachesThreshold(const TargetStatus &target) const
{
    // Any KPI of the target past its limit (the catalogue's, or the inventory's): p95 and 5xx of a WAS node,
    // a gateway's 5xx, consumer lag, an exporter that lost Redis or the database.
    const auto kpis = m_kpis.value(target.name);
    for (auto it = kpis.cbegin(); it != kpis.cend(); ++it) {
        if (m_limits[std::size_t(it.key())].breachedBy(kpiValue(target.name, it.key())))
            return true;
    }
    return false;
}

void NodeStatusModel::setAlert(const QString &target, const QString &text)
{
    if (m_alerts.value(target) == text)
        return;
    if (text.isEmpty())
        m_alerts.remove(target);
    else
        m_alerts.insert(target, text);
    emitRowChanged(target);
}

int NodeStatusModel::upCount() const
{
    int count = 0;
    for (const Group &group : m_groups)
        count += int(std::count_if(group.targets.begin(), group.targets.end(),
                                   [](const TargetStatus &t) { return t.state == TargetStatus::State::Up; }));
    return count;
}

int NodeStatusModel::targetCount() const
{
    int count = 0;
    for (const Group &group : m_groups)
        count += int(group.targets.size());
    return count;
}

QModelIndex NodeStatusModel::indexOfTarget(const QString &name, int column) const
{
    for (int g = 0; g < m_groups.size(); ++g) {
        for (int row = 0; row < m_groups[g].targets.size(); ++row) {
            if (m_groups[g].targets[row].name == name)
                return index(row, column, index(g, 0));
        }
    }
    return {};
}

QModelIndex NodeStatusModel::index(int row, int column, const QModelIndex &parent) const
{
    if (row < 0 || column < 0 || column >= ColumnCount)
        return {};
    if (!parent.isValid())
        return row < m_groups.size() ? createIndex(row, column, kGroupId) : QModelIndex();
    if (parent.internalId() != kGroupId || parent.row() >= m_groups.size())
        return {};
    if (row >= m_groups[parent.row()].targets.size())
        return {};
    return createIndex(row, column, quintptr(parent.row()) + 1);
}

QModelIndex NodeStatusModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == kGroupId)
        return {};
    return createIndex(int(child.internalId() - 1), 0, kGroupId);
}

int NodeStatusModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_groups.size());
    if (parent.internalId() == kGroupId && parent.column() == 0)
        return int(m_groups[parent.row()].targets.size());
    return 0;
}

int NodeStatusModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant NodeStatusModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    if (index.internalId() == kGroupId)
        return groupData(m_groups[index.row()], index.column(), role);
    const Group &group = m_groups[int(index.internalId() - 1)];
    return targetData(group.targets[index.row()], index.column(), role);
}

QVariant NodeStatusModel::groupData(const Group &group, int column, int role) const
{
    const int up = int(std::count_if(group.targets.begin(), group.targets.end(), [](const TargetStatus &t) {
        return t.state == TargetStatus::State::Up;
    }));
    const int total = int(group.targets.size());
    if (role == Qt::DisplayRole) {
        if (column == NameColumn)
            return group.title;
        if (column == StateColumn)
            return tr("%1/%2 up").arg(up).arg(total);
    }
    if (role == Qt::FontRole) {
        QFont font;
        font.setBold(true);
        return font;
    }
    if (role == Qt::ForegroundRole && column == StateColumn && up < total) {
        // Red for an outage; the drain colour when the rest are out of rotation on purpose.
        const bool outOfRotationOnly =
            std::all_of(group.targets.begin(), group.targets.end(), [](const TargetStatus &t) {
                return t.state == TargetStatus::State::Up || t.state == TargetStatus::State::Draining ||
                       t.state == TargetStatus::State::Drained || t.state == TargetStatus::State::Maint;
            });
        return outOfRotationOnly ? drainedColor() : StatusDot::downColor();
    }
    return {};
}

QVariant NodeStatusModel::targetData(const TargetStatus &target, int column, int role) const
{
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case NameColumn:
            return target.name;
        case StateColumn:
            return targetStateStyle(target, breachesThreshold(target)).label;
        case KpiColumn:
            return keyFigures(target);
        case LatencyColumn:
            return target.latencyMs < 0 ? QString() : QStringLiteral("%1 ms").arg(target.latencyMs);
        case DetailColumn: {
            if (!target.reason.isEmpty())
                return target.reason;
            const QString missing = missingValues(target);
            return missing.isEmpty() ? target.endpoint : missing;
        }
        }
        break;
    case Qt::DecorationRole:
        if (column == StateColumn)
            return StatusDot::icon(targetStateStyle(target, breachesThreshold(target)).color);
        if (column == NameColumn && m_alerts.contains(target.name))
            return StatusDot::icon(StatusDot::warnColor());
        break;
    case Qt::ForegroundRole:
        if (column == KpiColumn && breachesThreshold(target))
            return StatusDot::downColor();
        if (column == DetailColumn && target.state == TargetStatus::State::Down)
            return StatusDot::downColor();
        if (column == DetailColumn && target.reason.isEmpty() && !missingValues(target).isEmpty())
            return StatusDot::warnColor().darker(140);
        if (column == DetailColumn)
            return QGuiApplication::palette().color(QPalette::PlaceholderText);
        break;
    case Qt::ToolTipRole: {
        QString tip = QStringLiteral("%1 (%2)\n%3").arg(target.name, target.kindName(), target.endpoint);
        if (target.checkedAtMs > 0)
            tip += QLatin1Char('\n') + tr("checked %1")
                                           .arg(QDateTime::fromMSecsSinceEpoch(target.checkedAtMs)
                                                    .toString(QStringLiteral("HH:mm:ss")));
        if (!target.reason.isEmpty())
            tip += QStringLiteral("\n") + target.reason;
        if (const QString missing = missingValues(target); !missing.isEmpty())
            tip += QStringLiteral("\n") + missing;
        if (const QString alert = m_alerts.value(target.name); !alert.isEmpty())
            tip += QStringLiteral("\n") + alert;
        return tip;
    }
    case StateRole:
        return int(target.state);
    case AlertRole:
        return m_alerts.value(target.name);
    }
    if (role == Qt::TextAlignmentRole && column == LatencyColumn)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant NodeStatusModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Target");
    case StateColumn:
        return tr("State");
    case KpiColumn:
        return tr("Key figures");
    case LatencyColumn:
        return tr("Probe");
    case DetailColumn:
        return tr("Detail");
    }
    return {};
}

} // namespace clusterdeck
