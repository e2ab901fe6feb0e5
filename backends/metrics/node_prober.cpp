#include "metrics/node_prober.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>

namespace clusterdeck {

QString stateName(TargetStatus::State state)
{
    switch (state) {
    case TargetStatus::State::Up: return QStringLiteral("UP");
    case TargetStatus::State::Down: return QStringLiteral("DOWN");
    case TargetStatus::State::Unknown: break;
    }
    return QStringLiteral("UNKNOWN");
}

namespace {

// A short reason an operator can act on, naming what failed.
QString describeFailure(QNetworkReply *reply, bool isHealth, int timeoutMs)
{
    const QString what = isHealth ? QStringLiteral("health") : QStringLiteral("metrics");
    const int httpStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    switch (reply->error()) {
    case QNetworkReply::NoError: break;
    case QNetworkReply::ConnectionRefusedError: return QStringLiteral("%1: connection refused").arg(what);
    case QNetworkReply::OperationCanceledError:
    case QNetworkReply::TimeoutError: return QStringLiteral("%1: no answer within %2 ms").arg(what).arg(timeoutMs);
    case QNetworkReply::HostNotFoundError: return QStringLiteral("%1: host not found").arg(what);
    default:
        if (httpStatus == 0)
            return QStringLiteral("%1: %2").arg(what, reply->errorString());
        break;
    }
    if (httpStatus < 200 || httpStatus > 299) {
        QString reason = QStringLiteral("%1: HTTP %2").arg(what).arg(httpStatus);
        if (isHealth) {
            const QJsonObject body = QJsonDocument::fromJson(reply->readAll()).object();
            if (body.contains(QLatin1String("status")))
                reason += QStringLiteral(", status %1").arg(body.value(QLatin1String("status")).toString());
        }
        return reason;
    }
    return {};
}

} // namespace

NodeProber::NodeProber(QObject *parent) : QObject(parent), m_network(new QNetworkAccessManager(this))
{
    qRegisterMetaType<TargetStatus>();
    qRegisterMetaType<QList<TargetStatus>>();
    m_network->setAutoDeleteReplies(true);
}

NodeProber::~NodeProber() = default;

void NodeProber::probe(const Cluster &cluster)
{
    ++m_round;
    m_statuses.clear();
    m_pending = 0;
    const int timeoutMs = cluster.scrapeTimeoutMs;

    struct Plan {
        int index;
        QUrl health;
        QUrl metrics;
    };
    QList<Plan> plans;
    for (const Gateway &gateway : cluster.gateways) {
        TargetStatus status;
        status.name = gateway.name;
        status.isGateway = true;
        status.gatewayKind = gateway.kind;
        plans.append({int(m_statuses.size()), QUrl(), gateway.metricsUrl});
        m_statuses.append(status);
    }
    for (const Node &node : cluster.nodes) {
        TargetStatus status;
        status.name = node.name;
        status.role = node.role;
        plans.append({int(m_statuses.size()), node.healthUrl, node.metricsUrl});
        m_statuses.append(status);
    }
    for (const Plan &plan : plans) {
        m_pending += int(!plan.health.isEmpty()) + int(!plan.metrics.isEmpty());
        TargetStatus &status = m_statuses[plan.index];
        if (plan.health.isEmpty() && plan.metrics.isEmpty()) {
            status.reason = QStringLiteral("no endpoint configured");
            continue;
        }
        status.state = TargetStatus::State::Up; // until a check says otherwise
        status.endpoint = (plan.health.isEmpty() ? plan.metrics : plan.health).toString();
    }
    if (m_pending == 0) {
        emit roundFinished(m_statuses);
        return;
    }
    for (const Plan &plan : plans) {
        if (!plan.health.isEmpty())
            startCheck(plan.index, plan.health, true, timeoutMs);
        if (!plan.metrics.isEmpty())
            startCheck(plan.index, plan.metrics, false, timeoutMs);
    }
}

void NodeProber::startCheck(int targetIndex, const QUrl &url, bool isHealth, int timeoutMs)
{
    QNetworkRequest request(url);
    request.setTransferTimeout(timeoutMs);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setRawHeader("Accept", isHealth ? "application/json" : "text/plain;version=0.0.4;q=0.9,*/*;q=0.1");
    const quint64 round = m_round;
    const qint64 startedMs = QDateTime::currentMSecsSinceEpoch();
    QNetworkReply *reply = m_network->get(request);
    connect(reply, &QNetworkReply::finished, this, [=, this] {
        finishCheck(reply, targetIndex, isHealth, round, startedMs);
    });
}

void NodeProber::finishCheck(QNetworkReply *reply, int targetIndex, bool isHealth, quint64 round, qint64 startedMs)
{
    if (round != m_round)
        return; // a newer round replaced this one
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    TargetStatus &status = m_statuses[targetIndex];
    status.latencyMs = std::max<int>(status.latencyMs, int(now - startedMs));
    status.checkedAtMs = now;
    const int timeoutMs = reply->request().transferTimeout();
    const QString failure = describeFailure(reply, isHealth, timeoutMs);
    if (!failure.isEmpty()) {
        // Health speaks for the node first: keep its reason when both checks fail.
        if (status.state != TargetStatus::State::Down || isHealth) {
            status.reason = failure;
            status.endpoint = reply->url().toString();
        }
        status.state = TargetStatus::State::Down;
    } else if (isHealth) {
        const QJsonObject body = QJsonDocument::fromJson(reply->readAll()).object();
        const QString reported = body.value(QLatin1String("status")).toString();
        if (!reported.isEmpty() && reported != QLatin1String("UP")) {
            status.state = TargetStatus::State::Down;
            status.reason = QStringLiteral("health: status %1").arg(reported);
            status.endpoint = reply->url().toString();
        }
    }
    if (--m_pending == 0)
        emit roundFinished(m_statuses);
}

} // namespace clusterdeck
