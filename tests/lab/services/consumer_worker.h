#pragma once

#include "db_pool.h"
#include "redis_client.h"

#include <QByteArray>
#include <QMutex>
#include <QString>
#include <atomic>
#include <chrono>
#include <memory>
#include <vector>

class QSqlDatabase;
class QThread;

namespace clusterdeck::lab {

struct ConsumerConfig {
    RedisEndpoint redis;
    DbConfig db;
    QByteArray stream;
    QByteArray group;
    QByteArray consumer = "consumer-1";
};

// The lab's stand-in for a Kafka consumer: reads coupon messages from a Redis stream as a member
// of a consumer group, writes them to coupon_issue (a duplicate key counts as "duplicate", not as
// a failure) and acknowledges them, at most `rate` messages per second. Messages are acknowledged
// only after their transaction committed; after a database outage the unacknowledged ones are
// read again from the group's pending list, so none is lost.
class ConsumerWorker {
public:
    struct Counts {
        quint64 inserted = 0;
        quint64 duplicate = 0;
        quint64 error = 0;
    };

    ConsumerWorker(ConsumerConfig config, int rate);
    ~ConsumerWorker();
    ConsumerWorker(const ConsumerWorker &) = delete;
    ConsumerWorker &operator=(const ConsumerWorker &) = delete;

    void start();
    // Asks the loop to end after the batch in hand; join() waits for it.
    void requestStop() { m_stop = true; }
    void join();

    void setPaused(bool paused) { m_paused = paused; }
    bool paused() const { return m_paused; }
    // True once the worker loop has seen the pause: no batch is in flight any more, so the lag holds still.
    bool idle() const { return m_idle; }
    void setRate(int rate) { m_rate = rate; }
    int rate() const { return m_rate; }
    Counts counts() const { return {m_inserted, m_duplicate, m_error}; }
    QString lastError() const;

    static constexpr int kMaxBatch = 100;
    static constexpr int kMaxRate = 1000000;

private:
    struct Message {
        QByteArray id;
        QByteArray user;
        QByteArray coupon;
        bool hasFields = false;
    };
    struct BatchResult {
        bool transientFailure = false; // nothing may be acknowledged; read the batch again later
        Counts counts;
    };

    void loop();
    bool ensureGroup(RedisClient &redis);
    // Drops the stream entries every group has read and acknowledged (XTRIM MINID), so the stream stays
    // bounded without losing a message nobody consumed yet (which would also make the exported lag lie).
    void trimConsumed(RedisClient &redis);
    BatchResult insertBatch(QSqlDatabase &db, const std::vector<Message> &messages);
    static std::vector<Message> parseEntries(const RedisReply &reply);
    void sleepFor(int milliseconds) const; // wakes early on stop
    // Remembers the problem and logs it when it differs from the previous one.
    void noteProblem(const QString &problem);
    void noteHealthy();

    ConsumerConfig m_config;
    std::unique_ptr<QThread> m_thread;
    std::atomic<bool> m_stop{false};
    std::atomic<bool> m_paused{false};
    std::atomic<bool> m_idle{false};
    std::atomic<int> m_rate;
    std::atomic<quint64> m_inserted{0};
    std::atomic<quint64> m_duplicate{0};
    std::atomic<quint64> m_error{0};
    mutable QMutex m_errorMutex;
    QString m_lastError;
    bool m_troubled = false;                            // loop thread only
    std::chrono::steady_clock::time_point m_lastTrim{}; // loop thread only
};

} // namespace clusterdeck::lab
