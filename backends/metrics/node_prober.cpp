#include "metrics/node_prober.h"

#include "common/url_text.h"
#include "metrics/http_fetch.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

namespace clusterdeck {

QString stateName(TargetStatus::State state)
{
    switch (state) {
    case TargetStatus::State::Up:
        return QStringLiteral("UP");
    case TargetStatus::State::Down:
        return QStringLiteral("DOWN");
    case TargetStatus::State::Draining:
        return QStringLiteral("DRAINING");
    case TargetStatus::State::Drained:
        return QStringLiteral("DRAINED");
    case TargetStatus::State::Maint:
        return QStringLiteral("MAINT");
    case TargetStatus::State::Unknown:
        break;
    }
    return QStringLiteral("UNKNOWN");
}

namespace {

QString httpStatusText(const HttpFetchResponse &response)
{
    return QStringLiteral("HTTP %1%2")
        .arg(response.status)
        .arg(response.reasonPhrase.isEmpty() ? QString()
                                             : QLatin1Char(' ') + QString::fromLatin1(response.reasonPhrase));
}

bool isJsonType(const QString &contentType)
{
    const QString type = contentType.section(QLatin1Char(';'), 0, 0).trimmed().toLower();
    return type == QLatin1String("application/json") || type.endsWith(QLatin1String("+json"));
}

} // namespace

QString NodeProber::healthFailure(const HttpFetchResponse &response)
{
    if (response.error)
        return QStringLiteral("health: ") + *response.error;
    const QByteArray body = QByteArray::fromRawData(response.body.data(), qsizetype(response.body.size()));
    if (response.status < 200 || response.status > 299) {
        QString reason = QStringLiteral("health: ") + httpStatusText(response);
        const QJsonObject object = QJsonDocument::fromJson(body).object();
        if (object.contains(QLatin1String("status")))
            reason +=
                QStringLiteral(", status %1").arg(object.value(QLatin1String("status")).toString().left(40));
        return reason;
    }
    if (response.contentType.startsWith(QLatin1String("text/html"), Qt::CaseInsensitive))
        return QStringLiteral("health: got an HTML page (Content-Type %1), not a health answer")
            .arg(response.contentType.left(80));
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (isJsonType(response.contentType) || document.isObject()) {
        if (!document.isObject())
            return QStringLiteral("health: the JSON answer does not parse (%1 at offset %2)")
                .arg(parseError.errorString())
                .arg(parseError.offset);
        const QJsonValue status = document.object().value(QLatin1String("status"));
        if (!status.isString())
            return QStringLiteral("health: the JSON answer has no \"status\"");
        if (status.toString() != QLatin1String("UP"))
            return QStringLiteral("health: status %1").arg(status.toString().left(40));
    }
    // A plain 2xx answer ("OK") from a health endpoint that is not Spring's.
    return {};
}

NodeProber::NodeProber(QObject *parent) : QObject(parent)
{
    qRegisterMetaType<TargetStatus>();
    qRegisterMetaType<QList<TargetStatus>>();
}

NodeProber::~NodeProber()
{
    for (HttpFetch *fetch : std::as_const(m_fetches))
        fetch->disconnect(this);
}

void NodeProber::probe(const Cluster &cluster)
{
    ++m_round;
    for (HttpFetch *fetch : std::as_const(m_fetches)) {
        fetch->disconnect(this);
        fetch->deleteLater();
    }
    m_fetches.clear();
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
        status.endpoint = redactUrl(plan.health.isEmpty() ? plan.metrics : plan.health);
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
    HttpFetchRequest request;
    request.url = url;
    request.timeoutMs = timeoutMs;
    request.maxBodyBytes = isHealth ? kMaxHealthBodyBytes : kMaxMetricsBodyBytes;
    request.headers = {
        {"Accept", isHealth ? "application/json" : "text/plain;version=0.0.4;q=0.9,*/*;q=0.1"}};
    const quint64 round = m_round;
    const qint64 startedMs = QDateTime::currentMSecsSinceEpoch();
    auto *fetch = new HttpFetch(request, this);
    m_fetches.append(fetch);
    connect(fetch, &HttpFetch::finished, this, [=, this](const HttpFetchResponse &response) {
        finishCheck(fetch, response, targetIndex, isHealth, round, startedMs);
    });
    fetch->start();
}

void NodeProber::finishCheck(HttpFetch *fetch, const HttpFetchResponse &response, int targetIndex,
                             bool isHealth, quint64 round, qint64 startedMs)
{
    m_fetches.removeOne(fetch);
    fetch->deleteLater();
    if (round != m_round)
        return; // a newer round replaced this one
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    TargetStatus &status = m_statuses[targetIndex];
    status.latencyMs = std::max<int>(status.latencyMs, int(now - startedMs));
    status.checkedAtMs = now;
    QString failure;
    if (isHealth)
        failure = healthFailure(response);
    else if (response.error)
        failure = QStringLiteral("metrics: ") + *response.error;
    else if (response.status < 200 || response.status > 299)
        failure = QStringLiteral("metrics: ") + httpStatusText(response);
    if (!failure.isEmpty()) {
        // Health speaks for the node first: keep its reason when both checks fail.
        if (status.state != TargetStatus::State::Down || isHealth) {
            status.reason = escapeControlCharacters(redactUrlsInText(failure));
            status.endpoint = redactUrl(fetch->request().url);
        }
        status.state = TargetStatus::State::Down;
    }
    if (--m_pending == 0)
        emit roundFinished(m_statuses);
}

} // namespace clusterdeck
