#pragma once

#include "http_types.h"
#include "redis_client.h"

namespace clusterdeck::lab {

class ConsumerWorker;

// Renders /metrics for the queue: kafka_exporter's metric names and labels, computed on each
// scrape from XINFO STREAM / XINFO GROUPS (stream = topic with one partition, "0"), plus the
// consumer's own counters. Runs on a worker thread.
class ConsumerMetricsPage {
public:
    ConsumerMetricsPage(RedisEndpoint redis, QByteArray stream, const ConsumerWorker &worker);
    HttpReply render();

private:
    RedisEndpoint m_redis;
    QByteArray m_stream;
    const ConsumerWorker &m_worker;
};

} // namespace clusterdeck::lab
