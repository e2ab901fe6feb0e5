#pragma once

#include "cluster/cluster.h"

#include <QMetaType>
#include <QString>

namespace clusterdeck {

// What one probe round learned about one watched target (a node or a gateway); a value type that crosses
// threads.
struct TargetStatus {
    // Unknown, Up, Down: the probe's. Draining, Drained, Maint: a gateway has the node out of its rotation
    // (gateway_view.h); the window shows them in place of the probe's state.
    enum class State { Unknown, Up, Down, Draining, Drained, Maint };

    QString name;
    bool isGateway = false;
    NodeRole role = NodeRole::Other; // meaningful when !isGateway
    GatewayKind gatewayKind = GatewayKind::HAProxy;
    State state = State::Unknown;
    QString reason;              // why Down (or a note when Up), e.g. "health: HTTP 503, status DOWN"
    QString endpoint;            // the URL that decided the state
    int latencyMs = -1;          // slowest endpoint of the round
    qint64 checkedAtMs = 0;      // epoch ms
    qint64 gatewaySessions = -1; // Draining: the sessions the gateway still has open on the node

    QString kindName() const { return isGateway ? gatewayKindName(gatewayKind) : roleName(role); }
};

QString stateName(TargetStatus::State state);

} // namespace clusterdeck

Q_DECLARE_METATYPE(clusterdeck::TargetStatus)
