#include "consumer_metrics_page.h"

#include "consumer_worker.h"
#include "exposition_writer.h"

#include <algorithm>
#include <optional>

namespace clusterdeck::lab {
namespace {

std::optional<qint64> integerField(const RedisReply &map, const QByteArray &name)
{
    const RedisReply *value = map.field(name);
    if (!value || value->isNil())
        return std::nullopt;
    if (value->isInteger())
        return value->integer;
    bool ok = false;
    const qint64 parsed = value->str.toLongLong(&ok);
    return ok ? std::optional<qint64>(parsed) : std::nullopt;
}

struct GroupInfo {
    QByteArray name;
    qint64 consumers = 0;
    qint64 pending = 0;
    qint64 currentOffset = -1; // kafka_exporter's -1: no committed offset known
    qint64 lag = -1;
};

} // namespace

ConsumerMetricsPage::ConsumerMetricsPage(RedisEndpoint redis, QByteArray stream, const ConsumerWorker &worker)
    : m_redis(std::move(redis)), m_stream(std::move(stream)), m_worker(worker)
{}

HttpReply ConsumerMetricsPage::render()
{
    RedisClient &redis = threadLocalRedis(m_redis);
    const Result<std::vector<RedisReply>> info =
        redis.pipeline({{"XINFO", "STREAM", m_stream}, {"XINFO", "GROUPS", m_stream}});

    bool reachable = false;
    qint64 entriesAdded = 0;
    qint64 length = 0;
    std::vector<GroupInfo> groups;
    if (info) {
        reachable = true;
        const RedisReply &stream = info->at(0);
        // "ERR no such key": the stream does not exist yet; it is an empty topic.
        if (stream.isArray()) {
            entriesAdded = integerField(stream, "entries-added").value_or(0);
            length = integerField(stream, "length").value_or(0);
        }
        const RedisReply &groupList = info->at(1);
        if (groupList.isArray()) {
            for (const RedisReply &group : groupList.elements) {
                GroupInfo g;
                if (const RedisReply *name = group.field("name"))
                    g.name = name->str;
                g.consumers = integerField(group, "consumers").value_or(0);
                g.pending = integerField(group, "pending").value_or(0);
                const std::optional<qint64> read = integerField(group, "entries-read");
                const std::optional<qint64> lag = integerField(group, "lag");
                // A group made with "XGROUP CREATE ... $" has no entries-read until its first read,
                // but Redis still knows its lag; entries-added - lag is then its position. Lag is nil
                // when entries were deleted mid-stream; entries-read still gives it.
                if (read)
                    g.currentOffset = *read;
                else if (lag)
                    g.currentOffset = entriesAdded - *lag;
                if (lag)
                    g.lag = *lag;
                else if (read)
                    g.lag = std::max<qint64>(0, entriesAdded - *read);
                groups.push_back(g);
            }
        }
    }

    ExpositionWriter out;
    const QByteArray partition = "0";
    out.family(
        "kafka_brokers",
        "Number of Brokers in the Kafka Cluster. (lab: 1 = the Redis server holding the stream is reachable)",
        "gauge");
    out.sample("kafka_brokers", reachable ? 1 : 0);
    if (reachable) {
        const Labels topic{{"topic", m_stream}};
        const Labels topicPartition{{"partition", partition}, {"topic", m_stream}};
        out.family("kafka_topic_partitions",
                   "Number of partitions for this Topic (lab: a Redis stream is one partition)", "gauge");
        out.sample("kafka_topic_partitions", topic, 1);
        out.family("kafka_topic_partition_current_offset",
                   "Current Offset of a Broker at Topic/Partition (lab: XINFO STREAM entries-added)",
                   "gauge");
        out.sample("kafka_topic_partition_current_offset", topicPartition, static_cast<double>(entriesAdded));
        out.family("kafka_topic_partition_oldest_offset",
                   "Oldest Offset of a Broker at Topic/Partition (lab: entries-added minus length)", "gauge");
        out.sample("kafka_topic_partition_oldest_offset", topicPartition,
                   static_cast<double>(entriesAdded - length));

        out.family("kafka_consumergroup_current_offset",
                   "Current Offset of a ConsumerGroup at Topic/Partition (lab: XINFO GROUPS entries-read)",
                   "gauge");
        for (const GroupInfo &g : groups)
            out.sample("kafka_consumergroup_current_offset",
                       {{"consumergroup", g.name}, {"partition", partition}, {"topic", m_stream}},
                       static_cast<double>(g.currentOffset));
        out.family("kafka_consumergroup_current_offset_sum",
                   "Current Offset of a ConsumerGroup at Topic for all partitions", "gauge");
        for (const GroupInfo &g : groups)
            out.sample("kafka_consumergroup_current_offset_sum",
                       {{"consumergroup", g.name}, {"topic", m_stream}},
                       static_cast<double>(g.currentOffset));
        out.family("kafka_consumergroup_lag",
                   "Current Approximate Lag of a ConsumerGroup at Topic/Partition (lab: XINFO GROUPS lag)",
                   "gauge");
        for (const GroupInfo &g : groups)
            out.sample("kafka_consumergroup_lag",
                       {{"consumergroup", g.name}, {"partition", partition}, {"topic", m_stream}},
                       static_cast<double>(g.lag));
        out.family("kafka_consumergroup_lag_sum",
                   "Current Approximate Lag of a ConsumerGroup at Topic for all partitions", "gauge");
        for (const GroupInfo &g : groups)
            out.sample("kafka_consumergroup_lag_sum", {{"consumergroup", g.name}, {"topic", m_stream}},
                       static_cast<double>(g.lag));
        out.family("kafka_consumergroup_members", "Amount of members in a consumer group", "gauge");
        for (const GroupInfo &g : groups)
            out.sample("kafka_consumergroup_members", {{"consumergroup", g.name}},
                       static_cast<double>(g.consumers));
        out.family("lab_consumer_unacked_messages",
                   "Messages delivered to the group but not acknowledged yet (XINFO GROUPS pending)",
                   "gauge");
        for (const GroupInfo &g : groups)
            out.sample("lab_consumer_unacked_messages", {{"consumergroup", g.name}, {"topic", m_stream}},
                       static_cast<double>(g.pending));
    }

    const ConsumerWorker::Counts counts = m_worker.counts();
    out.family("lab_consumer_messages_total", "Messages this consumer finished, by result", "counter");
    out.sample("lab_consumer_messages_total", {{"result", "inserted"}}, static_cast<double>(counts.inserted));
    out.sample("lab_consumer_messages_total", {{"result", "duplicate"}},
               static_cast<double>(counts.duplicate));
    out.sample("lab_consumer_messages_total", {{"result", "error"}}, static_cast<double>(counts.error));
    out.family("lab_consumer_paused",
               "1 while the consumer is paused through /lab/consumer and has finished its last batch",
               "gauge");
    out.sample("lab_consumer_paused", m_worker.idle() ? 1 : 0);
    out.family("lab_consumer_rate_limit", "Most messages per second the consumer takes", "gauge");
    out.sample("lab_consumer_rate_limit", m_worker.rate());
    return HttpReply::text(200, out.text(), ExpositionWriter::kContentType);
}

} // namespace clusterdeck::lab
