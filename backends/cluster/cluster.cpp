#include "cluster/cluster.h"

#include <QCoreApplication>

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
        return QString::fromUtf8(QT_TRANSLATE_NOOP("clusterdeck::RoleTitle", "WAS nodes"));
    case NodeRole::Redis:
        return QString::fromUtf8(QT_TRANSLATE_NOOP("clusterdeck::RoleTitle", "Redis"));
    case NodeRole::Kafka:
        return QString::fromUtf8(QT_TRANSLATE_NOOP("clusterdeck::RoleTitle", "Kafka"));
    case NodeRole::Db:
        return QString::fromUtf8(QT_TRANSLATE_NOOP("clusterdeck::RoleTitle", "Database"));
    case NodeRole::Other:
        break;
    }
    return QString::fromUtf8(QT_TRANSLATE_NOOP("clusterdeck::RoleTitle", "Other"));
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

const QStringList &alertRuleNames()
{
    static const QStringList names = {QStringLiteral("target_down"),     QStringLiteral("redis_down"),
                                      QStringLiteral("db_down"),         QStringLiteral("latency_p95"),
                                      QStringLiteral("error_ratio"),     QStringLiteral("consumer_lag"),
                                      QStringLiteral("consumer_stalled")};
    return names;
}

bool alertRuleHasThreshold(const QString &rule)
{
    return rule == QLatin1String("latency_p95") || rule == QLatin1String("error_ratio") ||
           rule == QLatin1String("consumer_lag");
}

Result<MetricsSource> metricsSourceFromOption(const QString &text, const Cluster &cluster)
{
    if (text == QLatin1String("direct"))
        return MetricsSource::Direct;
    if (text != QLatin1String("prometheus"))
        return Error{QStringLiteral("--source takes direct or prometheus, not '%1'").arg(text), QString()};
    if (cluster.prometheusUrl.isEmpty())
        return Error{
            QStringLiteral("--source prometheus needs 'prometheus:' (the server's URL) in the cluster file"),
            cluster.sourceFile};
    return MetricsSource::Prometheus;
}

} // namespace clusterdeck
