#include "cluster/cluster.h"

namespace clusterdeck {

QString roleName(NodeRole role)
{
    switch (role) {
    case NodeRole::Was:
        return QStringLiteral("was");
    case NodeRole::Redis:
        return QStringLiteral("redis");
    case NodeRole::Kafka:
        return QStringLiteral("kafka");
    case NodeRole::Db:
        return QStringLiteral("db");
    case NodeRole::Other:
        break;
    }
    return QStringLiteral("other");
}

QString roleTitle(NodeRole role)
{
    switch (role) {
    case NodeRole::Was:
        return QStringLiteral("WAS nodes");
    case NodeRole::Redis:
        return QStringLiteral("Redis");
    case NodeRole::Kafka:
        return QStringLiteral("Kafka");
    case NodeRole::Db:
        return QStringLiteral("Database");
    case NodeRole::Other:
        break;
    }
    return QStringLiteral("Other");
}

QString gatewayKindName(GatewayKind kind)
{
    return kind == GatewayKind::Caddy ? QStringLiteral("caddy") : QStringLiteral("haproxy");
}

QString SshTarget::toString() const
{
    QString text = user.isEmpty() ? host : user + QLatin1Char('@') + host;
    if (port != 22)
        text += QLatin1Char(':') + QString::number(port);
    return text;
}

const Node *Cluster::findNode(const QString &nodeName) const
{
    for (const Node &node : nodes) {
        if (node.name == nodeName)
            return &node;
    }
    return nullptr;
}

const Gateway *Cluster::findGateway(const QString &gatewayName) const
{
    for (const Gateway &gateway : gateways) {
        if (gateway.name == gatewayName)
            return &gateway;
    }
    return nullptr;
}

} // namespace clusterdeck
