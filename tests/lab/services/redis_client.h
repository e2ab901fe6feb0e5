#pragma once

#include "common/result.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <vector>

struct redisContext;
struct redisReply;

namespace clusterdeck::lab {

// A Redis reply copied out of hiredis' tree, so it outlives the context. Server-side errors
// ("-WRONGTYPE ...") are replies of type Error; only transport failures are Result errors.
struct RedisReply {
    enum class Type { Nil, Integer, String, Status, Error, Array };
    Type type = Type::Nil;
    long long integer = 0;
    QByteArray str;
    std::vector<RedisReply> elements;

    bool isNil() const { return type == Type::Nil; }
    bool isError() const { return type == Type::Error; }
    bool isInteger() const { return type == Type::Integer; }
    bool isString() const { return type == Type::String || type == Type::Status; }
    bool isArray() const { return type == Type::Array; }
    // For a flat [field, value, field, value...] array: the value after `field`, or nullptr.
    const RedisReply *field(const QByteArray &name) const;

    static RedisReply from(const redisReply *reply);
};

struct RedisEndpoint {
    QString host;
    quint16 port = 6379;
    QString toString() const { return host + QLatin1Char(':') + QString::number(port); }
};

// One blocking hiredis connection, opened on first use and again after any transport error
// (a command that finds the kept connection closed by the server is sent once more).
// Used by one thread at a time (see threadLocalRedis()).
class RedisClient {
public:
    explicit RedisClient(RedisEndpoint endpoint, int timeoutMs = 2000);
    ~RedisClient();
    RedisClient(const RedisClient &) = delete;
    RedisClient &operator=(const RedisClient &) = delete;

    Result<RedisReply> command(const QList<QByteArray> &args);
    // Sends all commands in one round trip; one reply per command.
    Result<std::vector<RedisReply>> pipeline(const QList<QList<QByteArray>> &commands);

    const RedisEndpoint &endpoint() const { return m_endpoint; }

private:
    Result<RedisReply> commandOnce(const QList<QByteArray> &args);
    Result<std::vector<RedisReply>> pipelineOnce(const QList<QList<QByteArray>> &commands);
    Status ensureConnected();
    Error dropConnection(const QString &what);

    RedisEndpoint m_endpoint;
    int m_timeoutMs;
    redisContext *m_context = nullptr;
    bool m_lastDropWasStale = false; // the server had closed the connection before we used it
};

// The calling thread's own client for `endpoint` (hiredis contexts are not thread-safe).
RedisClient &threadLocalRedis(const RedisEndpoint &endpoint);

} // namespace clusterdeck::lab
