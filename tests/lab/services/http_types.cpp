#include "http_types.h"

#include <QDateTime>
#include <QJsonObject>

namespace clusterdeck::lab {

HttpReply HttpReply::json(int status, const QJsonDocument &document)
{
    HttpReply reply;
    reply.status = status;
    reply.body = document.toJson(QJsonDocument::Compact);
    return reply;
}

HttpReply HttpReply::text(int status, QByteArray body, QByteArray contentType)
{
    HttpReply reply;
    reply.status = status;
    reply.body = std::move(body);
    reply.contentType = std::move(contentType);
    return reply;
}

HttpReply HttpReply::error(int status, const QString &message, const QString &path)
{
    const QJsonObject body{
        {QStringLiteral("timestamp"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)},
        {QStringLiteral("status"), status},
        {QStringLiteral("error"), QString::fromLatin1(reasonPhrase(status))},
        {QStringLiteral("message"), message},
        {QStringLiteral("path"), path},
    };
    return json(status, QJsonDocument(body));
}

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 204:
        return "No Content";
    case 400:
        return "Bad Request";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 409:
        return "Conflict";
    case 410:
        return "Gone";
    case 500:
        return "Internal Server Error";
    case 503:
        return "Service Unavailable";
    default:
        return "Unknown";
    }
}

} // namespace clusterdeck::lab
