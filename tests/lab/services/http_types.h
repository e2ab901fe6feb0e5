#pragma once

#include <QByteArray>
#include <QHash>
#include <QJsonDocument>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

namespace clusterdeck::lab {

// A request copied out of QHttpServerRequest so that it can cross to a worker thread.
struct HttpCall {
    QByteArray method;             // "GET", "POST", ...
    QString path;                  // decoded path, no query
    QHash<QString, QString> query; // decoded; the last value of a repeated key wins
    QStringList captures;          // path parameters of the matched route, in order

    bool has(const QString &key) const { return query.contains(key); }
    QString value(const QString &key) const { return query.value(key); }
};

// What a handler answers; written back on the server's thread.
struct HttpReply {
    int status = 200;
    QByteArray contentType = "application/json";
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers; // extra headers besides Content-Type/Length

    static HttpReply json(int status, const QJsonDocument &document);
    static HttpReply text(int status, QByteArray body, QByteArray contentType = "text/plain; charset=utf-8");
    // Spring Boot's error body: {"timestamp", "status", "error", "message", "path"}.
    static HttpReply error(int status, const QString &message, const QString &path);
};

// The reason phrase of an HTTP status code ("Not Found"), "Unknown" when not a known code.
QByteArray reasonPhrase(int status);

} // namespace clusterdeck::lab
