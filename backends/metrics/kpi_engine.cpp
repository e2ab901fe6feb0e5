#include "metrics/kpi_engine.h"

#include "metrics/counter_rate.h"
#include "metrics/histogram_quantile.h"
#include "metrics/metric_page.h"

#include <QHash>
#include <charconv>
#include <cmath>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace clusterdeck {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
using NewSeries = CounterTracker::NewSeries;

struct ViewHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
};

// "5xx" (HAProxy's code classes), "503" (Spring's status, Caddy's code).
inline bool isServerError(std::string_view code)
{
    return code.size() == 3 && code[0] == '5';
}

bool equalsIgnoringCase(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const char x = (a[i] >= 'A' && a[i] <= 'Z') ? char(a[i] - 'A' + 'a') : a[i];
        if (x != b[i])
            return false;
    }
    return true;
}

// An le label value as Prometheus reads it (Go's ParseFloat: "+Inf", "Inf", "1e-3", "+0.5").
std::optional<double> parseBound(std::string_view text)
{
    if (!text.empty() && text[0] == '+')
        text.remove_prefix(1);
    if (equalsIgnoringCase(text, "inf") || equalsIgnoringCase(text, "infinity"))
        return std::numeric_limits<double>::infinity();
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || std::isnan(value))
        return std::nullopt;
    return value;
}

std::optional<GatewayServerState> serverStateOf(std::string_view label)
{
    if (label == "UP")
        return GatewayServerState::Up;
    if (label == "DOWN")
        return GatewayServerState::Down;
    if (label == "MAINT")
        return GatewayServerState::Maint;
    if (label == "DRAIN")
        return GatewayServerState::Drain;
    if (label == "NOLB")
        return GatewayServerState::Nolb;
    return std::nullopt;
}

// Per-instance accumulators of one scrape (a gateway upstream, a consumer group); reused from scrape to
// scrape.
struct Slot {
    QString name;
    bool seen = false;
    bool rated = false;
    double requests = 0; // increase
    double errors = 0;   // increase of 5xx
    double responseTime = kNaN;
    double sessions = kNaN;
    double queue = kNaN;
    double state = kNaN;
    double lag = 0;
    int lagPartitions = 0;

    void resetRound()
    {
        seen = rated = false;
        requests = errors = lag = 0;
        lagPartitions = 0;
        responseTime = sessions = queue = state = kNaN;
    }
};

struct TargetState {
    KpiTarget target;
    std::string backend; // UTF-8 of target.backend
    qint64 lastScrapeMs = 0;
    CounterTracker counters;
    std::vector<std::pair<KpiId, QString>> emitted;  // series of the last successful scrape (for gaps)
    std::vector<std::pair<KpiId, QString>> emitting; // being built by the current scrape
    std::unordered_map<std::string, std::uint32_t, ViewHash, std::equal_to<>> slotIndex;
    std::vector<Slot> instances; // in first-seen order, so output order is stable
    std::string keyScratch;
    std::vector<HistogramBucket> buckets;
    std::vector<HistogramBucket> quantileScratch;

    Slot &slot(std::string_view key)
    {
        const auto it = slotIndex.find(key);
        if (it != slotIndex.end())
            return instances[it->second];
        slotIndex.emplace(std::string(key), std::uint32_t(instances.size()));
        instances.emplace_back();
        instances.back().name = QString::fromUtf8(key.data(), qsizetype(key.size()));
        instances.back().resetRound();
        return instances.back();
    }
    void resetSlots()
    {
        for (Slot &s : instances)
            s.resetRound();
    }
};

} // namespace

struct KpiEngine::Impl {
    KpiMapping mapping;
    std::vector<TargetState> targets;
    QHash<QString, int> byName;
    const QString cluster = clusterTarget();

    // Derived series names, computed once.
    std::string wasCount, wasSum, wasBucket, wasMax;
    std::string caddyCount, caddySum;

    // Cluster-wide accumulators of the current round.
    double roundRequests = 0;
    double roundErrors = 0;
    double roundTps = 0;
    int roundRated = 0;
    int roundWasFailed = 0;
    bool clusterEmitted = false;

    Impl(const QList<KpiTarget> &list, const KpiMapping &m) : mapping(m)
    {
        targets.reserve(std::size_t(list.size()));
        for (const KpiTarget &t : list) {
            byName.insert(t.name, int(targets.size()));
            TargetState state;
            state.target = t;
            state.backend = t.backend.toStdString();
            targets.push_back(std::move(state));
        }
        const std::string &was = mapping.name(MetricKey::WasRequests);
        wasCount = was + "_count";
        wasSum = was + "_sum";
        wasBucket = was + "_bucket";
        wasMax = was + "_max";
        const std::string &caddy = mapping.name(MetricKey::CaddyRequests);
        caddyCount = caddy + "_count";
        caddySum = caddy + "_sum";
    }

    const std::string &name(MetricKey key) const { return mapping.name(key); }

    void put(TargetState &st, KpiPoints &out, KpiId id, const QString &instance, qint64 ts, double value)
    {
        out.append(KpiPoint{KpiKey{st.target.name, kpiName(id), instance}, ts, value});
        st.emitting.emplace_back(id, instance);
    }
    void put(TargetState &st, KpiPoints &out, KpiId id, qint64 ts, double value)
    {
        static const QString none;
        put(st, out, id, none, ts, value);
    }
    // Gauges that may be missing from a page are only reported when present.
    void putIfPresent(TargetState &st, KpiPoints &out, KpiId id, qint64 ts, double value)
    {
        if (!std::isnan(value))
            put(st, out, id, ts, value);
    }

    // Sum of every sample of a gauge; NaN when the page has none.
    static double gaugeSum(const MetricPage &page, const std::string &series)
    {
        double sum = kNaN;
        for (const SampleView s : page.samplesNamed(series)) {
            const double v = s.value();
            if (std::isnan(v))
                continue;
            sum = std::isnan(sum) ? v : sum + v;
        }
        return sum;
    }

    // Sum of the increases of every sample of a counter; NaN when no series has an increase.
    static double increaseSum(TargetState &st, const MetricPage &page, const std::string &series,
                              NewSeries whenNew)
    {
        double sum = kNaN;
        for (const SampleView s : page.samplesNamed(series)) {
            const double inc = st.counters.increase(seriesHash(s), s.value(), whenNew);
            if (!std::isnan(inc))
                sum = std::isnan(sum) ? inc : sum + inc;
        }
        return sum;
    }

    void ingestWas(TargetState &st, const MetricPage &page, qint64 ts, double dt, bool rated, KpiPoints &out);
    void ingestHaproxy(TargetState &st, const MetricPage &page, qint64 ts, double dt, bool rated,
                       KpiPoints &out);
    void ingestCaddy(TargetState &st, const MetricPage &page, qint64 ts, double dt, bool rated,
                     KpiPoints &out);
    void ingestRedis(TargetState &st, const MetricPage &page, qint64 ts, double dt, bool rated,
                     KpiPoints &out);
    void ingestKafka(TargetState &st, const MetricPage &page, qint64 ts, double dt, bool rated,
                     KpiPoints &out);
    void ingestDb(TargetState &st, const MetricPage &page, qint64 ts, double dt, bool rated, KpiPoints &out);
};

void KpiEngine::Impl::ingestWas(TargetState &st, const MetricPage &page, qint64 ts, double dt, bool rated,
                                KpiPoints &out)
{
    const std::string &uriLabel = name(MetricKey::WasUriLabel);
    const std::string &statusLabel = name(MetricKey::WasStatusLabel);
    const std::string &prefix = name(MetricKey::WasExcludedUriPrefix);
    const auto excluded = [&](const SampleView &s) {
        if (prefix.empty())
            return false;
        const std::optional<std::string_view> uri = s.label(uriLabel);
        return uri && uri->starts_with(prefix);
    };

    double requests = 0;
    double errors = 0;
    for (const SampleView s : page.samplesNamed(wasCount)) {
        if (excluded(s))
            continue;
        const double inc = st.counters.increase(seriesHash(s), s.value(), NewSeries::FromZero);
        if (std::isnan(inc))
            continue;
        requests += inc;
        if (const std::optional<std::string_view> status = s.label(statusLabel);
            status && isServerError(*status))
            errors += inc;
    }
    double seconds = 0;
    for (const SampleView s : page.samplesNamed(wasSum)) {
        if (excluded(s))
            continue;
        const double inc = st.counters.increase(seriesHash(s), s.value(), NewSeries::FromZero);
        if (!std::isnan(inc))
            seconds += inc;
    }
    st.buckets.clear();
    for (const SampleView s : page.samplesNamed(wasBucket)) {
        if (excluded(s))
            continue;
        const std::optional<std::string_view> le = s.label("le");
        const std::optional<double> bound = le ? parseBound(*le) : std::nullopt;
        if (!bound)
            continue; // Prometheus ignores bucket samples without a usable le as well
        const double inc = st.counters.increase(seriesHash(s), s.value(), NewSeries::FromZero);
        if (std::isnan(inc))
            continue;
        bool merged = false;
        for (HistogramBucket &b : st.buckets) {
            if (b.upperBound == *bound) {
                b.count += inc;
                merged = true;
                break;
            }
        }
        if (!merged)
            st.buckets.push_back({*bound, inc});
    }
    double max = kNaN;
    for (const SampleView s : page.samplesNamed(wasMax)) {
        if (excluded(s) || std::isnan(s.value()))
            continue;
        max = std::isnan(max) ? s.value() : std::max(max, s.value());
    }
    const double poolTimeouts = increaseSum(st, page, name(MetricKey::WasPoolTimeouts), NewSeries::FromZero);

    if (rated) {
        put(st, out, KpiId::WasTps, ts, requests / dt);
        put(st, out, KpiId::WasErrorRatio, ts, requests > 0 ? errors / requests : kNaN);
        static constexpr std::pair<KpiId, double> quantiles[] = {
            {KpiId::WasLatencyP50, 0.5}, {KpiId::WasLatencyP95, 0.95}, {KpiId::WasLatencyP99, 0.99}};
        for (const auto &[id, q] : quantiles) {
            st.quantileScratch.assign(st.buckets.begin(), st.buckets.end());
            put(st, out, id, ts, histogramQuantile(q, st.quantileScratch));
        }
        put(st, out, KpiId::WasLatencyAvg, ts, requests > 0 ? seconds / requests : kNaN);
        roundRequests += requests;
        roundErrors += errors;
        roundTps += requests / dt;
        ++roundRated;
    }
    putIfPresent(st, out, KpiId::WasLatencyMax, ts, max);
    putIfPresent(st, out, KpiId::WasDbPoolActive, ts, gaugeSum(page, name(MetricKey::WasPoolActive)));
    putIfPresent(st, out, KpiId::WasDbPoolPending, ts, gaugeSum(page, name(MetricKey::WasPoolPending)));
    if (rated && !std::isnan(poolTimeouts))
        put(st, out, KpiId::WasDbPoolTimeoutsRate, ts, poolTimeouts / dt);
}

void KpiEngine::Impl::ingestHaproxy(TargetState &st, const MetricPage &page, qint64 ts, double dt, bool rated,
                                    KpiPoints &out)
{
    const std::string &proxyLabel = name(MetricKey::HaproxyProxyLabel);
    const std::string &serverLabel = name(MetricKey::HaproxyServerLabel);
    st.resetSlots();
    // The upstream a per-server sample belongs to, or nullptr when it is another backend's.
    const auto upstreamOf = [&](const SampleView &s) -> Slot * {
        const std::optional<std::string_view> proxy = s.label(proxyLabel);
        const std::optional<std::string_view> server = s.label(serverLabel);
        if (!proxy || !server)
            return nullptr;
        Slot *slot = nullptr;
        if (!st.backend.empty()) {
            if (*proxy != st.backend)
                return nullptr;
            slot = &st.slot(*server);
        } else {
            st.keyScratch.assign(*proxy);
            st.keyScratch += '/';
            st.keyScratch += *server;
            slot = &st.slot(st.keyScratch);
        }
        slot->seen = true;
        return slot;
    };

    const std::string &codeLabel = name(MetricKey::HaproxyCodeLabel);
    for (const SampleView s : page.samplesNamed(name(MetricKey::HaproxyResponses))) {
        Slot *u = upstreamOf(s);
        if (!u)
            continue;
        const double inc = st.counters.increase(seriesHash(s), s.value(), NewSeries::FromZero);
        if (std::isnan(inc))
            continue;
        u->rated = true;
        u->requests += inc;
        if (const std::optional<std::string_view> code = s.label(codeLabel); code && isServerError(*code))
            u->errors += inc;
    }
    for (const SampleView s : page.samplesNamed(name(MetricKey::HaproxyResponseTime))) {
        if (Slot *u = upstreamOf(s))
            u->responseTime = s.value();
    }
    for (const SampleView s : page.samplesNamed(name(MetricKey::HaproxySessions))) {
        if (Slot *u = upstreamOf(s))
            u->sessions = s.value();
    }
    for (const SampleView s : page.samplesNamed(name(MetricKey::HaproxyQueue))) {
        if (Slot *u = upstreamOf(s))
            u->queue = s.value();
    }
    const std::string &stateLabel = name(MetricKey::HaproxyStateLabel);
    for (const SampleView s : page.samplesNamed(name(MetricKey::HaproxyStatus))) {
        if (s.value() != 1)
            continue;
        Slot *u = upstreamOf(s);
        const std::optional<std::string_view> label = s.label(stateLabel);
        if (!u || !label)
            continue;
        if (const std::optional<GatewayServerState> state = serverStateOf(*label))
            u->state = double(int(*state));
    }

    double requests = 0;
    double errors = 0;
    double sessions = kNaN;
    double queue = kNaN;
    bool anyRated = false;
    for (const Slot &u : st.instances) {
        if (!u.seen)
            continue;
        if (rated && u.rated) {
            put(st, out, KpiId::GatewayTps, u.name, ts, u.requests / dt);
            put(st, out, KpiId::GatewayErrorRatio, u.name, ts, u.requests > 0 ? u.errors / u.requests : kNaN);
            requests += u.requests;
            errors += u.errors;
            anyRated = true;
        }
        if (!std::isnan(u.responseTime))
            put(st, out, KpiId::GatewayResponseTimeAvg, u.name, ts, u.responseTime);
        if (!std::isnan(u.sessions))
            put(st, out, KpiId::GatewaySessions, u.name, ts, u.sessions);
        if (!std::isnan(u.queue))
            put(st, out, KpiId::GatewayQueue, u.name, ts, u.queue);
        if (!std::isnan(u.state))
            put(st, out, KpiId::GatewayServerState, u.name, ts, u.state);
        addIgnoringNaN(sessions, u.sessions);
        addIgnoringNaN(queue, u.queue);
    }
    if (anyRated) {
        put(st, out, KpiId::GatewayTps, ts, requests / dt);
        put(st, out, KpiId::GatewayErrorRatio, ts, requests > 0 ? errors / requests : kNaN);
    }
    if (!st.backend.empty()) {
        for (const SampleView s : page.samplesNamed(name(MetricKey::HaproxyBackendResponseTime))) {
            if (s.label(proxyLabel) == std::optional<std::string_view>(st.backend)) {
                putIfPresent(st, out, KpiId::GatewayResponseTimeAvg, ts, s.value());
                break;
            }
        }
    }
    putIfPresent(st, out, KpiId::GatewaySessions, ts, sessions);
    putIfPresent(st, out, KpiId::GatewayQueue, ts, queue);
}

void KpiEngine::Impl::ingestCaddy(TargetState &st, const MetricPage &page, qint64 ts, double dt, bool rated,
                                  KpiPoints &out)
{
    const std::string &handlerLabel = name(MetricKey::CaddyHandlerLabel);
    const std::string &handler = name(MetricKey::CaddyHandler);
    const std::string &codeLabel = name(MetricKey::CaddyCodeLabel);
    const auto counted = [&](const SampleView &s) {
        return handler.empty() || s.label(handlerLabel) == std::optional<std::string_view>(handler);
    };
    double requests = 0;
    double errors = 0;
    for (const SampleView s : page.samplesNamed(caddyCount)) {
        if (!counted(s))
            continue;
        const double inc = st.counters.increase(seriesHash(s), s.value(), NewSeries::FromZero);
        if (std::isnan(inc))
            continue;
        requests += inc;
        if (const std::optional<std::string_view> code = s.label(codeLabel); code && isServerError(*code))
            errors += inc;
    }
    double seconds = 0;
    for (const SampleView s : page.samplesNamed(caddySum)) {
        if (!counted(s))
            continue;
        const double inc = st.counters.increase(seriesHash(s), s.value(), NewSeries::FromZero);
        if (!std::isnan(inc))
            seconds += inc;
    }
    if (rated) {
        put(st, out, KpiId::GatewayTps, ts, requests / dt);
        put(st, out, KpiId::GatewayErrorRatio, ts, requests > 0 ? errors / requests : kNaN);
        put(st, out, KpiId::GatewayResponseTimeAvg, ts, requests > 0 ? seconds / requests : kNaN);
    }
    st.resetSlots();
    const std::string &upstreamLabel = name(MetricKey::CaddyUpstreamLabel);
    for (const SampleView s : page.samplesNamed(name(MetricKey::CaddyUpstreamsHealthy))) {
        const std::optional<std::string_view> upstream = s.label(upstreamLabel);
        if (!upstream)
            continue;
        Slot &u = st.slot(*upstream);
        u.seen = true;
        u.state = s.value();
    }
    for (const Slot &u : st.instances) {
        if (u.seen && !std::isnan(u.state))
            put(st, out, KpiId::GatewayUpstreamHealthy, u.name, ts, u.state);
    }
}

void KpiEngine::Impl::ingestRedis(TargetState &st, const MetricPage &page, qint64 ts, double dt, bool rated,
                                  KpiPoints &out)
{
    const double commands = increaseSum(st, page, name(MetricKey::RedisCommands), NewSeries::Skip);
    const double hits = increaseSum(st, page, name(MetricKey::RedisHits), NewSeries::Skip);
    const double misses = increaseSum(st, page, name(MetricKey::RedisMisses), NewSeries::Skip);
    if (rated && !std::isnan(commands))
        put(st, out, KpiId::RedisOpsRate, ts, commands / dt);
    putIfPresent(st, out, KpiId::RedisMemoryBytes, ts, gaugeSum(page, name(MetricKey::RedisMemory)));
    putIfPresent(st, out, KpiId::RedisClients, ts, gaugeSum(page, name(MetricKey::RedisClients)));
    if (rated && !std::isnan(hits) && !std::isnan(misses))
        put(st, out, KpiId::RedisHitRatio, ts, hits + misses > 0 ? hits / (hits + misses) : kNaN);
    putIfPresent(st, out, KpiId::RedisUp, ts, gaugeSum(page, name(MetricKey::RedisUp)));
}

void KpiEngine::Impl::ingestKafka(TargetState &st, const MetricPage &page, qint64 ts, double dt, bool rated,
                                  KpiPoints &out)
{
    const std::string &groupLabel = name(MetricKey::KafkaGroupLabel);
    st.resetSlots();
    for (const SampleView s : page.samplesNamed(name(MetricKey::KafkaLag))) {
        const std::optional<std::string_view> group = s.label(groupLabel);
        if (!group)
            continue;
        Slot &g = st.slot(*group);
        g.seen = true;
        const double lag = s.value();
        if (std::isnan(lag) || lag < 0)
            continue; // -1: the group has no committed offset on that partition, so no lag to speak of
        g.lag += lag;
        ++g.lagPartitions;
    }
    for (const SampleView s : page.samplesNamed(name(MetricKey::KafkaOffset))) {
        const std::optional<std::string_view> group = s.label(groupLabel);
        if (!group || std::isnan(s.value()) || s.value() < 0)
            continue;
        Slot &g = st.slot(*group);
        g.seen = true;
        // An offset is not born at 0: a partition's first committed offset is no increase.
        const double inc = st.counters.increase(seriesHash(s), s.value(), NewSeries::Skip);
        if (std::isnan(inc))
            continue;
        g.requests += inc;
        g.rated = true;
    }
    for (const Slot &g : st.instances) {
        if (!g.seen)
            continue;
        put(st, out, KpiId::KafkaConsumerLag, g.name, ts, g.lagPartitions > 0 ? g.lag : kNaN);
        if (rated && g.rated)
            put(st, out, KpiId::KafkaConsumeRate, g.name, ts, g.requests / dt);
    }
}

void KpiEngine::Impl::ingestDb(TargetState &st, const MetricPage &page, qint64 ts, double dt, bool rated,
                               KpiPoints &out)
{
    // mysqld_exporter exposes SHOW GLOBAL STATUS as untyped: Queries and Slow_queries are counters by
    // meaning.
    const double queries = increaseSum(st, page, name(MetricKey::DbQueries), NewSeries::Skip);
    const double slow = increaseSum(st, page, name(MetricKey::DbSlowQueries), NewSeries::Skip);
    if (rated && !std::isnan(queries))
        put(st, out, KpiId::DbQps, ts, queries / dt);
    putIfPresent(st, out, KpiId::DbThreadsConnected, ts, gaugeSum(page, name(MetricKey::DbThreadsConnected)));
    putIfPresent(st, out, KpiId::DbThreadsRunning, ts, gaugeSum(page, name(MetricKey::DbThreadsRunning)));
    if (rated && !std::isnan(slow))
        put(st, out, KpiId::DbSlowQueriesRate, ts, slow / dt);
    putIfPresent(st, out, KpiId::DbUp, ts, gaugeSum(page, name(MetricKey::DbUp)));
}

// ---- KpiTarget ----

KpiTarget KpiTarget::fromNode(const Node &node)
{
    KpiTarget target;
    target.name = node.name;
    target.role = node.role;
    return target;
}

KpiTarget KpiTarget::fromGateway(const Gateway &gateway)
{
    KpiTarget target;
    target.name = gateway.name;
    target.isGateway = true;
    target.gatewayKind = gateway.kind;
    if (gateway.kind == GatewayKind::HAProxy)
        target.backend = gateway.backend;
    return target;
}

// ---- KpiEngine ----

KpiEngine::KpiEngine(const QList<KpiTarget> &targets, const KpiMapping &mapping)
    : d(std::make_unique<Impl>(targets, mapping))
{}

KpiEngine::KpiEngine(KpiEngine &&other) noexcept = default;
KpiEngine &KpiEngine::operator=(KpiEngine &&other) noexcept = default;
KpiEngine::~KpiEngine() = default;

Result<KpiEngine> KpiEngine::forCluster(const Cluster &cluster)
{
    Result<KpiMapping> mapping = KpiMapping::fromOverrides(cluster.metricNames);
    if (!mapping) {
        Error error = mapping.error();
        if (error.where.isEmpty())
            error.where = cluster.sourceFile;
        return error;
    }
    QList<KpiTarget> targets;
    for (const Gateway &gateway : cluster.gateways)
        targets.append(KpiTarget::fromGateway(gateway));
    for (const Node &node : cluster.nodes)
        targets.append(KpiTarget::fromNode(node));
    return KpiEngine(targets, *mapping);
}

int KpiEngine::targetCount() const
{
    return int(d->targets.size());
}
const KpiTarget &KpiEngine::target(int index) const
{
    return d->targets[std::size_t(index)].target;
}
int KpiEngine::indexOf(const QString &targetName) const
{
    return d->byName.value(targetName, -1);
}
const KpiMapping &KpiEngine::mapping() const
{
    return d->mapping;
}

void KpiEngine::ingest(int index, const MetricPage &page, qint64 timestampMs, KpiPoints &out)
{
    if (index < 0 || index >= targetCount())
        return;
    TargetState &st = d->targets[std::size_t(index)];
    const bool hadPrevious = st.counters.hasPrevious();
    const double dt = double(timestampMs - st.lastScrapeMs) / 1000.0;
    // A clock that went backwards gives no rate this time; the counters still move on.
    const bool rated = hadPrevious && dt > 0;
    st.counters.begin();
    st.emitting.clear();
    if (st.target.isGateway) {
        if (st.target.gatewayKind == GatewayKind::HAProxy)
            d->ingestHaproxy(st, page, timestampMs, dt, rated, out);
        else
            d->ingestCaddy(st, page, timestampMs, dt, rated, out);
    } else {
        switch (st.target.role) {
        case NodeRole::Was:
            d->ingestWas(st, page, timestampMs, dt, rated, out);
            break;
        case NodeRole::Redis:
            d->ingestRedis(st, page, timestampMs, dt, rated, out);
            break;
        case NodeRole::Kafka:
            d->ingestKafka(st, page, timestampMs, dt, rated, out);
            break;
        case NodeRole::Db:
            d->ingestDb(st, page, timestampMs, dt, rated, out);
            break;
        case NodeRole::Other:
            break;
        }
    }
    st.counters.commit();
    st.lastScrapeMs = timestampMs;
    st.emitted.swap(st.emitting);
}

void KpiEngine::markFailed(int index, qint64 timestampMs, KpiPoints &out)
{
    if (index < 0 || index >= targetCount())
        return;
    TargetState &st = d->targets[std::size_t(index)];
    for (const auto &[id, instance] : st.emitted)
        out.append(KpiPoint{KpiKey{st.target.name, kpiName(id), instance}, timestampMs, kNaN});
    if (!st.target.isGateway && st.target.role == NodeRole::Was)
        ++d->roundWasFailed;
}

void KpiEngine::finishRound(qint64 timestampMs, KpiPoints &out)
{
    const auto put = [&](KpiId id, double value) {
        out.append(KpiPoint{KpiKey{d->cluster, kpiName(id), QString()}, timestampMs, value});
    };
    if (d->roundRated > 0) {
        put(KpiId::ClusterTps, d->roundTps);
        put(KpiId::ClusterErrorRatio, d->roundRequests > 0 ? d->roundErrors / d->roundRequests : kNaN);
        d->clusterEmitted = true;
    } else if (d->roundWasFailed > 0 && d->clusterEmitted) {
        put(KpiId::ClusterTps, kNaN);
        put(KpiId::ClusterErrorRatio, kNaN);
    }
    d->roundRequests = d->roundErrors = d->roundTps = 0;
    d->roundRated = d->roundWasFailed = 0;
}

void KpiEngine::reset()
{
    for (TargetState &st : d->targets) {
        st.counters = CounterTracker();
        st.lastScrapeMs = 0;
        st.emitted.clear();
    }
    d->clusterEmitted = false;
}

} // namespace clusterdeck
