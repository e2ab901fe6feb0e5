#include "gateway/http_over_host.h"

#include "gateway/gateway_log.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace clusterdeck {

namespace {

constexpr std::size_t kMaxBody = 8 * 1024 * 1024; // a config, an upstream list or a metrics page is smaller

} // namespace

Result<HttpResponse> httpOverHost(RemoteHost &host, const QUrl &base, const QByteArray &method,
                                  const QByteArray &path, RemoteHost::Timeout timeout, const QByteArray &body,
                                  const QByteArray &contentType)
{
    const QString where = QStringLiteral("%1: %2 %3%4")
                              .arg(host.describe(), QString::fromLatin1(method),
                                   base.toString(QUrl::RemoveUserInfo | QUrl::RemovePath | QUrl::RemoveQuery),
                                   QString::fromLatin1(path));
    if (base.scheme() != QLatin1String("http") || base.host().isEmpty() || base.port() <= 0)
        return Error{QStringLiteral("the endpoint must be http://HOST:PORT"), where};
    const QByteArray hostHeader = base.host().toUtf8() + ':' + QByteArray::number(base.port());
    QByteArray wire = method + ' ' + path + " HTTP/1.1\r\nHost: " + hostHeader + "\r\nConnection: close\r\n";
    if (!body.isEmpty() || method == "POST" || method == "PUT" || method == "PATCH") {
        if (!contentType.isEmpty())
            wire += "Content-Type: " + contentType + "\r\n";
        wire += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    }
    wire += "\r\n" + body;
    qCDebug(lcGateway) << where;
    const Result<QByteArray> answer = host.exchangeTcp(base.host(), quint16(base.port()), wire, timeout);
    if (!answer)
        return Error{answer.error().toString(), where};
    Result<HttpResponse> response = parseHttpResponse(*answer, kMaxBody);
    if (!response)
        return Error{response.error().message, where};
    if (response->status / 100 != 2) {
        const QByteArray text = QByteArray::fromStdString(response->body);
        const QJsonDocument json = QJsonDocument::fromJson(text);
        const QString reason = json.isObject() ? json.object().value(QLatin1String("error")).toString()
                                               : QString::fromUtf8(text.trimmed().left(300));
        return Error{QStringLiteral("HTTP %1: %2").arg(response->status).arg(reason), where};
    }
    return response;
}

} // namespace clusterdeck
