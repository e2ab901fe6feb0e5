#include "was_service.h"

#include "db_pool.h"
#include "fault_switch.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <cstdio>
#include <limits>
#include <optional>

namespace clusterdeck::lab {
namespace {

const QString kNotFound = QStringLiteral("not found");

std::optional<int> parseId(const QString &text)
{
    static const QRegularExpression digits(QStringLiteral("^[0-9]{1,10}$"));
    if (!digits.match(text).hasMatch())
        return std::nullopt;
    const qlonglong value = text.toLongLong();
    if (value < 1 || value > std::numeric_limits<int>::max())
        return std::nullopt;
    return static_cast<int>(value);
}

bool validUser(const QString &user)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9_.:@-]{1,64}$"));
    return pattern.match(user).hasMatch();
}

QJsonObject component(const Status &status)
{
    QJsonObject out{{QStringLiteral("status"), status ? QStringLiteral("UP") : QStringLiteral("DOWN")}};
    if (!status)
        out.insert(QStringLiteral("details"),
                   QJsonObject{{QStringLiteral("error"), status.error().toString()}});
    return out;
}

} // namespace

WasService::WasService(WasConfig config, DbPool &db, FaultSwitch &faults)
    : m_config(std::move(config)), m_db(db), m_faults(faults)
{}

void WasService::noteRedis(const Status &status)
{
    const bool down = !status.ok();
    if (m_redisDown.exchange(down) == down)
        return;
    if (down)
        std::fprintf(stderr, "%s: redis unavailable: %s\n", qPrintable(m_config.name),
                     qPrintable(status.error().toString()));
    else
        std::fprintf(stderr, "%s: redis %s reachable again\n", qPrintable(m_config.name),
                     qPrintable(m_config.redis.toString()));
}

Result<QByteArray> WasService::loadReviews(int courseId)
{
    QJsonArray reviews;
    const Status status = m_db.run([&](QSqlDatabase &db) -> Status {
        QSqlQuery query(db);
        query.setForwardOnly(true);
        query.prepare(
            QStringLiteral("SELECT id, course_id, rating, body FROM review WHERE course_id = ? ORDER BY id"));
        query.addBindValue(courseId);
        if (!query.exec())
            return Error{QStringLiteral("review query failed: %1").arg(query.lastError().text()),
                         m_db.config().endpoint()};
        while (query.next()) {
            reviews.append(QJsonObject{
                {QStringLiteral("id"), query.value(0).toLongLong()},
                {QStringLiteral("courseId"), query.value(1).toInt()},
                {QStringLiteral("rating"), query.value(2).toInt()},
                {QStringLiteral("body"), query.value(3).toString()},
            });
        }
        return Status::success();
    });
    if (!status)
        return status.error();
    return QJsonDocument(reviews).toJson(QJsonDocument::Compact);
}

HttpReply WasService::reviews(const HttpCall &call)
{
    const std::optional<int> course = parseId(call.value(QStringLiteral("course")));
    if (!course)
        return HttpReply::error(400, QStringLiteral("course must be a positive integer id"), call.path);

    const QByteArray key = "reviews:course:" + QByteArray::number(*course);
    RedisClient &redis = threadLocalRedis(m_config.redis);
    const Result<RedisReply> cached = redis.command({"GET", key});
    noteRedis(cached ? Status::success() : Status(cached.error()));
    if (cached && cached->type == RedisReply::Type::String) {
        HttpReply reply = HttpReply::text(200, cached->str, "application/json");
        reply.headers.append(qMakePair(QByteArray("X-Cache"), QByteArray("HIT")));
        return reply;
    }

    // Cache miss, or Redis is down: the database answers either way (cache-aside degrades to DB).
    const Result<QByteArray> loaded = loadReviews(*course);
    if (!loaded)
        return HttpReply::error(500, loaded.error().toString(), call.path);
    if (cached) {
        const Result<RedisReply> stored =
            redis.command({"SETEX", key, QByteArray::number(kReviewCacheSeconds), *loaded});
        noteRedis(stored ? Status::success() : Status(stored.error()));
    }
    HttpReply reply = HttpReply::text(200, *loaded, "application/json");
    reply.headers.append(qMakePair(QByteArray("X-Cache"), QByteArray("MISS")));
    return reply;
}

Result<qint64> WasService::couponStock(int couponId)
{
    {
        QMutexLocker lock(&m_stockMutex);
        const auto it = m_stock.constFind(couponId);
        if (it != m_stock.constEnd())
            return *it;
    }
    std::optional<qint64> stock;
    const Status status = m_db.run([&](QSqlDatabase &db) -> Status {
        QSqlQuery query(db);
        query.prepare(QStringLiteral("SELECT stock FROM coupon WHERE id = ?"));
        query.addBindValue(couponId);
        if (!query.exec())
            return Error{QStringLiteral("coupon query failed: %1").arg(query.lastError().text()),
                         m_db.config().endpoint()};
        if (query.next())
            stock = query.value(0).toLongLong();
        return Status::success();
    });
    if (!status)
        return status.error();
    if (!stock)
        return Error{kNotFound, QString()};
    QMutexLocker lock(&m_stockMutex);
    m_stock.insert(couponId, *stock);
    return *stock;
}

HttpReply WasService::issueCoupon(const HttpCall &call)
{
    const std::optional<int> coupon = parseId(call.captures.value(0));
    if (!coupon)
        return HttpReply::error(400, QStringLiteral("coupon id must be a positive integer"), call.path);
    const QString user = call.value(QStringLiteral("user"));
    if (!validUser(user))
        return HttpReply::error(400, QStringLiteral("user must be 1-64 characters of [A-Za-z0-9_.:@-]"),
                                call.path);

    const Result<qint64> stock = couponStock(*coupon);
    if (!stock) {
        if (stock.error().message == kNotFound)
            return HttpReply::error(404, QStringLiteral("coupon %1 does not exist").arg(*coupon), call.path);
        return HttpReply::error(500, stock.error().toString(), call.path);
    }

    const QByteArray id = QByteArray::number(*coupon);
    const QByteArray stockKey = "coupon:" + id + ":stock";
    const QByteArray usersKey = "coupon:" + id + ":users";
    const QByteArray userBytes = user.toUtf8();
    RedisClient &redis = threadLocalRedis(m_config.redis);
    auto fail = [&](const Error &error) {
        noteRedis(error);
        return HttpReply::error(500, error.toString(), call.path);
    };
    auto undo = [&] { (void)redis.pipeline({{"INCR", stockKey}, {"SREM", usersKey, userBytes}}); };

    // SETNX on every call (it is free in the same round trip) re-seeds the stock if Redis lost it.
    const Result<std::vector<RedisReply>> claimed =
        redis.pipeline({{"SETNX", stockKey, QByteArray::number(*stock)}, {"SADD", usersKey, userBytes}});
    if (!claimed)
        return fail(claimed.error());
    noteRedis(Status::success());
    const RedisReply &added = claimed->at(1);
    if (!added.isInteger())
        return HttpReply::error(500,
                                QStringLiteral("SADD %1 failed: %2")
                                    .arg(QString::fromUtf8(usersKey), QString::fromUtf8(added.str)),
                                call.path);
    if (added.integer == 0)
        return HttpReply::error(409, QStringLiteral("already issued"), call.path);

    const Result<RedisReply> left = redis.command({"DECR", stockKey});
    if (!left || !left->isInteger()) {
        (void)redis.command({"SREM", usersKey, userBytes});
        return left ? HttpReply::error(
                          500, QStringLiteral("DECR failed: %1").arg(QString::fromUtf8(left->str)), call.path)
                    : fail(left.error());
    }
    if (left->integer < 0) {
        undo();
        return HttpReply::error(410, QStringLiteral("sold out"), call.path);
    }

    const Result<RedisReply> queued =
        redis.command({"XADD", m_config.stream, "*", "user", userBytes, "coupon", id});
    if (!queued || !queued->isString()) {
        undo();
        return queued
                   ? HttpReply::error(500,
                                      QStringLiteral("XADD failed: %1").arg(QString::fromUtf8(queued->str)),
                                      call.path)
                   : fail(queued.error());
    }
    return HttpReply::json(201, QJsonDocument(QJsonObject{
                                    {QStringLiteral("coupon"), *coupon},
                                    {QStringLiteral("user"), user},
                                    {QStringLiteral("status"), QStringLiteral("ISSUED")},
                                    {QStringLiteral("remaining"), left->integer},
                                    {QStringLiteral("messageId"), QString::fromLatin1(queued->str)},
                                }));
}

HttpReply WasService::health(const HttpCall &)
{
    const Status db = m_db.run([this](QSqlDatabase &connection) -> Status {
        QSqlQuery query(connection);
        if (!query.exec(QStringLiteral("SELECT 1")))
            return Error{query.lastError().text(), m_db.config().endpoint()};
        return Status::success();
    });
    const Result<RedisReply> pong = threadLocalRedis(m_config.redis).command({"PING"});
    Status redis = Status::success();
    if (!pong)
        redis = pong.error();
    else if (pong->isError())
        redis = Error{QString::fromUtf8(pong->str), m_config.redis.toString()};
    noteRedis(redis);

    QJsonObject components{{QStringLiteral("db"), component(db)},
                           {QStringLiteral("redis"), component(redis)}};
    const bool faultDown = m_faults.state().down;
    if (faultDown) {
        components.insert(
            QStringLiteral("labFault"),
            QJsonObject{{QStringLiteral("status"), QStringLiteral("DOWN")},
                        {QStringLiteral("details"), QJsonObject{{QStringLiteral("down"), true}}}});
    }
    const bool up = db && redis && !faultDown;
    const QJsonObject body{{QStringLiteral("status"), up ? QStringLiteral("UP") : QStringLiteral("DOWN")},
                           {QStringLiteral("components"), components}};
    return HttpReply::json(up ? 200 : 503, QJsonDocument(body));
}

HttpReply WasService::faultState(const HttpCall &)
{
    return HttpReply::json(200, QJsonDocument(m_faults.toJson()));
}

HttpReply WasService::changeFault(const HttpCall &call)
{
    const Status applied = m_faults.apply(call.query);
    if (!applied)
        return HttpReply::error(400, applied.error().message, call.path);
    const QJsonObject state = m_faults.toJson();
    std::fprintf(stderr, "%s: fault switch now %s\n", qPrintable(m_config.name),
                 QJsonDocument(state).toJson(QJsonDocument::Compact).constData());
    return HttpReply::json(200, QJsonDocument(state));
}

} // namespace clusterdeck::lab
