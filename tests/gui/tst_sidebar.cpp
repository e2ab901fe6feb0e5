// The sidebar: the cluster's targets by role (NodeStatusModel) behind the name filter, both under
// QAbstractItemModelTester; states shown through the one state style (DEGRADED when a KPI breaches its limit)
// and the alert marker the alert engine sets. No lab: statuses and KPIs are fed as the collector sends them.

#include "metrics/kpi.h"
#include "models/node_status_model.h"
#include "sidebar.h"

#include <QAbstractItemModelTester>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTest>
#include <QTreeView>

using namespace clusterdeck;

class TestSidebar : public QObject {
    Q_OBJECT
private slots:
    void init();
    void filterByName_data();
    void filterByName();
    void statesAndAlertMarker();
    void clickOnTargetAsksForItsPage();

private:
    QStringList shownTargets(const QAbstractItemModel &model) const;
    std::unique_ptr<NodeStatusModel> m_model;
};

namespace {

Cluster testCluster()
{
    Cluster cluster;
    cluster.name = QStringLiteral("test");
    Gateway gateway;
    gateway.name = QStringLiteral("haproxy");
    cluster.gateways.append(gateway);
    for (const char *name : {"was1", "was2", "was3"}) {
        Node node;
        node.name = QString::fromLatin1(name);
        node.role = NodeRole::Was;
        cluster.nodes.append(node);
    }
    Node redis;
    redis.name = QStringLiteral("redis");
    redis.role = NodeRole::Redis;
    cluster.nodes.append(redis);
    return cluster;
}

TargetStatus status(const QString &name, TargetStatus::State state, bool gateway = false)
{
    TargetStatus s;
    s.name = name;
    s.isGateway = gateway;
    s.role = gateway ? NodeRole::Other : (name == QLatin1String("redis") ? NodeRole::Redis : NodeRole::Was);
    s.state = state;
    s.checkedAtMs = 1'700'000'000'000;
    return s;
}

} // namespace

void TestSidebar::init()
{
    m_model = std::make_unique<NodeStatusModel>();
    m_model->setCluster(testCluster());
}

QStringList TestSidebar::shownTargets(const QAbstractItemModel &model) const
{
    QStringList names;
    for (int group = 0; group < model.rowCount(); ++group) {
        const QModelIndex parent = model.index(group, 0);
        for (int row = 0; row < model.rowCount(parent); ++row)
            names.append(model.index(row, NodeStatusModel::NameColumn, parent).data().toString());
    }
    return names;
}

void TestSidebar::filterByName_data()
{
    QTest::addColumn<QString>("filter");
    QTest::addColumn<QStringList>("shown");
    QTest::addColumn<int>("groups");
    const QStringList all{QStringLiteral("haproxy"), QStringLiteral("was1"), QStringLiteral("was2"),
                          QStringLiteral("was3"), QStringLiteral("redis")};
    QTest::newRow("empty shows all") << QString() << all << 3;
    QTest::newRow("role's prefix") << QStringLiteral("was") << all.mid(1, 3) << 1;
    QTest::newRow("any case") << QStringLiteral("WAS2") << QStringList{QStringLiteral("was2")} << 1;
    QTest::newRow("inside the name") << QStringLiteral("dis") << QStringList{QStringLiteral("redis")} << 1;
    QTest::newRow("no match") << QStringLiteral("kafka") << QStringList{} << 0;
    // The state column is not searched: "UP" must not match every target that is up.
    QTest::newRow("state text") << QStringLiteral("UP") << QStringList{} << 0;
}

void TestSidebar::filterByName()
{
    QFETCH(QString, filter);
    QFETCH(QStringList, shown);
    QFETCH(int, groups);
    Sidebar sidebar(m_model.get());
    QAbstractItemModelTester sourceTester(m_model.get(),
                                          QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester proxyTester(sidebar.filteredModel(),
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_model->updateStatuses({status(QStringLiteral("haproxy"), TargetStatus::State::Up, true),
                             status(QStringLiteral("was1"), TargetStatus::State::Up),
                             status(QStringLiteral("was2"), TargetStatus::State::Down)});
    QTest::keyClicks(sidebar.filterEdit(), filter); // typed, as an operator does
    QCOMPARE(shownTargets(*sidebar.filteredModel()), shown);
    QCOMPARE(sidebar.filteredModel()->rowCount(), groups);
    // Statuses keep arriving while filtered.
    m_model->updateStatuses({status(QStringLiteral("was2"), TargetStatus::State::Up)});
    QCOMPARE(shownTargets(*sidebar.filteredModel()), shown);
    sidebar.setFilterText(QString());
    QCOMPARE(shownTargets(*sidebar.filteredModel()).size(), 5);
}

void TestSidebar::statesAndAlertMarker()
{
    QAbstractItemModelTester tester(m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    const auto state = [&](const QString &name) {
        return m_model->indexOfTarget(name, NodeStatusModel::StateColumn).data().toString();
    };
    QCOMPARE(state(QStringLiteral("was1")), QStringLiteral("UNKNOWN"));
    m_model->updateStatuses({status(QStringLiteral("was1"), TargetStatus::State::Up),
                             status(QStringLiteral("was2"), TargetStatus::State::Down)});
    QCOMPARE(state(QStringLiteral("was1")), QStringLiteral("UP"));
    QCOMPARE(state(QStringLiteral("was2")), QStringLiteral("DOWN"));
    // Up, but its p95 is over the 3 s target: degraded.
    m_model->updateKpis({KpiPoint{KpiKey{QStringLiteral("was1"), kpiName(KpiId::WasLatencyP95), QString()},
                                  1'700'000'000'000, 4.5}});
    QCOMPARE(state(QStringLiteral("was1")), QStringLiteral("DEGRADED"));

    QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
    const QModelIndex name = m_model->indexOfTarget(QStringLiteral("was3"));
    QVERIFY(name.data(NodeStatusModel::AlertRole).toString().isEmpty());
    QVERIFY(name.data(Qt::DecorationRole).isNull());
    m_model->setAlert(QStringLiteral("was3"), QStringLiteral("p95 above 3 s for 2 min"));
    QCOMPARE(changed.size(), 1);
    QCOMPARE(name.data(NodeStatusModel::AlertRole).toString(), QStringLiteral("p95 above 3 s for 2 min"));
    QVERIFY(!name.data(Qt::DecorationRole).isNull());
    QVERIFY(name.data(Qt::ToolTipRole).toString().contains(QLatin1String("p95 above 3 s")));
    m_model->setAlert(QStringLiteral("was3"), QString());
    QVERIFY(name.data(NodeStatusModel::AlertRole).toString().isEmpty());
    QCOMPARE(changed.size(), 2);
}

void TestSidebar::clickOnTargetAsksForItsPage()
{
    Sidebar sidebar(m_model.get());
    sidebar.addPage(QStringLiteral("overview"), QStringLiteral("Overview"));
    sidebar.resize(240, 400);
    sidebar.show();
    QVERIFY(QTest::qWaitForWindowExposed(&sidebar));
    QSignalSpy requested(&sidebar, &Sidebar::pageRequested);
    QTreeView *view = sidebar.targetView();
    const QModelIndexList was2 =
        sidebar.filteredModel()->match(sidebar.filteredModel()->index(0, 0), Qt::DisplayRole,
                                       QStringLiteral("was2"), 1, Qt::MatchExactly | Qt::MatchRecursive);
    QCOMPARE(was2.size(), 1);
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(was2.first()).center());
    QCOMPARE(requested.size(), 1);
    QCOMPARE(requested.first().first().toString(), QStringLiteral("node:was2"));
    // A role group is no page.
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {},
                      view->visualRect(sidebar.filteredModel()->index(0, 0)).center());
    QCOMPARE(requested.size(), 1);
}

QTEST_MAIN(TestSidebar)
#include "tst_sidebar.moc"
