#pragma once

#include "common/result.h"
#include "http_types.h"
#include "redis_client.h"

#include <QHash>
#include <QMutex>
#include <atomic>

namespace clusterdeck::lab {

class DbPool;
class FaultSwitch;

struct WasConfig {
    QString name; // "was1", prefixes log lines
    RedisEndpoint redis;
    QByteArray stream; // where issued coupons are queued for the consumer
};

// The demo WAS node's application logic: course reviews (cache-aside over Redis), coupon issuing
// (Redis duplicate check and stock, then a stream message), Spring-style health and the fault
// switch endpoints. Every handler runs on a worker thread and is thread-safe.
class WasService {
public:
    WasService(WasConfig config, DbPool &db, FaultSwitch &faults);

    HttpReply reviews(const HttpCall &call);
    HttpReply issueCoupon(const HttpCall &call);
    HttpReply health(const HttpCall &call);
    HttpReply faultState(const HttpCall &call);
    HttpReply changeFault(const HttpCall &call);

    // Reviews are cached this long (seconds) under reviews:course:ID.
    static constexpr int kReviewCacheSeconds = 30;

private:
    Result<QByteArray> loadReviews(int courseId);
    // The coupon's initial stock from the database, remembered after the first look-up;
    // 0 rows -> an Error whose message is "not found".
    Result<qint64> couponStock(int couponId);
    // Logs Redis going down or coming back once per change, not once per request.
    void noteRedis(const Status &status);

    WasConfig m_config;
    DbPool &m_db;
    FaultSwitch &m_faults;
    QMutex m_stockMutex;
    QHash<int, qint64> m_stock;
    std::atomic<bool> m_redisDown{false};
};

} // namespace clusterdeck::lab
