// The sidebar: the cluster's targets by role (NodeStatusModel) behind the name filter, both under
// QAbstractItemModelTester; states shown through the one state style (DEGRADED when a KPI breaches its limit)
// and the alert marker the alert engine sets; the state dots at twice the pixel density. No lab: statuses and
// KPIs are fed as the collector sends them.

#include "metrics/kpi.h"
#include "models/node_status_model.h"
#include "sidebar.h"
#include "status_dot.h"

#include <QAbstractItemModelTester>
#include <QImage>
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
    void stateIconsAreSharpAtTwiceTheDensity();

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

// A state dot asked for at 12 px on a screen of device pixel ratio 2 (QT_SCALE_FACTOR=2) is painted with 24 x
// 24 pixels, not 12 scaled up: the middle is the state's colour and only the rim is partly covered.
void TestSidebar::stateIconsAreSharpAtTwiceTheDensity()
{
    const QIcon dot = StatusDot::icon(StatusDot::upColor());
    const QPixmap one = dot.pixmap(QSize(12, 12), 1.0);
    const QPixmap two = dot.pixmap(QSize(12, 12), 2.0);
    QCOMPARE(one.size(), QSize(12, 12));
    QCOMPARE(two.size(), QSize(24, 24));
    QCOMPARE(two.devicePixelRatio(), 2.0);
    const QImage image = two.toImage().convertToFormat(QImage::Format_ARGB32);
    QCOMPARE(QColor(image.pixel(12, 12)), StatusDot::upColor()); // the middle
    QCOMPARE(qAlpha(image.pixel(0, 0)), 0);                      // the corner, outside the dot
    // A 12 px image scaled up would smear each edge pixel over two: count the partly covered pixels per row.
    for (int y = 0; y < image.height(); ++y) {
        int partial = 0;
        for (int x = 0; x < image.width(); ++x) {
            const int alpha = qAlpha(image.pixel(x, y));
            partial += alpha > 0 && alpha < 255 ? 1 : 0;
        }
        QVERIFY2(partial <= 8,
                 qPrintable(QStringLiteral("row %1: %2 partly covered pixels").arg(y).arg(partial)));
    }
}

QTEST_MAIN(TestSidebar)
#include "tst_sidebar.moc"
