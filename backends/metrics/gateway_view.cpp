#include "metrics/gateway_view.h"

#include <QHash>

namespace clusterdeck {

TargetStatus::State drainStateFor(qint64 sessions)
{
    return sessions > 0 ? TargetStatus::State::Draining : TargetStatus::State::Drained;
}

GatewayViews gatewayViewsFromKpis(const Cluster &cluster, const Gateway &gateway, const KpiPoints &latest)
{
    // instance -> value, per KPI this reads.
    QHash<QString, double> state, sessions, healthy;
    for (const KpiPoint &point : latest) {
        if (point.key.target != gateway.name || point.key.instance.isEmpty() || std::isnan(point.value))
            continue;
        const std::optional<KpiId> id = kpiIdFromName(point.key.kpi);
        if (id == KpiId::GatewayServerState)
            state.insert(point.key.instance, point.value);
        else if (id == KpiId::GatewaySessions || id == KpiId::GatewayQueue)
            sessions[point.key.instance] += point.value;
        else if (id == KpiId::GatewayUpstreamHealthy)
            healthy.insert(point.key.instance, point.value);
    }
    GatewayViews views;
    for (const Node &node : cluster.nodes) {
        if (node.role != NodeRole::Was)
            continue;
        GatewayView view{gateway.name, node.name, TargetStatus::State::Unknown, -1, {}};
        if (gateway.kind == GatewayKind::HAProxy) {
            for (auto it = state.cbegin(); it != state.cend(); ++it) {
                if (!node.isUpstream(it.key(), {}))
                    continue;
                view.sessions = sessions.contains(it.key()) ? qint64(sessions.value(it.key())) : -1;
                switch (GatewayServerState(int(it.value()))) {
                case GatewayServerState::Up:
                case GatewayServerState::Nolb:
                    view.state = TargetStatus::State::Up;
                    break;
                case GatewayServerState::Down:
                    view.state = TargetStatus::State::Down;
                    break;
                case GatewayServerState::Maint:
                    view.state = TargetStatus::State::Maint;
                    break;
                case GatewayServerState::Drain:
                    view.state = drainStateFor(view.sessions);
                    break;
                }
                view.detail = QStringLiteral("%1: %2 %3")
                                  .arg(gateway.name, it.key(), gatewayServerStateName(it.value()));
                if (view.sessions >= 0)
                    view.detail += QStringLiteral(", %1 session(s)").arg(view.sessions);
            }
        } else {
            for (auto it = healthy.cbegin(); it != healthy.cend(); ++it) {
                if (!node.isUpstream({}, it.key()))
                    continue;
                view.state = it.value() >= 1 ? TargetStatus::State::Up : TargetStatus::State::Down;
                view.detail = QStringLiteral("%1: %2 %3")
                                  .arg(gateway.name, it.key(),
                                       it.value() >= 1 ? QStringLiteral("healthy")
                                                       : QStringLiteral("fails its health check"));
            }
        }
        if (view.state != TargetStatus::State::Unknown)
            views.append(view);
    }
    return views;
}

namespace {

// The order in which a gateway's word wins over another's.
int rank(TargetStatus::State state)
{
    switch (state) {
    case TargetStatus::State::Maint:
        return 4;
    case TargetStatus::State::Draining:
        return 3;
    case TargetStatus::State::Drained:
        return 2;
    case TargetStatus::State::Down:
        return 1;
    case TargetStatus::State::Up:
    case TargetStatus::State::Unknown:
        break;
    }
    return 0;
}

} // namespace

TargetStatus withGatewayViews(TargetStatus probe, const GatewayViews &views)
{
    const GatewayView *worst = nullptr;
    for (const GatewayView &view : views) {
        if (view.node == probe.name && (!worst || rank(view.state) > rank(worst->state)))
            worst = &view;
    }
    if (!worst)
        return probe;
    const int r = rank(worst->state);
    if (r >= rank(TargetStatus::State::Drained)) {
        probe.state = worst->state;
        probe.gatewaySessions = worst->state == TargetStatus::State::Draining ? worst->sessions : -1;
        probe.reason =
            probe.reason.isEmpty() ? worst->detail : worst->detail + QStringLiteral("; ") + probe.reason;
    } else if (r == rank(TargetStatus::State::Down) && probe.state != TargetStatus::State::Down) {
        probe.state = TargetStatus::State::Down;
        probe.reason =
            probe.reason.isEmpty() ? worst->detail : worst->detail + QStringLiteral("; ") + probe.reason;
    }
    return probe;
}

} // namespace clusterdeck
