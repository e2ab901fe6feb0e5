#include "metrics/promql_kpis.h"

#include <QMap>
#include <array>
#include <cmath>
#include <limits>
#include <map>

namespace clusterdeck {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

QString hostPort(const QUrl &url)
{
    const int port = url.port(url.scheme() == QLatin1String("https") ? 443 : 80);
    const QString host =
        url.host().contains(QLatin1Char(':')) ? QStringLiteral("[%1]").arg(url.host()) : url.host();
    return QStringLiteral("%1:%2").arg(host).arg(port);
}

} // namespace

QString promDuration(int ms)
{
    if (ms > 0 && ms % 60000 == 0)
        return QStringLiteral("%1m").arg(ms / 60000);
    if (ms > 0 && ms % 1000 == 0)
        return QStringLiteral("%1s").arg(ms / 1000);
    return QStringLiteral("%1ms").arg(std::max(ms, 1));
}

QString promString(const QString &text)
{
    QString out;
    out.reserve(text.size() + 2);
    out += QLatin1Char('"');
    for (const QChar c : text) {
        if (c == QLatin1Char('\\') || c == QLatin1Char('"'))
            out += QLatin1Char('\\');
        if (c == QLatin1Char('\n')) {
            out += QStringLiteral("\\n");
            continue;
        }
        out += c;
    }
    out += QLatin1Char('"');
    return out;
}

QString promRegexEscape(const QString &text)
{
    static const QString meta = QStringLiteral("\\.+*?()|[]{}^$");
    QString out;
    for (const QChar c : text) {
        if (meta.contains(c))
            out += QLatin1Char('\\');
        out += c;
    }
    return out;
}

QString kpiPromqlForm(const KpiCompute &c, const KpiMapping &mapping, const QStringList &matchers,
                      int rateWindowMs)
{
    const auto q = [](const std::string &name) { return QString::fromStdString(name); };
    QStringList base = matchers;
    const QString selectValue = q(mapping.name(c.selectValue));
    if (c.select == KpiSelect::LabelNotPrefix && !selectValue.isEmpty())
        base << q(mapping.name(c.selectLabel)) + QStringLiteral("!~") +
                    promString(promRegexEscape(selectValue) + QStringLiteral(".*"));
    else if (c.select == KpiSelect::LabelEquals && !selectValue.isEmpty())
        base << q(mapping.name(c.selectLabel)) + QLatin1Char('=') + promString(selectValue);
    const QString metric =
        c.ownKey ? q(mapping.ownName(c.ownKey)) : q(mapping.name(c.metric)) + QLatin1String(c.suffix);
    const QString label = c.label ? q(mapping.name(*c.label)) : QString();
    const auto sel = [&base](const QString &name, const QStringList &extra = {}) {
        const QStringList all = base + extra;
        return all.isEmpty() ? name : name + QLatin1Char('{') + all.join(QLatin1Char(',')) + QLatin1Char('}');
    };
    const QString window = QLatin1Char('[') + promDuration(rateWindowMs) + QLatin1Char(']');
    const auto rate = [&window](const QString &selector) {
        return QStringLiteral("rate(%1%2)").arg(selector, window);
    };
    const QString upstream = QStringLiteral("instance, %1, %2")
                                 .arg(q(mapping.name(MetricKey::HaproxyProxyLabel)),
                                      q(mapping.name(MetricKey::HaproxyServerLabel)));
    const QString byLabel = QStringLiteral("instance, ") + label;
    const auto agg = [](const char *op, const QString &by, const QString &expr) {
        return QStringLiteral("%1 by (%2) (%3)").arg(QLatin1String(op), by, expr);
    };
    const QString instance = QStringLiteral("instance");
    // A ratio whose numerator has no series (no 5xx so far) is 0, not absent: `or` fills it in from the
    // total.
    const auto errorShare = [&](const QString &series, const QString &by) {
        const QString all = agg("sum", by, rate(sel(series)));
        const QString errors = agg("sum", by, rate(sel(series, {label + QStringLiteral("=~\"5..\"")})));
        return QStringLiteral("(%1 or %2 * 0) / %2").arg(errors, all);
    };
    switch (c.shape) {
    case KpiShape::None:
    case KpiShape::ClusterSum:
    case KpiShape::ClusterRatio:
        break;
    case KpiShape::GaugeSum:
        return agg("sum", instance, sel(metric));
    case KpiShape::GaugeMax:
        return agg("max", instance, sel(metric));
    case KpiShape::CounterRate:
        return agg("sum", instance, rate(sel(metric)));
    case KpiShape::RateShare: {
        const QString a = agg("sum", instance, rate(sel(metric)));
        return QStringLiteral("%1 / (%1 + %2)")
            .arg(a, agg("sum", instance, rate(sel(q(mapping.name(*c.other))))));
    }
    case KpiShape::RequestRate:
        return agg("sum", instance, rate(sel(metric + QStringLiteral("_count"))));
    case KpiShape::RequestErrorRatio:
        return errorShare(metric + QStringLiteral("_count"), instance);
    case KpiShape::RequestAverage:
        return QStringLiteral("%1 / %2").arg(
            agg("sum", instance, rate(sel(metric + QStringLiteral("_sum")))),
            agg("sum", instance, rate(sel(metric + QStringLiteral("_count")))));
    case KpiShape::RequestQuantile:
        return QStringLiteral("histogram_quantile(%1, %2)")
            .arg(QString::number(c.quantile), agg("sum", instance + QStringLiteral(", le"),
                                                  rate(sel(metric + QStringLiteral("_bucket")))));
    case KpiShape::GaugeSumByLabel:
        // -1 (kafka: no committed offset on that partition) is no lag to speak of, as in direct mode.
        return agg("sum", byLabel,
                   sel(metric) + (c.has(KpiFlag::NonNegative) ? QStringLiteral(" >= 0") : QString()));
    case KpiShape::GaugeMaxByLabel:
        return agg("max", byLabel, sel(metric));
    case KpiShape::CounterRateByLabel:
        return agg("sum", byLabel, rate(sel(metric)));
    case KpiShape::UpstreamRate:
        return agg("sum", upstream, rate(sel(metric)));
    case KpiShape::UpstreamErrorRatio:
        return errorShare(metric, upstream);
    case KpiShape::UpstreamGauge: {
        const QString servers = agg("sum", upstream, sel(metric));
        if (!c.other)
            return servers;
        // The backend's own series has no server label, so `or` keeps both.
        return QStringLiteral("%1 or %2")
            .arg(servers,
                 agg("max", QStringLiteral("instance, ") + q(mapping.name(MetricKey::HaproxyProxyLabel)),
                     sel(q(mapping.name(*c.other)))));
    }
    case KpiShape::UpstreamState:
        return QStringLiteral("max by (%1, %2) (%3 == 1)").arg(upstream, label, sel(metric));
    }
    return {};
}

// ---------------------------------------------------------------------------------------------------------------

std::optional<KpiSource> PromKpiPlan::sourceOf(Kind kind)
{
    switch (kind) {
    case Kind::Was:
        return KpiSource::Was;
    case Kind::Haproxy:
    case Kind::Caddy:
        return KpiSource::Gateway;
    case Kind::Redis:
        return KpiSource::Redis;
    case Kind::Kafka:
        return KpiSource::Kafka;
    case Kind::Db:
        return KpiSource::Db;
    case Kind::Other:
        break;
    }
    return std::nullopt;
}

PromKpiPlan::PromKpiPlan(const Cluster &cluster, const KpiMapping &mapping, const PromKpiOptions &options)
    : m_mapping(mapping), m_options(options)
{
    build(cluster);
}

Result<PromKpiPlan> PromKpiPlan::forCluster(const Cluster &cluster, const PromKpiOptions &options)
{
    Result<KpiMapping> mapping = KpiMapping::fromOverrides(cluster.metricNames);
    if (!mapping) {
        Error error = mapping.error();
        if (error.where.isEmpty())
            error.where = cluster.sourceFile;
        return error;
    }
    return PromKpiPlan(cluster, *mapping, options);
}

QString PromKpiPlan::targetForInstance(const QString &instance) const
{
    return m_targetByInstance.value(instance);
}

void PromKpiPlan::build(const Cluster &cluster)
{
    // Which instance label values stand for which target.
    const auto instancesOf = [this](const QString &name, const QUrl &metrics) {
        QStringList values;
        if (metrics.isValid() && !metrics.host().isEmpty()) {
            values << hostPort(metrics);
            if (metrics.port() < 0)
                values << (metrics.host().contains(QLatin1Char(':'))
                               ? QStringLiteral("[%1]").arg(metrics.host())
                               : metrics.host());
        }
        values << name;
        for (const QString &value : std::as_const(values)) {
            if (!m_targetByInstance.contains(value))
                m_targetByInstance.insert(value, name);
        }
        return values;
    };
    constexpr int kinds = int(Kind::Other) + 1;
    std::array<QStringList, kinds> instances;
    QStringList allInstances;
    const auto addTarget = [&](const QString &name, Kind kind, const QUrl &metrics) {
        const QStringList values = instancesOf(name, metrics);
        m_targetOrder << name;
        m_kindOf.insert(name, kind);
        instances[std::size_t(kind)] << values;
        allInstances << values;
    };
    QSet<QString> backends;
    for (const Gateway &gateway : cluster.gateways) {
        const bool caddy = gateway.kind == GatewayKind::Caddy;
        addTarget(gateway.name, caddy ? Kind::Caddy : Kind::Haproxy, gateway.metricsUrl);
        if (!caddy) {
            m_backendOf.insert(gateway.name, gateway.backend);
            backends.insert(gateway.backend);
        }
    }
    for (const Node &node : cluster.nodes) {
        Kind kind = Kind::Other;
        switch (node.role) {
        case NodeRole::Was:
            kind = Kind::Was;
            break;
        case NodeRole::Redis:
            kind = Kind::Redis;
            break;
        case NodeRole::Kafka:
            kind = Kind::Kafka;
            break;
        case NodeRole::Db:
            kind = Kind::Db;
            break;
        case NodeRole::Other:
            break;
        }
        addTarget(node.name, kind, node.metricsUrl);
    }
    const auto instanceMatcher = [](QStringList values) {
        for (QString &value : values)
            value = promRegexEscape(value);
        values.removeDuplicates();
        return QStringLiteral("instance=~") + promString(values.join(QLatin1Char('|')));
    };

    static const char *const kindNames[] = {"was", "haproxy", "caddy", "redis", "kafka", "db", "other"};
    for (const Kind kind : {Kind::Was, Kind::Haproxy, Kind::Caddy, Kind::Redis, Kind::Kafka, Kind::Db}) {
        const std::optional<KpiSource> source = sourceOf(kind);
        if (instances[std::size_t(kind)].isEmpty() || !source)
            continue;
        QStringList matchers{instanceMatcher(instances[std::size_t(kind)])};
        // Every HAProxy gateway reports the same backend (the usual case): let Prometheus filter it.
        if (kind == Kind::Haproxy && backends.size() == 1 && !backends.begin()->isEmpty())
            matchers << m_mapping.qname(MetricKey::HaproxyProxyLabel) + QLatin1Char('=') +
                            promString(*backends.begin());
        QStringList batch;
        QList<int> batchParts;
        for (const KpiInfo &info : kpiCatalog()) {
            if (info.source != *source)
                continue;
            const KpiCompute &c = kpiCompute(info, kind == Kind::Caddy);
            const QString promql = kpiPromqlForm(c, m_mapping, matchers, m_options.rateWindowMs);
            if (promql.isEmpty())
                continue;
            const int part = int(m_parts.size());
            if (!m_options.batchByTargetKind) {
                QString name = QLatin1String(info.name);
                if (*source == KpiSource::Gateway)
                    name += QLatin1Char('/') + QLatin1String(kindNames[int(kind)]);
                m_parts.append(Part{&info, &c, kind, int(m_queries.size())});
                m_partsOfQuery.append(QList<int>{part});
                m_queries.append(Query{name, promql});
                continue;
            }
            m_parts.append(Part{&info, &c, kind, int(m_queries.size())});
            batchParts << part;
            batch << QStringLiteral("label_replace(%1, \"kpi\", %2, \"\", \"\")")
                         .arg(promql, promString(QLatin1String(info.name)));
        }
        if (m_options.batchByTargetKind && !batch.isEmpty()) {
            m_partsOfQuery.append(batchParts);
            m_queries.append(Query{QLatin1String(kindNames[int(kind)]), batch.join(QStringLiteral(" or "))});
        }
    }
    if (!allInstances.isEmpty()) {
        // A target scraped by two jobs is down when either scrape fails.
        m_upQuery = int(m_queries.size());
        m_partsOfQuery.append(QList<int>());
        m_queries.append(
            Query{QStringLiteral("up"),
                  QStringLiteral("min by (instance) (up{%1})").arg(instanceMatcher(allInstances))});
    }
}

std::optional<QString> PromKpiPlan::subKey(const Part &part, const QString &target,
                                           const PromLabels &labels) const
{
    const KpiCompute &c = *part.compute;
    switch (c.shape) {
    case KpiShape::GaugeSumByLabel:
    case KpiShape::GaugeMaxByLabel:
    case KpiShape::CounterRateByLabel:
        return labels.value(m_mapping.qname(*c.label));
    case KpiShape::UpstreamRate:
    case KpiShape::UpstreamErrorRatio:
    case KpiShape::UpstreamGauge:
    case KpiShape::UpstreamState: {
        const QString backend = m_backendOf.value(target);
        const QString proxy = labels.value(m_mapping.qname(MetricKey::HaproxyProxyLabel));
        const auto server = labels.constFind(m_mapping.qname(MetricKey::HaproxyServerLabel));
        if (server == labels.cend()) // the backend's own series: the total, when the gateway has one backend
            return !backend.isEmpty() && proxy == backend ? std::optional<QString>(QString()) : std::nullopt;
        if (backend.isEmpty())
            return proxy + QLatin1Char('/') + server.value();
        return proxy == backend ? std::optional<QString>(server.value()) : std::nullopt;
    }
    default:
        return QString();
    }
}

PromKpiPlan::Outcome PromKpiPlan::evaluate(const QList<std::optional<PromQueryResult>> &answers) const
{
    Outcome outcome;
    using Subs = QMap<QString, double>;  // KpiKey::instance → value
    using Values = QHash<QString, Subs>; // target → subs
    struct Frame {
        QList<Values> parts;
        Values up;
    };
    std::map<qint64, Frame> frames;
    QSet<QString> unmatched;
    const auto answered = [&answers](int query) {
        return query >= 0 && query < answers.size() && answers[query].has_value();
    };
    const QString kpiLabel = QStringLiteral("kpi");
    const QString stateLabel = m_mapping.qname(MetricKey::HaproxyStateLabel);

    for (qsizetype q = 0; q < m_queries.size(); ++q) {
        if (!answered(int(q)))
            continue;
        const QList<int> &parts = m_partsOfQuery[q];
        for (const PromSeries &series : answers[q]->series) {
            int part = -1;
            if (parts.size() == 1) {
                part = parts.first();
            } else if (!parts.isEmpty()) {
                const QString kpi = series.labels.value(kpiLabel);
                for (const int p : parts) {
                    if (kpi == QLatin1String(m_parts[p].info->name))
                        part = p;
                }
                if (part < 0)
                    continue;
            }
            const QString instance = series.labels.value(QStringLiteral("instance"));
            const QString target = m_targetByInstance.value(instance);
            if (target.isEmpty() || (part >= 0 && m_kindOf.value(target) != m_parts[part].kind)) {
                unmatched.insert(instance);
                continue;
            }
            const std::optional<QString> sub =
                part >= 0 ? subKey(m_parts[part], target, series.labels) : QString();
            if (!sub)
                continue;
            std::optional<double> fixed;
            if (part >= 0 && m_parts[part].compute->shape == KpiShape::UpstreamState) {
                const std::optional<GatewayServerState> state =
                    gatewayServerStateFromLabel(series.labels.value(stateLabel));
                if (!state)
                    continue;
                fixed = double(int(*state));
            }
            for (const PromPoint &point : series.points) {
                Frame &frame = frames[point.timestampMs];
                if (frame.parts.isEmpty())
                    frame.parts.resize(m_parts.size());
                const double value = fixed ? *fixed : point.value;
                Subs &subs = (part >= 0 ? frame.parts[part] : frame.up)[target];
                // Two instance values for one target (its address and its name, i.e. scraped by two jobs) are
                // the same process seen twice: keep one value rather than counting it twice; the lower `up`
                // wins.
                if (subs.contains(*sub))
                    subs[*sub] = part < 0 ? std::min(subs[*sub], value) : std::max(subs[*sub], value);
                else
                    subs.insert(*sub, value);
            }
        }
    }
    outcome.unmatchedInstances = QStringList(unmatched.begin(), unmatched.end());
    outcome.unmatchedInstances.sort();

    QHash<int, QList<int>> partsOfKind; // in catalogue order
    QHash<int, int> partOfId;           // KpiId → part, per kind: kind * kKpiIdCount + id
    for (qsizetype p = 0; p < m_parts.size(); ++p) {
        partsOfKind[int(m_parts[p].kind)].append(int(p));
        partOfId.insert(int(m_parts[p].kind) * kKpiIdCount + int(m_parts[p].info->id), int(p));
    }
    QList<const KpiInfo *> clusterRows;
    for (const KpiInfo &info : kpiCatalog()) {
        if (info.compute.shape == KpiShape::ClusterSum || info.compute.shape == KpiShape::ClusterRatio)
            clusterRows << &info;
    }
    const bool upAnswered = answered(m_upQuery);

    for (const auto &[ts, frame] : frames) {
        KpiPoints &out = outcome.points;
        const auto put = [&](const QString &target, KpiId id, const QString &instance, double v) {
            out.append(KpiPoint{KpiKey{target, kpiName(id), instance}, ts, v});
        };
        // `up` of this step: a target whose last scrape failed shows a gap, as in direct mode, even though
        // rate() still finds its older samples in the window; and it adds nothing to the cluster sums.
        QSet<QString> frameDown;
        if (upAnswered) {
            for (const QString &target : m_targetOrder) {
                const auto it = frame.up.constFind(target);
                if (!(it != frame.up.cend() && it->value(QString(), 0) >= 1))
                    frameDown.insert(target);
            }
        }
        // Prometheus knows the target is up (so an empty answer means "no such series yet", not "unknown").
        const auto knownUp = [&](const QString &target) { return upAnswered && !frameDown.contains(target); };
        const auto subsOf = [&](int part, const QString &target) -> const Subs * {
            const auto it = frame.parts[part].constFind(target);
            return it == frame.parts[part].cend() ? nullptr : &it.value();
        };
        const auto valueOf = [&](int part, const QString &target,
                                 const QString &sub) -> std::optional<double> {
            const Subs *subs = part >= 0 ? subsOf(part, target) : nullptr;
            if (!subs)
                return std::nullopt;
            const auto it = subs->constFind(sub);
            return it == subs->cend() ? std::nullopt : std::optional<double>(it.value());
        };
        // Per cluster row: sum, weights, count, known.
        struct Acc {
            double sum = 0, weights = 0;
            int count = 0;
            bool known = true;
        };
        QList<Acc> acc(clusterRows.size());

        for (const QString &target : m_targetOrder) {
            const Kind kind = m_kindOf.value(target);
            const bool down = frameDown.contains(target);
            const qsizetype first = out.size();
            std::array<double, kKpiIdCount> totals;
            totals.fill(std::numeric_limits<double>::quiet_NaN());
            for (const int p : partsOfKind.value(int(kind))) {
                const Part &part = m_parts[p];
                const KpiCompute &c = *part.compute;
                const KpiId id = part.info->id;
                const Subs *subs = subsOf(p, target);
                const auto total = [&](double v) {
                    put(target, id, QString(), v);
                    totals[std::size_t(id)] = v;
                };
                const std::optional<double> v = valueOf(p, target, QString());
                // Micrometer and Caddy create a request series with its first request: a target that is up
                // but has none has served nothing (rate 0, no latency, no error ratio), as direct mode says.
                const bool empty = !v && knownUp(target) && answered(part.query);
                switch (c.shape) {
                case KpiShape::None:
                case KpiShape::ClusterSum:
                case KpiShape::ClusterRatio:
                    break;
                case KpiShape::GaugeSum:
                case KpiShape::GaugeMax:
                case KpiShape::CounterRate:
                    if (v && !std::isnan(*v))
                        total(*v);
                    break;
                case KpiShape::RateShare:
                    if (v)
                        total(*v); // NaN: no hits and no misses, as direct mode says
                    break;
                case KpiShape::RequestRate:
                    if (v || empty)
                        total(v.value_or(0));
                    break;
                case KpiShape::RequestErrorRatio:
                case KpiShape::RequestAverage:
                case KpiShape::RequestQuantile:
                    if (v || empty)
                        total(v.value_or(std::numeric_limits<double>::quiet_NaN()));
                    break;
                case KpiShape::GaugeSumByLabel:
                case KpiShape::GaugeMaxByLabel:
                case KpiShape::CounterRateByLabel:
                    if (!subs)
                        break;
                    for (auto it = subs->cbegin(); it != subs->cend(); ++it) {
                        if (c.shape == KpiShape::GaugeSumByLabel || !std::isnan(it.value()))
                            put(target, id, it.key(), it.value());
                    }
                    break;
                case KpiShape::UpstreamRate:
                case KpiShape::UpstreamGauge:
                case KpiShape::UpstreamState: {
                    if (!subs)
                        break;
                    double sum = std::numeric_limits<double>::quiet_NaN();
                    for (auto it = subs->cbegin(); it != subs->cend(); ++it) {
                        if (it.key().isEmpty() ||
                            (c.shape != KpiShape::UpstreamRate && std::isnan(it.value())))
                            continue;
                        put(target, id, it.key(), it.value());
                        addIgnoringNaN(sum, it.value());
                    }
                    if (c.shape == KpiShape::UpstreamState)
                        break;
                    const double value = c.other ? v.value_or(std::numeric_limits<double>::quiet_NaN()) : sum;
                    if (!std::isnan(value))
                        total(value);
                    break;
                }
                case KpiShape::UpstreamErrorRatio: {
                    if (!subs)
                        break;
                    // The total is the ratio over all the upstreams' traffic: each server's ratio weighted by
                    // its rate (the weight KPI of the same gateway); unknown if a weight is missing.
                    const int weightPart =
                        c.weight ? partOfId.value(int(kind) * kKpiIdCount + int(*c.weight), -1) : -1;
                    double errors = 0;
                    double requests = 0;
                    bool known = weightPart >= 0;
                    for (auto it = subs->cbegin(); it != subs->cend(); ++it) {
                        if (it.key().isEmpty())
                            continue;
                        put(target, id, it.key(), it.value());
                        const std::optional<double> weight = valueOf(weightPart, target, it.key());
                        if (!weight) {
                            known = false;
                            continue;
                        }
                        if (*weight > 0)
                            errors += it.value() * *weight;
                        requests += *weight;
                    }
                    if (known && !subs->isEmpty())
                        total(requests > 0 ? errors / requests : std::numeric_limits<double>::quiet_NaN());
                    break;
                }
                }
            }
            if (down) {
                for (qsizetype k = first; k < out.size(); ++k)
                    out[k].value = std::numeric_limits<double>::quiet_NaN();
                continue;
            }
            for (qsizetype r = 0; r < clusterRows.size(); ++r) {
                const KpiCompute &c = clusterRows[r]->compute;
                if (sourceOf(kind) != kpiInfo(c.of).source)
                    continue;
                const double value = totals[std::size_t(c.of)];
                if (c.shape == KpiShape::ClusterSum) {
                    if (!std::isnan(value)) {
                        acc[r].sum += value;
                        ++acc[r].count;
                    }
                    continue;
                }
                const double weight = c.weight ? totals[std::size_t(*c.weight)] : 1.0;
                if (std::isnan(weight))
                    continue;
                ++acc[r].count;
                acc[r].weights += weight;
                if (weight > 0 && std::isnan(value))
                    acc[r].known = false; // the ratio's query failed
                else if (weight > 0)
                    acc[r].sum += value * weight;
            }
        }
        for (qsizetype r = 0; r < clusterRows.size(); ++r) {
            if (acc[r].count == 0 || !acc[r].known)
                continue;
            const bool ratio = clusterRows[r]->compute.shape == KpiShape::ClusterRatio;
            put(clusterTarget(), clusterRows[r]->id, QString(),
                !ratio               ? acc[r].sum
                : acc[r].weights > 0 ? acc[r].sum / acc[r].weights
                                     : std::numeric_limits<double>::quiet_NaN());
        }
    }

    // Down targets, from the last frame's `up` (an instant poll has just one frame).
    if (upAnswered) {
        // No frame at all: Prometheus has no `up` for any of them, i.e. scrapes none of them.
        const Values none;
        const Values &up = frames.empty() ? none : frames.rbegin()->second.up;
        for (const QString &target : m_targetOrder) {
            const auto it = up.constFind(target);
            const double v = it != up.cend() ? it->value(QString(), 0) : 0;
            if (!(v >= 1))
                outcome.downTargets.insert(target);
        }
    }
    return outcome;
}

} // namespace clusterdeck
