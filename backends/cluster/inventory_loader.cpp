#include "cluster/inventory_loader.h"

#include "cluster/cluster_log.h"
#include "cluster/yaml_reader.h"
#include "common/url_text.h"

#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>
#include <yaml-cpp/depthguard.h>

namespace clusterdeck {

namespace {

const QStringList kTopKeys = {QStringLiteral("name"),           QStringLiteral("prometheus"),
                              QStringLiteral("source"),         QStringLiteral("scrape_interval"),
                              QStringLiteral("scrape_timeout"), QStringLiteral("thresholds"),
                              QStringLiteral("gateways"),       QStringLiteral("nodes"),
                              QStringLiteral("metric_names"),   QStringLiteral("history_db"),
                              QStringLiteral("record_raw"),     QStringLiteral("alerts")};
const QStringList kGatewayKeys = {
    QStringLiteral("name"),    QStringLiteral("kind"),         QStringLiteral("url"),
    QStringLiteral("metrics"), QStringLiteral("ssh"),          QStringLiteral("config"),
    QStringLiteral("backend"), QStringLiteral("admin_socket"), QStringLiteral("admin_api"),
    QStringLiteral("reload"),  QStringLiteral("validate")};
const QStringList kNodeKeys = {QStringLiteral("name"),     QStringLiteral("role"),
                               QStringLiteral("metrics"),  QStringLiteral("health"),
                               QStringLiteral("upstream"), QStringLiteral("ssh")};
const QStringList kSshKeys = {QStringLiteral("target"), QStringLiteral("identity"),
                              QStringLiteral("known_hosts")};
const QStringList kThresholdKeys = {QStringLiteral("latency_p95"), QStringLiteral("error_ratio"),
                                    QStringLiteral("consumer_lag"), QStringLiteral("min_healthy")};
const QStringList kAlertKeys = {QStringLiteral("threshold"), QStringLiteral("for"),
                                QStringLiteral("enabled")};
// Longer than a day is a typo, not an alert.
constexpr int kMaxAlertForMs = 24 * 3600 * 1000;
const QStringList kRoles = {QStringLiteral("was"), QStringLiteral("redis"), QStringLiteral("kafka"),
                            QStringLiteral("db"), QStringLiteral("other")};
const QStringList kGatewayKinds = {QStringLiteral("haproxy"), QStringLiteral("caddy")};

NodeRole parseRole(const QString &text)
{
    if (text == QLatin1String("was"))
        return NodeRole::Was;
    if (text == QLatin1String("redis"))
        return NodeRole::Redis;
    if (text == QLatin1String("kafka"))
        return NodeRole::Kafka;
    if (text == QLatin1String("db"))
        return NodeRole::Db;
    return NodeRole::Other;
}

// Parses "user@host:port" (user and port optional); empty optional when malformed.
std::optional<SshTarget> parseSshTarget(const QString &text)
{
    static const QRegularExpression pattern(
        QStringLiteral(R"(^(?:([A-Za-z0-9._-]+)@)?([A-Za-z0-9._-]+)(?::(\d{1,5}))?$)"));
    const QRegularExpressionMatch match = pattern.match(text);
    if (!match.hasMatch())
        return std::nullopt;
    SshTarget target;
    target.user = match.captured(1);
    target.host = match.captured(2);
    if (match.hasCaptured(3) && !match.captured(3).isEmpty()) {
        const int port = match.captured(3).toInt();
        if (port < 1 || port > 65535)
            return std::nullopt;
        target.port = port;
    }
    return target;
}

bool isHostPort(const QString &text)
{
    static const QRegularExpression pattern(
        QStringLiteral(R"(^[A-Za-z0-9._-]+:\d{1,5}$|^\[[0-9A-Fa-f:]+\]:\d{1,5}$)"));
    return pattern.match(text).hasMatch();
}

class Loader {
public:
    explicit Loader(QList<InventoryProblem> &problems) : m_reader(problems) {}

    Cluster load(const YAML::Node &root)
    {
        Cluster cluster;
        if (!m_reader.expectMap(root, QStringLiteral("the cluster file")))
            return cluster;
        const QString top = QStringLiteral("the cluster");
        m_reader.rejectUnknownKeys(root, kTopKeys, top);
        cluster.name = m_reader.string(root, "name", true, top).value_or(QString());
        if (auto url = m_reader.url(root, "prometheus", false, top))
            cluster.prometheusUrl = *url;
        const QStringList sources = {QStringLiteral("direct"), QStringLiteral("prometheus")};
        if (m_reader.oneOf(root, "source", sources, false, top).value_or(QString()) ==
            QLatin1String("prometheus")) {
            cluster.metricsSource = MetricsSource::Prometheus;
            if (!root["prometheus"])
                m_reader.report(root["source"],
                                QStringLiteral("source: prometheus needs the server's URL in 'prometheus:'"));
        }
        const int minMs = InventoryLoader::kMinScrapeIntervalMs;
        const int maxMs = InventoryLoader::kMaxScrapeIntervalMs;
        if (auto ms = m_reader.durationMs(root, "scrape_interval", minMs, maxMs, top))
            cluster.scrapeIntervalMs = *ms;
        if (auto ms = m_reader.durationMs(root, "scrape_timeout", minMs, maxMs, top))
            cluster.scrapeTimeoutMs = *ms;
        else if (!root["scrape_timeout"])
            cluster.scrapeTimeoutMs = std::max(100, cluster.scrapeIntervalMs * 4 / 5);
        if (root["scrape_timeout"] && cluster.scrapeTimeoutMs > cluster.scrapeIntervalMs)
            m_reader.report(root["scrape_timeout"],
                            QStringLiteral("scrape_timeout (%1 ms) must not exceed scrape_interval (%2 ms)")
                                .arg(cluster.scrapeTimeoutMs)
                                .arg(cluster.scrapeIntervalMs));
        if (auto db = m_reader.string(root, "history_db", false, top))
            cluster.historyDb = *db;
        const QStringList booleans = {QStringLiteral("true"), QStringLiteral("false")};
        if (auto raw = m_reader.oneOf(root, "record_raw", booleans, false, top))
            cluster.recordRaw = *raw == QLatin1String("true");
        if (const YAML::Node thresholds = root["thresholds"])
            loadThresholds(thresholds, cluster.thresholds);
        if (const YAML::Node names = root["metric_names"])
            loadMetricNames(names, cluster.metricNames);
        if (const YAML::Node alerts = root["alerts"])
            loadAlerts(alerts, cluster.alertOverrides);
        if (const YAML::Node gateways = root["gateways"];
            gateways && m_reader.expectSequence(gateways, QStringLiteral("'gateways'"))) {
            for (const YAML::Node &item : gateways)
                loadGateway(item, cluster);
        }
        if (const YAML::Node nodes = root["nodes"]) {
            if (m_reader.expectSequence(nodes, QStringLiteral("'nodes'"))) {
                for (const YAML::Node &item : nodes)
                    loadNode(item, cluster);
                if (nodes.size() == 0)
                    m_reader.report(nodes,
                                    QStringLiteral("'nodes' is empty: list at least one node to watch"));
            }
        } else if (!root["gateways"]) {
            m_reader.report(
                root, QStringLiteral("the cluster needs 'nodes' (and usually 'gateways'): nothing to watch"));
        }
        return cluster;
    }

private:
    void loadThresholds(const YAML::Node &map, Thresholds &thresholds)
    {
        const QString what = QStringLiteral("'thresholds'");
        if (!m_reader.expectMap(map, what))
            return;
        m_reader.rejectUnknownKeys(map, kThresholdKeys, what);
        if (auto ms = m_reader.durationMs(map, "latency_p95", what))
            thresholds.latencyP95Seconds = *ms / 1000.0;
        if (auto ratio = m_reader.number(map, "error_ratio", 0, 1, what))
            thresholds.errorRatio = *ratio;
        if (auto lag = m_reader.number(map, "consumer_lag", 0, 1e15, what))
            thresholds.consumerLag = *lag;
        if (auto count = m_reader.number(map, "min_healthy", 0, 64, what))
            thresholds.minHealthyUpstreams = static_cast<int>(*count);
    }

    void loadAlerts(const YAML::Node &map, QMap<QString, AlertOverride> &overrides)
    {
        const QString what = QStringLiteral("'alerts'");
        if (!m_reader.expectMap(map, what))
            return;
        m_reader.rejectUnknownKeys(map, alertRuleNames(), what);
        const QStringList booleans = {QStringLiteral("true"), QStringLiteral("false")};
        for (auto it = map.begin(); it != map.end(); ++it) {
            const QString rule = QString::fromStdString(it->first.Scalar());
            if (!alertRuleNames().contains(rule))
                continue; // reported above, with a did-you-mean
            const QString ruleWhat = QStringLiteral("alert '%1'").arg(rule);
            if (!m_reader.expectMap(it->second, ruleWhat))
                continue;
            m_reader.rejectUnknownKeys(it->second, kAlertKeys, ruleWhat);
            AlertOverride entry;
            if (it->second["threshold"]) {
                if (!alertRuleHasThreshold(rule))
                    m_reader.report(
                        it->second["threshold"],
                        QStringLiteral("%1 has no threshold (it takes 'for' and 'enabled')").arg(ruleWhat));
                else if (rule == QLatin1String("latency_p95")) {
                    if (auto ms = m_reader.durationMs(it->second, "threshold", 1, kMaxAlertForMs, ruleWhat))
                        entry.threshold = *ms / 1000.0;
                } else if (rule == QLatin1String("error_ratio")) {
                    entry.threshold = m_reader.number(it->second, "threshold", 0, 1, ruleWhat);
                } else {
                    entry.threshold = m_reader.number(it->second, "threshold", 0, 1e15, ruleWhat);
                }
            }
            // Unlike intervals, `for: 0s` makes sense (fire on the first bad round), so not durationMs().
            if (auto text = m_reader.string(it->second, "for", false, ruleWhat)) {
                const std::optional<int> ms = parseDurationMs(*text);
                if (!ms || *ms < 0 || *ms > kMaxAlertForMs)
                    m_reader.report(
                        it->second["for"],
                        QStringLiteral("'for' in %1 must be a duration from 0s to 24h (e.g. 30s, 2m), "
                                       "not '%2'")
                            .arg(ruleWhat, *text));
                else
                    entry.forMs = *ms;
            }
            if (auto enabled = m_reader.oneOf(it->second, "enabled", booleans, false, ruleWhat))
                entry.enabled = *enabled == QLatin1String("true");
            overrides.insert(rule, entry);
        }
    }

    void loadMetricNames(const YAML::Node &map, QMap<QString, QString> &names)
    {
        if (!m_reader.expectMap(map, QStringLiteral("'metric_names'")))
            return;
        m_reader.rejectDuplicateKeys(map, QStringLiteral("'metric_names'"));
        for (auto it = map.begin(); it != map.end(); ++it) {
            if (!it->second.IsScalar()) {
                m_reader.report(it->second, QStringLiteral("metric name override must be a single name"));
                continue;
            }
            names.insert(QString::fromStdString(it->first.Scalar()),
                         QString::fromStdString(it->second.Scalar()));
        }
    }

    std::optional<SshTarget> loadSsh(const YAML::Node &map, const QString &owner)
    {
        const YAML::Node value = map["ssh"];
        if (!value)
            return std::nullopt;
        const QString what = QStringLiteral("'ssh' of %1").arg(owner);
        QString targetText;
        YAML::Node targetNode = value;
        if (value.IsMap()) {
            m_reader.rejectUnknownKeys(value, kSshKeys, what);
            targetText = m_reader.string(value, "target", true, what).value_or(QString());
            targetNode.reset(value["target"]);
        } else if (value.IsScalar()) {
            targetText = QString::fromStdString(value.Scalar()).trimmed();
        } else {
            m_reader.report(
                value,
                QStringLiteral("%1 must be user@host:port or a mapping with target, identity, known_hosts")
                    .arg(what));
            return std::nullopt;
        }
        if (targetText.isEmpty())
            return std::nullopt;
        std::optional<SshTarget> target = parseSshTarget(targetText);
        if (!target) {
            m_reader.report(targetNode,
                            QStringLiteral("%1 is not user@host[:port]: '%2'").arg(what, targetText));
            return std::nullopt;
        }
        if (value.IsMap()) {
            target->identityFile = m_reader.string(value, "identity", false, what).value_or(QString());
            target->knownHostsFile = m_reader.string(value, "known_hosts", false, what).value_or(QString());
        }
        return target;
    }

    void loadGateway(const YAML::Node &item, Cluster &cluster)
    {
        if (!m_reader.expectMap(item, QStringLiteral("a gateway")))
            return;
        const QString kindText =
            m_reader.oneOf(item, "kind", kGatewayKinds, true, QStringLiteral("a gateway"))
                .value_or(QString());
        Gateway gateway;
        gateway.kind = kindText == QLatin1String("caddy") ? GatewayKind::Caddy : GatewayKind::HAProxy;
        gateway.name = m_reader.string(item, "name", false, QStringLiteral("a gateway")).value_or(kindText);
        const QString what = QStringLiteral("gateway '%1'").arg(gateway.name);
        m_reader.rejectUnknownKeys(item, kGatewayKeys, what);
        if (auto url = m_reader.url(item, "url", false, what))
            gateway.baseUrl = *url;
        if (auto url = m_reader.url(item, "metrics", false, what))
            gateway.metricsUrl = *url;
        if (auto ssh = loadSsh(item, what))
            gateway.ssh = *ssh;
        gateway.configPath = m_reader.string(item, "config", false, what).value_or(QString());
        gateway.backend = m_reader.string(item, "backend", false, what).value_or(QString());
        gateway.adminSocket = m_reader.string(item, "admin_socket", false, what).value_or(QString());
        if (auto url = m_reader.url(item, "admin_api", false, what))
            gateway.adminApi = *url;
        const bool caddy = gateway.kind == GatewayKind::Caddy;
        gateway.reloadCommand = m_reader.string(item, "reload", false, what)
                                    .value_or(caddy ? QStringLiteral("systemctl reload caddy")
                                                    : QStringLiteral("systemctl reload haproxy"));
        gateway.validateCommand =
            m_reader.string(item, "validate", false, what)
                .value_or(caddy ? QStringLiteral("caddy validate --config {config} --adapter caddyfile")
                                : QStringLiteral("haproxy -c -f {config}"));
        if (caddy && item["admin_socket"])
            m_reader.report(
                item["admin_socket"],
                QStringLiteral(
                    "%1 is a Caddy gateway: use 'admin_api' (http://host:2019), not 'admin_socket'")
                    .arg(what));
        if (!caddy && item["admin_api"])
            m_reader.report(
                item["admin_api"],
                QStringLiteral(
                    "%1 is an HAProxy gateway: use 'admin_socket' (the stats socket path), not 'admin_api'")
                    .arg(what));
        if (!gateway.validateCommand.contains(QLatin1String("{config}")))
            m_reader.report(
                item["validate"],
                QStringLiteral("'validate' of %1 must contain {config} where the file to check goes")
                    .arg(what));
        if (m_gatewayNames.contains(gateway.name))
            m_reader.report(item, QStringLiteral("gateway name '%1' is used twice").arg(gateway.name));
        m_gatewayNames.insert(gateway.name);
        cluster.gateways.append(gateway);
    }

    void loadNode(const YAML::Node &item, Cluster &cluster)
    {
        if (!m_reader.expectMap(item, QStringLiteral("a node")))
            return;
        Node node;
        node.name = m_reader.string(item, "name", true, QStringLiteral("a node")).value_or(QString());
        const QString what =
            node.name.isEmpty() ? QStringLiteral("a node") : QStringLiteral("node '%1'").arg(node.name);
        m_reader.rejectUnknownKeys(item, kNodeKeys, what);
        node.role =
            parseRole(m_reader.oneOf(item, "role", kRoles, true, what).value_or(QStringLiteral("other")));
        if (auto url = m_reader.url(item, "metrics", false, what))
            node.metricsUrl = *url;
        if (auto url = m_reader.url(item, "health", false, what))
            node.healthUrl = *url;
        // A Spring Boot node answers health next to its Prometheus page; saying so again is optional.
        if (node.healthUrl.isEmpty() && node.role == NodeRole::Was &&
            node.metricsUrl.path().endsWith(QLatin1String("/actuator/prometheus"))) {
            node.healthUrl = node.metricsUrl;
            node.healthUrl.setPath(node.metricsUrl.path().chopped(int(qstrlen("prometheus"))) +
                                   QStringLiteral("health"));
        }
        if (!item["metrics"] && !item["health"] && node.healthUrl.isEmpty())
            m_reader.report(
                item, QStringLiteral("%1 has neither 'metrics' nor 'health': nothing to watch").arg(what));
        if (auto upstream = m_reader.string(item, "upstream", false, what)) {
            if (!isHostPort(*upstream))
                m_reader.report(
                    item["upstream"],
                    QStringLiteral(
                        "'upstream' of %1 must be host:port as the gateway config names it, not '%2'")
                        .arg(what, *upstream));
            const auto other = m_upstreams.constFind(*upstream);
            if (other != m_upstreams.constEnd())
                m_reader.report(item["upstream"], QStringLiteral("upstream %1 of %2 is already node '%3''s")
                                                      .arg(*upstream, what, other.value()));
            else
                m_upstreams.insert(*upstream, node.name);
            node.upstream = *upstream;
        }
        if (auto ssh = loadSsh(item, what))
            node.ssh = *ssh;
        if (!node.name.isEmpty() && m_nodeNames.contains(node.name))
            m_reader.report(item["name"], QStringLiteral("node name '%1' is used twice").arg(node.name));
        m_nodeNames.insert(node.name);
        cluster.nodes.append(node);
    }

    YamlReader m_reader;
    // Hashed look-ups: checking every pair made large inventories quadratic.
    QSet<QString> m_gatewayNames;
    QSet<QString> m_nodeNames;
    QHash<QString, QString> m_upstreams; // upstream → the node that has it
};

} // namespace

InventoryLoader::Outcome InventoryLoader::loadText(const QByteArray &yaml, const QString &sourceName)
{
    Outcome outcome;
    outcome.cluster.sourceFile = sourceName;
    if (yaml.size() > kMaxFileBytes) {
        outcome.problems.append({0, 0,
                                 QStringLiteral("the file is larger than %1 MiB: not a cluster inventory")
                                     .arg(kMaxFileBytes / (1024 * 1024))});
        return outcome;
    }
    YAML::Node root;
    try {
        root = YAML::Load(yaml.toStdString());
    } catch (const YAML::DeepRecursion &error) {
        const YAML::Mark &mark = error.mark;
        outcome.problems.append(
            {mark.is_null() ? 0 : mark.line + 1, mark.is_null() ? 0 : mark.column + 1,
             QStringLiteral("not valid YAML: nested more than %1 levels deep").arg(error.depth())});
        return outcome;
    } catch (const YAML::ParserException &error) {
        const YAML::Mark &mark = error.mark;
        outcome.problems.append(
            {mark.is_null() ? 0 : mark.line + 1, mark.is_null() ? 0 : mark.column + 1,
             QStringLiteral("not valid YAML: %1").arg(QString::fromStdString(error.msg))});
        return outcome;
    }
    if (!root || root.IsNull()) {
        outcome.problems.append(
            {1, 1, QStringLiteral("the file is empty: expected a cluster with 'name' and 'nodes'")});
        return outcome;
    }
    try {
        Loader loader(outcome.problems);
        outcome.cluster = loader.load(root);
        outcome.cluster.sourceFile = sourceName;
    } catch (const YAML::Exception &error) {
        // yaml-cpp throws on some shapes (e.g. a scalar indexed as a map); report them instead of failing
        // hard.
        const YAML::Mark &mark = error.mark;
        outcome.problems.append({mark.is_null() ? 0 : mark.line + 1, mark.is_null() ? 0 : mark.column + 1,
                                 QString::fromStdString(error.msg)});
    }
    std::stable_sort(outcome.problems.begin(), outcome.problems.end(), [](const auto &a, const auto &b) {
        return std::pair(a.line, a.column) < std::pair(b.line, b.column);
    });
    const Cluster &cluster = outcome.cluster;
    if (outcome.problems.isEmpty())
        qCDebug(lcCluster).noquote() << sourceName << "loaded: cluster" << cluster.name << "with"
                                     << cluster.gateways.size() << "gateway(s)," << cluster.nodes.size()
                                     << "node(s), scrape every" << cluster.scrapeIntervalMs << "ms, KPIs from"
                                     << (cluster.metricsSource == MetricsSource::Prometheus
                                             ? cluster.prometheusUrl.toString(QUrl::RemoveUserInfo)
                                             : QStringLiteral("direct scrapes"));
    else
        qCDebug(lcCluster).noquote() << sourceName << "has" << outcome.problems.size() << "problem(s)";
    return outcome;
}

InventoryLoader::Outcome InventoryLoader::loadFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        qCDebug(lcCluster).noquote() << "cannot open" << path << ':' << file.errorString();
        Outcome outcome;
        outcome.problems.append({0, 0, QStringLiteral("cannot read the file: %1").arg(file.errorString())});
        return outcome;
    }
    // One byte over the cap is enough to refuse it (a device like /dev/zero never ends).
    return loadText(file.read(kMaxFileBytes + 1), path);
}

QString formatProblems(const QString &file, const QList<InventoryProblem> &problems)
{
    QStringList lines;
    for (const InventoryProblem &problem : problems) {
        // A NUL or other control character in a key must neither cut the message short nor reach the
        // terminal.
        const QString message = escapeControlCharacters(problem.message);
        if (problem.line > 0)
            lines << QStringLiteral("%1:%2:%3: %4")
                         .arg(file)
                         .arg(problem.line)
                         .arg(problem.column)
                         .arg(message);
        else
            lines << QStringLiteral("%1: %2").arg(file, message);
    }
    return lines.join(QLatin1Char('\n'));
}

Result<Cluster> loadClusterFile(const QString &path)
{
    InventoryLoader::Outcome outcome = InventoryLoader::loadFile(path);
    if (outcome.problems.isEmpty())
        return std::move(outcome.cluster);
    return Error{formatProblems(path, outcome.problems), QString()};
}

} // namespace clusterdeck
