#include "cluster/inventory_loader.h"
#include "lab_client.h"
#include "main_window.h"
#include "live_chart.h"
#include "models/node_status_model.h"

#include <QListWidget>
#include <QTest>
#include <QTreeView>

using namespace clusterdeck;

// The main window on the real lab cluster: what the operator sees when a WAS node fails its health check.
class TestMainWindow : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanup();
    void showsEveryTargetUp();
    void showsNodeDownAfterFaultAndUpAgain();
    void chartsAndKeyFiguresShowTraffic();

private:
    QString shownState(const MainWindow &window, const QString &target) const;
    Cluster m_cluster;
    int m_patienceMs = 0;
};

void TestMainWindow::initTestCase()
{
    const QString path = runLab({QStringLiteral("cluster"), QStringLiteral("haproxy")});
    QVERIFY2(!path.isEmpty(), "the lab is not up (ctest starts it through the lab fixture)");
    const Result<Cluster> cluster = loadClusterFile(path);
    QVERIFY2(cluster.ok(), qPrintable(cluster.ok() ? QString() : cluster.error().toString()));
    m_cluster = *cluster;
    // "Within a few scrape intervals": three intervals plus one probe timeout.
    m_patienceMs = 3 * m_cluster.scrapeIntervalMs + m_cluster.scrapeTimeoutMs;
}

void TestMainWindow::cleanup()
{
    runLab({QStringLiteral("fault"), QStringLiteral("was2"), QStringLiteral("up")});
}

QString TestMainWindow::shownState(const MainWindow &window, const QString &target) const
{
    // Read what the view displays, not the collector's internals.
    const QModelIndex index = window.nodeModel()->indexOfTarget(target, NodeStatusModel::StateColumn);
    if (!index.isValid())
        return QStringLiteral("<not shown>");
    return window.nodeView()->model()->data(index).toString();
}

void TestMainWindow::showsEveryTargetUp()
{
    MainWindow window(m_cluster);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QList<QString> targets;
    for (const Gateway &gateway : m_cluster.gateways)
        targets << gateway.name;
    for (const Node &node : m_cluster.nodes)
        targets << node.name;
    QVERIFY(targets.contains(QStringLiteral("was2")));
    for (const QString &target : targets)
        QTRY_COMPARE_WITH_TIMEOUT(shownState(window, target), QStringLiteral("UP"), m_patienceMs);
    QCOMPARE(window.nodeModel()->upCount(), int(targets.size()));
}

void TestMainWindow::showsNodeDownAfterFaultAndUpAgain()
{
    MainWindow window(m_cluster);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTRY_COMPARE_WITH_TIMEOUT(shownState(window, QStringLiteral("was2")), QStringLiteral("UP"), m_patienceMs);

    QVERIFY(!runLab({QStringLiteral("fault"), QStringLiteral("was2"), QStringLiteral("down")}).isNull());
    QTRY_COMPARE_WITH_TIMEOUT(shownState(window, QStringLiteral("was2")), QStringLiteral("DOWN"), m_patienceMs);
    // The other nodes keep serving: only was2 is shown down.
    QCOMPARE(shownState(window, QStringLiteral("was1")), QStringLiteral("UP"));
    const QModelIndex detail = window.nodeModel()->indexOfTarget(QStringLiteral("was2"), NodeStatusModel::DetailColumn);
    QVERIFY2(detail.data().toString().contains(QStringLiteral("503")), qPrintable(detail.data().toString()));
    auto *events = window.findChild<QListWidget *>(QStringLiteral("eventList"));
    QVERIFY(events);
    QTRY_VERIFY(events->count() >= 1);
    QVERIFY2(events->item(0)->text().contains(QStringLiteral("was2 UP → DOWN")), qPrintable(events->item(0)->text()));

    QVERIFY(!runLab({QStringLiteral("fault"), QStringLiteral("was2"), QStringLiteral("up")}).isNull());
    QTRY_COMPARE_WITH_TIMEOUT(shownState(window, QStringLiteral("was2")), QStringLiteral("UP"), m_patienceMs);
    QVERIFY(events->item(0)->text().contains(QStringLiteral("was2 DOWN → UP")));
}

void TestMainWindow::chartsAndKeyFiguresShowTraffic()
{
    MainWindow window(m_cluster);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    // Traffic through the gateway while the window watches; the load runs beside the test's event loop.
    QProcess load;
    load.start(QStringLiteral(CLUSTERDECK_LAB_SCRIPT),
               {QStringLiteral("load"), QStringLiteral("--concurrency"), QStringLiteral("4"), QStringLiteral("--duration"),
                QStringLiteral("10")});
    QVERIFY(load.waitForStarted());
    const auto chartPeak = [&](const QString &node) {
        return window.tpsChart()->pointCount(node) > 0 ? window.tpsChart()->lastValue(node) : 0.0;
    };
    for (const QString &node : {QStringLiteral("was1"), QStringLiteral("was2"), QStringLiteral("was3")}) {
        QTRY_VERIFY_WITH_TIMEOUT(chartPeak(node) > 1.0, 3 * m_patienceMs);
        const QModelIndex figures = window.nodeModel()->indexOfTarget(node, NodeStatusModel::KpiColumn);
        QVERIFY2(figures.data().toString().contains(QStringLiteral("/s")), qPrintable(figures.data().toString()));
        QVERIFY2(figures.data().toString().contains(QStringLiteral("p95 ")), qPrintable(figures.data().toString()));
    }
    QVERIFY(window.latencyChart()->pointCount(QStringLiteral("was1")) > 0);
    QVERIFY(load.waitForFinished(60'000));
}

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
