#include "metrics/kpi_engine.h"

#include "metrics/counter_rate.h"
#include "metrics/histogram_quantile.h"
#include "metrics/kpi_catalog.h"
#include "metrics/metric_page.h"

#include <QHash>
#include <algorithm>
#include <array>
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

// What a target is, as far as the catalogue's rows go.
enum TargetKind : int {
    WasKind,
    RedisKind,
    KafkaKind,
    DbKind,
    OtherKind,
    HaproxyKind,
    CaddyKind,
    kTargetKinds
};

TargetKind kindOf(const KpiTarget &t)
{
    if (t.isGateway)
        return t.gatewayKind == GatewayKind::Caddy ? CaddyKind : HaproxyKind;
    switch (t.role) {
    case NodeRole::Was:
        return WasKind;
    case NodeRole::Redis:
        return RedisKind;
    case NodeRole::Kafka:
        return KafkaKind;
    case NodeRole::Db:
        return DbKind;
    case NodeRole::Other:
        break;
    }
    return OtherKind;
}

std::optional<KpiSource> sourceOf(TargetKind kind)
{
    switch (kind) {
    case WasKind:
        return KpiSource::Was;
    case RedisKind:
        return KpiSource::Redis;
    case KafkaKind:
        return KpiSource::Kafka;
    case DbKind:
        return KpiSource::Db;
    case HaproxyKind:
    case CaddyKind:
        return KpiSource::Gateway;
    case OtherKind:
    case kTargetKinds:
        break;
    }
    return std::nullopt;
}

// A catalogue row with its names resolved for one mapping, as UTF-8 for comparisons with page string_views.
struct Row {
    KpiId id;
    const KpiCompute *c;
    std::string metric; // the series (suffix applied, or the row's own metric); a request histogram's family
    std::string count, sum, bucket;
    std::string label, other, selectLabel, selectValue;
    NewSeries whenNew;
};

// Per-instance accumulators of one scrape (a gateway upstream, a consumer group, a Caddy upstream); reused
// from scrape to scrape.
struct Slot {
    QString name;
    bool counted = false; // the upstream's responses had an increase this scrape
    double requests = 0;  // increase
    double errors = 0;    // increase of 5xx
    // Per row:
    bool touched = false;
    int n = 0;
    double value = kNaN;

    void resetScrape()
    {
        counted = false;
        requests = errors = 0;
    }
    void resetRow()
    {
        touched = false;
        n = 0;
        value = kNaN;
    }
};

struct TargetState {
    KpiTarget target;
    TargetKind kind = OtherKind;
    const std::vector<Row> *rows = nullptr;
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
    std::array<double, kKpiIdCount> totals{}; // this scrape's instance-"" values, for the cluster rows

    // The request histogram of this scrape, each part read once for all the rows that need it.
    bool requestsCounted = false, secondsSummed = false, bucketsCollected = false, upstreamsCounted = false;
    double requests = 0, errors = 0, seconds = 0;

    Slot &slot(std::string_view key)
    {
        const auto it = slotIndex.find(key);
        if (it != slotIndex.end())
            return instances[it->second];
        slotIndex.emplace(std::string(key), std::uint32_t(instances.size()));
        instances.emplace_back();
        instances.back().name = QString::fromUtf8(key.data(), qsizetype(key.size()));
        return instances.back();
    }
    void beginScrape()
    {
        requestsCounted = secondsSummed = bucketsCollected = upstreamsCounted = false;
        requests = errors = seconds = 0;
        for (Slot &s : instances)
            s.resetScrape();
        totals.fill(kNaN);
    }
    void resetRows()
    {
        for (Slot &s : instances)
            s.resetRow();
    }
};

// A cluster-wide row's sums over one round.
struct ClusterAcc {
    const KpiInfo *info;
    KpiSource source; // the targets it sums over
    double sum = 0;
    double weights = 0;
    int count = 0;
    int failed = 0;
    bool known = true;
    bool emitted = false;
};

bool selected(const Row &row, const SampleView &s)
{
    switch (row.c->select) {
    case KpiSelect::All:
        return true;
    case KpiSelect::LabelNotPrefix: {
        if (row.selectValue.empty())
            return true;
        const std::optional<std::string_view> value = s.label(row.selectLabel);
        return !(value && value->starts_with(row.selectValue));
    }
    case KpiSelect::LabelEquals:
        return row.selectValue.empty() ||
               s.label(row.selectLabel) == std::optional<std::string_view>(row.selectValue);
    }
    return true;
}

} // namespace

struct KpiEngine::Impl {
    KpiMapping mapping;
    std::vector<TargetState> targets;
    QHash<QString, int> byName;
    const QString cluster = clusterTarget();
    std::array<std::vector<Row>, kTargetKinds> rowsByKind;
    std::vector<ClusterAcc> clusterRows;
    std::array<bool, kKpiIdCount> clusterInput{};

    Impl(const QList<KpiTarget> &list, const KpiMapping &m) : mapping(m)
    {
        for (int kind = 0; kind < kTargetKinds; ++kind) {
            const std::optional<KpiSource> source = sourceOf(TargetKind(kind));
            for (const KpiInfo &info : kpiCatalog()) {
                if (!source || info.source != *source)
                    continue;
                const KpiCompute &c = kpiCompute(info, kind == CaddyKind);
                if (c.shape != KpiShape::None)
                    rowsByKind[std::size_t(kind)].push_back(resolve(info.id, c));
            }
        }
        for (const KpiInfo &info : kpiCatalog()) {
            if (info.compute.shape != KpiShape::ClusterSum && info.compute.shape != KpiShape::ClusterRatio)
                continue;
            clusterRows.push_back(ClusterAcc{&info, kpiInfo(info.compute.of).source});
            clusterInput[std::size_t(info.compute.of)] = true;
            if (info.compute.weight)
                clusterInput[std::size_t(*info.compute.weight)] = true;
        }
        targets.reserve(std::size_t(list.size()));
        for (const KpiTarget &t : list) {
            byName.insert(t.name, int(targets.size()));
            TargetState state;
            state.target = t;
            state.kind = kindOf(t);
            state.rows = &rowsByKind[std::size_t(state.kind)];
            state.backend = t.backend.toStdString();
            targets.push_back(std::move(state));
        }
    }

    Row resolve(KpiId id, const KpiCompute &c) const
    {
        Row row{id,
                &c,
                {},
                {},
                {},
                {},
                {},
                {},
                {},
                {},
                c.has(KpiFlag::NewSeriesFromZero) ? NewSeries::FromZero : NewSeries::Skip};
        row.metric = c.ownKey ? mapping.ownName(c.ownKey) : mapping.name(c.metric) + c.suffix;
        row.count = row.metric + "_count";
        row.sum = row.metric + "_sum";
        row.bucket = row.metric + "_bucket";
        if (c.label)
            row.label = mapping.name(*c.label);
        if (c.other)
            row.other = mapping.name(*c.other);
        row.selectLabel = mapping.name(c.selectLabel);
        row.selectValue = mapping.name(c.selectValue);
        return row;
    }

    void put(TargetState &st, KpiPoints &out, KpiId id, const QString &instance, qint64 ts, double value)
    {
        out.append(KpiPoint{KpiKey{st.target.name, kpiName(id), instance}, ts, value});
        st.emitting.emplace_back(id, instance);
        if (instance.isEmpty() && clusterInput[std::size_t(id)])
            st.totals[std::size_t(id)] = value;
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

    // Sum of the increases of every selected sample of a counter; NaN when no series has an increase.
    static double increaseSum(TargetState &st, const MetricPage &page, const Row &row,
                              const std::string &series)
    {
        double sum = kNaN;
        for (const SampleView s : page.samplesNamed(series)) {
            if (selected(row, s))
                addIgnoringNaN(sum, st.counters.increase(seriesHash(s), s.value(), row.whenNew));
        }
        return sum;
    }

    // The request histogram's parts, each read once per scrape (the first row that needs one reads it).
    void countRequests(TargetState &st, const MetricPage &page, const Row &row)
    {
        if (std::exchange(st.requestsCounted, true))
            return;
        for (const SampleView s : page.samplesNamed(row.count)) {
            if (!selected(row, s))
                continue;
            const double inc = st.counters.increase(seriesHash(s), s.value(), row.whenNew);
            if (std::isnan(inc))
                continue;
            st.requests += inc;
            if (const std::optional<std::string_view> status = s.label(row.label);
                status && isServerError(*status))
                st.errors += inc;
        }
    }
    void sumSeconds(TargetState &st, const MetricPage &page, const Row &row)
    {
        if (std::exchange(st.secondsSummed, true))
            return;
        st.seconds = 0;
        addIgnoringNaN(st.seconds, increaseSum(st, page, row, row.sum));
    }
    void collectBuckets(TargetState &st, const MetricPage &page, const Row &row)
    {
        if (std::exchange(st.bucketsCollected, true))
            return;
        st.buckets.clear();
        for (const SampleView s : page.samplesNamed(row.bucket)) {
            if (!selected(row, s))
                continue;
            const std::optional<std::string_view> le = s.label("le");
            const std::optional<double> bound = le ? parseBound(*le) : std::nullopt;
            if (!bound)
                continue; // Prometheus ignores bucket samples without a usable le as well
            const double inc = st.counters.increase(seriesHash(s), s.value(), row.whenNew);
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
    }

    // HAProxy: the upstream a per-server sample belongs to, or nullptr when it is another backend's.
    Slot *upstreamOf(TargetState &st, const SampleView &s) const
    {
        const std::optional<std::string_view> proxy = s.label(mapping.name(MetricKey::HaproxyProxyLabel));
        const std::optional<std::string_view> server = s.label(mapping.name(MetricKey::HaproxyServerLabel));
        if (!proxy || !server)
            return nullptr;
        if (!st.backend.empty())
            return *proxy == st.backend ? &st.slot(*server) : nullptr;
        st.keyScratch.assign(*proxy);
        st.keyScratch += '/';
        st.keyScratch += *server;
        return &st.slot(st.keyScratch);
    }
    void countUpstreams(TargetState &st, const MetricPage &page, const Row &row)
    {
        if (std::exchange(st.upstreamsCounted, true))
            return;
        for (const SampleView s : page.samplesNamed(row.metric)) {
            Slot *u = upstreamOf(st, s);
            if (!u)
                continue;
            const double inc = st.counters.increase(seriesHash(s), s.value(), row.whenNew);
            if (std::isnan(inc))
                continue;
            u->counted = true;
            u->requests += inc;
            if (const std::optional<std::string_view> code = s.label(row.label); code && isServerError(*code))
                u->errors += inc;
        }
    }

    void ingestRow(TargetState &st, const Row &row, const MetricPage &page, qint64 ts, double dt, bool rated,
                   KpiPoints &out);
};

void KpiEngine::Impl::ingestRow(TargetState &st, const Row &row, const MetricPage &page, qint64 ts, double dt,
                                bool rated, KpiPoints &out)
{
    const KpiCompute &c = *row.c;
    switch (c.shape) {
    case KpiShape::None:
    case KpiShape::ClusterSum:
    case KpiShape::ClusterRatio:
        return;
    case KpiShape::GaugeSum: {
        double sum = kNaN;
        for (const SampleView s : page.samplesNamed(row.metric)) {
            if (selected(row, s))
                addIgnoringNaN(sum, s.value());
        }
        putIfPresent(st, out, row.id, ts, sum);
        return;
    }
    case KpiShape::GaugeMax: {
        double max = kNaN;
        for (const SampleView s : page.samplesNamed(row.metric)) {
            if (selected(row, s) && !std::isnan(s.value()))
                max = std::isnan(max) ? s.value() : std::max(max, s.value());
        }
        putIfPresent(st, out, row.id, ts, max);
        return;
    }
    case KpiShape::CounterRate: {
        const double increase = increaseSum(st, page, row, row.metric);
        if (rated && !std::isnan(increase))
            put(st, out, row.id, ts, increase / dt);
        return;
    }
    case KpiShape::RateShare: {
        const double a = increaseSum(st, page, row, row.metric);
        const double b = increaseSum(st, page, row, row.other);
        if (rated && !std::isnan(a) && !std::isnan(b))
            put(st, out, row.id, ts, a + b > 0 ? a / (a + b) : kNaN);
        return;
    }
    case KpiShape::RequestRate:
        countRequests(st, page, row);
        if (rated)
            put(st, out, row.id, ts, st.requests / dt);
        return;
    case KpiShape::RequestErrorRatio:
        countRequests(st, page, row);
        if (rated)
            put(st, out, row.id, ts, st.requests > 0 ? st.errors / st.requests : kNaN);
        return;
    case KpiShape::RequestAverage:
        countRequests(st, page, row);
        sumSeconds(st, page, row);
        if (rated)
            put(st, out, row.id, ts, st.requests > 0 ? st.seconds / st.requests : kNaN);
        return;
    case KpiShape::RequestQuantile:
        collectBuckets(st, page, row);
        if (rated) {
            st.quantileScratch.assign(st.buckets.begin(), st.buckets.end());
            put(st, out, row.id, ts, histogramQuantile(c.quantile, st.quantileScratch));
        }
        return;
    case KpiShape::GaugeSumByLabel:
    case KpiShape::GaugeMaxByLabel:
    case KpiShape::CounterRateByLabel: {
        st.resetRows();
        const bool nonNegative = c.has(KpiFlag::NonNegative);
        for (const SampleView s : page.samplesNamed(row.metric)) {
            const std::optional<std::string_view> key = s.label(row.label);
            if (!key)
                continue;
            const double v = s.value();
            const bool usable = !std::isnan(v) && !(nonNegative && v < 0);
            if (c.shape == KpiShape::CounterRateByLabel) {
                if (!usable)
                    continue; // an offset of -1 is no counter value at all
                Slot &g = st.slot(*key);
                g.touched = true;
                const double inc = st.counters.increase(seriesHash(s), v, row.whenNew);
                if (!std::isnan(inc)) {
                    addIgnoringNaN(g.value, inc);
                    ++g.n;
                }
                continue;
            }
            Slot &g = st.slot(*key);
            g.touched = true;
            if (!usable)
                continue;
            if (c.shape == KpiShape::GaugeSumByLabel)
                addIgnoringNaN(g.value, v);
            else
                g.value = g.n == 0 ? v : std::max(g.value, v);
            ++g.n;
        }
        for (const Slot &g : st.instances) {
            if (!g.touched)
                continue;
            if (c.shape == KpiShape::CounterRateByLabel) {
                if (rated && g.n > 0)
                    put(st, out, row.id, g.name, ts, g.value / dt);
            } else if (g.n > 0) {
                put(st, out, row.id, g.name, ts, g.value);
            } else if (nonNegative) {
                put(st, out, row.id, g.name, ts, kNaN); // seen, but no usable sample: unknown rather than 0
            }
        }
        return;
    }
    case KpiShape::UpstreamRate:
    case KpiShape::UpstreamErrorRatio: {
        countUpstreams(st, page, row);
        if (!rated)
            return;
        double requests = 0;
        double errors = 0;
        bool any = false;
        const bool ratio = c.shape == KpiShape::UpstreamErrorRatio;
        for (const Slot &u : st.instances) {
            if (!u.counted)
                continue;
            put(st, out, row.id, u.name, ts,
                ratio ? (u.requests > 0 ? u.errors / u.requests : kNaN) : u.requests / dt);
            requests += u.requests;
            errors += u.errors;
            any = true;
        }
        if (any)
            put(st, out, row.id, ts, ratio ? (requests > 0 ? errors / requests : kNaN) : requests / dt);
        return;
    }
    case KpiShape::UpstreamGauge:
    case KpiShape::UpstreamState: {
        st.resetRows();
        const bool state = c.shape == KpiShape::UpstreamState;
        for (const SampleView s : page.samplesNamed(row.metric)) {
            if (state && s.value() != 1)
                continue;
            Slot *u = upstreamOf(st, s);
            if (!u)
                continue;
            if (!state) {
                u->value = s.value();
                continue;
            }
            const std::optional<std::string_view> label = s.label(row.label);
            if (const std::optional<GatewayServerState> parsed =
                    label ? gatewayServerStateFromLabel(QUtf8StringView(*label)) : std::nullopt)
                u->value = double(int(*parsed));
        }
        double total = kNaN;
        for (const Slot &u : st.instances) {
            if (std::isnan(u.value))
                continue;
            put(st, out, row.id, u.name, ts, u.value);
            addIgnoringNaN(total, u.value);
        }
        if (state)
            return;
        if (!c.other) {
            putIfPresent(st, out, row.id, ts, total);
        } else if (!st.backend.empty()) {
            // The backend's own figure (HAProxy's average over the backend is not the sum of its servers').
            const std::string &proxyLabel = mapping.name(MetricKey::HaproxyProxyLabel);
            for (const SampleView s : page.samplesNamed(row.other)) {
                if (s.label(proxyLabel) == std::optional<std::string_view>(st.backend)) {
                    putIfPresent(st, out, row.id, ts, s.value());
                    break;
                }
            }
        }
        return;
    }
    }
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
    st.beginScrape();
    for (const Row &row : *st.rows)
        d->ingestRow(st, row, page, timestampMs, dt, rated, out);
    for (ClusterAcc &acc : d->clusterRows) {
        if (sourceOf(st.kind) != acc.source)
            continue;
        const KpiCompute &c = acc.info->compute;
        const double value = st.totals[std::size_t(c.of)];
        if (c.shape == KpiShape::ClusterSum) {
            if (!std::isnan(value)) {
                acc.sum += value;
                ++acc.count;
            }
            continue;
        }
        const double weight = c.weight ? st.totals[std::size_t(*c.weight)] : 1.0;
        if (std::isnan(weight))
            continue;
        ++acc.count;
        acc.weights += weight;
        if (weight > 0 && std::isnan(value))
            acc.known = false;
        else if (weight > 0)
            acc.sum += value * weight;
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
    for (ClusterAcc &acc : d->clusterRows) {
        if (sourceOf(st.kind) == acc.source)
            ++acc.failed;
    }
}

void KpiEngine::finishRound(qint64 timestampMs, KpiPoints &out)
{
    for (ClusterAcc &acc : d->clusterRows) {
        const KpiId id = acc.info->id;
        const bool ratio = acc.info->compute.shape == KpiShape::ClusterRatio;
        if (acc.count > 0 && acc.known) {
            const double value = !ratio ? acc.sum : acc.weights > 0 ? acc.sum / acc.weights : kNaN;
            out.append(KpiPoint{KpiKey{d->cluster, kpiName(id), QString()}, timestampMs, value});
            acc.emitted = true;
        } else if (acc.failed > 0 && acc.emitted) {
            // Every target it sums failed: a gap, as theirs.
            out.append(KpiPoint{KpiKey{d->cluster, kpiName(id), QString()}, timestampMs, kNaN});
        }
        acc.sum = acc.weights = 0;
        acc.count = acc.failed = 0;
        acc.known = true;
    }
}

void KpiEngine::reset()
{
    for (TargetState &st : d->targets) {
        st.counters = CounterTracker();
        st.lastScrapeMs = 0;
        st.emitted.clear();
    }
    for (ClusterAcc &acc : d->clusterRows)
        acc.emitted = false;
}

} // namespace clusterdeck
