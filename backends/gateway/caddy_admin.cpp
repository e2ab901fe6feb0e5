#include "gateway/caddy_admin.h"

#include "gateway/http_over_host.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace clusterdeck {

CaddyAdmin::CaddyAdmin(RemoteHost &host, QUrl adminApi, RemoteHost::Timeout timeout)
    : m_host(host), m_api(std::move(adminApi)), m_timeout(timeout)
{}

Result<QByteArray> CaddyAdmin::request(const QByteArray &method, const QByteArray &path,
                                       const QByteArray &body, const QByteArray &contentType)
{
    const Result<HttpResponse> response =
        httpOverHost(m_host, m_api, method, path, m_timeout, body, contentType);
    if (!response)
        return response.error();
    return QByteArray::fromStdString(response->body);
}

Result<QList<CaddyUpstream>> CaddyAdmin::upstreams()
{
    const Result<QByteArray> body = request("GET", "/reverse_proxy/upstreams");
    if (!body)
        return body.error();
    Result<QList<CaddyUpstream>> parsed = parseCaddyUpstreams(*body);
    if (!parsed)
        return Error{parsed.error().message,
                     QStringLiteral("%1: Caddy admin GET /reverse_proxy/upstreams").arg(m_host.describe())};
    return parsed;
}

Result<QJsonValue> CaddyAdmin::config()
{
    const Result<QByteArray> body = request("GET", "/config/");
    if (!body)
        return body.error();
    QJsonParseError error{};
    // The config is an object; "null" when nothing is loaded. Wrap it so both parse.
    const QJsonDocument json = QJsonDocument::fromJson("[" + *body + "]", &error);
    if (error.error != QJsonParseError::NoError || !json.isArray())
        return Error{QStringLiteral("the config is not JSON: %1").arg(error.errorString()),
                     QStringLiteral("%1: Caddy admin GET /config/").arg(m_host.describe())};
    return json.array().first();
}

Status CaddyAdmin::load(const QByteArray &bytes, const QByteArray &contentType)
{
    const Result<QByteArray> body = request("POST", "/load", bytes, contentType);
    if (!body)
        return body.error();
    return Status::success();
}

Result<QList<CaddyUpstream>> parseCaddyUpstreams(const QByteArray &json)
{
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError)
        return Error{QStringLiteral("the upstream list is not JSON: %1").arg(error.errorString()), {}};
    if (!document.isArray())
        return Error{QStringLiteral("the upstream list is not a JSON array"), {}};
    QList<CaddyUpstream> upstreams;
    for (const QJsonValue &value : document.array()) {
        const QJsonObject object = value.toObject();
        if (!object.value(QLatin1String("address")).isString())
            return Error{QStringLiteral("an upstream without an address"), {}};
        upstreams.append({object.value(QLatin1String("address")).toString(),
                          qint64(object.value(QLatin1String("num_requests")).toDouble()),
                          qint64(object.value(QLatin1String("fails")).toDouble())});
    }
    return upstreams;
}

bool caddyConfigDials(const QJsonValue &config, const QString &upstream)
{
    if (config.isArray()) {
        for (const QJsonValue &item : config.toArray())
            if (caddyConfigDials(item, upstream))
                return true;
        return false;
    }
    if (!config.isObject())
        return false;
    const QJsonObject object = config.toObject();
    if (object.value(QLatin1String("dial")).toString() == upstream)
        return true;
    for (auto it = object.begin(); it != object.end(); ++it)
        if (caddyConfigDials(it.value(), upstream))
            return true;
    return false;
}

GatewayViews caddyRotationViews(const Cluster &cluster, const Gateway &gateway,
                                const QJsonValue &runningConfig, const QList<CaddyUpstream> &upstreams)
{
    GatewayViews views;
    for (const Node &node : cluster.nodes) {
        if (node.role != NodeRole::Was || node.upstream.isEmpty())
            continue;
        GatewayView view{gateway.name, node.name, TargetStatus::State::Up, -1, {}};
        qint64 inFlight = 0;
        for (const CaddyUpstream &upstream : upstreams)
            if (node.isUpstream({}, upstream.address))
                inFlight += upstream.numRequests;
        if (caddyConfigDials(runningConfig, node.upstream)) {
            view.detail = QStringLiteral("%1: %2 in the running config").arg(gateway.name, node.upstream);
        } else {
            view.sessions = inFlight;
            view.state = drainStateFor(inFlight);
            view.detail = QStringLiteral("%1: %2 not in the running config, %3 request(s) in flight")
                              .arg(gateway.name, node.upstream)
                              .arg(inFlight);
        }
        views.append(view);
    }
    return views;
}

Result<GatewayViews> readCaddyRotation(const Cluster &cluster, const Gateway &gateway, RemoteHost &host,
                                       RemoteHost::Timeout timeout)
{
    CaddyAdmin admin(host, gateway.adminApi, timeout);
    const Result<QJsonValue> running = admin.config();
    if (!running)
        return running.error();
    const Result<QList<CaddyUpstream>> upstreams = admin.upstreams();
    if (!upstreams)
        return upstreams.error();
    return caddyRotationViews(cluster, gateway, *running, *upstreams);
}

} // namespace clusterdeck
