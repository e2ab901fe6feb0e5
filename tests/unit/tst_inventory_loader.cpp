#include "cluster/inventory_loader.h"
#include "cluster/yaml_reader.h"

#include <QFile>
#include <QTest>

using namespace clusterdeck;

class TestInventoryLoader : public QObject {
    Q_OBJECT
private slots:
    void smallFileGetsDefaults();
    void fullFileIsRead();
    void exampleClustersAreValid_data();
    void exampleClustersAreValid();
    void mistakesAreReportedWithPosition_data();
    void mistakesAreReportedWithPosition();
    void everyMistakeIsReportedNotJustTheFirst();
    void unreadableFileSaysWhy();
    void durations_data();
    void durations();
    void oversizedInputIsRefusedUnread();
    void controlCharactersAreShownNotObeyed();
    void largeInventoriesLoad();
    void historyKeys();
    void alertOverrides();
};

// Issue 7: /dev/zero grew to 4 GB; a file over the cap is refused after reading one byte past it.
void TestInventoryLoader::oversizedInputIsRefusedUnread()
{
    const auto outcome = InventoryLoader::loadText(QByteArray(InventoryLoader::kMaxFileBytes + 1, ' '),
                                                   QStringLiteral("big.yaml"));
    QCOMPARE(outcome.problems.size(), 1);
    QCOMPARE(outcome.problems[0].message,
             QStringLiteral("the file is larger than 16 MiB: not a cluster inventory"));
    if (QFile::exists(QStringLiteral("/dev/zero"))) {
        const auto zero = InventoryLoader::loadFile(QStringLiteral("/dev/zero"));
        QCOMPARE(zero.problems.size(), 1);
        QVERIFY(zero.problems[0].message.startsWith(QStringLiteral("the file is larger than")));
    }
}

// A NUL in a key used to cut the printed message short.
void TestInventoryLoader::controlCharactersAreShownNotObeyed()
{
    const auto outcome = InventoryLoader::loadText(
        QByteArray("name: x\n\"co\\0lour\": blue\nnodes:\n  - {name: a, role: db, metrics: http://h:1/m}\n"),
        QStringLiteral("c.yaml"));
    const QString report = formatProblems(QStringLiteral("c.yaml"), outcome.problems);
    QVERIFY2(report.contains(QStringLiteral("unknown key 'co\\x00lour' in the cluster")), qPrintable(report));
    QVERIFY(!report.contains(QChar(0)));
}

// Hashed name and upstream checks: 20k nodes load (the pairwise checks took minutes at this size). The
// duplicates are still found.
void TestInventoryLoader::largeInventoriesLoad()
{
    QByteArray yaml = "name: many\nnodes:\n";
    const int n = 20000;
    for (int i = 0; i < n; ++i) {
        const QByteArray address =
            "127.1." + QByteArray::number(i / 250) + '.' + QByteArray::number(i % 250 + 1) + ":8080";
        yaml += "  - {name: node" + QByteArray::number(i) + ", role: was, metrics: http://" + address +
                "/actuator/prometheus, upstream: '" + address + "'}\n";
    }
    yaml +=
        "  - {name: node7, role: was, metrics: http://h:1/actuator/prometheus, upstream: '127.1.0.8:8080'}\n";
    const auto outcome = InventoryLoader::loadText(yaml, QStringLiteral("many.yaml"));
    QCOMPARE(outcome.cluster.nodes.size(), n + 1);
    const QString report = formatProblems(QStringLiteral("many.yaml"), outcome.problems);
    QCOMPARE(outcome.problems.size(), 2);
    QVERIFY2(report.contains(QStringLiteral("node name 'node7' is used twice")), qPrintable(report));
    QVERIFY2(
        report.contains(QStringLiteral("upstream 127.1.0.8:8080 of node 'node7' is already node 'node7''s")),
        qPrintable(report));
}

void TestInventoryLoader::smallFileGetsDefaults()
{
    const auto outcome = InventoryLoader::loadText("name: tiny\nnodes:\n  - {name: was1, role: was, metrics: "
                                                   "http://10.0.0.1:8080/actuator/prometheus}\n",
                                                   QStringLiteral("tiny.yaml"));
    QVERIFY2(outcome.problems.isEmpty(),
             qPrintable(formatProblems(QStringLiteral("tiny.yaml"), outcome.problems)));
    const Cluster &cluster = outcome.cluster;
    QCOMPARE(cluster.name, QStringLiteral("tiny"));
    QCOMPARE(cluster.scrapeIntervalMs, 5000);
    QVERIFY(cluster.scrapeTimeoutMs < cluster.scrapeIntervalMs);
    // Not set: the KPI catalogue's default applies (tst_kpi_catalog).
    QVERIFY(!cluster.thresholds.latencyP95Seconds.has_value());
    QCOMPARE(cluster.nodes.size(), 1);
    QCOMPARE(cluster.nodes[0].role, NodeRole::Was);
    // A Spring node's health endpoint sits next to its Prometheus page.
    QCOMPARE(cluster.nodes[0].healthUrl, QUrl(QStringLiteral("http://10.0.0.1:8080/actuator/health")));
}

// history_db (kept as written; the history library resolves it against the file's folder) and record_raw.
void TestInventoryLoader::historyKeys()
{
    const QByteArray nodes =
        "nodes:\n  - {name: was1, role: was, metrics: http://10.0.0.1:8080/actuator/prometheus}\n";
    const auto defaults = InventoryLoader::loadText("name: a\n" + nodes, QStringLiteral("a.yaml"));
    QVERIFY(defaults.problems.isEmpty());
    QVERIFY(defaults.cluster.historyDb.isEmpty());
    QVERIFY(defaults.cluster.recordRaw);
    const auto set = InventoryLoader::loadText(
        "name: a\nhistory_db: rec/a.sqlite\nrecord_raw: false\n" + nodes, QStringLiteral("a.yaml"));
    QVERIFY2(set.problems.isEmpty(), qPrintable(formatProblems(QStringLiteral("a.yaml"), set.problems)));
    QCOMPARE(set.cluster.historyDb, QStringLiteral("rec/a.sqlite"));
    QVERIFY(!set.cluster.recordRaw);
    const auto bad =
        InventoryLoader::loadText("name: a\nrecord_raw: sometimes\n" + nodes, QStringLiteral("a.yaml"));
    QCOMPARE(bad.problems.size(), 1);
    QCOMPARE(bad.problems.first().line, 2);
}

void TestInventoryLoader::alertOverrides()
{
    const QByteArray yaml =
        "name: a\n"
        "alerts:\n"
        "  latency_p95: {threshold: 1500ms, for: 1m}\n"
        "  error_ratio: {threshold: 0.05}\n"
        "  target_down: {for: 0s}\n"
        "  consumer_stalled: {enabled: false}\n"
        "nodes:\n  - {name: was1, role: was, metrics: http://10.0.0.1:8080/actuator/prometheus}\n";
    const auto outcome = InventoryLoader::loadText(yaml, QStringLiteral("a.yaml"));
    QVERIFY2(outcome.problems.isEmpty(),
             qPrintable(formatProblems(QStringLiteral("a.yaml"), outcome.problems)));
    const QMap<QString, AlertOverride> &alerts = outcome.cluster.alertOverrides;
    QCOMPARE(alerts.size(), 4);
    QCOMPARE(alerts.value(QStringLiteral("latency_p95")).threshold, std::optional<double>(1.5));
    QCOMPARE(alerts.value(QStringLiteral("latency_p95")).forMs, std::optional<int>(60000));
    QCOMPARE(alerts.value(QStringLiteral("error_ratio")).threshold, std::optional<double>(0.05));
    QVERIFY(!alerts.value(QStringLiteral("error_ratio")).forMs);
    QCOMPARE(alerts.value(QStringLiteral("target_down")).forMs, std::optional<int>(0));
    QCOMPARE(alerts.value(QStringLiteral("consumer_stalled")).enabled, std::optional<bool>(false));
    QVERIFY(!alerts.contains(QStringLiteral("db_down")));
}

void TestInventoryLoader::fullFileIsRead()
{
    const QByteArray yaml = R"(name: lab
prometheus: http://127.0.60.1:9090
scrape_interval: 2s
scrape_timeout: 1500ms
thresholds: {latency_p95: 2500ms, error_ratio: 0.05, consumer_lag: 200, min_healthy: 2}
metric_names: {was.requests: http_requests_seconds}
gateways:
  - name: gw
    kind: caddy
    url: http://127.0.10.1:8081
    metrics: http://127.0.10.1:8405/metrics
    admin_api: http://127.0.10.1:2019
    ssh: {target: ops@127.0.10.1:2222, identity: /k/id, known_hosts: /k/kh}
    config: /etc/caddy/Caddyfile
    backend: ":8081"
    reload: caddy reload
nodes:
  - {name: was1, role: was, metrics: http://127.0.20.1:8080/actuator/prometheus, health: http://127.0.20.1:8080/h, upstream: 127.0.20.1:8080, ssh: deploy@127.0.20.1}
  - {name: q, role: kafka, metrics: http://127.0.50.1:9308/metrics}
)";
    const auto outcome = InventoryLoader::loadText(yaml, QStringLiteral("lab.yaml"));
    QVERIFY2(outcome.problems.isEmpty(),
             qPrintable(formatProblems(QStringLiteral("lab.yaml"), outcome.problems)));
    const Cluster &cluster = outcome.cluster;
    QCOMPARE(cluster.prometheusUrl, QUrl(QStringLiteral("http://127.0.60.1:9090")));
    QCOMPARE(cluster.scrapeIntervalMs, 2000);
    QCOMPARE(cluster.scrapeTimeoutMs, 1500);
    QCOMPARE(cluster.thresholds.latencyP95Seconds.value_or(-1), 2.5);
    QCOMPARE(cluster.thresholds.errorRatio.value_or(-1), 0.05);
    QCOMPARE(cluster.thresholds.consumerLag.value_or(-1), 200.0);
    QCOMPARE(cluster.thresholds.minHealthyUpstreams, 2);
    QCOMPARE(cluster.metricNames.value(QStringLiteral("was.requests")),
             QStringLiteral("http_requests_seconds"));
    QCOMPARE(cluster.gateways.size(), 1);
    const Gateway &gateway = cluster.gateways[0];
    QCOMPARE(gateway.kind, GatewayKind::Caddy);
    QCOMPARE(gateway.ssh.user, QStringLiteral("ops"));
    QCOMPARE(gateway.ssh.host, QStringLiteral("127.0.10.1"));
    QCOMPARE(gateway.ssh.port, 2222);
    QCOMPARE(gateway.ssh.identityFile, QStringLiteral("/k/id"));
    QCOMPARE(gateway.ssh.knownHostsFile, QStringLiteral("/k/kh"));
    QCOMPARE(gateway.backend, QStringLiteral(":8081"));
    QCOMPARE(gateway.reloadCommand, QStringLiteral("caddy reload"));
    QCOMPARE(gateway.validateCommand, QStringLiteral("caddy validate --config {config} --adapter caddyfile"));
    QCOMPARE(gateway.adminApi, QUrl(QStringLiteral("http://127.0.10.1:2019")));
    QCOMPARE(cluster.nodes[0].healthUrl, QUrl(QStringLiteral("http://127.0.20.1:8080/h")));
    QCOMPARE(cluster.nodes[0].upstream, QStringLiteral("127.0.20.1:8080"));
    QCOMPARE(cluster.nodes[0].ssh.port, 22);
    QCOMPARE(cluster.nodes[1].role, NodeRole::Kafka);
    QVERIFY(cluster.nodes[1].healthUrl.isEmpty());
}

void TestInventoryLoader::exampleClustersAreValid_data()
{
    QTest::addColumn<QString>("file");
    QTest::newRow("coupon-service") << QStringLiteral("coupon-service.yaml");
    QTest::newRow("course-reviews-caddy") << QStringLiteral("course-reviews-caddy.yaml");
}

void TestInventoryLoader::exampleClustersAreValid()
{
    QFETCH(QString, file);
    const QString path = QStringLiteral(CLUSTERDECK_SOURCE_DIR "/resources/clusters/") + file;
    const auto outcome = InventoryLoader::loadFile(path);
    QVERIFY2(outcome.problems.isEmpty(), qPrintable(formatProblems(path, outcome.problems)));
    QVERIFY(!outcome.cluster.nodes.isEmpty());
}

void TestInventoryLoader::mistakesAreReportedWithPosition_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("message"); // a fragment the message must contain

    const QByteArray node = "nodes:\n  - {name: a, role: db, metrics: http://h:1/m}\n";
    QTest::newRow("unknown top key, did you mean")
        << QByteArray("name: x\nscrape_intervall: 5s\n" + node) << 2 << 1
        << QStringLiteral("unknown key 'scrape_intervall' in the cluster (did you mean 'scrape_interval'?)");
    QTest::newRow("unknown key, no close match") << QByteArray("name: x\ncolour: blue\n" + node) << 2 << 1
                                                 << QStringLiteral("known keys: name, prometheus");
    QTest::newRow("missing name") << QByteArray(node) << 1 << 1 << QStringLiteral("the cluster needs 'name'");
    QTest::newRow("bad role")
        << QByteArray("name: x\nnodes:\n  - name: a\n    role: wass\n    metrics: http://h:1/m\n") << 4 << 11
        << QStringLiteral("must be one of was|redis|kafka|db|other, not 'wass' (did you mean 'was'?)");
    QTest::newRow("bad url") << QByteArray(
                                    "name: x\nnodes:\n  - name: a\n    role: db\n    metrics: ftp://h/m\n")
                             << 5 << 14 << QStringLiteral("'metrics' in node 'a' is not an http(s) URL");
    QTest::newRow("bad duration") << QByteArray("name: x\nscrape_interval: often\n" + node) << 2 << 18
                                  << QStringLiteral("is not a duration: 'often'");
    QTest::newRow("timeout above interval")
        << QByteArray("name: x\nscrape_interval: 1s\nscrape_timeout: 2s\n" + node) << 3 << 17
        << QStringLiteral("must not exceed scrape_interval");
    QTest::newRow("duplicate node") << QByteArray(
                                           "name: x\nnodes:\n  - {name: a, role: db, metrics: "
                                           "http://h:1/m}\n  - {name: a, role: db, metrics: http://h:2/m}\n")
                                    << 4 << 12 << QStringLiteral("node name 'a' is used twice");
    QTest::newRow("nothing to watch") << QByteArray("name: x\nnodes:\n  - name: a\n    role: redis\n") << 3
                                      << 5 << QStringLiteral("has neither 'metrics' nor 'health'");
    QTest::newRow("bad upstream")
        << QByteArray("name: x\nnodes:\n  - {name: a, role: was, health: http://h:1/h, upstream: h}\n") << 3
        << 58 << QStringLiteral("must be host:port");
    QTest::newRow("gateway kind")
        << QByteArray("name: x\ngateways:\n  - kind: nginx\n    metrics: http://h/m\n" + node) << 3 << 11
        << QStringLiteral("must be one of haproxy|caddy, not 'nginx'");
    QTest::newRow("gateway without kind")
        << QByteArray("name: x\ngateways:\n  - metrics: http://h/m\n" + node) << 3 << 5
        << QStringLiteral("a gateway needs 'kind'");
    QTest::newRow("haproxy with admin_api")
        << QByteArray("name: x\ngateways:\n  - kind: haproxy\n    admin_api: http://h:2019\n" + node) << 4
        << 16 << QStringLiteral("use 'admin_socket'");
    QTest::newRow("validate without placeholder")
        << QByteArray("name: x\ngateways:\n  - kind: haproxy\n    validate: haproxy -c\n" + node) << 4 << 15
        << QStringLiteral("must contain {config}");
    QTest::newRow("bad ssh target") << QByteArray("name: x\ngateways:\n  - kind: haproxy\n    ssh: a@b@c\n" +
                                                  node)
                                    << 4 << 10 << QStringLiteral("is not user@host[:port]: 'a@b@c'");
    QTest::newRow("ssh port out of range")
        << QByteArray("name: x\ngateways:\n  - kind: haproxy\n    ssh: {target: 'a@b:70000'}\n" + node) << 4
        << 19 << QStringLiteral("is not user@host[:port]");
    QTest::newRow("nodes not a list")
        << QByteArray("name: x\nnodes: {a: 1}\n") << 2 << 8 << QStringLiteral("'nodes' must be a list");
    QTest::newRow("threshold out of range") << QByteArray("name: x\nthresholds: {error_ratio: 3}\n" + node)
                                            << 2 << 27 << QStringLiteral("must be a number from 0 to 1");
    QTest::newRow("threshold typo") << QByteArray("name: x\nthresholds:\n  latency_p59: 3s\n" + node) << 3
                                    << 3 << QStringLiteral("did you mean 'latency_p95'?");
    QTest::newRow("yaml syntax") << QByteArray("name: [x\n") << 2 << 1 << QStringLiteral("not valid YAML");
    QTest::newRow("empty file") << QByteArray("") << 1 << 1 << QStringLiteral("the file is empty");
    QTest::newRow("not a mapping") << QByteArray("- a\n- b\n") << 1 << 1
                                   << QStringLiteral("the cluster file must be a mapping");
    // Issue 7: what used to be accepted silently.
    QTest::newRow("duplicate top key")
        << QByteArray("name: x\nname: y\n" + node) << 2 << 1
        << QStringLiteral("key 'name' appears twice in the cluster (first on line 1)");
    QTest::newRow("duplicate node key")
        << QByteArray(
               "name: x\nnodes:\n  - name: a\n    role: db\n    role: was\n    metrics: http://h:1/m\n")
        << 5 << 5 << QStringLiteral("key 'role' appears twice in node 'a'");
    QTest::newRow("duplicate metric name") << QByteArray("name: x\nmetric_names: {a: b, a: c}\n" + node) << 2
                                           << 22 << QStringLiteral("key 'a' appears twice in 'metric_names'");
    QTest::newRow("NaN threshold")
        << QByteArray("name: x\nthresholds: {min_healthy: nan}\n" + node) << 2 << 27
        << QStringLiteral("'min_healthy' in 'thresholds' must be a number from 0 to 64, not 'nan'");
    QTest::newRow("infinite threshold") << QByteArray("name: x\nthresholds: {consumer_lag: .inf}\n" + node)
                                        << 2 << 28 << QStringLiteral("must be a number from 0 to");
    QTest::newRow("interval too small")
        << QByteArray("name: x\nscrape_interval: 1ms\n" + node) << 2 << 18
        << QStringLiteral("'scrape_interval' in the cluster must be from 100 ms to 3600 s, not 1 ms");
    QTest::newRow("timeout too small") << QByteArray("name: x\nscrape_timeout: 5ms\n" + node) << 2 << 17
                                       << QStringLiteral("must be from 100 ms");
    QTest::newRow("alert rule typo")
        << QByteArray("name: x\nalerts:\n  latency_p59: {for: 1m}\n" + node) << 3 << 3
        << QStringLiteral("unknown key 'latency_p59' in 'alerts' (did you mean 'latency_p95'?)");
    QTest::newRow("alert key typo") << QByteArray("name: x\nalerts:\n  db_down: {fro: 1m}\n" + node) << 3
                                    << 13
                                    << QStringLiteral(
                                           "unknown key 'fro' in alert 'db_down' (did you mean 'for'?)");
    QTest::newRow("alert for not a duration")
        << QByteArray("name: x\nalerts:\n  target_down: {for: soon}\n" + node) << 3 << 22
        << QStringLiteral("'for' in alert 'target_down' must be a duration from 0s to 24h");
    QTest::newRow("alert for too long")
        << QByteArray("name: x\nalerts:\n  target_down: {for: 3000m}\n" + node) << 3 << 22
        << QStringLiteral("not '3000m'");
    QTest::newRow("threshold on a down rule")
        << QByteArray("name: x\nalerts:\n  redis_down: {threshold: 1}\n" + node) << 3 << 27
        << QStringLiteral("alert 'redis_down' has no threshold");
    QTest::newRow("alert ratio out of range")
        << QByteArray("name: x\nalerts:\n  error_ratio: {threshold: 5}\n" + node) << 3 << 28
        << QStringLiteral("'threshold' in alert 'error_ratio' must be a number from 0 to 1, not '5'");
    QTest::newRow("alert latency not a duration")
        << QByteArray("name: x\nalerts:\n  latency_p95: {threshold: fast}\n" + node) << 3 << 28
        << QStringLiteral("'threshold' in alert 'latency_p95' is not a duration");
    QTest::newRow("alert enabled not boolean")
        << QByteArray("name: x\nalerts:\n  consumer_lag: {enabled: maybe}\n" + node) << 3 << 27
        << QStringLiteral("enabled");
    QTest::newRow("alert rule not a mapping")
        << QByteArray("name: x\nalerts:\n  consumer_lag: 5000\n" + node) << 3 << 17
        << QStringLiteral("alert 'consumer_lag' must be a mapping");
    QTest::newRow("deep nesting") << QByteArray("name: " + QByteArray(3000, '[') + "\n") << 2 << 1
                                  << QStringLiteral("not valid YAML: nested more than 500 levels deep");
}

void TestInventoryLoader::mistakesAreReportedWithPosition()
{
    QFETCH(QByteArray, yaml);
    QFETCH(int, line);
    QFETCH(int, column);
    QFETCH(QString, message);
    const auto outcome = InventoryLoader::loadText(yaml, QStringLiteral("c.yaml"));
    const QString report = formatProblems(QStringLiteral("c.yaml"), outcome.problems);
    QVERIFY2(!outcome.problems.isEmpty(), "a mistake went unnoticed");
    const auto match = std::find_if(outcome.problems.begin(), outcome.problems.end(),
                                    [&](const InventoryProblem &p) { return p.message.contains(message); });
    QVERIFY2(match != outcome.problems.end(),
             qPrintable(QStringLiteral("no problem says '%1'; got:\n%2").arg(message, report)));
    QCOMPARE(match->line, line);
    QCOMPARE(match->column, column);
    QVERIFY(report.contains(QStringLiteral("c.yaml:%1:%2: ").arg(line).arg(column)));
}

void TestInventoryLoader::everyMistakeIsReportedNotJustTheFirst()
{
    const auto outcome =
        InventoryLoader::loadText("name: x\nscrape_intervall: 5s\nnodes:\n  - {name: a, role: wass, metrics: "
                                  "http://h:1/m}\n  - {name: b, role: db, helth: http://h}\n",
                                  QStringLiteral("c.yaml"));
    QCOMPARE(outcome.problems.size(), 4); // typo key, bad role, typo key, nothing to watch
    QVERIFY(std::is_sorted(outcome.problems.begin(), outcome.problems.end(),
                           [](const auto &a, const auto &b) { return a.line < b.line; }));
    QVERIFY(!loadClusterFile(QStringLiteral("/nonexistent/x.yaml")).ok());
}

void TestInventoryLoader::unreadableFileSaysWhy()
{
    const auto outcome = InventoryLoader::loadFile(QStringLiteral("/nonexistent/cluster.yaml"));
    QCOMPARE(outcome.problems.size(), 1);
    QVERIFY(outcome.problems[0].message.startsWith(QStringLiteral("cannot read the file")));
    const Result<Cluster> result = loadClusterFile(QStringLiteral("/nonexistent/cluster.yaml"));
    QVERIFY(!result.ok());
    QVERIFY(result.error().toString().startsWith(QStringLiteral("/nonexistent/cluster.yaml: cannot read")));
}

void TestInventoryLoader::durations_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("ms");
    QTest::newRow("ms") << QStringLiteral("1500ms") << 1500;
    QTest::newRow("s") << QStringLiteral("2s") << 2000;
    QTest::newRow("fraction") << QStringLiteral("1.5s") << 1500;
    QTest::newRow("minutes") << QStringLiteral("1m") << 60000;
    QTest::newRow("bare seconds") << QStringLiteral("5") << 5000;
    QTest::newRow("garbage") << QStringLiteral("5 parsecs") << -1;
    QTest::newRow("negative") << QStringLiteral("-5s") << -1;
}

void TestInventoryLoader::durations()
{
    QFETCH(QString, text);
    QFETCH(int, ms);
    const std::optional<int> parsed = clusterdeck::parseDurationMs(text);
    QCOMPARE(parsed.value_or(-1), ms);
}

QTEST_GUILESS_MAIN(TestInventoryLoader)
#include "tst_inventory_loader.moc"
