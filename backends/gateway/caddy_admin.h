#pragma once

#include "cluster/cluster.h"
#include "common/result.h"
#include "metrics/gateway_view.h"
#include "remote/remote_host.h"

#include <QByteArray>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QUrl>

namespace clusterdeck {

// One entry of Caddy's `GET /reverse_proxy/upstreams`: an upstream some loaded config still uses.
struct CaddyUpstream {
    QString address;        // "127.0.20.2:8080", as the config's `to` names it
    qint64 numRequests = 0; // in flight now
    qint64 fails = 0;       // recent failures (within fail_duration)
};

// Caddy's admin API over HTTP/1.1 ("Connection: close"), reached through a RemoteHost's TCP exchange so it
// works over SSH without an open port. Errors name the host, the endpoint and Caddy's own message.
class CaddyAdmin {
public:
    CaddyAdmin(RemoteHost &host, QUrl adminApi, RemoteHost::Timeout timeout);

    Result<QList<CaddyUpstream>> upstreams();
    // The running config as JSON (`GET /config/`).
    Result<QJsonValue> config();
    // Replaces the running config (`POST /load`); Caddy adapts `bytes` by `contentType` ("text/caddyfile").
    Status load(const QByteArray &bytes, const QByteArray &contentType);

    // One exchange: the status must be 2xx; returns the body.
    Result<QByteArray> request(const QByteArray &method, const QByteArray &path, const QByteArray &body = {},
                               const QByteArray &contentType = {});

private:
    RemoteHost &m_host;
    QUrl m_api;
    RemoteHost::Timeout m_timeout;
};

Result<QList<CaddyUpstream>> parseCaddyUpstreams(const QByteArray &json);
// True when a reverse_proxy handler anywhere in a Caddy JSON config dials `upstream`.
bool caddyConfigDials(const QJsonValue &config, const QString &upstream);

// Caddy's rotation for each WAS node of the cluster, which its metrics cannot tell: a node whose upstream the
// running config dials is UP (its health comes from gateway.upstream_healthy), one it no longer dials is
// DRAINING while `upstreams` still counts requests in flight to it and DRAINED after. The running config,
// not the Caddyfile's drained markers: it is what Caddy does, whoever changed it and however.
GatewayViews caddyRotationViews(const Cluster &cluster, const Gateway &gateway,
                                const QJsonValue &runningConfig, const QList<CaddyUpstream> &upstreams);
// The same, read from the gateway's admin API through `host` (two requests).
Result<GatewayViews> readCaddyRotation(const Cluster &cluster, const Gateway &gateway, RemoteHost &host,
                                       RemoteHost::Timeout timeout);

} // namespace clusterdeck
