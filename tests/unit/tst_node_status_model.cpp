#include "cluster/inventory_loader.h"
#include "models/node_status_model.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace clusterdeck;

class TestNodeStatusModel : public QObject {
    Q_OBJECT
private slots:
    void init();
    void groupsTargetsByRole();
    void updatesStateAndSummarises();
    void reportsStateChangesButNotTheFirstReport();

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
    QCOMPARE(model.indexOfTarget(QStringLiteral("was1"), NodeStatusModel::StateColumn).data().toString(), QStringLiteral("UNKNOWN"));
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

QTEST_MAIN(TestNodeStatusModel)
#include "tst_node_status_model.moc"
