#include "consumer_worker.h"

#include <QRegularExpression>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>

namespace clusterdeck::lab {
namespace {

using Clock = std::chrono::steady_clock;

const QString kConnectionName = QStringLiteral("lab-consumer");

// MariaDB errors after which the same statement can succeed later: server gone or restarting,
// connection lost or killed, lock timeouts and deadlocks.
bool isTransient(const QString &nativeCode)
{
    static const QSet<QString> codes{
        QStringLiteral("1040"), QStringLiteral("1053"), QStringLiteral("1205"), QStringLiteral("1213"),
        QStringLiteral("1317"), QStringLiteral("1927"), QStringLiteral("2002"), QStringLiteral("2003"),
        QStringLiteral("2006"), QStringLiteral("2013"), QStringLiteral("2055"),
    };
    return nativeCode.isEmpty() || codes.contains(nativeCode);
}

bool validMessage(const QByteArray &user, const QByteArray &coupon)
{
    static const QRegularExpression userPattern(QStringLiteral("^[A-Za-z0-9_.:@-]{1,64}$"));
    static const QRegularExpression couponPattern(QStringLiteral("^[1-9][0-9]{0,8}$"));
    return userPattern.match(QString::fromUtf8(user)).hasMatch() &&
           couponPattern.match(QString::fromLatin1(coupon)).hasMatch();
}

} // namespace

ConsumerWorker::ConsumerWorker(ConsumerConfig config, int rate) : m_config(std::move(config)), m_rate(rate) {}

namespace {

// Stream ids "ms-seq" compared as numbers.
std::pair<qint64, qint64> idParts(const QByteArray &id)
{
    const qsizetype dash = id.indexOf('-');
    return {id.left(dash).toLongLong(), dash < 0 ? 0 : id.mid(dash + 1).toLongLong()};
}

} // namespace

void ConsumerWorker::trimConsumed(RedisClient &redis)
{
    // The oldest entry still needed: per group, its oldest unacknowledged entry, else the first one after its
    // last-delivered-id (MINID keeps the id given, so trimming at last-delivered-id keeps one consumed
    // entry).
    const Result<RedisReply> groups = redis.command({"XINFO", "GROUPS", m_config.stream});
    if (!groups || !groups->isArray() || groups->elements.empty())
        return;
    std::optional<QByteArray> keepFrom;
    for (const RedisReply &group : groups->elements) {
        const RedisReply *name = group.field("name");
        const RedisReply *delivered = group.field("last-delivered-id");
        if (!name || !delivered || !delivered->isString())
            return;
        QByteArray oldest = delivered->str;
        const Result<RedisReply> pending = redis.command({"XPENDING", m_config.stream, name->str});
        if (!pending || !pending->isArray() || pending->elements.size() < 2)
            return;
        if (pending->elements[0].integer > 0 && pending->elements[1].isString())
            oldest = pending->elements[1].str;
        if (!keepFrom || idParts(oldest) < idParts(*keepFrom))
            keepFrom = oldest;
    }
    const Result<RedisReply> trimmed = redis.command({"XTRIM", m_config.stream, "MINID", *keepFrom});
    if (!trimmed || trimmed->isError())
        noteProblem(QStringLiteral("XTRIM failed: %1")
                        .arg(trimmed ? QString::fromUtf8(trimmed->str) : trimmed.error().toString()));
}

ConsumerWorker::~ConsumerWorker()
{
    requestStop();
    join();
}

void ConsumerWorker::start()
{
    m_thread.reset(QThread::create([this] { loop(); }));
    m_thread->setObjectName(QStringLiteral("consumer"));
    m_thread->start();
}

void ConsumerWorker::join()
{
    if (m_thread)
        m_thread->wait();
}

QString ConsumerWorker::lastError() const
{
    QMutexLocker lock(&m_errorMutex);
    return m_lastError;
}

void ConsumerWorker::noteProblem(const QString &problem)
{
    {
        QMutexLocker lock(&m_errorMutex);
        if (m_troubled && m_lastError == problem)
            return;
        m_lastError = problem;
    }
    m_troubled = true;
    std::fprintf(stderr, "%s: %s\n", m_config.consumer.constData(), qPrintable(problem));
}

void ConsumerWorker::noteHealthy()
{
    if (!m_troubled)
        return;
    m_troubled = false;
    std::fprintf(stderr, "%s: consuming again\n", m_config.consumer.constData());
}

void ConsumerWorker::sleepFor(int milliseconds) const
{
    const auto until = Clock::now() + std::chrono::milliseconds(milliseconds);
    while (!m_stop && Clock::now() < until)
        QThread::msleep(static_cast<unsigned long>(std::min<qint64>(
            20, std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()).count() + 1)));
}

bool ConsumerWorker::ensureGroup(RedisClient &redis)
{
    const Result<RedisReply> created =
        redis.command({"XGROUP", "CREATE", m_config.stream, m_config.group, "$", "MKSTREAM"});
    if (!created) {
        noteProblem(created.error().toString());
        return false;
    }
    if (created->isError() && !created->str.startsWith("BUSYGROUP")) {
        noteProblem(QStringLiteral("XGROUP CREATE failed: %1").arg(QString::fromUtf8(created->str)));
        return false;
    }
    return true;
}

std::vector<ConsumerWorker::Message> ConsumerWorker::parseEntries(const RedisReply &reply)
{
    // [[stream, [[id, [field, value, ...] or nil], ...]]]; nil as a whole when BLOCK timed out
    std::vector<Message> out;
    if (!reply.isArray())
        return out;
    for (const RedisReply &stream : reply.elements) {
        if (!stream.isArray() || stream.elements.size() < 2 || !stream.elements[1].isArray())
            continue;
        for (const RedisReply &entry : stream.elements[1].elements) {
            if (!entry.isArray() || entry.elements.empty())
                continue;
            Message message;
            message.id = entry.elements[0].str;
            if (entry.elements.size() > 1 && entry.elements[1].isArray()) {
                const RedisReply &fields = entry.elements[1];
                if (const RedisReply *user = fields.field("user"))
                    message.user = user->str;
                if (const RedisReply *coupon = fields.field("coupon"))
                    message.coupon = coupon->str;
                message.hasFields = true;
            }
            out.push_back(std::move(message));
        }
    }
    return out;
}

ConsumerWorker::BatchResult ConsumerWorker::insertBatch(QSqlDatabase &db,
                                                        const std::vector<Message> &messages)
{
    BatchResult result;
    auto transient = [&](const QString &what, const QSqlError &error) {
        noteProblem(QStringLiteral("%1 (%2): %3").arg(what, m_config.db.endpoint(), error.text()));
        db.rollback();
        db.close(); // reopened on the next batch
        result.transientFailure = true;
        return result;
    };

    if (!db.isOpen() && !db.open())
        return transient(QStringLiteral("cannot connect to MariaDB"), db.lastError());
    // One transaction per batch: one log flush instead of one per message. A duplicate key fails
    // only its own statement, the rest of the transaction goes on.
    if (!db.transaction())
        return transient(QStringLiteral("cannot begin a transaction"), db.lastError());
    QSqlQuery insert(db);
    if (!insert.prepare(QStringLiteral("INSERT INTO coupon_issue (user_id, coupon_id) VALUES (?, ?)")))
        return transient(QStringLiteral("cannot prepare the insert"), insert.lastError());
    for (const Message &message : messages) {
        if (!message.hasFields || !validMessage(message.user, message.coupon)) {
            ++result.counts.error; // malformed or deleted: acknowledged, or it would come back forever
            continue;
        }
        insert.bindValue(0, QString::fromUtf8(message.user));
        insert.bindValue(1, message.coupon.toInt());
        if (insert.exec()) {
            ++result.counts.inserted;
            continue;
        }
        const QSqlError error = insert.lastError();
        if (error.nativeErrorCode() == QLatin1String("1062"))
            ++result.counts.duplicate;
        else if (isTransient(error.nativeErrorCode()))
            return transient(QStringLiteral("insert failed"), error);
        else
            ++result.counts.error;
    }
    if (!db.commit())
        return transient(QStringLiteral("commit failed"), db.lastError());
    return result;
}

void ConsumerWorker::loop()
{
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QMARIADB"), kConnectionName);
        db.setHostName(m_config.db.host);
        db.setPort(m_config.db.port);
        db.setUserName(m_config.db.user);
        db.setPassword(m_config.db.password);
        db.setDatabaseName(m_config.db.database);
        db.setConnectOptions(QStringLiteral(
            "MYSQL_OPT_CONNECT_TIMEOUT=2;MYSQL_OPT_READ_TIMEOUT=10;MYSQL_OPT_WRITE_TIMEOUT=10"));

        RedisClient redis(m_config.redis, 2000);
        bool groupReady = false;
        // Start with our own unacknowledged entries: a crash or a database outage left them behind.
        bool recovering = true;
        double tokens = 0;
        Clock::time_point lastRefill = Clock::now();

        while (!m_stop) {
            if (!groupReady && !(groupReady = ensureGroup(redis))) {
                sleepFor(1000);
                continue;
            }
            m_idle = m_paused.load();
            if (m_idle) {
                tokens = 0;
                lastRefill = Clock::now();
                sleepFor(50);
                continue;
            }

            // Token bucket holding at most 100 ms worth of messages, so --rate is smooth.
            const int rate = std::max(1, m_rate.load());
            const Clock::time_point now = Clock::now();
            tokens = std::min(tokens + rate * std::chrono::duration<double>(now - lastRefill).count(),
                              std::max(1.0, rate / 10.0));
            lastRefill = now;
            if (tokens < 1) {
                sleepFor(std::clamp(static_cast<int>((1 - tokens) * 1000 / rate), 1, 100));
                continue;
            }
            const int count = std::min(static_cast<int>(tokens), kMaxBatch);

            QList<QByteArray> read{"XREADGROUP",      "GROUP", m_config.group,
                                   m_config.consumer, "COUNT", QByteArray::number(count)};
            if (!recovering)
                read << "BLOCK"
                     << "200";
            read << "STREAMS" << m_config.stream << (recovering ? "0" : ">");
            const Result<RedisReply> reply = redis.command(read);
            if (!reply) {
                noteProblem(reply.error().toString());
                sleepFor(1000);
                continue;
            }
            if (reply->isError()) {
                // The stream or group vanished (Redis restarted empty, FLUSHALL): NOGROUP, or
                // UNBLOCKED when it went while we were blocked. Create it again at once.
                if (reply->str.startsWith("NOGROUP") || reply->str.startsWith("UNBLOCKED"))
                    groupReady = false;
                else
                    noteProblem(QStringLiteral("XREADGROUP failed: %1").arg(QString::fromUtf8(reply->str)));
                sleepFor(groupReady ? 1000 : 0);
                continue;
            }
            const std::vector<Message> messages = parseEntries(*reply);
            if (messages.empty()) {
                recovering = false;
                continue;
            }

            const BatchResult batch = insertBatch(db, messages);
            if (batch.transientFailure) {
                recovering = true;
                sleepFor(1000);
                continue;
            }
            QList<QByteArray> ack{"XACK", m_config.stream, m_config.group};
            for (const Message &message : messages)
                ack << message.id;
            const Result<RedisReply> acked = redis.command(ack);
            if (!acked || acked->isError()) {
                // Committed but not acknowledged: they come back and count as duplicates.
                noteProblem(acked ? QString::fromUtf8(acked->str) : acked.error().toString());
                recovering = true;
            } else {
                noteHealthy();
                // Once a second is plenty: the stream then holds about a second of consumed entries.
                if (Clock::now() - m_lastTrim >= std::chrono::seconds(1)) {
                    m_lastTrim = Clock::now();
                    trimConsumed(redis);
                }
            }
            m_inserted += batch.counts.inserted;
            m_duplicate += batch.counts.duplicate;
            m_error += batch.counts.error;
            tokens -= static_cast<double>(messages.size());
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(kConnectionName);
}

} // namespace clusterdeck::lab
