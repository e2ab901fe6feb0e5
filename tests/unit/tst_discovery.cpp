// Discovery: Prometheus targets → cluster inventory → YAML that InventoryLoader (clusterdeckctl check)
// accepts. fixtures/prometheus/targets_lab.json is a real /api/v1/targets answer of Prometheus 2.42 (running
// on 127.0.96.2) scraping the lab's jobs.

#include "cluster/inventory_loader.h"
#include "metrics/discovery.h"

#include <QFile>
#include <QTest>

using namespace clusterdeck;

namespace {

PromTarget target(const QString &job, const QString &scrapeUrl, const QString &instance = {},
                  const PromLabels &extra = {}, const QString &health = QStringLiteral("up"))
{
    PromTarget t;
    t.scrapeUrl = QUrl(scrapeUrl);
    t.labels = extra;
    t.labels.insert(QStringLiteral("job"), job);
    t.labels.insert(QStringLiteral("instance"), instance.isEmpty() ? t.scrapeUrl.authority() : instance);
    t.scrapePool = job;
    t.health = health;
    t.scrapeInterval = QStringLiteral("15s");
    return t;
}

const QUrl kProm(QStringLiteral("http://prom.example:9090"));

Cluster roundTrip(const DiscoveryResult &result)
{
    const QByteArray yaml = discoveryToYaml(result);
    const InventoryLoader::Outcome outcome =
        InventoryLoader::loadText(yaml, QStringLiteral("discovered.yaml"));
    if (!outcome.problems.isEmpty())
        qWarning().noquote() << formatProblems(QStringLiteral("discovered.yaml"), outcome.problems) << '\n'
                             << yaml;
    return outcome.problems.isEmpty() ? outcome.cluster : Cluster{};
}

QStringList nodeNames(const Cluster &cluster)
{
    QStringList names;
    for (const Node &n : cluster.nodes)
        names << n.name;
    return names;
}

} // namespace

class TestDiscovery : public QObject {
    Q_OBJECT

private slots:
    void invalidGlobIsRefused();
    void nonHttpScrapeUrlsAreLeftOut();
    void defaultRoles_data();
    void defaultRoles();
    void jobRoleRules_data();
    void jobRoleRules();
    void rulesOverrideDefaults();

    void labTargetsFromARealPrometheus();
    void nameLabelGivesFriendlyNames();
    void namesAreDisambiguated_data();
    void namesAreDisambiguated();
    void wasHealthAndUpstream_data();
    void wasHealthAndUpstream();
    void sharedWasAddressGetsNoUpstream();
    void caddyOnTheAdminPortGetsAdminApi();
    void scrapeIntervalIsTheMostCommon();

    void nodesInNaturalOrder_data();
    void nodesInNaturalOrder();

    void yamlRoundTripsAwkwardNames_data();
    void yamlRoundTripsAwkwardNames();
    void yamlRoundTripsAnyClusterName_data();
    void yamlRoundTripsAnyClusterName();
    void commentsStayComments();
    void gatewaysOnlyIsAValidInventory();
    void downTargetsAreKeptAndNoted();
    void nothingToWatchIsAnError();
};

void TestDiscovery::defaultRoles_data()
{
    QTest::addColumn<QString>("job");
    QTest::addColumn<QString>("role");
    QTest::newRow("haproxy") << "haproxy"
                             << "haproxy";
    QTest::newRow("HAProxy-edge") << "HAProxy-edge"
                                  << "haproxy";
    QTest::newRow("caddy") << "caddy"
                           << "caddy";
    QTest::newRow("was") << "was"
                         << "was";
    QTest::newRow("spring-boot") << "spring-boot"
                                 << "was";
    QTest::newRow("coupon-api") << "coupon-api"
                                << "was";
    QTest::newRow("webapp") << "webapp"
                            << "was";
    QTest::newRow("redis") << "redis"
                           << "redis";
    QTest::newRow("redis_exporter") << "redis_exporter"
                                    << "redis";
    QTest::newRow("redis-app is redis") << "redis-app"
                                        << "redis";
    QTest::newRow("kafka_exporter") << "kafka_exporter"
                                    << "kafka";
    QTest::newRow("mysql") << "mysql"
                           << "db";
    QTest::newRow("mysqld_exporter") << "mysqld_exporter"
                                     << "db";
    QTest::newRow("mariadb") << "MariaDB"
                             << "db";
    QTest::newRow("orders-db") << "orders-db"
                               << "db";
    QTest::newRow("prometheus") << "prometheus"
                                << "other";
    QTest::newRow("node") << "node"
                          << "other";
    QTest::newRow("empty") << ""
                           << "other";
}

void TestDiscovery::defaultRoles()
{
    QFETCH(QString, job);
    QFETCH(QString, role);
    QCOMPARE(discoveredRoleName(defaultRoleForJob(job)), role);
}

void TestDiscovery::jobRoleRules_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("error");   // empty = valid
    QTest::addColumn<QString>("matches"); // a job the rule must match
    QTest::addColumn<QString>("misses");  // a job it must not match
    QTest::newRow("exact") << "orders=was"
                           << ""
                           << "orders"
                           << "orders2";
    QTest::newRow("case-insensitive") << "Orders=WAS"
                                      << ""
                                      << "orders"
                                      << "order";
    QTest::newRow("glob") << "spring-*=was"
                          << ""
                          << "spring-orders"
                          << "my-spring-orders";
    QTest::newRow("question mark") << "api?=was"
                                   << ""
                                   << "api1"
                                   << "api12";
    QTest::newRow("equals in job") << "a=b=db"
                                   << ""
                                   << "a=b"
                                   << "a";
    QTest::newRow("no role") << "orders"
                             << "'orders' is not JOB=ROLE"
                             << ""
                             << "";
    QTest::newRow("empty role") << "orders="
                                << "'orders=' is not JOB=ROLE"
                                << ""
                                << "";
    QTest::newRow("empty job") << "=was"
                               << "'=was' is not JOB=ROLE"
                               << ""
                               << "";
    QTest::newRow("gateway") << "lb=gateway"
                             << "unknown role 'gateway' in 'lb=gateway' (a gateway is 'haproxy' or 'caddy')"
                             << ""
                             << "";
    QTest::newRow("typo") << "x=wass"
                          << "unknown role 'wass'"
                          << ""
                          << "";
}

void TestDiscovery::jobRoleRules()
{
    QFETCH(QString, text);
    QFETCH(QString, error);
    QFETCH(QString, matches);
    QFETCH(QString, misses);
    const Result<JobRoleRule> rule = parseJobRoleRule(text);
    if (!error.isEmpty()) {
        QVERIFY(!rule.ok());
        QVERIFY2(rule.error().message.startsWith(error), qPrintable(rule.error().message));
        QVERIFY2(rule.error().message.contains(
                     QLatin1String("roles: haproxy, caddy, was, redis, kafka, db, other, ignore")),
                 qPrintable(rule.error().message));
        return;
    }
    QVERIFY2(rule.ok(), qPrintable(rule.ok() ? QString() : rule.error().message));
    QVERIFY(rule->matches(matches));
    QVERIFY(!rule->matches(misses));
}

void TestDiscovery::rulesOverrideDefaults()
{
    const QList<PromTarget> targets{
        target(QStringLiteral("prometheus"), QStringLiteral("http://10.0.0.9:9090/metrics")),
        target(QStringLiteral("orders"), QStringLiteral("http://10.0.1.1:8080/actuator/prometheus")),
        target(QStringLiteral("edge"), QStringLiteral("http://10.0.0.10:8404/metrics")),
        target(QStringLiteral("redis-app"), QStringLiteral("http://10.0.2.1:9121/metrics")),
    };
    DiscoveryOptions options;
    for (const char *text : {"prometheus=ignore", "orders=was", "edge=haproxy", "redis-*=other"})
        options.rules.append(*parseJobRoleRule(QLatin1String(text)));
    const Result<DiscoveryResult> result = discoverInventory(targets, kProm, options);
    QVERIFY(result.ok());
    const Cluster &c = result->cluster;
    QCOMPARE(c.gateways.size(), 1);
    QCOMPARE(c.gateways.first().name, QStringLiteral("edge"));
    QCOMPARE(c.gateways.first().kind, GatewayKind::HAProxy);
    QCOMPARE(c.nodes.size(), 2);
    QCOMPARE(c.nodes[0].role, NodeRole::Was);
    QCOMPARE(c.nodes[1].role, NodeRole::Other);
    QCOMPARE(c.nodes[1].name, QStringLiteral("10.0.2.1"));
    QVERIFY(result->notes.first().contains(QLatin1String("1 ignored")));
}

void TestDiscovery::labTargetsFromARealPrometheus()
{
    const QString path = QFINDTESTDATA("../fixtures/prometheus/targets_lab.json");
    QFile file(path);
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(path));
    const Result<QList<PromTarget>> targets = parsePromTargetsBody(
        file.readAll(), 200, QStringLiteral("application/json"), QStringLiteral("fixture"));
    QVERIFY2(targets.ok(), qPrintable(targets.ok() ? QString() : targets.error().toString()));
    QCOMPARE(targets->size(), 9);

    const QUrl prom(QStringLiteral("http://127.0.60.1:9090"));
    const Result<DiscoveryResult> result = discoverInventory(*targets, prom, {});
    QVERIFY(result.ok());
    const Cluster &c = result->cluster;
    QCOMPARE(c.name, QStringLiteral("discovered-127.0.60.1"));
    QCOMPARE(c.prometheusUrl, prom);
    QCOMPARE(c.scrapeIntervalMs, 5000);
    QCOMPARE(c.gateways.size(), 2);
    QCOMPARE(c.gateways[0].name, QStringLiteral("haproxy"));
    QCOMPARE(c.gateways[0].kind, GatewayKind::HAProxy);
    QCOMPARE(c.gateways[0].metricsUrl, QUrl(QStringLiteral("http://127.0.10.1:8404/metrics")));
    QCOMPARE(c.gateways[1].name, QStringLiteral("caddy"));
    QCOMPARE(c.gateways[1].kind, GatewayKind::Caddy);
    QCOMPARE(nodeNames(c), (QStringList{QStringLiteral("127.0.20.1"), QStringLiteral("127.0.20.2"),
                                        QStringLiteral("127.0.20.3"), QStringLiteral("127.0.30.1"),
                                        QStringLiteral("127.0.50.1"), QStringLiteral("127.0.40.1"),
                                        QStringLiteral("127.0.96.2")}));
    const QList<NodeRole> roles{NodeRole::Was,   NodeRole::Was, NodeRole::Was,  NodeRole::Redis,
                                NodeRole::Kafka, NodeRole::Db,  NodeRole::Other};
    for (int i = 0; i < roles.size(); ++i)
        QCOMPARE(c.nodes[i].role, roles[i]);
    QCOMPARE(c.nodes[0].metricsUrl, QUrl(QStringLiteral("http://127.0.20.1:8080/actuator/prometheus")));
    QCOMPARE(c.nodes[0].healthUrl, QUrl(QStringLiteral("http://127.0.20.1:8080/actuator/health")));
    QCOMPARE(c.nodes[0].upstream, QStringLiteral("127.0.20.1:8080"));
    QCOMPARE(c.nodes[3].metricsUrl, QUrl(QStringLiteral("http://127.0.30.1:9121/metrics")));
    QVERIFY(c.nodes[3].healthUrl.isEmpty());
    QVERIFY(c.nodes[3].upstream.isEmpty());

    // What `clusterdeckctl check` would say about the printed YAML: valid, and the same cluster.
    const Cluster loaded = roundTrip(*result);
    QCOMPARE(loaded.name, c.name);
    QCOMPARE(loaded.prometheusUrl, c.prometheusUrl);
    QCOMPARE(loaded.scrapeIntervalMs, c.scrapeIntervalMs);
    QCOMPARE(loaded.gateways.size(), c.gateways.size());
    for (qsizetype i = 0; i < c.gateways.size(); ++i) {
        QCOMPARE(loaded.gateways[i].name, c.gateways[i].name);
        QCOMPARE(loaded.gateways[i].kind, c.gateways[i].kind);
        QCOMPARE(loaded.gateways[i].metricsUrl, c.gateways[i].metricsUrl);
    }
    QCOMPARE(loaded.nodes.size(), c.nodes.size());
    for (qsizetype i = 0; i < c.nodes.size(); ++i) {
        QCOMPARE(loaded.nodes[i].name, c.nodes[i].name);
        QCOMPARE(loaded.nodes[i].role, c.nodes[i].role);
        QCOMPARE(loaded.nodes[i].metricsUrl, c.nodes[i].metricsUrl);
        QCOMPARE(loaded.nodes[i].healthUrl, c.nodes[i].healthUrl);
        QCOMPARE(loaded.nodes[i].upstream, c.nodes[i].upstream);
    }
}

void TestDiscovery::nameLabelGivesFriendlyNames()
{
    QFile file(QFINDTESTDATA("../fixtures/prometheus/targets_lab.json"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const Result<QList<PromTarget>> targets = parsePromTargetsBody(file.readAll(), 200, {}, {});
    QVERIFY(targets.ok());
    DiscoveryOptions options;
    options.nameLabel = QStringLiteral("node");
    options.clusterName = QStringLiteral("lab");
    const Result<DiscoveryResult> result =
        discoverInventory(*targets, QUrl(QStringLiteral("http://127.0.60.1:9090")), options);
    QVERIFY(result.ok());
    QCOMPARE(result->cluster.name, QStringLiteral("lab"));
    QCOMPARE(nodeNames(result->cluster),
             (QStringList{QStringLiteral("was1"), QStringLiteral("was2"), QStringLiteral("was3"),
                          QStringLiteral("127.0.30.1"), QStringLiteral("127.0.50.1"),
                          QStringLiteral("127.0.40.1"), QStringLiteral("127.0.96.2")}));
    QCOMPARE(roundTrip(*result).nodes.size(), 7);
}

void TestDiscovery::namesAreDisambiguated_data()
{
    QTest::addColumn<QList<PromTarget>>("targets");
    QTest::addColumn<QStringList>("names"); // in output order: role, then natural name order
    QTest::newRow("short DNS names")
        << QList<PromTarget>{target("api", "http://web1.prod.example:8080/actuator/prometheus"),
                             target("api", "http://web2.prod.example:8080/actuator/prometheus"),
                             target("api", "http://web10.prod.example:8080/actuator/prometheus")}
        << QStringList{"web1", "web2", "web10"};
    QTest::newRow("short names clash: full host")
        << QList<PromTarget>{target("node", "http://web1.a.example:9100/metrics"),
                             target("node", "http://web1.b.example:9100/metrics"),
                             target("node", "http://db1.a.example:9100/metrics")}
        << QStringList{"db1", "web1.a.example", "web1.b.example"};
    QTest::newRow("same host, two exporters: job")
        << QList<PromTarget>{target("redis", "http://10.0.0.5:9121/metrics"),
                             target("mysql", "http://10.0.0.5:9104/metrics")}
        << QStringList{"10.0.0.5-redis", "10.0.0.5-mysql"};
    QTest::newRow("same host and job: port")
        << QList<PromTarget>{target("app", "http://10.0.0.5:8080/metrics"),
                             target("app", "http://10.0.0.5:8081/metrics")}
        << QStringList{"10.0.0.5-app-8080", "10.0.0.5-app-8081"};
    QTest::newRow("same host, job and port: counter")
        << QList<PromTarget>{target("app", "http://10.0.0.5:8080/a"), target("app", "http://10.0.0.5:8080/b")}
        << QStringList{"10.0.0.5-app-8080", "10.0.0.5-app-8080-2"};
    QTest::newRow("relabelled instance is kept whole")
        << QList<PromTarget>{target("app", "http://10.0.0.5:8080/metrics", "orders-1"),
                             target("app", "http://10.0.0.6:8080/metrics", "orders-2.internal:8080")}
        << QStringList{"orders-1", "orders-2.internal"};
    QTest::newRow("IPv6") << QList<PromTarget>{target("redis", "http://[::1]:9121/metrics")}
                          << QStringList{"::1"};
    QTest::newRow("two haproxy targets are named by host")
        << QList<PromTarget>{target("haproxy", "http://lb1.example:8404/metrics"),
                             target("haproxy", "http://lb2.example:8404/metrics"),
                             target("was", "http://lb1.example:8080/metrics")}
        << QStringList{"lb1-haproxy", "lb2", "lb1-was"};
}

void TestDiscovery::namesAreDisambiguated()
{
    QFETCH(QList<PromTarget>, targets);
    QFETCH(QStringList, names);
    const Result<DiscoveryResult> result = discoverInventory(targets, kProm, {});
    QVERIFY(result.ok());
    QStringList got;
    for (const Gateway &g : result->cluster.gateways)
        got << g.name;
    got << nodeNames(result->cluster);
    QCOMPARE(got, names);
    const Cluster loaded = roundTrip(*result);
    QCOMPARE(loaded.nodes.size() + loaded.gateways.size(), names.size());
}

void TestDiscovery::wasHealthAndUpstream_data()
{
    QTest::addColumn<QString>("scrapeUrl");
    QTest::addColumn<QString>("health");
    QTest::addColumn<QString>("upstream");
    QTest::newRow("actuator") << "http://10.0.1.1:8080/actuator/prometheus"
                              << "http://10.0.1.1:8080/actuator/health"
                              << "10.0.1.1:8080";
    QTest::newRow("context path") << "http://10.0.1.1:8080/shop/actuator/prometheus"
                                  << "http://10.0.1.1:8080/shop/actuator/health"
                                  << "10.0.1.1:8080";
    QTest::newRow("plain /metrics") << "http://10.0.1.1:9000/metrics"
                                    << "http://10.0.1.1:9000/actuator/health"
                                    << "10.0.1.1:9000";
    QTest::newRow("https default port") << "https://api.example/actuator/prometheus"
                                        << "https://api.example/actuator/health"
                                        << "api.example:443";
    QTest::newRow("query dropped from health") << "http://10.0.1.1:8080/actuator/prometheus?x=1"
                                               << "http://10.0.1.1:8080/actuator/health"
                                               << "10.0.1.1:8080";
}

void TestDiscovery::wasHealthAndUpstream()
{
    QFETCH(QString, scrapeUrl);
    QFETCH(QString, health);
    QFETCH(QString, upstream);
    const Result<DiscoveryResult> result =
        discoverInventory({target(QStringLiteral("was"), scrapeUrl)}, kProm, {});
    QVERIFY(result.ok());
    const Node &node = result->cluster.nodes.first();
    QCOMPARE(node.metricsUrl, QUrl(scrapeUrl));
    QCOMPARE(node.healthUrl, QUrl(health));
    QCOMPARE(node.upstream, upstream);
    const Cluster loaded = roundTrip(*result);
    QCOMPARE(loaded.nodes.size(), 1);
    QCOMPARE(loaded.nodes.first().metricsUrl, QUrl(scrapeUrl));
    QCOMPARE(loaded.nodes.first().healthUrl, QUrl(health));
    QCOMPARE(loaded.nodes.first().upstream, upstream);
}

void TestDiscovery::sharedWasAddressGetsNoUpstream()
{
    // Two jobs scrape the same process: guessing the same upstream twice would make the inventory invalid.
    const QList<PromTarget> targets{
        target(QStringLiteral("was"), QStringLiteral("http://10.0.1.1:8080/actuator/prometheus")),
        target(QStringLiteral("app-jvm"), QStringLiteral("http://10.0.1.1:8080/jvm"))};
    const Result<DiscoveryResult> result = discoverInventory(targets, kProm, {});
    QVERIFY(result.ok());
    QCOMPARE(result->cluster.nodes.size(), 2);
    for (const Node &n : result->cluster.nodes)
        QVERIFY(n.upstream.isEmpty());
    QCOMPARE(roundTrip(*result).nodes.size(), 2);
}

void TestDiscovery::caddyOnTheAdminPortGetsAdminApi()
{
    const QList<PromTarget> targets{
        target(QStringLiteral("caddy"), QStringLiteral("http://10.0.0.10:2019/metrics")),
        target(QStringLiteral("caddy-site"), QStringLiteral("http://10.0.0.11:8405/metrics"))};
    const Result<DiscoveryResult> result = discoverInventory(targets, kProm, {});
    QVERIFY(result.ok());
    const Cluster loaded = roundTrip(*result);
    QCOMPARE(loaded.gateways.size(), 2);
    QCOMPARE(loaded.gateways[0].adminApi, QUrl(QStringLiteral("http://10.0.0.10:2019")));
    QVERIFY(loaded.gateways[1].adminApi.isEmpty());
    QCOMPARE(loaded.gateways[0].kind, GatewayKind::Caddy);
}

void TestDiscovery::scrapeIntervalIsTheMostCommon()
{
    QList<PromTarget> targets{target(QStringLiteral("a"), QStringLiteral("http://10.0.0.1/m")),
                              target(QStringLiteral("b"), QStringLiteral("http://10.0.0.2/m")),
                              target(QStringLiteral("c"), QStringLiteral("http://10.0.0.3/m")),
                              target(QStringLiteral("d"), QStringLiteral("http://10.0.0.4/m"))};
    targets[0].scrapeInterval = QStringLiteral("30s");
    targets[1].scrapeInterval = QStringLiteral("10s");
    targets[2].scrapeInterval = QStringLiteral("10s");
    targets[3].scrapeInterval = QStringLiteral("1m30s"); // Go duration the inventory does not read: skipped
    Result<DiscoveryResult> result = discoverInventory(targets, kProm, {});
    QVERIFY(result.ok());
    QCOMPARE(result->cluster.scrapeIntervalMs, 10000);
    QCOMPARE(roundTrip(*result).scrapeIntervalMs, 10000);

    for (PromTarget &t : targets)
        t.scrapeInterval.clear(); // older servers do not say
    result = discoverInventory(targets, kProm, {});
    QCOMPARE(result->cluster.scrapeIntervalMs, Cluster{}.scrapeIntervalMs);
}

void TestDiscovery::nodesInNaturalOrder_data()
{
    QTest::addColumn<QStringList>("names");
    QTest::addColumn<QStringList>("sorted");
    QTest::newRow("number suffix") << QStringList{"was10", "was2", "was1"}
                                   << QStringList{"was1", "was2", "was10"};
    QTest::newRow("number inside") << QStringList{"web-10-a", "web-9-b", "web-9-a"}
                                   << QStringList{"web-9-a", "web-9-b", "web-10-a"};
    QTest::newRow("letters first") << QStringList{"b1", "a20", "a3"} << QStringList{"a3", "a20", "b1"};
}

void TestDiscovery::nodesInNaturalOrder()
{
    QFETCH(QStringList, names);
    QFETCH(QStringList, sorted);
    QList<PromTarget> targets;
    for (qsizetype i = 0; i < names.size(); ++i)
        targets << target(QStringLiteral("was"),
                          QStringLiteral("http://10.0.1.%1:8080/actuator/prometheus").arg(i + 1), {},
                          {{QStringLiteral("node"), names[i]}});
    DiscoveryOptions options;
    options.nameLabel = QStringLiteral("node");
    const Result<DiscoveryResult> result = discoverInventory(targets, kProm, options);
    QVERIFY(result.ok());
    QCOMPARE(nodeNames(result->cluster), sorted);
    QCOMPARE(nodeNames(roundTrip(*result)), sorted);
}

void TestDiscovery::yamlRoundTripsAwkwardNames_data()
{
    QTest::addColumn<QString>("label");
    QTest::addColumn<QString>("name");
    QTest::newRow("yes") << "yes"
                         << "yes";
    QTest::newRow("true") << "true"
                          << "true";
    QTest::newRow("number") << "1234"
                            << "1234";
    QTest::newRow("hash") << "#1"
                          << "1";
    QTest::newRow("colon space") << "a: b"
                                 << "a:-b";
    QTest::newRow("quote") << "it's \"x\""
                           << "it-s-x";
    QTest::newRow("unicode") << "Knoten-ü"
                             << "Knoten-ü";
    QTest::newRow("only punctuation") << "!!!"
                                      << "was"; // falls back to the job
}

void TestDiscovery::yamlRoundTripsAwkwardNames()
{
    QFETCH(QString, label);
    QFETCH(QString, name);
    DiscoveryOptions options;
    options.nameLabel = QStringLiteral("node");
    options.clusterName = label;
    const Result<DiscoveryResult> result = discoverInventory(
        {target(QStringLiteral("was"), QStringLiteral("http://10.0.1.1:8080/actuator/prometheus"), {},
                {{QStringLiteral("node"), label}})},
        kProm, options);
    QVERIFY(result.ok());
    QCOMPARE(result->cluster.nodes.first().name, name);
    const Cluster loaded = roundTrip(*result);
    QCOMPARE(loaded.name, label);
    QCOMPARE(loaded.nodes.size(), 1);
    QCOMPARE(loaded.nodes.first().name, name);
}

// The cluster name is written as given: whatever it holds, the emitter must quote it so it reads back the
// same.
void TestDiscovery::yamlRoundTripsAnyClusterName_data()
{
    QTest::addColumn<QString>("name");
    for (const char *name :
         {"null",     "~",         "No",        "0x1F",        "1.5e3",          ".inf",       "- item",
          "? key",    "{a: 1}",    "[1, 2]",    "*ref",        "&anchor",        "!!str x",    "%TAG",
          "@at",      "`tick`",    "a #b",      "a: b",        "'single'",       "\"double\"", "back\\slash",
          " leading", "trailing ", "tab\there", "line\nbreak", "Knoten-ü — 東京"})
        QTest::newRow(name) << QString::fromUtf8(name);
}

void TestDiscovery::yamlRoundTripsAnyClusterName()
{
    QFETCH(QString, name);
    DiscoveryOptions options;
    options.clusterName = name;
    const Result<DiscoveryResult> result = discoverInventory(
        {target(QStringLiteral("was"), QStringLiteral("http://10.0.1.1:8080/actuator/prometheus"))}, kProm,
        options);
    QVERIFY(result.ok());
    QCOMPARE(roundTrip(*result).name, name.trimmed()); // the loader trims what it reads
}

// A target's last error goes into a comment: a newline in it must not start YAML of its own.
void TestDiscovery::commentsStayComments()
{
    PromTarget down = target(QStringLiteral("redis"), QStringLiteral("http://10.0.2.1:9121/metrics"), {}, {},
                             QStringLiteral("down"));
    down.lastError = QStringLiteral("refused\nnodes:\n  - name: injected\n    role: was # really");
    const Result<DiscoveryResult> result = discoverInventory({down}, kProm, {});
    QVERIFY(result.ok());
    const QByteArray yaml = discoveryToYaml(*result);
    QVERIFY2(yaml.contains("# job redis, instance 10.0.2.1:9121 — down at discovery: refused nodes: - name: "
                           "injected role: was # really"),
             yaml.constData());
    QCOMPARE(nodeNames(roundTrip(*result)), QStringList{QStringLiteral("10.0.2.1")});
}

void TestDiscovery::gatewaysOnlyIsAValidInventory()
{
    const Result<DiscoveryResult> result = discoverInventory(
        {target(QStringLiteral("haproxy"), QStringLiteral("http://10.0.0.10:8404/metrics"))}, kProm, {});
    QVERIFY(result.ok());
    QVERIFY(result->cluster.nodes.isEmpty());
    const QByteArray yaml = discoveryToYaml(*result);
    QVERIFY(!yaml.contains("nodes:"));
    QCOMPARE(roundTrip(*result).gateways.size(), 1);
}

void TestDiscovery::downTargetsAreKeptAndNoted()
{
    PromTarget down = target(QStringLiteral("redis"), QStringLiteral("http://10.0.2.1:9121/metrics"), {}, {},
                             QStringLiteral("down"));
    down.lastError = QStringLiteral(
        "Get \"http://10.0.2.1:9121/metrics\": dial tcp 10.0.2.1:9121: connect: connection refused");
    const Result<DiscoveryResult> result = discoverInventory({down}, kProm, {});
    QVERIFY(result.ok());
    QCOMPARE(result->cluster.nodes.size(), 1);
    QVERIFY(result->notes.first().endsWith(QLatin1String("; 1 not up")));
    QVERIFY(std::any_of(result->notes.cbegin(), result->notes.cend(), [](const QString &note) {
        return note.startsWith(
            QLatin1String("10.0.2.1 (job redis, 10.0.2.1:9121) was down at discovery: Get"));
    }));
    const QByteArray yaml = discoveryToYaml(*result);
    QVERIFY(yaml.contains(
        "# job redis, instance 10.0.2.1:9121 — down at discovery: Get \"http://10.0.2.1:9121/metrics\""));
    QCOMPARE(roundTrip(*result).nodes.size(), 1);
}

void TestDiscovery::nothingToWatchIsAnError()
{
    const Result<DiscoveryResult> empty = discoverInventory({}, kProm, {});
    QVERIFY(!empty.ok());
    QCOMPARE(empty.error().message,
             QStringLiteral("Prometheus has no active targets: nothing to build an inventory from"));
    QCOMPARE(empty.error().where, kProm.toString());

    DiscoveryOptions options;
    options.rules.append(*parseJobRoleRule(QStringLiteral("*=ignore")));
    const Result<DiscoveryResult> ignored = discoverInventory(
        {target(QStringLiteral("was"), QStringLiteral("http://10.0.1.1:8080/m"))}, kProm, options);
    QVERIFY(!ignored.ok());
    QVERIFY2(ignored.error().message.startsWith(
                 QLatin1String("every one of the 1 target(s) was mapped to 'ignore'")),
             qPrintable(ignored.error().message));
}

// Issue 7: "[z-a]" used to be taken and then matched nothing.
void TestDiscovery::invalidGlobIsRefused()
{
    for (const char *text : {"[z-a]=was", "spring-[=was"}) {
        const Result<JobRoleRule> rule = parseJobRoleRule(QLatin1String(text));
        QVERIFY2(!rule.ok(), text);
        QVERIFY2(rule.error().message.contains(QLatin1String("is not a valid job glob")),
                 qPrintable(rule.error().message));
    }
    QVERIFY(parseJobRoleRule(QStringLiteral("spring-[ab]*=was")).ok());
}

// Found by fuzz_inventory: a scrape URL with another scheme went into an inventory that does not load.
void TestDiscovery::nonHttpScrapeUrlsAreLeftOut()
{
    const QList<PromTarget> targets = {
        target(QStringLiteral("was"), QStringLiteral("http://10.0.1.1:8080/m")),
        target(QStringLiteral("was"), QStringLiteral("htth://10.0.1.2:8080/m"))};
    const Result<DiscoveryResult> result = discoverInventory(targets, kProm, DiscoveryOptions());
    QVERIFY(result.ok());
    QCOMPARE(result->cluster.nodes.size(), 1);
    QVERIFY(result->notes.join(QLatin1Char('\n'))
                .contains(QLatin1String("10.0.1.2:8080 (job was) left out: its scrape URL "
                                        "'htth://10.0.1.2:8080/m' is not a valid http(s) URL")));
    const InventoryLoader::Outcome loaded =
        InventoryLoader::loadText(discoveryToYaml(*result), QStringLiteral("d"));
    QVERIFY(loaded.problems.isEmpty());
}

QTEST_GUILESS_MAIN(TestDiscovery)
#include "tst_discovery.moc"
