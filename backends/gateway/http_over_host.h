#pragma once

#include "common/result.h"
#include "metrics/http_response.h"
#include "remote/remote_host.h"

#include <QUrl>

namespace clusterdeck {

// One HTTP/1.1 exchange ("Connection: close") with an http://HOST:PORT endpoint reached through a
// RemoteHost's TCP exchange: the gateway's admin API or metrics page, over SSH without an open port. The
// status must be 2xx; Caddy's {"error": "..."} becomes the message. Errors name the host, the method and the
// URL.
Result<HttpResponse> httpOverHost(RemoteHost &host, const QUrl &base, const QByteArray &method,
                                  const QByteArray &path, RemoteHost::Timeout timeout,
                                  const QByteArray &body = {}, const QByteArray &contentType = {});

} // namespace clusterdeck
