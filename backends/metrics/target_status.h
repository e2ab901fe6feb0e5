#pragma once

#include "cluster/cluster.h"

#include <QMetaType>
#include <QString>

namespace clusterdeck {

// What one probe round learned about one watched target (a node or a gateway); a value type that crosses
// threads.
struct TargetStatus {
    enum class State { Unknown, Up, Down };

    QString name;
    bool isGateway = false;
    NodeRole role = NodeRole::Other; // meaningful when !isGateway
    GatewayKind gatewayKind = GatewayKind::HAProxy;
    State state = State::Unknown;
    QString reason;         // why Down (or a note when Up), e.g. "health: HTTP 503, status DOWN"
    QString endpoint;       // the URL that decided the state
    int latencyMs = -1;     // slowest endpoint of the round
    qint64 checkedAtMs = 0; // epoch ms

    QString kindName() const { return isGateway ? gatewayKindName(gatewayKind) : roleName(role); }
};

QString stateName(TargetStatus::State state);

} // namespace clusterdeck

Q_DECLARE_METATYPE(clusterdeck::TargetStatus)
