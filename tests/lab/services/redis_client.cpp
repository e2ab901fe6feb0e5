#include "redis_client.h"

#include <cerrno>
#include <hiredis/hiredis.h>
#include <map>
#include <memory>
#include <sys/time.h>

namespace clusterdeck::lab {

const RedisReply *RedisReply::field(const QByteArray &name) const
{
    for (size_t i = 0; i + 1 < elements.size(); i += 2) {
        if (elements[i].str == name)
            return &elements[i + 1];
    }
    return nullptr;
}

RedisReply RedisReply::from(const redisReply *reply)
{
    RedisReply out;
    if (!reply)
        return out;
    switch (reply->type) {
    case REDIS_REPLY_INTEGER:
        out.type = Type::Integer;
        out.integer = reply->integer;
        break;
    case REDIS_REPLY_STRING:
    case REDIS_REPLY_STATUS:
    case REDIS_REPLY_ERROR:
        out.type = reply->type == REDIS_REPLY_STRING   ? Type::String
                   : reply->type == REDIS_REPLY_STATUS ? Type::Status
                                                       : Type::Error;
        out.str = QByteArray(reply->str, static_cast<qsizetype>(reply->len));
        break;
    case REDIS_REPLY_ARRAY:
        out.type = Type::Array;
        out.elements.reserve(reply->elements);
        for (size_t i = 0; i < reply->elements; ++i)
            out.elements.push_back(from(reply->element[i]));
        break;
    default:
        out.type = Type::Nil;
        break;
    }
    return out;
}

RedisClient::RedisClient(RedisEndpoint endpoint, int timeoutMs)
    : m_endpoint(std::move(endpoint)), m_timeoutMs(timeoutMs)
{}

RedisClient::~RedisClient()
{
    if (m_context)
        redisFree(m_context);
}

Status RedisClient::ensureConnected()
{
    if (m_context)
        return Status::success();
    const timeval timeout{m_timeoutMs / 1000, (m_timeoutMs % 1000) * 1000};
    const QByteArray host = m_endpoint.host.toUtf8();
    redisContext *context = redisConnectWithTimeout(host.constData(), m_endpoint.port, timeout);
    if (!context)
        return Error{QStringLiteral("cannot allocate a Redis context"), m_endpoint.toString()};
    if (context->err) {
        const QString why = QString::fromUtf8(context->errstr);
        redisFree(context);
        return Error{QStringLiteral("cannot connect to Redis: %1").arg(why), m_endpoint.toString()};
    }
    redisSetTimeout(context, timeout);
    m_context = context;
    return Status::success();
}

Error RedisClient::dropConnection(const QString &what)
{
    const int savedErrno = errno;
    const int err = m_context ? m_context->err : 0;
    m_lastDropWasStale =
        err == REDIS_ERR_EOF || (err == REDIS_ERR_IO && (savedErrno == EPIPE || savedErrno == ECONNRESET));
    const QString why = err ? QString::fromUtf8(m_context->errstr) : QStringLiteral("no reply");
    if (m_context)
        redisFree(m_context);
    m_context = nullptr;
    return Error{QStringLiteral("Redis %1 failed: %2").arg(what, why), m_endpoint.toString()};
}

namespace {

struct Argv {
    explicit Argv(const QList<QByteArray> &args)
    {
        pointers.reserve(args.size());
        lengths.reserve(args.size());
        for (const QByteArray &arg : args) {
            pointers.push_back(arg.constData());
            lengths.push_back(static_cast<size_t>(arg.size()));
        }
    }
    int count() const { return static_cast<int>(pointers.size()); }
    // hiredis 0.14 takes const char ** (not const char *const *), hence non-const access.
    std::vector<const char *> pointers;
    std::vector<size_t> lengths;
};

struct ReplyDeleter {
    void operator()(void *reply) const { freeReplyObject(reply); }
};

} // namespace

Result<RedisReply> RedisClient::command(const QList<QByteArray> &args)
{
    const bool reused = m_context != nullptr;
    Result<RedisReply> result = commandOnce(args);
    // A kept connection the server has closed since (restart, idle timeout) fails the first
    // command without the server having seen it: reconnect and send it once more, as Lettuce
    // and Jedis pools do. Timeouts are not retried: the server may have run the command.
    if (!result && reused && m_lastDropWasStale)
        result = commandOnce(args);
    return result;
}

Result<std::vector<RedisReply>> RedisClient::pipeline(const QList<QList<QByteArray>> &commands)
{
    const bool reused = m_context != nullptr;
    Result<std::vector<RedisReply>> result = pipelineOnce(commands);
    if (!result && reused && m_lastDropWasStale)
        result = pipelineOnce(commands);
    return result;
}

Result<RedisReply> RedisClient::commandOnce(const QList<QByteArray> &args)
{
    if (const Status connected = ensureConnected(); !connected)
        return connected.error();
    Argv argv(args);
    std::unique_ptr<void, ReplyDeleter> reply(
        redisCommandArgv(m_context, argv.count(), argv.pointers.data(), argv.lengths.data()));
    if (!reply)
        return dropConnection(QString::fromLatin1(args.value(0)));
    return RedisReply::from(static_cast<const redisReply *>(reply.get()));
}

Result<std::vector<RedisReply>> RedisClient::pipelineOnce(const QList<QList<QByteArray>> &commands)
{
    if (const Status connected = ensureConnected(); !connected)
        return connected.error();
    for (const QList<QByteArray> &args : commands) {
        Argv argv(args);
        if (redisAppendCommandArgv(m_context, argv.count(), argv.pointers.data(), argv.lengths.data()) !=
            REDIS_OK)
            return dropConnection(QStringLiteral("pipeline"));
    }
    std::vector<RedisReply> replies;
    replies.reserve(static_cast<size_t>(commands.size()));
    for (qsizetype i = 0; i < commands.size(); ++i) {
        void *raw = nullptr;
        if (redisGetReply(m_context, &raw) != REDIS_OK || !raw)
            return dropConnection(QStringLiteral("pipeline"));
        std::unique_ptr<void, ReplyDeleter> reply(raw);
        replies.push_back(RedisReply::from(static_cast<const redisReply *>(reply.get())));
    }
    return replies;
}

RedisClient &threadLocalRedis(const RedisEndpoint &endpoint)
{
    thread_local std::map<QString, std::unique_ptr<RedisClient>> clients;
    std::unique_ptr<RedisClient> &client = clients[endpoint.toString()];
    if (!client)
        client = std::make_unique<RedisClient>(endpoint);
    return *client;
}

} // namespace clusterdeck::lab
