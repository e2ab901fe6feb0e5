// The alerts in the window on the real lab (issue 10), what the operator sees: a WAS node made slow
// (`lab fault was2 latency 4000` under light load through HAProxy) shows a latency_p95 alert pending, then
// firing, on the alerts page and marked in the sidebar; clearing the fault resolves it. A paused queue
// consumer turns the lag tile STALLED (or STOPPED, Burrow's rules as built) and fires consumer_stalled;
// resuming it brings OK back. The test inventory's `alerts:` cuts the `for` durations to seconds; cleanup
// always clears the fault, resumes the consumer and stops the load, also after a failure.

#include "alerts/alert_list_model.h"
#include "alerts/alert_monitor.h"
#include "alerts_page.h"
#include "kpi_tile.h"
#include "lab_client.h"
#include "lab_cluster.h"
#include "main_window.h"
#include "models/node_status_model.h"
#include "window_alerts.h"

#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>
#include <unistd.h>

using namespace clusterdeck;

class TestAlertsLabWindow : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanup();
    void cleanupTestCase();
    void slowNodeFiresLatencyAlertThenResolves();
    void pausedConsumerStallsThenRecovers();

private:
    Cluster m_cluster;
    QTemporaryDir m_dir;
    QProcess m_load;
};

namespace {

// The alerts page's row of `rule` (on `target` when given), or -1.
int rowOf(const MainWindow &window, const QString &rule, const QString &target = QString())
{
    const QAbstractItemModel *rows = window.alertsPage()->view()->model();
    for (int row = 0; row < rows->rowCount(); ++row) {
        if (rows->index(row, AlertListModel::RuleColumn).data().toString() == rule &&
            (target.isEmpty() || rows->index(row, AlertListModel::TargetColumn).data().toString() == target))
            return row;
    }
    return -1;
}

// What the alerts page shows in the State column for that alert ("" when it has no row).
QString shownState(const MainWindow &window, const QString &rule, const QString &target = QString())
{
    const int row = rowOf(window, rule, target);
    return row < 0 ? QString()
                   : window.alertsPage()
                         ->view()
                         ->model()
                         ->index(row, AlertListModel::StateColumn)
                         .data()
                         .toString();
}

} // namespace

void TestAlertsLabWindow::initTestCase()
{
    QVERIFY(m_dir.isValid());
    // Seconds instead of the 30 s defaults, so the whole test stays well under two minutes.
    m_cluster = labClusterWithAlerts(QStringLiteral("haproxy"),
                                     "alerts:\n  latency_p95: {for: 4s}\n  consumer_stalled: {for: 4s}\n",
                                     QDir(m_dir.path()));
    QVERIFY2(!m_cluster.sourceFile.isEmpty(), "the lab is not up (ctest starts it through the lab fixture)");
    m_cluster.historyDb = m_dir.filePath(QStringLiteral("history.sqlite")); // not the user's app data

    // Light load through the gateway for both tests: about 60 requests/s on 12 connections, enough that a 4 s
    // node still completes requests in every 2 s scrape interval, and coupon issues fill the consumer's
    // stream. Its own process group: stopping it stops its wrk too (the lab script runs wrk as a child and
    // does not forward signals), so no load outlives the test and its hold on the lab.
    m_load.setChildProcessModifier([] { ::setpgid(0, 0); });
    m_load.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_load.start(QStringLiteral(CLUSTERDECK_LAB_SCRIPT),
                 {QStringLiteral("load"), QStringLiteral("--rate"), QStringLiteral("60"),
                  QStringLiteral("--concurrency"), QStringLiteral("12"), QStringLiteral("--duration"),
                  QStringLiteral("150")});
    QVERIFY(m_load.waitForStarted());
}

// Whatever a test did or where it failed, the lab is left as the next test expects it.
void TestAlertsLabWindow::cleanup()
{
    runLab({QStringLiteral("fault"), QStringLiteral("was2"), QStringLiteral("up")});
    runLab({QStringLiteral("consumer"), QStringLiteral("resume")});
}

void TestAlertsLabWindow::cleanupTestCase()
{
    cleanup();
    if (m_load.state() != QProcess::NotRunning) {
        const auto group = static_cast<pid_t>(m_load.processId());
        ::kill(-group, SIGTERM); // the script and its wrk
        if (!m_load.waitForFinished(15'000))
            ::kill(-group, SIGKILL);
        m_load.waitForFinished(5'000);
    }
}

void TestAlertsLabWindow::slowNodeFiresLatencyAlertThenResolves()
{
    MainWindow window(m_cluster);
    QStringList transitions; // latency_p95 on was2, as the window is told of them
    connect(window.alerts()->monitor(), &AlertMonitor::transitioned, this, [&](const AlertTransition &t) {
        if (t.alert.rule == QLatin1String("latency_p95") && t.alert.target == QLatin1String("was2"))
            transitions << t.name();
    });
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.showPage(QStringLiteral("alerts")));
    const QModelIndex was2 = window.nodeModel()->indexOfTarget(QStringLiteral("was2"), 0);
    QTRY_COMPARE_WITH_TIMEOUT(window.nodeModel()
                                  ->indexOfTarget(QStringLiteral("was2"), NodeStatusModel::StateColumn)
                                  .data()
                                  .toString(),
                              QStringLiteral("UP"), 15'000);
    QCOMPARE(rowOf(window, QStringLiteral("latency_p95"), QStringLiteral("was2")), -1);

    QVERIFY(!runLab({QStringLiteral("fault"), QStringLiteral("was2"), QStringLiteral("latency"),
                     QStringLiteral("4000")})
                 .isNull());
    QTRY_COMPARE_WITH_TIMEOUT(shownState(window, QStringLiteral("latency_p95"), QStringLiteral("was2")),
                              QStringLiteral("pending"), 30'000);
    QVERIFY(was2.data(NodeStatusModel::AlertRole).toString().isEmpty()); // pending does not mark
    QTRY_COMPARE_WITH_TIMEOUT(shownState(window, QStringLiteral("latency_p95"), QStringLiteral("was2")),
                              QStringLiteral("firing"), 30'000);
    const int row = rowOf(window, QStringLiteral("latency_p95"), QStringLiteral("was2"));
    QCOMPARE(
        window.alertsPage()->view()->model()->index(row, AlertListModel::SeverityColumn).data().toString(),
        QStringLiteral("warning"));
    // The sidebar marks was2: the alert's line in its tooltip, an icon next to its name.
    QVERIFY2(was2.data(NodeStatusModel::AlertRole).toString().contains(QStringLiteral("latency_p95")),
             qPrintable(was2.data(NodeStatusModel::AlertRole).toString()));
    QVERIFY(!was2.data(Qt::DecorationRole).isNull());
    QVERIFY(was2.data(Qt::ToolTipRole).toString().contains(QStringLiteral("firing: latency_p95 was2")));

    QVERIFY(!runLab({QStringLiteral("fault"), QStringLiteral("was2"), QStringLiteral("up")}).isNull());
    QTRY_COMPARE_WITH_TIMEOUT(rowOf(window, QStringLiteral("latency_p95"), QStringLiteral("was2")), -1,
                              30'000);
    QTRY_COMPARE_WITH_TIMEOUT(was2.data(NodeStatusModel::AlertRole).toString(), QString(), 5'000);
    QCOMPARE(transitions, (QStringList{"pending", "firing", "resolved"}));
}

void TestAlertsLabWindow::pausedConsumerStallsThenRecovers()
{
    MainWindow window(m_cluster);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.showPage(QStringLiteral("alerts")));
    KpiTile *tile = window.lagTile();
    // Two observations give the group its first status.
    QTRY_COMPARE_WITH_TIMEOUT(tile->noteText(), QStringLiteral("OK"), 20'000);

    QVERIFY(!runLab({QStringLiteral("consumer"), QStringLiteral("pause")}).isNull());
    // Burrow's window is 10 observations (20 s at the lab's 2 s interval): once the last one with lag 0 has
    // left it, the offset standing still says STALLED (the consumer is still a member of its group).
    QTRY_VERIFY2_WITH_TIMEOUT(tile->noteText().contains(QStringLiteral("STALLED")) ||
                                  tile->noteText().contains(QStringLiteral("STOPPED")),
                              qPrintable(tile->noteText()), 45'000);
    QCOMPARE(tile->level(), KpiTile::Level::Bad);
    QTRY_COMPARE_WITH_TIMEOUT(shownState(window, QStringLiteral("consumer_stalled")),
                              QStringLiteral("firing"), 20'000);
    const int row = rowOf(window, QStringLiteral("consumer_stalled"));
    QCOMPARE(
        window.alertsPage()->view()->model()->index(row, AlertListModel::SeverityColumn).data().toString(),
        QStringLiteral("critical"));

    QVERIFY(!runLab({QStringLiteral("consumer"), QStringLiteral("resume")}).isNull());
    QTRY_COMPARE_WITH_TIMEOUT(tile->noteText(), QStringLiteral("OK"), 30'000);
    QTRY_COMPARE_WITH_TIMEOUT(rowOf(window, QStringLiteral("consumer_stalled")), -1, 10'000);
}

QTEST_MAIN(TestAlertsLabWindow)
#include "tst_alerts_lab_window.moc"
