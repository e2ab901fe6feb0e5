// Integration test against the running lab cluster (tests/lab/lab up, the CTest "lab" fixture): every metrics
// page answers with its role's metric names, Prometheus scrapes all of them, requests through both gateways
// are served by a WAS node, and the queue consumer's lag follows pause/resume. The lab's "kafka" node is a
// Redis stream consumer group exported under kafka_exporter's metric names (no Kafka broker package exists on
// this machine).

#include "cluster/inventory_loader.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTest>
#include <QTimer>
#include <optional>

using namespace clusterdeck;

namespace {

constexpr int kHttpTimeoutMs = 10000;

struct HttpAnswer {
    int status = 0; // 0 = no HTTP answer (see error)
    QByteArray body;
    QString error;
};

// Sum of every sample of `name` whose labels contain all of `labels` (exact `key="value"` pairs).
// Returns -1 when no such sample exists, so "absent" and "zero" stay distinguishable.
double sampleSum(const QByteArray &page, const QString &name, const QStringList &labels = {})
{
    double sum = 0;
    bool found = false;
    const QStringList lines = QString::fromUtf8(page).split(QLatin1Char('\n'));
    for (const QString &line : lines) {
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')) || !line.startsWith(name))
            continue;
        const QChar after = line.size() > name.size() ? line.at(name.size()) : QChar();
        if (after != QLatin1Char('{') && after != QLatin1Char(' '))
            continue;
        const qsizetype valueAt = line.lastIndexOf(QLatin1Char(' '));
        const QString labelPart = line.left(valueAt);
        bool matches = true;
        for (const QString &label : labels)
            matches = matches && labelPart.contains(label);
        if (!matches)
            continue;
        bool ok = false;
        const double value = line.mid(valueAt + 1).trimmed().toDouble(&ok);
        if (ok) {
            sum += value;
            found = true;
        }
    }
    return found ? sum : -1;
}

} // namespace

class TestLab : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanup();
    void cleanupTestCase();

    void metricsPagesHaveRoleMetrics_data();
    void metricsPagesHaveRoleMetrics();
    void prometheusScrapesEveryTarget();
    void requestThroughGatewayIsServedByWas_data();
    void requestThroughGatewayIsServedByWas();
    void consumerLagFollowsPauseAndResume();

private:
    Result<QString> runLab(const QStringList &args);
    void restoreLab();
    HttpAnswer request(const QByteArray &verb, const QUrl &url);
    std::optional<double> apiRequestsServed(const Node &node);
    const Node *queueNode() const;
    double consumerLag();
    bool consumerPaused();
    int consumerRate();

    QNetworkAccessManager m_net;
    Cluster m_haproxyCluster;
    Cluster m_caddyCluster;
    bool m_changedLab = false; // a test paused the consumer or injected a fault: cleanup() must undo it
};

Result<QString> TestLab::runLab(const QStringList &args)
{
    QProcess lab;
    lab.start(QStringLiteral(CLUSTERDECK_LAB_SCRIPT), args);
    const QString command = QStringLiteral("lab ") + args.join(QLatin1Char(' '));
    if (!lab.waitForFinished(120000)) {
        lab.kill();
        lab.waitForFinished();
        return Error{QStringLiteral("did not finish: %1").arg(lab.errorString()), command};
    }
    if (lab.exitStatus() != QProcess::NormalExit || lab.exitCode() != 0)
        return Error{QStringLiteral("exit code %1: %2")
                         .arg(lab.exitCode())
                         .arg(QString::fromUtf8(lab.readAllStandardError())),
                     command};
    return QString::fromUtf8(lab.readAllStandardOutput()).trimmed();
}

HttpAnswer TestLab::request(const QByteArray &verb, const QUrl &url)
{
    QNetworkRequest req(url);
    req.setTransferTimeout(kHttpTimeoutMs);
    std::unique_ptr<QNetworkReply> reply(m_net.sendCustomRequest(req, verb));
    QEventLoop loop;
    connect(reply.get(), &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(kHttpTimeoutMs + 1000, &loop, &QEventLoop::quit);
    if (!reply->isFinished())
        loop.exec();
    HttpAnswer answer;
    if (!reply->isFinished()) {
        reply->abort();
        answer.error = QStringLiteral("no answer within %1 ms").arg(kHttpTimeoutMs);
        return answer;
    }
    answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    answer.body = reply->readAll();
    if (reply->error() != QNetworkReply::NoError)
        answer.error = reply->errorString();
    return answer;
}

// Review requests this node has answered so far, from its own Micrometer counter (no series yet = 0);
// nullopt when its metrics page does not answer.
std::optional<double> TestLab::apiRequestsServed(const Node &node)
{
    const HttpAnswer page = request("GET", node.metricsUrl);
    if (page.status != 200)
        return std::nullopt;
    return std::max(0.0, sampleSum(page.body, QStringLiteral("http_server_requests_seconds_count"),
                                   {QStringLiteral("uri=\"/api/reviews\"")}));
}

const Node *TestLab::queueNode() const
{
    for (const Node &node : m_haproxyCluster.nodes) {
        if (node.role == NodeRole::Kafka)
            return &node;
    }
    return nullptr;
}

// Sum over partitions, -1 when the page does not answer or has no lag series.
double TestLab::consumerLag()
{
    const Node *queue = queueNode();
    if (!queue)
        return -1;
    const HttpAnswer page = request("GET", queue->metricsUrl);
    return page.status == 200 ? sampleSum(page.body, QStringLiteral("kafka_consumergroup_lag")) : -1;
}

bool TestLab::consumerPaused()
{
    const Node *queue = queueNode();
    if (!queue)
        return false;
    const HttpAnswer page = request("GET", queue->metricsUrl);
    return page.status == 200 && sampleSum(page.body, QStringLiteral("lab_consumer_paused")) == 1;
}

// Messages per second the consumer may take (its --rate / `lab consumer rate N`); 500 when it does not say.
int TestLab::consumerRate()
{
    QUrl control = queueNode() ? queueNode()->metricsUrl : QUrl();
    control.setPath(QStringLiteral("/lab/consumer"));
    const HttpAnswer state = request("GET", control);
    const int rate = QJsonDocument::fromJson(state.body).object().value(QLatin1String("rate")).toInt();
    return rate > 0 ? rate : 500;
}

void TestLab::initTestCase()
{
    for (const QString &gateway : {QStringLiteral("haproxy"), QStringLiteral("caddy")}) {
        const Result<QString> path = runLab({QStringLiteral("cluster"), gateway});
        QVERIFY2(path.ok(), qPrintable(path.ok() ? QString() : path.error().toString()));
        Result<Cluster> cluster = loadClusterFile(*path);
        QVERIFY2(cluster.ok(), qPrintable(cluster.ok() ? QString() : cluster.error().toString()));
        QCOMPARE(cluster->gateways.size(), 1);
        QCOMPARE(cluster->gateways.first().name, gateway);
        (gateway == QLatin1String("haproxy") ? m_haproxyCluster : m_caddyCluster) = std::move(*cluster);
    }
    QCOMPARE(m_haproxyCluster.nodes.size(), 6);
    QVERIFY(queueNode() != nullptr);
    restoreLab(); // whatever an earlier, interrupted run left behind
}

void TestLab::cleanup()
{
    // Leave the lab as the next test expects it, whatever this test did or where it failed.
    if (m_changedLab)
        restoreLab();
    m_changedLab = false;
}

void TestLab::cleanupTestCase()
{
    restoreLab();
}

void TestLab::restoreLab()
{
    const Result<QString> resumed = runLab({QStringLiteral("consumer"), QStringLiteral("resume")});
    if (!resumed.ok())
        qWarning("%s", qPrintable(resumed.error().toString()));
    for (const Node &node : std::as_const(m_haproxyCluster.nodes)) {
        if (node.role != NodeRole::Was)
            continue;
        const Result<QString> cleared = runLab({QStringLiteral("fault"), node.name, QStringLiteral("up")});
        if (!cleared.ok())
            qWarning("%s", qPrintable(cleared.error().toString()));
    }
}

void TestLab::metricsPagesHaveRoleMetrics_data()
{
    QTest::addColumn<QUrl>("metricsUrl");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<QUrl>("trafficFirst"); // a request that must go through before some metrics exist

    const QHash<NodeRole, QStringList> byRole = {
        {NodeRole::Was, {"http_server_requests_seconds_bucket", "hikaricp_connections_active"}},
        {NodeRole::Redis, {"redis_up", "redis_commands_processed_total"}},
        {NodeRole::Db, {"mysql_up", "mysql_global_status_queries"}},
        {NodeRole::Kafka, {"kafka_consumergroup_lag"}},
    };
    for (const Node &node : std::as_const(m_haproxyCluster.nodes)) {
        QVERIFY2(byRole.contains(node.role), qPrintable(node.name));
        QTest::newRow(qPrintable(node.name)) << node.metricsUrl << byRole.value(node.role) << QUrl();
    }
    const Gateway &haproxy = m_haproxyCluster.gateways.first();
    QTest::newRow("haproxy") << haproxy.metricsUrl << QStringList{"haproxy_server_http_responses_total"}
                             << QUrl();
    const Gateway &caddy = m_caddyCluster.gateways.first();
    QUrl throughCaddy = caddy.baseUrl;
    throughCaddy.setPath(QStringLiteral("/api/reviews"));
    throughCaddy.setQuery(QStringLiteral("course=2"));
    QTest::newRow("caddy") << caddy.metricsUrl
                           << QStringList{"caddy_http_request_duration_seconds_count",
                                          "caddy_reverse_proxy_upstreams_healthy"}
                           << throughCaddy;
}

void TestLab::metricsPagesHaveRoleMetrics()
{
    QFETCH(QUrl, metricsUrl);
    QFETCH(QStringList, expected);
    QFETCH(QUrl, trafficFirst);

    if (!trafficFirst.isEmpty()) {
        const HttpAnswer warmUp = request("GET", trafficFirst);
        QVERIFY2(warmUp.status == 200, qPrintable(trafficFirst.toString() + QLatin1Char(' ') + warmUp.error));
    }
    const HttpAnswer page = request("GET", metricsUrl);
    QVERIFY2(
        page.status == 200,
        qPrintable(
            QStringLiteral("%1: HTTP %2 %3").arg(metricsUrl.toString()).arg(page.status).arg(page.error)));
    for (const QString &name : std::as_const(expected))
        QVERIFY2(sampleSum(page.body, name) >= 0,
                 qPrintable(name + QStringLiteral(" missing on ") + metricsUrl.toString()));
    // Exporters answer even when their server is gone: "up" must say 1, not just exist.
    for (const QString &upMetric : {QStringLiteral("redis_up"), QStringLiteral("mysql_up")}) {
        if (expected.contains(upMetric))
            QCOMPARE(sampleSum(page.body, upMetric), 1.0);
    }
}

void TestLab::prometheusScrapesEveryTarget()
{
    QVERIFY(m_haproxyCluster.prometheusUrl.isValid());
    QUrl targetsUrl = m_haproxyCluster.prometheusUrl;
    targetsUrl.setPath(QStringLiteral("/api/v1/targets"));

    // Everything the inventories name must be a Prometheus target, and every target must be up.
    QSet<QString> wanted;
    for (const Node &node : std::as_const(m_haproxyCluster.nodes))
        wanted.insert(node.metricsUrl.toString());
    wanted.insert(m_haproxyCluster.gateways.first().metricsUrl.toString());
    wanted.insert(m_caddyCluster.gateways.first().metricsUrl.toString());

    QString problem;
    const auto allUp = [&] {
        const HttpAnswer answer = request("GET", targetsUrl);
        if (answer.status != 200) {
            problem = QStringLiteral("HTTP %1 %2").arg(answer.status).arg(answer.error);
            return false;
        }
        const QJsonArray targets = QJsonDocument::fromJson(answer.body)
                                       .object()
                                       .value(QLatin1String("data"))
                                       .toObject()
                                       .value(QLatin1String("activeTargets"))
                                       .toArray();
        QSet<QString> missing = wanted;
        QStringList notUp;
        for (const QJsonValue &value : targets) {
            const QJsonObject target = value.toObject();
            missing.remove(target.value(QLatin1String("scrapeUrl")).toString());
            if (target.value(QLatin1String("health")).toString() != QLatin1String("up"))
                notUp << target.value(QLatin1String("scrapeUrl")).toString() + QLatin1Char('=') +
                             target.value(QLatin1String("health")).toString();
        }
        problem = QStringLiteral("%1 targets; missing: %2; not up: %3")
                      .arg(targets.size())
                      .arg(QStringList(missing.begin(), missing.end()).join(QLatin1String(", ")),
                           notUp.join(QLatin1String(", ")));
        return missing.isEmpty() && notUp.isEmpty() &&
               targets.size() >= wanted.size() + 1; // + Prometheus itself
    };
    // The first scrape of a fresh lab comes up to one scrape interval (5 s) after start.
    QTRY_VERIFY2_WITH_TIMEOUT(allUp(), qPrintable(problem), 20000);
}

void TestLab::requestThroughGatewayIsServedByWas_data()
{
    QTest::addColumn<QString>("gateway");
    QTest::newRow("haproxy") << QStringLiteral("haproxy");
    QTest::newRow("caddy") << QStringLiteral("caddy");
}

void TestLab::requestThroughGatewayIsServedByWas()
{
    QFETCH(QString, gateway);
    const Result<QString> base = runLab({QStringLiteral("url"), gateway});
    QVERIFY2(base.ok(), qPrintable(base.ok() ? QString() : base.error().toString()));
    const Cluster &cluster = gateway == QLatin1String("haproxy") ? m_haproxyCluster : m_caddyCluster;
    QCOMPARE(QUrl(*base), cluster.gateways.first().baseUrl);

    QList<const Node *> was;
    QList<double> before;
    for (const Node &node : cluster.nodes) {
        if (node.role == NodeRole::Was) {
            const std::optional<double> served = apiRequestsServed(node);
            QVERIFY2(served.has_value(),
                     qPrintable(node.name + QStringLiteral(": metrics page does not answer")));
            was << &node;
            before << *served;
        }
    }
    QCOMPARE(was.size(), 3);

    const HttpAnswer answer = request("GET", QUrl(*base + QStringLiteral("/api/reviews?course=1")));
    QVERIFY2(answer.status == 200,
             qPrintable(QStringLiteral("HTTP %1 %2").arg(answer.status).arg(answer.error)));
    const QJsonDocument reviews = QJsonDocument::fromJson(answer.body);
    QVERIFY2(reviews.isArray() && !reviews.array().isEmpty(), answer.body.constData());
    QVERIFY(reviews.array().first().isObject());

    // The node that answered counted the request in its own /actuator/prometheus.
    QStringList served;
    for (qsizetype i = 0; i < was.size(); ++i) {
        const std::optional<double> after = apiRequestsServed(*was[i]);
        QVERIFY2(after.has_value(),
                 qPrintable(was[i]->name + QStringLiteral(": metrics page does not answer")));
        if (*after > before[i])
            served << was[i]->name;
    }
    // Health checks have their own uri label, so with the lab to ourselves exactly one node rises; the lab is
    // shared on a developer machine (someone may run `lab load` meanwhile), so only "at least one" is
    // asserted.
    QVERIFY2(!served.isEmpty(), "no WAS node counted the request: something other than a WAS node answered");
    qInfo("%s: /api/reviews counter rose on %s", qPrintable(gateway),
          qPrintable(served.join(QLatin1String(", "))));
}

void TestLab::consumerLagFollowsPauseAndResume()
{
    m_changedLab = true;
    const Result<QString> paused = runLab({QStringLiteral("consumer"), QStringLiteral("pause")});
    QVERIFY2(paused.ok(), qPrintable(paused.ok() ? QString() : paused.error().toString()));
    // An in-flight batch may still be acknowledged right after the pause: start once the consumer says it has
    // finished it (lab_consumer_paused turns 1 only then).
    QTRY_VERIFY_WITH_TIMEOUT(consumerPaused(), 10000);
    const double lagBefore = consumerLag();
    QVERIFY(lagBefore >= 0);

    // ~200 first-time issues (distinct users), all in flight at once through HAProxy.
    const QString base = m_haproxyCluster.gateways.first().baseUrl.toString();
    const QString run = QString::number(QRandomGenerator::global()->generate64(), 36);
    QList<QNetworkReply *> replies;
    for (int i = 0; i < 200; ++i) {
        QNetworkRequest req(QUrl(QStringLiteral("%1/api/coupons/%2/issue?user=tst-lab-%3-%4")
                                     .arg(base)
                                     .arg(i % 10 + 1)
                                     .arg(run)
                                     .arg(i)));
        req.setTransferTimeout(kHttpTimeoutMs);
        req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("text/plain"));
        replies << m_net.post(req, QByteArray());
    }
    int accepted = 0;
    QStringList failures;
    for (QNetworkReply *reply : std::as_const(replies)) {
        if (!reply->isFinished()) {
            QEventLoop loop;
            connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
            QTimer::singleShot(kHttpTimeoutMs + 1000, &loop, &QEventLoop::quit);
            loop.exec();
        }
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status == 201)
            ++accepted;
        else if (failures.size() < 5)
            failures << QStringLiteral("%1 %2").arg(status).arg(reply->errorString());
        reply->deleteLater();
    }
    // Users are new and every coupon has a stock of a million: anything but 201 is a fault of the lab.
    QVERIFY2(accepted == 200, qPrintable(QStringLiteral("%1 of 200 accepted; e.g. %2")
                                             .arg(accepted)
                                             .arg(failures.join(QLatin1String("; ")))));

    QTRY_VERIFY2_WITH_TIMEOUT(
        consumerLag() >= lagBefore + accepted,
        qPrintable(QStringLiteral("lag %1, expected >= %2").arg(consumerLag()).arg(lagBefore + accepted)),
        10000);

    const Result<QString> resumed = runLab({QStringLiteral("consumer"), QStringLiteral("resume")});
    QVERIFY2(resumed.ok(), qPrintable(resumed.ok() ? QString() : resumed.error().toString()));
    // A LAB test that ran `lab load` just before leaves a backlog the consumer drains at its own rate.
    const int drainMs = 20000 + static_cast<int>(1500.0 * std::max(0.0, consumerLag()) / consumerRate());
    QTRY_VERIFY2_WITH_TIMEOUT(consumerLag() == 0,
                              qPrintable(QStringLiteral("lag still %1").arg(consumerLag())), drainMs);
}

QTEST_GUILESS_MAIN(TestLab)
#include "tst_lab.moc"
