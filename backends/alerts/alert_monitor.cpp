#include "alerts/alert_monitor.h"

#include "cluster/cluster.h"
#include "metrics/collector.h"

namespace clusterdeck {

namespace {

bool hasLag(const KpiPoints &points)
{
    const QString lag = kpiName(KpiId::KafkaConsumerLag);
    return std::any_of(points.begin(), points.end(), [&](const KpiPoint &p) { return p.key.kpi == lag; });
}

} // namespace

AlertMonitor::AlertMonitor(const Cluster &cluster, QObject *parent)
    : QObject(parent), m_engine(cluster), m_model(this)
{
    qRegisterMetaType<AlertTransition>();
    qRegisterMetaType<ConsumerLagStatus>();
}

void AlertMonitor::onRound(const CollectionRound &round)
{
    publish(m_engine.evaluateRound(round), hasLag(round.points));
}

void AlertMonitor::onKpis(const KpiPoints &points)
{
    qint64 atMs = 0;
    for (const KpiPoint &point : points)
        atMs = std::max(atMs, point.timestampMs);
    publish(m_engine.evaluate(atMs, nullptr, points), hasLag(points));
}

void AlertMonitor::publish(const QList<AlertTransition> &transitions, bool lagSeen)
{
    m_model.sync(m_engine.activeAlerts());
    for (const AlertTransition &transition : transitions)
        emit transitioned(transition);
    if (lagSeen)
        emit lagStatusesUpdated(m_engine.lagStatuses());
}

} // namespace clusterdeck
