#include "metrics/discovery.h"

#include "cluster/inventory_loader.h"
#include "metrics/metrics_log.h"

#include <QCollator>
#include <QHash>
#include <QHostAddress>
#include <QMap>
#include <QRegularExpression>
#include <QSet>
#include <algorithm>
#include <yaml-cpp/yaml.h>

namespace clusterdeck {

namespace {

struct RoleNameEntry {
    DiscoveredRole role;
    const char *name;
};

constexpr RoleNameEntry kRoleNames[] = {
    {DiscoveredRole::HAProxyGateway, "haproxy"},
    {DiscoveredRole::CaddyGateway, "caddy"},
    {DiscoveredRole::Was, "was"},
    {DiscoveredRole::Redis, "redis"},
    {DiscoveredRole::Kafka, "kafka"},
    {DiscoveredRole::Db, "db"},
    {DiscoveredRole::Other, "other"},
    {DiscoveredRole::Ignore, "ignore"},
};

bool isGateway(DiscoveredRole role)
{
    return role == DiscoveredRole::HAProxyGateway || role == DiscoveredRole::CaddyGateway;
}

NodeRole nodeRole(DiscoveredRole role)
{
    switch (role) {
    case DiscoveredRole::Was:
        return NodeRole::Was;
    case DiscoveredRole::Redis:
        return NodeRole::Redis;
    case DiscoveredRole::Kafka:
        return NodeRole::Kafka;
    case DiscoveredRole::Db:
        return NodeRole::Db;
    default:
        return NodeRole::Other;
    }
}

bool isIpAddress(const QString &host)
{
    QHostAddress address;
    return address.setAddress(host);
}

QString hostPort(const QUrl &url)
{
    const int port = url.port(url.scheme() == QLatin1String("https") ? 443 : 80);
    const QString host =
        url.host().contains(QLatin1Char(':')) ? QStringLiteral("[%1]").arg(url.host()) : url.host();
    return QStringLiteral("%1:%2").arg(host).arg(port);
}

// "web1.example.com:9100" → "web1.example.com"; "[::1]:9100" → "::1"; "api-1" → "api-1".
QString hostOfInstance(const QString &instance)
{
    static const QRegularExpression withPort(QStringLiteral(R"(^\[?([^\]]*?)\]?:\d+$)"));
    const QRegularExpressionMatch match = withPort.match(instance);
    return match.hasMatch() ? match.captured(1) : instance;
}

// Names end up in YAML, logs and KPI keys: keep them to one readable token.
QString cleanName(QString name)
{
    static const QRegularExpression unsafe(QStringLiteral(R"([^\p{L}\p{N}._:\-]+)"),
                                           QRegularExpression::UseUnicodePropertiesOption);
    name.replace(unsafe, QStringLiteral("-"));
    while (name.startsWith(QLatin1Char('-')))
        name.remove(0, 1);
    while (name.endsWith(QLatin1Char('-')))
        name.chop(1);
    return name;
}

// Writes scalars plain when no YAML reader could take them for anything but a string, double-quoted (escaped
// by the emitter) otherwise: yaml-cpp 0.7 leaves "yes", "true" and "1234" plain, which YAML 1.1 readers take
// for a bool or a number.
void emitScalar(YAML::Emitter &out, const QString &text)
{
    static const QRegularExpression plain(QStringLiteral(R"(^[A-Za-z_][A-Za-z0-9_.\-/]*$)"));
    static const QStringList reserved = {
        QStringLiteral("true"), QStringLiteral("false"), QStringLiteral("yes"),
        QStringLiteral("no"),   QStringLiteral("on"),    QStringLiteral("off"),
        QStringLiteral("null"), QStringLiteral("y"),     QStringLiteral("n")};
    if (!plain.match(text).hasMatch() || reserved.contains(text.toLower()))
        out << YAML::DoubleQuoted;
    out << text.toStdString();
}

void emitEntry(YAML::Emitter &out, const char *key, const QString &value)
{
    out << YAML::Key << key << YAML::Value;
    emitScalar(out, value);
}

// A comment is one line: a target's last error may hold newlines.
auto comment(const QString &text)
{
    return YAML::Comment(text.simplified().toStdString());
}

// A --job-role pattern as an anchored, case-insensitive glob; invalid (isValid() false) for "[abc" and the
// like.
QRegularExpression jobGlob(const QString &pattern)
{
    const QString regex = QRegularExpression::wildcardToRegularExpression(
        pattern, QRegularExpression::UnanchoredWildcardConversion);
    return QRegularExpression(QRegularExpression::anchoredPattern(regex),
                              QRegularExpression::CaseInsensitiveOption);
}

struct Candidate {
    const PromTarget *target = nullptr;
    qsizetype summary = -1; // index in DiscoveryResult::targets
    DiscoveredRole role = DiscoveredRole::Other;
    QString fullHost;  // host from the instance label (or the scrape URL)
    QString shortHost; // first DNS label of fullHost; fullHost for IP addresses and relabelled instances
    QString name;
};

QString roleCount(const QMap<DiscoveredRole, int> &counts)
{
    QStringList parts;
    for (auto it = counts.begin(); it != counts.end(); ++it)
        parts << QStringLiteral("%1 %2").arg(it.value()).arg(discoveredRoleName(it.key()));
    return parts.join(QStringLiteral(", "));
}

// Gives every candidate a unique name: the name label, the job of a lone gateway or the short host; then the
// full host for those that clash, then -job, then -port, then -2, -3...
void assignNames(QList<Candidate> &candidates, const QString &nameLabel)
{
    QHash<QString, int> perJob;
    for (const Candidate &c : std::as_const(candidates))
        ++perJob[c.target->job()];
    for (Candidate &c : candidates) {
        const QString labelled = nameLabel.isEmpty() ? QString() : c.target->labels.value(nameLabel);
        // A gateway is usually the one target of its job ("haproxy"): that reads better than its address.
        const bool soleGateway = isGateway(c.role) && perJob.value(c.target->job()) == 1;
        c.name = cleanName(!labelled.isEmpty() ? labelled : soleGateway ? c.target->job() : c.shortHost);
        if (c.name.isEmpty())
            c.name = cleanName(c.target->job());
    }
    // Hashed counts, not pairwise comparisons: discovery runs over tens of thousands of targets.
    const auto refine = [&](const std::function<QString(const Candidate &)> &rename) {
        // Decide every new name before renaming any, so the first rename does not hide the clash from the
        // others.
        QHash<QString, int> uses;
        for (const Candidate &c : std::as_const(candidates))
            ++uses[c.name];
        QStringList renamed;
        for (const Candidate &c : std::as_const(candidates))
            renamed.append(uses.value(c.name) > 1 ? rename(c) : c.name);
        for (qsizetype i = 0; i < candidates.size(); ++i)
            candidates[i].name = renamed[i];
    };
    // Short names that stand for different hosts (web1.a, web1.b) go back to the full host; targets on one
    // host (two exporters) are told apart by job below instead.
    QHash<QString, QString> hostOfName;
    QSet<QString> namesOfSeveralHosts;
    for (const Candidate &c : std::as_const(candidates)) {
        const auto it = hostOfName.constFind(c.name);
        if (it == hostOfName.constEnd())
            hostOfName.insert(c.name, c.fullHost);
        else if (it.value() != c.fullHost)
            namesOfSeveralHosts.insert(c.name);
    }
    refine([&namesOfSeveralHosts, &nameLabel](const Candidate &c) {
        const bool labelled = !nameLabel.isEmpty() && !c.target->labels.value(nameLabel).isEmpty();
        return labelled || !namesOfSeveralHosts.contains(c.name) ? c.name : cleanName(c.fullHost);
    });
    refine([](const Candidate &c) { return c.name + QLatin1Char('-') + cleanName(c.target->job()); });
    refine([](const Candidate &c) {
        return c.name + QLatin1Char('-') + QString::number(c.target->scrapeUrl.port());
    });
    QHash<QString, int> seen;
    for (Candidate &c : candidates) {
        const int n = ++seen[c.name];
        if (n > 1)
            c.name += QStringLiteral("-%1").arg(n);
    }
}

} // namespace

QString discoveredRoleName(DiscoveredRole role)
{
    for (const RoleNameEntry &entry : kRoleNames) {
        if (entry.role == role)
            return QLatin1String(entry.name);
    }
    return QStringLiteral("other");
}

std::optional<DiscoveredRole> discoveredRoleFromName(const QString &name)
{
    for (const RoleNameEntry &entry : kRoleNames) {
        if (name.compare(QLatin1String(entry.name), Qt::CaseInsensitive) == 0)
            return entry.role;
    }
    return std::nullopt;
}

bool JobRoleRule::matches(const QString &job) const
{
    return jobGlob(pattern).match(job).hasMatch();
}

Result<JobRoleRule> parseJobRoleRule(const QString &text)
{
    const qsizetype eq = text.lastIndexOf(QLatin1Char('='));
    QStringList roles;
    for (const RoleNameEntry &entry : kRoleNames)
        roles << QLatin1String(entry.name);
    if (eq <= 0 || eq == text.size() - 1)
        return Error{QStringLiteral("'%1' is not JOB=ROLE (e.g. spring-*=was); roles: %2")
                         .arg(text, roles.join(QStringLiteral(", "))),
                     QString()};
    const QString roleText = text.mid(eq + 1).trimmed();
    const std::optional<DiscoveredRole> role = discoveredRoleFromName(roleText);
    if (!role) {
        const QString hint = roleText.compare(QLatin1String("gateway"), Qt::CaseInsensitive) == 0
                                 ? QStringLiteral(" (a gateway is 'haproxy' or 'caddy')")
                                 : QString();
        return Error{QStringLiteral("unknown role '%1' in '%2'%3; roles: %4")
                         .arg(roleText, text, hint, roles.join(QStringLiteral(", "))),
                     QString()};
    }
    const QString pattern = text.left(eq).trimmed();
    const QRegularExpression glob = jobGlob(pattern);
    if (!glob.isValid())
        return Error{
            QStringLiteral("'%1' is not a valid job glob (%2); use * and ? as wildcards, [abc] for a "
                           "set of characters")
                .arg(pattern, glob.errorString()),
            QString()};
    return JobRoleRule{pattern, *role};
}

DiscoveredRole defaultRoleForJob(const QString &job)
{
    const QString j = job.toLower();
    const auto has = [&j](const char *word) { return j.contains(QLatin1String(word)); };
    if (has("haproxy"))
        return DiscoveredRole::HAProxyGateway;
    if (has("caddy"))
        return DiscoveredRole::CaddyGateway;
    if (has("redis"))
        return DiscoveredRole::Redis;
    if (has("kafka"))
        return DiscoveredRole::Kafka;
    if (has("mysql") || has("mariadb"))
        return DiscoveredRole::Db;
    if (has("was") || has("spring") || has("api") || has("app"))
        return DiscoveredRole::Was;
    if (has("db"))
        return DiscoveredRole::Db;
    return DiscoveredRole::Other;
}

Result<DiscoveryResult> discoverInventory(const QList<PromTarget> &targets, const QUrl &prometheusUrl,
                                          const DiscoveryOptions &options)
{
    const QString server = prometheusUrl.toString(QUrl::RemoveUserInfo);
    if (targets.isEmpty())
        return Error{QStringLiteral("Prometheus has no active targets: nothing to build an inventory from"),
                     server};

    DiscoveryResult result;
    QList<Candidate> candidates;
    QMap<QString, int> intervals;
    QList<QRegularExpression> ruleGlobs; // compiled once, not once per target
    for (const JobRoleRule &rule : options.rules)
        ruleGlobs.append(jobGlob(rule.pattern));
    for (const PromTarget &target : targets) {
        DiscoveredTarget summary;
        summary.job = target.job();
        summary.instance = target.instance();
        summary.health = target.health;
        summary.lastError = target.lastError;
        summary.role = defaultRoleForJob(summary.job);
        for (qsizetype r = 0; r < options.rules.size(); ++r) {
            if (ruleGlobs[r].match(summary.job).hasMatch()) {
                summary.role = options.rules[r].role;
                break;
            }
        }
        // A scrape URL the inventory would refuse (found by fuzz_inventory: a scheme like "htth") is left out
        // with a note, rather than written into a file that does not load.
        const QUrl &scrapeUrl = target.scrapeUrl;
        if (summary.role != DiscoveredRole::Ignore &&
            (!QUrl(scrapeUrl.toString(), QUrl::StrictMode).isValid() || scrapeUrl.host().isEmpty() ||
             (scrapeUrl.scheme() != QLatin1String("http") && scrapeUrl.scheme() != QLatin1String("https")))) {
            result.notes << QStringLiteral(
                                "%1 (job %2) left out: its scrape URL '%3' is not a valid http(s) URL")
                                .arg(summary.instance, summary.job, scrapeUrl.toString(QUrl::RemoveUserInfo));
            summary.role = DiscoveredRole::Ignore;
        }
        result.targets.append(summary);
        if (summary.role == DiscoveredRole::Ignore)
            continue;
        Candidate c;
        c.target = &target;
        c.summary = result.targets.size() - 1;
        c.role = summary.role;
        // A relabelled instance ("api-1") is the operator's own name for the target: keep it whole.
        const QString instance = target.instance();
        const bool addressLike = instance.isEmpty() || hostOfInstance(instance) == target.scrapeUrl.host();
        c.fullHost = instance.isEmpty() ? target.scrapeUrl.host() : hostOfInstance(instance);
        c.shortHost = c.fullHost;
        if (addressLike && !isIpAddress(c.fullHost) && c.fullHost.contains(QLatin1Char('.')))
            c.shortHost = c.fullHost.section(QLatin1Char('.'), 0, 0);
        candidates.append(c);
        if (!target.scrapeInterval.isEmpty())
            ++intervals[target.scrapeInterval];
    }
    if (candidates.isEmpty())
        return Error{
            QStringLiteral("every one of the %1 target(s) was mapped to 'ignore': nothing left to watch")
                .arg(targets.size()),
            server};

    assignNames(candidates, options.nameLabel);

    Cluster &cluster = result.cluster;
    cluster.prometheusUrl = prometheusUrl;
    cluster.name = options.clusterName.isEmpty()
                       ? QStringLiteral("discovered-%1").arg(cleanName(prometheusUrl.host()))
                       : options.clusterName;
    // The most common interval of the jobs, so direct mode samples at the cadence Prometheus does.
    int best = 0;
    for (auto it = intervals.begin(); it != intervals.end(); ++it) {
        const std::optional<int> ms = parseDurationMs(it.key());
        if (ms && *ms > 0 && it.value() > best) {
            best = it.value();
            cluster.scrapeIntervalMs = *ms;
        }
    }
    cluster.scrapeTimeoutMs = std::max(100, cluster.scrapeIntervalMs * 4 / 5);

    // "was2" before "was10", the same on every machine whatever its locale.
    QCollator collator{QLocale(QLocale::English)};
    collator.setNumericMode(true);
    std::stable_sort(candidates.begin(), candidates.end(),
                     [&collator](const Candidate &a, const Candidate &b) {
                         if (a.role != b.role)
                             return a.role < b.role;
                         return collator.compare(a.name, b.name) < 0;
                     });

    // Upstreams are guessed from the scrape address, which only holds when each WAS node serves its metrics
    // on the port the gateway forwards to (Spring Boot without a separate management port).
    QHash<QString, int> wasAddresses;
    for (const Candidate &c : std::as_const(candidates)) {
        if (c.role == DiscoveredRole::Was)
            ++wasAddresses[hostPort(c.target->scrapeUrl)];
    }

    QMap<DiscoveredRole, int> counts;
    int down = 0;
    for (const Candidate &c : std::as_const(candidates)) {
        ++counts[c.role];
        const PromTarget &t = *c.target;
        result.targets[c.summary].name = c.name;
        if (t.health != QLatin1String("up")) {
            ++down;
            result.notes << QStringLiteral("%1 (job %2, %3) was %4 at discovery%5")
                                .arg(c.name, t.job(), t.instance(),
                                     t.health.isEmpty() ? QStringLiteral("unknown") : t.health,
                                     t.lastError.isEmpty() ? QString() : QStringLiteral(": ") + t.lastError);
        }
        if (isGateway(c.role)) {
            Gateway gateway;
            gateway.name = c.name;
            gateway.kind = c.role == DiscoveredRole::CaddyGateway ? GatewayKind::Caddy : GatewayKind::HAProxy;
            gateway.metricsUrl = t.scrapeUrl;
            // Caddy serves /metrics on its admin endpoint by default: then that endpoint is the admin API
            // too.
            if (gateway.kind == GatewayKind::Caddy && t.scrapeUrl.port() == 2019) {
                QUrl admin = t.scrapeUrl;
                admin.setPath(QString());
                admin.setQuery(QString());
                gateway.adminApi = admin;
            }
            cluster.gateways.append(gateway);
            continue;
        }
        Node node;
        node.name = c.name;
        node.role = nodeRole(c.role);
        node.metricsUrl = t.scrapeUrl;
        if (c.role == DiscoveredRole::Was) {
            QUrl health = t.scrapeUrl;
            const QString path = health.path();
            health.setPath(path.endsWith(QLatin1String("/actuator/prometheus"))
                               ? path.chopped(int(qstrlen("prometheus"))) + QStringLiteral("health")
                               : QStringLiteral("/actuator/health"));
            health.setQuery(QString());
            node.healthUrl = health;
            const QString address = hostPort(t.scrapeUrl);
            if (wasAddresses.value(address) == 1)
                node.upstream = address;
        }
        cluster.nodes.append(node);
    }
    if (std::any_of(cluster.nodes.cbegin(), cluster.nodes.cend(),
                    [](const Node &n) { return !n.upstream.isEmpty(); }))
        result.notes.prepend(
            QStringLiteral("WAS upstreams are guessed from the scrape addresses: check them against the "
                           "gateway config (drain and readmit use them)"));
    if (!cluster.gateways.isEmpty())
        result.notes.prepend(
            QStringLiteral("gateways need ssh, config, backend and admin_socket/admin_api added by hand "
                           "before drain and readmit work"));
    const int ignored = int(targets.size() - candidates.size());
    result.notes.prepend(QStringLiteral("%1 target(s): %2%3%4")
                             .arg(targets.size())
                             .arg(roleCount(counts))
                             .arg(ignored ? QStringLiteral(", %1 ignored").arg(ignored) : QString())
                             .arg(down ? QStringLiteral("; %1 not up").arg(down) : QString()));
    qCDebug(lcMetrics).noquote() << "discovery from" << server << ':' << result.notes.first();
    for (const DiscoveredTarget &t : std::as_const(result.targets))
        qCDebug(lcMetrics).noquote() << "  target" << t.instance << "job" << t.job << "health" << t.health
                                     << "→" << discoveredRoleName(t.role)
                                     << (t.name.isEmpty() ? QString() : t.name);
    return result;
}

QByteArray discoveryToYaml(const DiscoveryResult &result)
{
    const Cluster &cluster = result.cluster;
    QHash<QString, const DiscoveredTarget *> byName;
    for (const DiscoveredTarget &t : result.targets) {
        if (!t.name.isEmpty())
            byName.insert(t.name, &t);
    }
    const auto origin = [&byName](const QString &name) {
        const DiscoveredTarget *t = byName.value(name);
        if (!t)
            return QString();
        QString text = QStringLiteral("job %1, instance %2").arg(t->job, t->instance);
        if (t->health != QLatin1String("up"))
            text += QStringLiteral(" — %1 at discovery%2")
                        .arg(t->health.isEmpty() ? QStringLiteral("unknown") : t->health,
                             t->lastError.isEmpty() ? QString() : QStringLiteral(": ") + t->lastError);
        return text;
    };
    // Each gateway and node says where it came from on its name's line.
    const auto emitName = [&](YAML::Emitter &out, const QString &name) {
        emitEntry(out, "name", name);
        const QString from = origin(name);
        if (!from.isEmpty())
            out << comment(from);
    };

    YAML::Emitter out;
    out << comment(QStringLiteral("Discovered by clusterdeckctl discover from %1/api/v1/targets.")
                       .arg(cluster.prometheusUrl.toString(QUrl::RemoveUserInfo | QUrl::StripTrailingSlash)))
        << YAML::Newline;
    out << comment(QStringLiteral(
               "Check it, then add what Prometheus cannot know (gateway ssh, config, backend, thresholds)."))
        << YAML::Newline;
    for (const QString &note : result.notes)
        out << comment(note) << YAML::Newline;
    out << YAML::BeginMap;
    emitEntry(out, "name", cluster.name);
    emitEntry(out, "prometheus", cluster.prometheusUrl.toString(QUrl::RemoveUserInfo));
    out << YAML::Key << "scrape_interval" << YAML::Value
        << (cluster.scrapeIntervalMs % 1000 == 0 ? std::to_string(cluster.scrapeIntervalMs / 1000) + 's'
                                                 : std::to_string(cluster.scrapeIntervalMs) + "ms");
    if (!cluster.gateways.isEmpty()) {
        out << YAML::Key << "gateways" << YAML::Value << YAML::BeginSeq;
        for (const Gateway &g : cluster.gateways) {
            out << YAML::BeginMap;
            emitName(out, g.name);
            emitEntry(out, "kind", gatewayKindName(g.kind));
            emitEntry(out, "metrics", g.metricsUrl.toString());
            if (!g.adminApi.isEmpty())
                emitEntry(out, "admin_api", g.adminApi.toString());
            out << YAML::EndMap;
        }
        out << YAML::EndSeq;
    }
    if (!cluster.nodes.isEmpty()) {
        out << YAML::Key << "nodes" << YAML::Value << YAML::BeginSeq;
        for (const Node &n : cluster.nodes) {
            out << YAML::BeginMap;
            emitName(out, n.name);
            emitEntry(out, "role", roleName(n.role));
            emitEntry(out, "metrics", n.metricsUrl.toString());
            if (!n.healthUrl.isEmpty())
                emitEntry(out, "health", n.healthUrl.toString());
            if (!n.upstream.isEmpty()) {
                emitEntry(out, "upstream", n.upstream);
                out << comment(QStringLiteral("guessed: check against the gateway config"));
            }
            out << YAML::EndMap;
        }
        out << YAML::EndSeq;
    }
    out << YAML::EndMap;
    return QByteArray(out.c_str(), qsizetype(out.size())) + '\n';
}

} // namespace clusterdeck
