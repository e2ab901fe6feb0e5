#include "cluster/inventory_loader.h"
#include "gateway/caddy_admin.h"
#include "models/node_status_model.h"

#include <QAbstractItemModelTester>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>
#include <cmath>
#include <limits>

using namespace clusterdeck;

using GroupLags = QList<QPair<QString, double>>;

class TestNodeStatusModel : public QObject {
    Q_OBJECT
private slots:
    void init();
    void groupsTargetsByRole();
    void updatesStateAndSummarises();
    void reportsStateChangesButNotTheFirstReport();
    void lagSumsTheGroupsWithOffsets_data();
    void lagSumsTheGroupsWithOffsets();
    void forgetsGroupsNoLongerReported();
    void keyFiguresTurnRedPastTheirLimits_data();
    void keyFiguresTurnRedPastTheirLimits();
    void showsWhatHaproxySays();
    void showsCaddysRotation();

private:
    TargetStatus status(const QString &name, TargetStatus::State state, bool gateway = false) const;
    Cluster m_cluster;
};

void TestNodeStatusModel::init()
{
    const auto outcome = InventoryLoader::loadText(R"(name: t
gateways: [{name: lb, kind: haproxy, metrics: http://h:8404/metrics}]
nodes:
  - {name: db, role: db, metrics: http://h:9104/metrics}
  - {name: was1, role: was, metrics: http://h:1/actuator/prometheus}
  - {name: was2, role: was, metrics: http://h:2/actuator/prometheus}
  - {name: cache, role: redis, metrics: http://h:9121/metrics}
)",
                                                   QStringLiteral("t.yaml"));
    QVERIFY(outcome.problems.isEmpty());
    m_cluster = outcome.cluster;
}

TargetStatus TestNodeStatusModel::status(const QString &name, TargetStatus::State state, bool gateway) const
{
    TargetStatus result;
    result.name = name;
    result.isGateway = gateway;
    result.state = state;
    result.latencyMs = 3;
    if (state == TargetStatus::State::Down)
        result.reason = QStringLiteral("health: HTTP 503, status DOWN");
    return result;
}

void TestNodeStatusModel::groupsTargetsByRole()
{
    NodeStatusModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setCluster(m_cluster);
    QCOMPARE(model.rowCount(), 4); // gateways, WAS, Redis, database — in that order, empty groups left out
    QCOMPARE(model.index(0, 0).data().toString(), QStringLiteral("Gateways"));
    QCOMPARE(model.index(1, 0).data().toString(), QStringLiteral("WAS nodes"));
    QCOMPARE(model.index(2, 0).data().toString(), QStringLiteral("Redis"));
    QCOMPARE(model.index(3, 0).data().toString(), QStringLiteral("Database"));
    QCOMPARE(model.rowCount(model.index(1, 0)), 2);
    QCOMPARE(model.index(1, 0, model.index(1, 0)).data().toString(), QStringLiteral("was2"));
    QCOMPARE(model.indexOfTarget(QStringLiteral("was2")).parent().row(), 1);
    QCOMPARE(model.indexOfTarget(QStringLiteral("was1"), NodeStatusModel::StateColumn).data().toString(),
             QStringLiteral("UNKNOWN"));
    QVERIFY(!model.indexOfTarget(QStringLiteral("nope")).isValid());
}

void TestNodeStatusModel::updatesStateAndSummarises()
{
    NodeStatusModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setCluster(m_cluster);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.updateStatuses({status(QStringLiteral("lb"), TargetStatus::State::Up, true),
                          status(QStringLiteral("was1"), TargetStatus::State::Up),
                          status(QStringLiteral("was2"), TargetStatus::State::Down),
                          status(QStringLiteral("db"), TargetStatus::State::Up),
                          status(QStringLiteral("cache"), TargetStatus::State::Up)});
    QVERIFY(changed.count() >= 5);
    QCOMPARE(model.upCount(), 4);
    QCOMPARE(model.targetCount(), 5);
    QCOMPARE(model.index(1, NodeStatusModel::StateColumn).data().toString(), QStringLiteral("1/2 up"));
    const QModelIndex was2 = model.indexOfTarget(QStringLiteral("was2"), NodeStatusModel::DetailColumn);
    QCOMPARE(was2.data().toString(), QStringLiteral("health: HTTP 503, status DOWN"));
    QCOMPARE(was2.siblingAtColumn(NodeStatusModel::StateColumn).data().toString(), QStringLiteral("DOWN"));
    QCOMPARE(was2.siblingAtColumn(NodeStatusModel::LatencyColumn).data().toString(), QStringLiteral("3 ms"));
    QVERIFY(was2.siblingAtColumn(NodeStatusModel::StateColumn).data(Qt::DecorationRole).isValid());
}

void TestNodeStatusModel::reportsStateChangesButNotTheFirstReport()
{
    NodeStatusModel model;
    model.setCluster(m_cluster);
    QSignalSpy flips(&model, &NodeStatusModel::stateChanged);
    model.updateStatuses({status(QStringLiteral("was2"), TargetStatus::State::Up)});
    QCOMPARE(flips.count(), 0);
    model.updateStatuses({status(QStringLiteral("was2"), TargetStatus::State::Up)});
    QCOMPARE(flips.count(), 0);
    model.updateStatuses({status(QStringLiteral("was2"), TargetStatus::State::Down)});
    QCOMPARE(flips.count(), 1);
    const auto current = flips.at(0).at(1).value<TargetStatus>();
    QCOMPARE(current.name, QStringLiteral("was2"));
    QCOMPARE(current.state, TargetStatus::State::Down);
}

void TestNodeStatusModel::lagSumsTheGroupsWithOffsets_data()
{
    constexpr double none = std::numeric_limits<double>::quiet_NaN(); // the engine's "no committed offset"
    QTest::addColumn<GroupLags>("groups");
    QTest::addColumn<bool>("queueDown");
    QTest::addColumn<double>("expected"); // NaN: no lag known
    QTest::addColumn<QStringList>("withoutOffsets");
    QTest::addColumn<bool>("overThreshold");
    const QString coupons = QStringLiteral("coupon-consumers");
    const QString audit = QStringLiteral("audit");
    const QString billing = QStringLiteral("billing");
    QTest::newRow("all known") << GroupLags{{coupons, 120}, {billing, 30}} << false << 150.0 << QStringList{}
                               << true;
    QTest::newRow("one group without offsets") << GroupLags{{coupons, 120}, {audit, none}, {billing, 30}}
                                               << false << 150.0 << QStringList{audit} << true;
    QTest::newRow("below the threshold")
        << GroupLags{{coupons, 20}, {audit, none}} << false << 20.0 << QStringList{audit} << false;
    QTest::newRow("no group has offsets")
        << GroupLags{{billing, none}, {audit, none}} << false << none << QStringList{audit, billing} << false;
    // A failed scrape makes every group a gap: that is the queue being down, not groups without offsets.
    QTest::newRow("queue down") << GroupLags{{coupons, none}, {audit, none}} << true << none << QStringList{}
                                << false;
}

void TestNodeStatusModel::lagSumsTheGroupsWithOffsets()
{
    QFETCH(GroupLags, groups);
    QFETCH(bool, queueDown);
    QFETCH(double, expected);
    QFETCH(QStringList, withoutOffsets);
    QFETCH(bool, overThreshold);
    const auto outcome = InventoryLoader::loadText(R"(name: t
thresholds: {consumer_lag: 100}
nodes:
  - {name: queue, role: kafka, metrics: http://h:9308/metrics}
)",
                                                   QStringLiteral("t.yaml"));
    QVERIFY(outcome.problems.isEmpty());
    NodeStatusModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setCluster(outcome.cluster);
    TargetStatus queue =
        status(QStringLiteral("queue"), queueDown ? TargetStatus::State::Down : TargetStatus::State::Up);
    queue.role = NodeRole::Kafka;
    model.updateStatuses({queue});
    KpiPoints points;
    for (const auto &[group, lag] : groups)
        points.append(
            KpiPoint{KpiKey{QStringLiteral("queue"), kpiName(KpiId::KafkaConsumerLag), group}, 1000, lag});
    model.updateKpis(points);

    const double lag = model.kpiValue(QStringLiteral("queue"), KpiId::KafkaConsumerLag);
    if (std::isnan(expected))
        QVERIFY2(std::isnan(lag), qPrintable(QString::number(lag)));
    else
        QCOMPARE(lag, expected);
    QCOMPARE(model.instancesWithoutValue(QStringLiteral("queue"), KpiId::KafkaConsumerLag), withoutOffsets);

    const QModelIndex figures = model.indexOfTarget(QStringLiteral("queue"), NodeStatusModel::KpiColumn);
    if (!std::isnan(expected))
        QVERIFY2(figures.data().toString().startsWith(QStringLiteral("lag ") +
                                                      formatKpiValue(KpiId::KafkaConsumerLag, expected)),
                 qPrintable(figures.data().toString()));
    QCOMPARE(figures.data(Qt::ForegroundRole).isValid(), overThreshold);

    const QString detail = figures.siblingAtColumn(NodeStatusModel::DetailColumn).data().toString();
    const QString tip = figures.siblingAtColumn(NodeStatusModel::NameColumn).data(Qt::ToolTipRole).toString();
    for (const QString &group : withoutOffsets) {
        QVERIFY2(detail.contains(group), qPrintable(detail));
        QVERIFY2(tip.contains(group), qPrintable(tip));
    }
    if (withoutOffsets.isEmpty())
        QVERIFY2(!detail.contains(QStringLiteral("offset")), qPrintable(detail));
}

void TestNodeStatusModel::forgetsGroupsNoLongerReported()
{
    const auto outcome = InventoryLoader::loadText(R"(name: t
nodes:
  - {name: queue, role: kafka, metrics: http://h:9308/metrics}
)",
                                                   QStringLiteral("t.yaml"));
    QVERIFY(outcome.problems.isEmpty());
    NodeStatusModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setCluster(outcome.cluster);
    const QString queue = QStringLiteral("queue");
    const QString lag = kpiName(KpiId::KafkaConsumerLag);
    const double none = std::numeric_limits<double>::quiet_NaN();
    model.updateKpis({KpiPoint{KpiKey{queue, lag, QStringLiteral("coupons")}, 1000, 40},
                      KpiPoint{KpiKey{queue, lag, QStringLiteral("audit")}, 1000, none},
                      KpiPoint{KpiKey{queue, lag, QStringLiteral("old")}, 1000, 500}});
    QCOMPARE(model.kpiValue(queue, KpiId::KafkaConsumerLag), 540.0);
    QCOMPARE(model.instancesWithoutValue(queue, KpiId::KafkaConsumerLag),
             QStringList{QStringLiteral("audit")});

    // The next round no longer has "old" and "audit" (deleted groups): they neither count nor get named.
    model.updateKpis({KpiPoint{KpiKey{queue, lag, QStringLiteral("coupons")}, 3000, 45}});
    QCOMPARE(model.kpiValue(queue, KpiId::KafkaConsumerLag), 45.0);
    QCOMPARE(model.instancesWithoutValue(queue, KpiId::KafkaConsumerLag), QStringList{});
    // A batch of another KPI leaves the lag alone.
    model.updateKpis(
        {KpiPoint{KpiKey{queue, kpiName(KpiId::KafkaConsumeRate), QStringLiteral("coupons")}, 5000, 3}});
    QCOMPARE(model.kpiValue(queue, KpiId::KafkaConsumerLag), 45.0);
}

void TestNodeStatusModel::keyFiguresTurnRedPastTheirLimits_data()
{
    QTest::addColumn<QString>(
        "thresholds"); // the inventory's `thresholds:`, or "" for the catalogue's defaults
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("kpi");
    QTest::addColumn<double>("value");
    QTest::addColumn<bool>("red");
    QTest::newRow("p95 over the default 3 s") << ""
                                              << "was1"
                                              << "was.latency_p95" << 3.5 << true;
    QTest::newRow("p95 under it") << ""
                                  << "was1"
                                  << "was.latency_p95" << 2.5 << false;
    QTest::newRow("p95 over the inventory's 2 s") << "{latency_p95: 2s}"
                                                  << "was1"
                                                  << "was.latency_p95" << 2.5 << true;
    QTest::newRow("p95 unknown") << ""
                                 << "was1"
                                 << "was.latency_p95" << qQNaN() << false;
    QTest::newRow("gateway 5xx over 1%") << ""
                                         << "lb"
                                         << "gateway.error_ratio" << 0.02 << true;
    QTest::newRow("gateway 5xx under the inventory's 5%") << "{error_ratio: 0.05}"
                                                          << "lb"
                                                          << "gateway.error_ratio" << 0.02 << false;
    QTest::newRow("redis lost by its exporter") << ""
                                                << "cache"
                                                << "redis.up" << 0.0 << true;
    QTest::newRow("db up") << ""
                           << "db"
                           << "db.up" << 1.0 << false;
    QTest::newRow("no limit on TPS") << ""
                                     << "was1"
                                     << "was.tps" << 1e9 << false;
}

void TestNodeStatusModel::keyFiguresTurnRedPastTheirLimits()
{
    QFETCH(QString, thresholds);
    QFETCH(QString, target);
    QFETCH(QString, kpi);
    QFETCH(double, value);
    QFETCH(bool, red);
    Cluster cluster = m_cluster;
    if (!thresholds.isEmpty()) {
        const auto outcome = InventoryLoader::loadText(
            QStringLiteral(
                "name: t\nthresholds: %1\nnodes: [{name: was1, role: was, metrics: http://h:1/m}]\n")
                .arg(thresholds)
                .toUtf8(),
            QStringLiteral("t.yaml"));
        QVERIFY(outcome.problems.isEmpty());
        cluster.thresholds = outcome.cluster.thresholds;
    }
    NodeStatusModel model;
    model.setCluster(cluster);
    model.updateKpis({KpiPoint{KpiKey{target, kpi, QString()}, 1000, value}});
    const QVariant color = model.indexOfTarget(target, NodeStatusModel::KpiColumn).data(Qt::ForegroundRole);
    QCOMPARE(color.isValid(), red);
}

namespace {

const char *const kGatewayCluster = R"(name: g
gateways:
  - {name: lb, kind: haproxy, metrics: http://h:8404/metrics}
  - {name: cd, kind: caddy, metrics: http://h:8405/metrics, admin_api: http://h:2019}
nodes:
  - {name: was1, role: was, metrics: http://h:1/actuator/prometheus, upstream: "10.0.0.1:8080"}
  - {name: was2, role: was, metrics: http://h:2/actuator/prometheus, upstream: "10.0.0.2:8080"}
)";

// One round of HAProxy's per-upstream KPIs as the engine gives them: state, sessions and queue per server.
KpiPoints haproxyRound(qint64 at, GatewayServerState was2, double sessions, double queue,
                       GatewayServerState was1 = GatewayServerState::Up)
{
    const auto point = [at](const char *kpi, const char *server, double value) {
        return KpiPoint{
            {QStringLiteral("lb"), QString::fromLatin1(kpi), QString::fromLatin1(server)}, at, value};
    };
    return {point("gateway.server_state", "was1", double(int(was1))),
            point("gateway.sessions", "was1", 5),
            point("gateway.queue", "was1", 0),
            point("gateway.server_state", "was2", double(int(was2))),
            point("gateway.sessions", "was2", sessions),
            point("gateway.queue", "was2", queue)};
}

} // namespace

// Synthetic rounds of HAProxy's KPIs: a drain done by someone else (the model never hears of a job) shows as
// DRAINING with the sessions left, then DRAINED, MAINT, and back to UP; the gateway's failing health check
// shows as DOWN although the probe got an answer.
void TestNodeStatusModel::showsWhatHaproxySays()
{
    const auto outcome = InventoryLoader::loadText(kGatewayCluster, QStringLiteral("g.yaml"));
    QVERIFY2(outcome.problems.isEmpty(),
             qPrintable(formatProblems(QStringLiteral("g.yaml"), outcome.problems)));
    NodeStatusModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setCluster(outcome.cluster);
    QSignalSpy flips(&model, &NodeStatusModel::stateChanged);
    const auto shown = [&](const QString &node) {
        return model.indexOfTarget(node, NodeStatusModel::StateColumn).data().toString();
    };
    // Before the probe has a word, a gateway's alone decides nothing.
    model.updateKpis(haproxyRound(1000, GatewayServerState::Drain, 0, 0));
    QCOMPARE(shown(QStringLiteral("was2")), QStringLiteral("UNKNOWN"));

    model.updateStatuses({status(QStringLiteral("was1"), TargetStatus::State::Up),
                          status(QStringLiteral("was2"), TargetStatus::State::Up)});
    QCOMPARE(shown(QStringLiteral("was2")), QStringLiteral("DRAINED"));
    QCOMPARE(shown(QStringLiteral("was1")), QStringLiteral("UP"));

    model.updateKpis(haproxyRound(2000, GatewayServerState::Up, 2, 0));
    QCOMPARE(shown(QStringLiteral("was2")), QStringLiteral("UP"));
    QCOMPARE(model.upCount(), 2);
    flips.clear();

    model.updateKpis(haproxyRound(3000, GatewayServerState::Drain, 3, 1));
    QCOMPARE(shown(QStringLiteral("was2")), QStringLiteral("DRAINING (sessions 4)"));
    QCOMPARE(model.status(QStringLiteral("was2")).gatewaySessions, 4);
    QVERIFY2(
        model.indexOfTarget(QStringLiteral("was2"), NodeStatusModel::DetailColumn)
            .data()
            .toString()
            .startsWith(QStringLiteral("lb: was2 DRAIN, 4 session(s)")),
        qPrintable(
            model.indexOfTarget(QStringLiteral("was2"), NodeStatusModel::DetailColumn).data().toString()));
    QCOMPARE(flips.count(), 1);
    QCOMPARE(flips.at(0).at(0).value<TargetStatus>().state, TargetStatus::State::Up);
    QCOMPARE(flips.at(0).at(1).value<TargetStatus>().state, TargetStatus::State::Draining);
    QCOMPARE(model.upCount(), 1);
    QCOMPARE(model.indexOfTarget(QStringLiteral("was2"), NodeStatusModel::StateColumn)
                 .data(NodeStatusModel::StateRole)
                 .toInt(),
             int(TargetStatus::State::Draining));

    model.updateKpis(haproxyRound(4000, GatewayServerState::Drain, 0, 0));
    QCOMPARE(shown(QStringLiteral("was2")), QStringLiteral("DRAINED"));
    // A new probe round keeps the gateway's word.
    model.updateStatuses({status(QStringLiteral("was2"), TargetStatus::State::Up)});
    QCOMPARE(shown(QStringLiteral("was2")), QStringLiteral("DRAINED"));

    model.updateKpis(haproxyRound(5000, GatewayServerState::Maint, 0, 0));
    QCOMPARE(shown(QStringLiteral("was2")), QStringLiteral("MAINT"));
    model.updateKpis(haproxyRound(6000, GatewayServerState::Up, 1, 0, GatewayServerState::Down));
    QCOMPARE(shown(QStringLiteral("was2")), QStringLiteral("UP"));
    QCOMPARE(shown(QStringLiteral("was1")), QStringLiteral("DOWN")); // HAProxy's health check fails
    QVERIFY(model.indexOfTarget(QStringLiteral("was1"), NodeStatusModel::DetailColumn)
                .data()
                .toString()
                .startsWith(QStringLiteral("lb: was1 DOWN")));
    QCOMPARE(flips.count(), 5); // DRAINING, DRAINED, MAINT, UP (was2), DOWN (was1)
}

// Caddy's rotation from its running config and in-flight requests (what GatewayRotationPoller reads), mapped
// to nodes by address; its health from gateway.upstream_healthy.
void TestNodeStatusModel::showsCaddysRotation()
{
    const auto outcome = InventoryLoader::loadText(kGatewayCluster, QStringLiteral("g.yaml"));
    QVERIFY(outcome.problems.isEmpty());
    const Cluster &cluster = outcome.cluster;
    const Gateway &caddy = *cluster.findGateway(QStringLiteral("cd"));
    const QJsonValue both = QJsonDocument::fromJson(R"({"apps": {"http": {"servers": {"s": {"routes": [
        {"handle": [{"handler": "reverse_proxy", "upstreams": [{"dial": "10.0.0.1:8080"},
                                                                {"dial": "10.0.0.2:8080"}]}]}]}}}}})")
                                .object();
    const QJsonValue onlyWas1 = QJsonDocument::fromJson(R"({"apps": {"http": {"servers": {"s": {"routes": [
        {"handle": [{"handler": "reverse_proxy", "upstreams": [{"dial": "10.0.0.1:8080"}]}]}]}}}}})")
                                    .object();
    QVERIFY(both.isObject() && onlyWas1.isObject());

    NodeStatusModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setCluster(cluster);
    model.updateStatuses({status(QStringLiteral("was1"), TargetStatus::State::Up),
                          status(QStringLiteral("was2"), TargetStatus::State::Up)});
    const auto shown = [&](const QString &node) {
        return model.indexOfTarget(node, NodeStatusModel::StateColumn).data().toString();
    };
    model.updateGatewayViews(caddy.name, caddyRotationViews(cluster, caddy, both, {}));
    QCOMPARE(shown(QStringLiteral("was2")), QStringLiteral("UP"));
    // Out of the running config with two requests still in flight, then none (and gone from the list).
    model.updateGatewayViews(caddy.name, caddyRotationViews(cluster, caddy, onlyWas1,
                                                            {{QStringLiteral("10.0.0.1:8080"), 1, 0},
                                                             {QStringLiteral("10.0.0.2:8080"), 2, 0}}));
    QCOMPARE(shown(QStringLiteral("was2")), QStringLiteral("DRAINING (sessions 2)"));
    QCOMPARE(shown(QStringLiteral("was1")), QStringLiteral("UP"));
    model.updateGatewayViews(caddy.name, caddyRotationViews(cluster, caddy, onlyWas1, {}));
    QCOMPARE(shown(QStringLiteral("was2")), QStringLiteral("DRAINED"));
    // Caddy's health check fails for was1: its metric, not the rotation, says so.
    model.updateKpis({KpiPoint{
        {QStringLiteral("cd"), QStringLiteral("gateway.upstream_healthy"), QStringLiteral("10.0.0.1:8080")},
        1000,
        0}});
    QCOMPARE(shown(QStringLiteral("was1")), QStringLiteral("DOWN"));
    // A failed poll says nothing: the probe's state again.
    model.updateGatewayViews(caddy.name, {});
    QCOMPARE(shown(QStringLiteral("was2")), QStringLiteral("UP"));
}

QTEST_MAIN(TestNodeStatusModel)
#include "tst_node_status_model.moc"
