#pragma once

#include "cluster/cluster.h"
#include "metrics/kpi.h"
#include "metrics/target_status.h"

#include <QList>
#include <QMetaType>
#include <QString>

namespace clusterdeck {

// What one gateway says about one WAS node of its rotation; a value type that crosses threads. The window
// shows the node's state from these (ARCHITECTURE.md §2, "Node state from the gateway"), so a drain done by
// a colleague or by hand shows as well as one of ours.
struct GatewayView {
    QString gateway;
    QString node;
    // Up, Down (the gateway's health check fails), Draining, Drained, Maint; Unknown says nothing.
    TargetStatus::State state = TargetStatus::State::Unknown;
    qint64 sessions = -1; // HAProxy: sessions + queue; Caddy: requests in flight; -1 unknown
    QString detail;       // for people: "haproxy: was2 DRAIN, 3 session(s)"
};

using GatewayViews = QList<GatewayView>;

// Out of rotation with `sessions` still open: DRAINING while any is, DRAINED once none is (or none is
// known).
TargetStatus::State drainStateFor(qint64 sessions);

// A gateway's views from the latest value of each of its per-upstream KPIs. HAProxy: gateway.server_state
// (MAINT; DRAIN with gateway.sessions + gateway.queue above 0 is DRAINING, else DRAINED; UP, NOLB; DOWN),
// upstreams matched to nodes by server name (its metrics carry no address). Caddy: gateway.upstream_healthy
// (1 UP, 0 DOWN) by address; Caddy's metrics know no rotation, which caddyRotationViews (gateway library,
// from the running config) adds.
GatewayViews gatewayViewsFromKpis(const Cluster &cluster, const Gateway &gateway, const KpiPoints &latest);

// The state the window shows for a node: a gateway that has it out of rotation wins (MAINT, then DRAINING,
// then DRAINED), then DOWN from the probe or any gateway, else the probe's state. The reason names the
// gateways that decided.
TargetStatus withGatewayViews(TargetStatus probe, const GatewayViews &views);

} // namespace clusterdeck

Q_DECLARE_METATYPE(clusterdeck::GatewayView)
