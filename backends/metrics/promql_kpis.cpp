#include "metrics/promql_kpis.h"

#include <QMap>
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

// ---------------------------------------------------------------------------------------------------------------

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

QString PromKpiPlan::selector(const QString &metric, int group, const QStringList &extra) const
{
    QStringList matchers{m_groups[group].instanceMatcher};
    matchers += extra;
    return metric + QLatin1Char('{') + matchers.join(QLatin1Char(',')) + QLatin1Char('}');
}

void PromKpiPlan::add(Kind kind, int group, const QString &name, const QString &promql)
{
    QStringList subs;
    const auto label = [this](MetricKey key) { return m_mapping.qname(key); };
    switch (kind) {
    case Kind::HaRequests:
    case Kind::HaErrors:
    case Kind::HaResponseTime:
    case Kind::HaSessions:
    case Kind::HaQueue:
    case Kind::HaState:
        if (m_groups[group].backend.isEmpty())
            subs << label(MetricKey::HaproxyProxyLabel);
        subs << label(MetricKey::HaproxyServerLabel);
        break;
    case Kind::CaddyHealthy:
        subs << label(MetricKey::CaddyUpstreamLabel);
        break;
    case Kind::KafkaLag:
    case Kind::KafkaRate:
        subs << label(MetricKey::KafkaGroupLabel);
        break;
    default:
        break;
    }
    m_specs.append(Spec{kind, group, subs});
    m_queries.append(Query{name, promql});
}

void PromKpiPlan::build(const Cluster &cluster)
{
    const auto n = [this](MetricKey key) { return m_mapping.qname(key); };
    const QString window = QLatin1Char('[') + promDuration(m_options.rateWindowMs) + QLatin1Char(']');
    const auto rate = [&window](const QString &selector) {
        return QStringLiteral("rate(%1%2)").arg(selector, window);
    };

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
    const auto makeGroup = [this](const QStringList &targets, const QStringList &instances,
                                  const QString &backend) {
        QStringList alternatives;
        for (const QString &instance : instances)
            alternatives << promRegexEscape(instance);
        alternatives.removeDuplicates();
        m_groups.append(
            Group{targets, backend,
                  QStringLiteral("instance=~") + promString(alternatives.join(QLatin1Char('|')))});
        return int(m_groups.size() - 1);
    };

    QStringList allTargets;
    QStringList allInstances;
    QStringList caddyTargets;
    QStringList caddyInstances;
    QList<std::pair<const Gateway *, QStringList>> haproxy;
    for (const Gateway &gateway : cluster.gateways) {
        const QStringList instances = instancesOf(gateway.name, gateway.metricsUrl);
        m_targetOrder << gateway.name;
        allTargets << gateway.name;
        allInstances << instances;
        if (gateway.kind == GatewayKind::Caddy) {
            m_caddyTargets.insert(gateway.name);
            caddyTargets << gateway.name;
            caddyInstances << instances;
        } else {
            m_haproxyTargets.insert(gateway.name);
            haproxy.append({&gateway, instances});
        }
    }
    QMap<NodeRole, std::pair<QStringList, QStringList>> byRole; // role → (targets, instances)
    for (const Node &node : cluster.nodes) {
        const QStringList instances = instancesOf(node.name, node.metricsUrl);
        m_targetOrder << node.name;
        allTargets << node.name;
        allInstances << instances;
        byRole[node.role].first << node.name;
        byRole[node.role].second << instances;
    }

    if (byRole.contains(NodeRole::Was)) {
        const int g = makeGroup(byRole[NodeRole::Was].first, byRole[NodeRole::Was].second, QString());
        const QString family = n(MetricKey::WasRequests);
        QStringList filter;
        if (const QString prefix = n(MetricKey::WasExcludedUriPrefix); !prefix.isEmpty())
            filter << n(MetricKey::WasUriLabel) + QStringLiteral("!~") +
                          promString(promRegexEscape(prefix) + QStringLiteral(".*"));
        const QString errors = n(MetricKey::WasStatusLabel) + QStringLiteral("=~\"5..\"");
        add(Kind::WasRequests, g, QStringLiteral("was.requests"),
            QStringLiteral("sum by (instance) (%1)")
                .arg(rate(selector(family + QStringLiteral("_count"), g, filter))));
        add(Kind::WasErrors, g, QStringLiteral("was.errors"),
            QStringLiteral("sum by (instance) (%1)")
                .arg(rate(selector(family + QStringLiteral("_count"), g, filter + QStringList{errors}))));
        add(Kind::WasSeconds, g, QStringLiteral("was.seconds"),
            QStringLiteral("sum by (instance) (%1)")
                .arg(rate(selector(family + QStringLiteral("_sum"), g, filter))));
        const QString buckets = QStringLiteral("sum by (instance, le) (%1)")
                                    .arg(rate(selector(family + QStringLiteral("_bucket"), g, filter)));
        add(Kind::WasP50, g, QStringLiteral("was.p50"),
            QStringLiteral("histogram_quantile(0.5, %1)").arg(buckets));
        add(Kind::WasP95, g, QStringLiteral("was.p95"),
            QStringLiteral("histogram_quantile(0.95, %1)").arg(buckets));
        add(Kind::WasP99, g, QStringLiteral("was.p99"),
            QStringLiteral("histogram_quantile(0.99, %1)").arg(buckets));
        add(Kind::WasMax, g, QStringLiteral("was.max"),
            QStringLiteral("max by (instance) (%1)")
                .arg(selector(family + QStringLiteral("_max"), g, filter)));
        add(Kind::WasPoolActive, g, QStringLiteral("was.pool_active"),
            QStringLiteral("sum by (instance) (%1)").arg(selector(n(MetricKey::WasPoolActive), g)));
        add(Kind::WasPoolPending, g, QStringLiteral("was.pool_pending"),
            QStringLiteral("sum by (instance) (%1)").arg(selector(n(MetricKey::WasPoolPending), g)));
        add(Kind::WasPoolTimeouts, g, QStringLiteral("was.pool_timeouts"),
            QStringLiteral("sum by (instance) (%1)").arg(rate(selector(n(MetricKey::WasPoolTimeouts), g))));
    }

    for (const auto &[gateway, instances] : std::as_const(haproxy)) {
        const int g = makeGroup({gateway->name}, instances, gateway->backend);
        const QString proxy = n(MetricKey::HaproxyProxyLabel);
        const QString server = n(MetricKey::HaproxyServerLabel);
        QStringList filter;
        QString by = QStringLiteral("instance, ") + server;
        if (gateway->backend.isEmpty())
            by = QStringLiteral("instance, %1, %2").arg(proxy, server);
        else
            filter << proxy + QLatin1Char('=') + promString(gateway->backend);
        const QString prefix = QStringLiteral("haproxy[%1].").arg(gateway->name);
        const QString responses = n(MetricKey::HaproxyResponses);
        add(Kind::HaRequests, g, prefix + QStringLiteral("requests"),
            QStringLiteral("sum by (%1) (%2)").arg(by, rate(selector(responses, g, filter))));
        add(Kind::HaErrors, g, prefix + QStringLiteral("errors"),
            QStringLiteral("sum by (%1) (%2)")
                .arg(by, rate(selector(responses, g,
                                       filter + QStringList{n(MetricKey::HaproxyCodeLabel) +
                                                            QStringLiteral("=~\"5..\"")}))));
        add(Kind::HaResponseTime, g, prefix + QStringLiteral("response_time"),
            QStringLiteral("max by (%1) (%2)")
                .arg(by, selector(n(MetricKey::HaproxyResponseTime), g, filter)));
        if (!gateway->backend.isEmpty()) {
            add(Kind::HaBackendResponseTime, g, prefix + QStringLiteral("backend_response_time"),
                QStringLiteral("max by (instance) (%1)")
                    .arg(selector(n(MetricKey::HaproxyBackendResponseTime), g, filter)));
        }
        add(Kind::HaSessions, g, prefix + QStringLiteral("sessions"),
            QStringLiteral("sum by (%1) (%2)").arg(by, selector(n(MetricKey::HaproxySessions), g, filter)));
        add(Kind::HaQueue, g, prefix + QStringLiteral("queue"),
            QStringLiteral("sum by (%1) (%2)").arg(by, selector(n(MetricKey::HaproxyQueue), g, filter)));
        add(Kind::HaState, g, prefix + QStringLiteral("state"),
            QStringLiteral("max by (%1, %2) (%3 == 1)")
                .arg(by, n(MetricKey::HaproxyStateLabel), selector(n(MetricKey::HaproxyStatus), g, filter)));
    }

    if (!caddyTargets.isEmpty()) {
        const int g = makeGroup(caddyTargets, caddyInstances, QString());
        const QString family = n(MetricKey::CaddyRequests);
        QStringList filter;
        if (const QString handler = n(MetricKey::CaddyHandler); !handler.isEmpty())
            filter << n(MetricKey::CaddyHandlerLabel) + QLatin1Char('=') + promString(handler);
        add(Kind::CaddyRequests, g, QStringLiteral("caddy.requests"),
            QStringLiteral("sum by (instance) (%1)")
                .arg(rate(selector(family + QStringLiteral("_count"), g, filter))));
        add(Kind::CaddyErrors, g, QStringLiteral("caddy.errors"),
            QStringLiteral("sum by (instance) (%1)")
                .arg(rate(selector(
                    family + QStringLiteral("_count"), g,
                    filter + QStringList{n(MetricKey::CaddyCodeLabel) + QStringLiteral("=~\"5..\"")}))));
        add(Kind::CaddySeconds, g, QStringLiteral("caddy.seconds"),
            QStringLiteral("sum by (instance) (%1)")
                .arg(rate(selector(family + QStringLiteral("_sum"), g, filter))));
        add(Kind::CaddyHealthy, g, QStringLiteral("caddy.upstreams_healthy"),
            QStringLiteral("max by (instance, %1) (%2)")
                .arg(n(MetricKey::CaddyUpstreamLabel), selector(n(MetricKey::CaddyUpstreamsHealthy), g)));
    }

    if (byRole.contains(NodeRole::Redis)) {
        const int g = makeGroup(byRole[NodeRole::Redis].first, byRole[NodeRole::Redis].second, QString());
        add(Kind::RedisOps, g, QStringLiteral("redis.ops"),
            QStringLiteral("sum by (instance) (%1)").arg(rate(selector(n(MetricKey::RedisCommands), g))));
        add(Kind::RedisMemory, g, QStringLiteral("redis.memory"),
            QStringLiteral("sum by (instance) (%1)").arg(selector(n(MetricKey::RedisMemory), g)));
        add(Kind::RedisClients, g, QStringLiteral("redis.clients"),
            QStringLiteral("sum by (instance) (%1)").arg(selector(n(MetricKey::RedisClients), g)));
        add(Kind::RedisHits, g, QStringLiteral("redis.hits"),
            QStringLiteral("sum by (instance) (%1)").arg(rate(selector(n(MetricKey::RedisHits), g))));
        add(Kind::RedisMisses, g, QStringLiteral("redis.misses"),
            QStringLiteral("sum by (instance) (%1)").arg(rate(selector(n(MetricKey::RedisMisses), g))));
        add(Kind::RedisUp, g, QStringLiteral("redis.up"),
            QStringLiteral("max by (instance) (%1)").arg(selector(n(MetricKey::RedisUp), g)));
    }
    if (byRole.contains(NodeRole::Kafka)) {
        const int g = makeGroup(byRole[NodeRole::Kafka].first, byRole[NodeRole::Kafka].second, QString());
        const QString group = n(MetricKey::KafkaGroupLabel);
        // -1: no committed offset on that partition, so no lag to speak of (as in direct mode).
        add(Kind::KafkaLag, g, QStringLiteral("kafka.lag"),
            QStringLiteral("sum by (instance, %1) (%2 >= 0)")
                .arg(group, selector(n(MetricKey::KafkaLag), g)));
        add(Kind::KafkaRate, g, QStringLiteral("kafka.consume_rate"),
            QStringLiteral("sum by (instance, %1) (%2)")
                .arg(group, rate(selector(n(MetricKey::KafkaOffset), g))));
    }
    if (byRole.contains(NodeRole::Db)) {
        const int g = makeGroup(byRole[NodeRole::Db].first, byRole[NodeRole::Db].second, QString());
        add(Kind::DbQueries, g, QStringLiteral("db.queries"),
            QStringLiteral("sum by (instance) (%1)").arg(rate(selector(n(MetricKey::DbQueries), g))));
        add(Kind::DbConnected, g, QStringLiteral("db.threads_connected"),
            QStringLiteral("sum by (instance) (%1)").arg(selector(n(MetricKey::DbThreadsConnected), g)));
        add(Kind::DbRunning, g, QStringLiteral("db.threads_running"),
            QStringLiteral("sum by (instance) (%1)").arg(selector(n(MetricKey::DbThreadsRunning), g)));
        add(Kind::DbSlow, g, QStringLiteral("db.slow_queries"),
            QStringLiteral("sum by (instance) (%1)").arg(rate(selector(n(MetricKey::DbSlowQueries), g))));
        add(Kind::DbUp, g, QStringLiteral("db.up"),
            QStringLiteral("max by (instance) (%1)").arg(selector(n(MetricKey::DbUp), g)));
    }
    if (!allTargets.isEmpty()) {
        const int g = makeGroup(allTargets, allInstances, QString());
        // A target scraped by two jobs is down when either scrape fails.
        add(Kind::Up, g, QStringLiteral("up"),
            QStringLiteral("min by (instance) (%1)").arg(selector(QStringLiteral("up"), g)));
    }
}

PromKpiPlan::Outcome PromKpiPlan::evaluate(const QList<std::optional<PromQueryResult>> &answers) const
{
    Outcome outcome;
    using Subs = QMap<QString, double>;  // KpiKey::instance → value
    using Values = QHash<QString, Subs>; // target → subs
    using Frame = QList<Values>;         // per spec
    std::map<qint64, Frame> frames;
    QList<bool> answered(m_specs.size(), false);
    QSet<QString> unmatched;

    const QString stateLabel = m_mapping.qname(MetricKey::HaproxyStateLabel);
    for (qsizetype i = 0; i < m_specs.size() && i < answers.size(); ++i) {
        if (!answers[i])
            continue;
        answered[i] = true;
        const Spec &spec = m_specs[i];
        const Group &group = m_groups[spec.group];
        for (const PromSeries &series : answers[i]->series) {
            const QString instance = series.labels.value(QStringLiteral("instance"));
            const QString target = m_targetByInstance.value(instance);
            if (target.isEmpty() || !group.targets.contains(target)) {
                unmatched.insert(instance);
                continue;
            }
            QStringList parts;
            for (const QString &label : spec.subLabels)
                parts << series.labels.value(label);
            const QString sub = parts.join(QLatin1Char('/'));
            std::optional<double> fixed;
            if (spec.kind == Kind::HaState) {
                const std::optional<GatewayServerState> state =
                    gatewayServerStateFromLabel(series.labels.value(stateLabel));
                if (!state)
                    continue;
                fixed = double(int(*state));
            }
            for (const PromPoint &point : series.points) {
                Frame &frame = frames[point.timestampMs];
                if (frame.isEmpty())
                    frame.resize(m_specs.size());
                const double value = fixed ? *fixed : point.value;
                Subs &subs = frame[i][target];
                // Two instance values for one target (its address and its name, i.e. scraped by two jobs) are
                // the same process seen twice: keep one value rather than counting it twice; the lower `up`
                // wins.
                if (subs.contains(sub))
                    subs[sub] =
                        spec.kind == Kind::Up ? std::min(subs[sub], value) : std::max(subs[sub], value);
                else
                    subs.insert(sub, value);
            }
        }
    }
    outcome.unmatchedInstances = QStringList(unmatched.begin(), unmatched.end());
    outcome.unmatchedInstances.sort();

    // Spec indices by kind: one per kind except the per-gateway HAProxy kinds.
    QHash<int, QList<int>> specsOf;
    for (qsizetype i = 0; i < m_specs.size(); ++i)
        specsOf[int(m_specs[i].kind)].append(int(i));

    const QList<int> upSpecs = specsOf.value(int(Kind::Up));
    const int upIndex = upSpecs.isEmpty() ? -1 : upSpecs.first();
    for (const auto &[ts, frame] : frames) {
        const auto subs = [&](Kind kind, const QString &target) -> const Subs * {
            for (const int i : specsOf.value(int(kind))) {
                const auto it = frame[i].constFind(target);
                if (it != frame[i].cend())
                    return &it.value();
            }
            return nullptr;
        };
        const auto value = [&](Kind kind, const QString &target,
                               const QString &sub = QString()) -> std::optional<double> {
            const Subs *s = subs(kind, target);
            if (!s)
                return std::nullopt;
            const auto it = s->constFind(sub);
            return it == s->cend() ? std::nullopt : std::optional<double>(it.value());
        };
        const auto wasAnswered = [&](Kind kind, const QString &target) {
            for (const int i : specsOf.value(int(kind))) {
                if (answered[i] && m_groups[m_specs[i].group].targets.contains(target))
                    return true;
            }
            return false;
        };
        KpiPoints &out = outcome.points;
        const auto put = [&](const QString &target, KpiId id, const QString &instance, double v) {
            out.append(KpiPoint{KpiKey{target, kpiName(id), instance}, ts, v});
        };
        const auto putIf = [&](const QString &target, KpiId id, const std::optional<double> &v) {
            if (v && !std::isnan(*v))
                put(target, id, QString(), *v);
        };
        // A ratio part that has no series (no 5xx at all) is 0 when its query answered, unknown when it
        // failed.
        const auto part = [&](Kind kind, const QString &target,
                              const QString &sub = QString()) -> std::optional<double> {
            if (const std::optional<double> v = value(kind, target, sub))
                return v;
            return wasAnswered(kind, target) ? std::optional<double>(0.0) : std::nullopt;
        };

        double clusterRequests = 0;
        double clusterErrors = 0;
        bool clusterErrorsKnown = true;
        int wasRated = 0;

        // `up` of this step: a target whose last scrape failed shows a gap, as in direct mode, even though
        // rate() still finds its older samples in the window; and it adds nothing to the cluster sums.
        QSet<QString> frameDown;
        if (upIndex >= 0 && answered[upIndex]) {
            for (const QString &target : m_targetOrder) {
                const auto it = frame[upIndex].constFind(target);
                if (!(it != frame[upIndex].cend() && it->value(QString(), 0) >= 1))
                    frameDown.insert(target);
            }
        }
        // Prometheus knows the target is up (so an empty answer means "no such series yet", not "unknown").
        const auto knownUp = [&](const QString &target) {
            return upIndex >= 0 && answered[upIndex] && !frameDown.contains(target);
        };
        // Micrometer and Caddy create a request series with its first request: a target that is up but has
        // none has served nothing, which direct mode reports as a rate of 0 too.
        const auto requestsOf = [&](Kind kind, const QString &target) -> std::optional<double> {
            if (const std::optional<double> v = value(kind, target))
                return v;
            return knownUp(target) && wasAnswered(kind, target) ? std::optional<double>(0.0) : std::nullopt;
        };
        const auto emitTarget = [&](const QString &target, bool down) {
            if (m_haproxyTargets.contains(target)) {
                QSet<QString> servers;
                for (const Kind k : {Kind::HaRequests, Kind::HaResponseTime, Kind::HaSessions, Kind::HaQueue,
                                     Kind::HaState}) {
                    if (const Subs *s = subs(k, target)) {
                        for (auto it = s->cbegin(); it != s->cend(); ++it)
                            servers.insert(it.key());
                    }
                }
                QStringList ordered(servers.begin(), servers.end());
                ordered.sort();
                double requests = 0;
                double errors = 0;
                bool rated = false;
                bool errorsKnown = true;
                double sessions = kNaN;
                double queue = kNaN;
                for (const QString &server : ordered) {
                    if (const std::optional<double> req = value(Kind::HaRequests, target, server)) {
                        const std::optional<double> err = part(Kind::HaErrors, target, server);
                        put(target, KpiId::GatewayTps, server, *req);
                        if (err)
                            put(target, KpiId::GatewayErrorRatio, server, *req > 0 ? *err / *req : kNaN);
                        requests += *req;
                        errors += err.value_or(0);
                        errorsKnown = errorsKnown && err.has_value();
                        rated = true;
                    }
                    if (const std::optional<double> v = value(Kind::HaResponseTime, target, server);
                        v && !std::isnan(*v))
                        put(target, KpiId::GatewayResponseTimeAvg, server, *v);
                    if (const std::optional<double> v = value(Kind::HaSessions, target, server);
                        v && !std::isnan(*v)) {
                        put(target, KpiId::GatewaySessions, server, *v);
                        addIgnoringNaN(sessions, *v);
                    }
                    if (const std::optional<double> v = value(Kind::HaQueue, target, server);
                        v && !std::isnan(*v)) {
                        put(target, KpiId::GatewayQueue, server, *v);
                        addIgnoringNaN(queue, *v);
                    }
                    if (const std::optional<double> v = value(Kind::HaState, target, server))
                        put(target, KpiId::GatewayServerState, server, *v);
                }
                if (rated) {
                    put(target, KpiId::GatewayTps, QString(), requests);
                    if (errorsKnown)
                        put(target, KpiId::GatewayErrorRatio, QString(),
                            requests > 0 ? errors / requests : kNaN);
                }
                putIf(target, KpiId::GatewayResponseTimeAvg, value(Kind::HaBackendResponseTime, target));
                putIf(target, KpiId::GatewaySessions, sessions);
                putIf(target, KpiId::GatewayQueue, queue);
                return;
            }
            if (m_caddyTargets.contains(target)) {
                if (const std::optional<double> req = requestsOf(Kind::CaddyRequests, target)) {
                    put(target, KpiId::GatewayTps, QString(), *req);
                    if (const std::optional<double> err = part(Kind::CaddyErrors, target))
                        put(target, KpiId::GatewayErrorRatio, QString(), *req > 0 ? *err / *req : kNaN);
                    if (const std::optional<double> seconds = part(Kind::CaddySeconds, target))
                        put(target, KpiId::GatewayResponseTimeAvg, QString(),
                            *req > 0 ? *seconds / *req : kNaN);
                }
                if (const Subs *healthy = subs(Kind::CaddyHealthy, target)) {
                    for (auto it = healthy->cbegin(); it != healthy->cend(); ++it) {
                        if (!std::isnan(it.value()))
                            put(target, KpiId::GatewayUpstreamHealthy, it.key(), it.value());
                    }
                }
                return;
            }
            // WAS
            if (const std::optional<double> req = requestsOf(Kind::WasRequests, target)) {
                const std::optional<double> err = part(Kind::WasErrors, target);
                put(target, KpiId::WasTps, QString(), *req);
                if (err)
                    put(target, KpiId::WasErrorRatio, QString(), *req > 0 ? *err / *req : kNaN);
                if (!down) {
                    clusterRequests += *req;
                    clusterErrors += err.value_or(0);
                    clusterErrorsKnown = clusterErrorsKnown && err.has_value();
                    ++wasRated;
                }
                if (const std::optional<double> seconds = part(Kind::WasSeconds, target))
                    put(target, KpiId::WasLatencyAvg, QString(), *req > 0 ? *seconds / *req : kNaN);
            }
            for (const auto &[kind, id] : {std::pair{Kind::WasP50, KpiId::WasLatencyP50},
                                           std::pair{Kind::WasP95, KpiId::WasLatencyP95},
                                           std::pair{Kind::WasP99, KpiId::WasLatencyP99}}) {
                std::optional<double> q = value(kind, target);
                if (!q && knownUp(target) && wasAnswered(kind, target))
                    q = kNaN; // no observations yet, as direct mode says
                if (q)
                    put(target, id, QString(), *q); // NaN = no requests in the window, as in direct mode
            }
            putIf(target, KpiId::WasLatencyMax, value(Kind::WasMax, target));
            putIf(target, KpiId::WasDbPoolActive, value(Kind::WasPoolActive, target));
            putIf(target, KpiId::WasDbPoolPending, value(Kind::WasPoolPending, target));
            putIf(target, KpiId::WasDbPoolTimeoutsRate, value(Kind::WasPoolTimeouts, target));
            // Redis
            putIf(target, KpiId::RedisOpsRate, value(Kind::RedisOps, target));
            putIf(target, KpiId::RedisMemoryBytes, value(Kind::RedisMemory, target));
            putIf(target, KpiId::RedisClients, value(Kind::RedisClients, target));
            if (const std::optional<double> hits = value(Kind::RedisHits, target)) {
                if (const std::optional<double> misses = value(Kind::RedisMisses, target))
                    put(target, KpiId::RedisHitRatio, QString(),
                        *hits + *misses > 0 ? *hits / (*hits + *misses) : kNaN);
            }
            putIf(target, KpiId::RedisUp, value(Kind::RedisUp, target));
            // Kafka
            if (const Subs *lag = subs(Kind::KafkaLag, target)) {
                for (auto it = lag->cbegin(); it != lag->cend(); ++it)
                    put(target, KpiId::KafkaConsumerLag, it.key(), it.value());
            }
            if (const Subs *rate = subs(Kind::KafkaRate, target)) {
                for (auto it = rate->cbegin(); it != rate->cend(); ++it) {
                    if (!std::isnan(it.value()))
                        put(target, KpiId::KafkaConsumeRate, it.key(), it.value());
                }
            }
            // Db
            putIf(target, KpiId::DbQps, value(Kind::DbQueries, target));
            putIf(target, KpiId::DbThreadsConnected, value(Kind::DbConnected, target));
            putIf(target, KpiId::DbThreadsRunning, value(Kind::DbRunning, target));
            putIf(target, KpiId::DbSlowQueriesRate, value(Kind::DbSlow, target));
            putIf(target, KpiId::DbUp, value(Kind::DbUp, target));
        };
        for (const QString &target : m_targetOrder) {
            const bool down = frameDown.contains(target);
            const qsizetype first = out.size();
            emitTarget(target, down);
            if (down) {
                for (qsizetype k = first; k < out.size(); ++k)
                    out[k].value = kNaN;
            }
        }
        if (wasRated > 0) {
            put(clusterTarget(), KpiId::ClusterTps, QString(), clusterRequests);
            if (clusterErrorsKnown)
                put(clusterTarget(), KpiId::ClusterErrorRatio, QString(),
                    clusterRequests > 0 ? clusterErrors / clusterRequests : kNaN);
        }
    }

    // Down targets, from the last frame's `up` (an instant poll has just one frame).
    if (upIndex >= 0 && answered[upIndex]) {
        // No frame at all: Prometheus has no `up` for any of them, i.e. scrapes none of them.
        const Values none;
        const Values &up = frames.empty() ? none : frames.rbegin()->second[upIndex];
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
