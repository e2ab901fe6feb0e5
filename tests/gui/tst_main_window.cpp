#include "alerts/alert_list_model.h"
#include "alerts_page.h"
#include "cluster/inventory_loader.h"
#include "console_log.h"
#include "history/history_store.h"
#include "kpi_tile.h"
#include "lab_client.h"
#include "lab_cluster.h"
#include "live_chart.h"
#include "main_window.h"
#include "models/event_log_model.h"
#include "models/node_status_model.h"
#include "sidebar.h"

#include <QAction>
#include <QFile>
#include <QScopeGuard>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTreeView>
#include <cmath>
#include <csignal>
#include <memory>

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
    void lagCountsGroupsWithOffsetsAndNamesTheOthers();
    void alertsPageShowsFaultAndHistoryRecordsIt();
    void showsAGatewayDrainDoneByHand();

private:
    QString shownState(const MainWindow &window, const QString &target) const;
    QString queueNode() const;
    Cluster m_cluster;
    QString m_clusterPath;
    QTemporaryDir m_historyDir;
    int m_patienceMs = 0;
};

void TestMainWindow::initTestCase()
{
    const QString path = runLab({QStringLiteral("cluster"), QStringLiteral("haproxy")});
    m_clusterPath = path;
    QVERIFY2(!path.isEmpty(), "the lab is not up (ctest starts it through the lab fixture)");
    const Result<Cluster> cluster = loadClusterFile(path);
    QVERIFY2(cluster.ok(), qPrintable(cluster.ok() ? QString() : cluster.error().toString()));
    m_cluster = *cluster;
    m_cluster.historyDb = m_historyDir.filePath(QStringLiteral("history.sqlite")); // not the user's app data
    // "Within a few scrape intervals": three intervals plus one probe timeout.
    m_patienceMs = 3 * m_cluster.scrapeIntervalMs + m_cluster.scrapeTimeoutMs;
}

namespace {

// The lab's Redis (TOPOLOGY["redis"] in tests/lab/lab) holds the stream behind the "kafka" node and its
// consumer's group (QUEUE there).
const QString kLabStream = QStringLiteral("coupon-issue");
const QString kLabGroup = QStringLiteral("coupon-consumers");
const QString kGroupWithoutOffsets = QStringLiteral("cd-test-no-offsets");

QString redis(const QStringList &command)
{
    QProcess cli;
    cli.start(QStringLiteral("redis-cli"), QStringList{QStringLiteral("-h"), QStringLiteral("127.0.30.1"),
                                                       QStringLiteral("-p"), QStringLiteral("6379")} +
                                               command);
    if (!cli.waitForFinished(10'000) || cli.exitCode() != 0) {
        qWarning("redis-cli %s failed: %s", qPrintable(command.join(QLatin1Char(' '))),
                 cli.readAllStandardError().constData());
        return {};
    }
    return QString::fromUtf8(cli.readAllStandardOutput()).trimmed();
}

// The lag Redis reports for a consumer group ("" when it has none), from XINFO GROUPS' name/value lines.
QString groupLag(const QString &group)
{
    const QStringList lines =
        redis({QStringLiteral("XINFO"), QStringLiteral("GROUPS"), kLabStream}).split(QLatin1Char('\n'));
    const qsizetype at = lines.indexOf(group);
    const qsizetype lag = at < 0 ? -1 : lines.indexOf(QStringLiteral("lag"), at);
    return lag < 0 || lag + 1 >= lines.size() ? QString() : lines[lag + 1].trimmed();
}

} // namespace

namespace {

// A command on HAProxy's admin socket by hand (socat), as a colleague would: not through ClusterDeck's code.
QString haproxyAdmin(const Gateway &gateway, const QString &command)
{
    QProcess socat;
    socat.start(QStringLiteral("socat"),
                {QStringLiteral("stdio"), QStringLiteral("UNIX-CONNECT:") + gateway.adminSocket});
    if (!socat.waitForStarted(10'000))
        return QStringLiteral("<socat did not start>");
    socat.write(command.toUtf8() + '\n');
    socat.closeWriteChannel();
    if (!socat.waitForFinished(10'000) || socat.exitCode() != 0)
        return QStringLiteral("<socat failed: %1>").arg(QString::fromUtf8(socat.readAllStandardError()));
    return QString::fromUtf8(socat.readAllStandardOutput()).trimmed();
}

} // namespace

void TestMainWindow::cleanup()
{
    // Every server back in rotation, whatever a failed test left (the lab is shared).
    const Gateway &gateway = m_cluster.gateways.first();
    for (const Node &node : m_cluster.nodes)
        if (node.role == NodeRole::Was)
            haproxyAdmin(gateway,
                         QStringLiteral("set server %1/%2 state ready").arg(gateway.backend, node.name));
    runLab({QStringLiteral("fault"), QStringLiteral("was2"), QStringLiteral("up")});
    redis({QStringLiteral("XGROUP"), QStringLiteral("DESTROY"), kLabStream, kGroupWithoutOffsets});
    runLab({QStringLiteral("consumer"), QStringLiteral("rate"), QStringLiteral("500")}); // the lab's default
}

QString TestMainWindow::queueNode() const
{
    for (const Node &node : m_cluster.nodes) {
        if (node.role == NodeRole::Kafka)
            return node.name;
    }
    return {};
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

    // Warnings of the clusterdeck.* log categories reach the window's event log as well, from any thread.
    std::unique_ptr<QThread> logger(
        QThread::create([] { qCWarning(lcUi) << "a warning for the event log"; }));
    logger->start();
    QVERIFY(logger->wait(10'000));
    const auto logged = [&](const QString &message) {
        const EventLogModel &log = *window.eventLog();
        for (int row = 0; row < log.rowCount(); ++row) {
            if (log.event(row).message == message)
                return log.event(row).source;
        }
        return QString();
    };
    QTRY_COMPARE(logged(QStringLiteral("a warning for the event log")), QStringLiteral("clusterdeck.ui"));
}

void TestMainWindow::showsNodeDownAfterFaultAndUpAgain()
{
    MainWindow window(m_cluster);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTRY_COMPARE_WITH_TIMEOUT(shownState(window, QStringLiteral("was2")), QStringLiteral("UP"), m_patienceMs);

    QVERIFY(!runLab({QStringLiteral("fault"), QStringLiteral("was2"), QStringLiteral("down")}).isNull());
    QTRY_COMPARE_WITH_TIMEOUT(shownState(window, QStringLiteral("was2")), QStringLiteral("DOWN"),
                              m_patienceMs);
    // The other nodes keep serving: only was2 is shown down.
    QCOMPARE(shownState(window, QStringLiteral("was1")), QStringLiteral("UP"));
    const QModelIndex detail =
        window.nodeModel()->indexOfTarget(QStringLiteral("was2"), NodeStatusModel::DetailColumn);
    QVERIFY2(detail.data().toString().contains(QStringLiteral("503")), qPrintable(detail.data().toString()));
    // The event log shows it on top, from the view's own model.
    auto *eventView = window.findChild<QTreeView *>(QStringLiteral("eventLog"));
    QVERIFY(eventView);
    QCOMPARE(eventView->model(), window.eventLog());
    const auto newest = [&](int column) { return eventView->model()->index(0, column).data().toString(); };
    QTRY_VERIFY(eventView->model()->rowCount() >= 1);
    QCOMPARE(newest(EventLogModel::SourceColumn), QStringLiteral("was2"));
    QVERIFY2(newest(EventLogModel::MessageColumn).startsWith(QStringLiteral("UP → DOWN")),
             qPrintable(newest(EventLogModel::MessageColumn)));
    QCOMPARE(newest(EventLogModel::SeverityColumn), QStringLiteral("error"));

    QVERIFY(!runLab({QStringLiteral("fault"), QStringLiteral("was2"), QStringLiteral("up")}).isNull());
    QTRY_COMPARE_WITH_TIMEOUT(shownState(window, QStringLiteral("was2")), QStringLiteral("UP"), m_patienceMs);
    QCOMPARE(newest(EventLogModel::SourceColumn), QStringLiteral("was2"));
    QVERIFY2(newest(EventLogModel::MessageColumn).startsWith(QStringLiteral("DOWN → UP")),
             qPrintable(newest(EventLogModel::MessageColumn)));
}

void TestMainWindow::chartsAndKeyFiguresShowTraffic()
{
    MainWindow window(m_cluster);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    // Traffic through the gateway while the window watches; the load runs beside the test's event loop.
    QProcess load;
    load.start(QStringLiteral(CLUSTERDECK_LAB_SCRIPT),
               {QStringLiteral("load"), QStringLiteral("--concurrency"), QStringLiteral("4"),
                QStringLiteral("--duration"), QStringLiteral("10")});
    QVERIFY(load.waitForStarted());
    const auto chartPeak = [&](const QString &node) {
        return window.tpsChart()->pointCount(node) > 0 ? window.tpsChart()->lastValue(node) : 0.0;
    };
    for (const QString &node : {QStringLiteral("was1"), QStringLiteral("was2"), QStringLiteral("was3")}) {
        QTRY_VERIFY_WITH_TIMEOUT(chartPeak(node) > 1.0, 3 * m_patienceMs);
        const QModelIndex figures = window.nodeModel()->indexOfTarget(node, NodeStatusModel::KpiColumn);
        QVERIFY2(figures.data().toString().contains(QStringLiteral("/s")),
                 qPrintable(figures.data().toString()));
        QVERIFY2(figures.data().toString().contains(QStringLiteral("p95 ")),
                 qPrintable(figures.data().toString()));
    }
    QVERIFY(window.latencyChart()->pointCount(QStringLiteral("was1 p95")) > 0);
    QVERIFY(load.waitForFinished(60'000));
}

void TestMainWindow::lagCountsGroupsWithOffsetsAndNamesTheOthers()
{
    QVERIFY(!queueNode().isEmpty());
    // Messages in the stream, read to the end by the lab's consumer; then a second consumer group that has
    // never committed an offset: made at the stream's start with a deleted entry ahead of it, Redis knows
    // neither its position nor its lag, and the lab's exporter reports -1 for it as kafka_exporter does for
    // such a group. The deleted entry is one the lab's group has read already: deleting an unread one would
    // leave that group's lag unknown for good (Redis cannot count across the hole) and every later lab test
    // would see it.
    // A test before this one may have left a backlog (the Prometheus-mode test pauses the consumer under
    // load): let the consumer drain it at full speed; cleanup() puts its usual rate back.
    QVERIFY(!runLab({QStringLiteral("consumer"), QStringLiteral("rate"), QStringLiteral("100000")}).isNull());
    QCOMPARE(redis({QStringLiteral("XGROUP"), QStringLiteral("CREATE"), kLabStream, kGroupWithoutOffsets,
                    QStringLiteral("0")}),
             QStringLiteral("OK"));
    bool deleted = false;
    for (int attempt = 0; attempt < 5 && !deleted; ++attempt) {
        QVERIFY(!runLab({QStringLiteral("load"), QStringLiteral("--concurrency"), QStringLiteral("2"),
                         QStringLiteral("--duration"), QStringLiteral("2")})
                     .isNull());
        QTRY_COMPARE_WITH_TIMEOUT(groupLag(kLabGroup), QStringLiteral("0"), 3 * m_patienceMs);
        // The next-to-last entry, read already; the consumer trims what it has read about once a second, so
        // it may be gone by now: then another round.
        deleted =
            redis({QStringLiteral("EVAL"),
                   QStringLiteral("local e = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 2) "
                                  "if #e < 2 then return 0 end return redis.call('XDEL', KEYS[1], e[2][1])"),
                   QStringLiteral("1"), kLabStream}) == QLatin1String("1");
    }
    QVERIFY(deleted);
    QCOMPARE(groupLag(kLabGroup), QStringLiteral("0"));
    QCOMPARE(groupLag(kGroupWithoutOffsets), QString());

    MainWindow window(m_cluster);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    KpiTile *tile = window.lagTile();
    QTRY_VERIFY_WITH_TIMEOUT(tile->noteText().contains(kGroupWithoutOffsets), m_patienceMs);
    // The groups that have offsets still add up, and the tile is still judged against the threshold.
    const double lag = window.nodeModel()->kpiValue(queueNode(), KpiId::KafkaConsumerLag);
    QVERIFY2(!std::isnan(lag), qPrintable(tile->noteText()));
    QCOMPARE(tile->valueText(), formatKpiValue(KpiId::KafkaConsumerLag, lag));
    QVERIFY(tile->level() == KpiTile::Level::Good || tile->level() == KpiTile::Level::Warning);
    QVERIFY2(tile->toolTip().contains(kGroupWithoutOffsets), qPrintable(tile->toolTip()));
    QVERIFY2(!tile->noteText().contains(kLabGroup), qPrintable(tile->noteText()));
    const QModelIndex detail = window.nodeModel()->indexOfTarget(queueNode(), NodeStatusModel::DetailColumn);
    QVERIFY2(detail.data().toString().contains(kGroupWithoutOffsets), qPrintable(detail.data().toString()));
}

// was2 failing its health check with `target_down: {for: 0s}` in a copy of the lab's inventory: the alerts
// page lists target_down for was2 at once, the history file gets the alert event, and it resolves when was2
// is back.
void TestMainWindow::alertsPageShowsFaultAndHistoryRecordsIt()
{
    Cluster cluster = labClusterWithAlerts(QStringLiteral("haproxy"), "alerts:\n  target_down: {for: 0s}\n",
                                           QDir(m_historyDir.path()));
    QVERIFY(!cluster.sourceFile.isEmpty());
    const QString db = m_historyDir.filePath(QStringLiteral("alerts.sqlite"));
    cluster.historyDb = db;
    {
        MainWindow window(cluster);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.showPage(QStringLiteral("alerts")));
        QTRY_COMPARE_WITH_TIMEOUT(shownState(window, QStringLiteral("was2")), QStringLiteral("UP"),
                                  m_patienceMs);
        QAbstractItemModel *rows = window.alertsPage()->view()->model();
        const auto was2Row = [rows]() -> int {
            for (int row = 0; row < rows->rowCount(); ++row) {
                if (rows->index(row, AlertListModel::TargetColumn).data().toString() == QLatin1String("was2"))
                    return row;
            }
            return -1;
        };
        QCOMPARE(was2Row(), -1);

        QVERIFY(!runLab({QStringLiteral("fault"), QStringLiteral("was2"), QStringLiteral("down")}).isNull());
        QTRY_VERIFY_WITH_TIMEOUT(was2Row() >= 0, m_patienceMs);
        const int row = was2Row();
        QCOMPARE(rows->index(row, AlertListModel::RuleColumn).data().toString(),
                 QStringLiteral("target_down"));
        QCOMPARE(rows->index(row, AlertListModel::StateColumn).data().toString(), QStringLiteral("firing"));
        QVERIFY(window.nodeModel()
                    ->indexOfTarget(QStringLiteral("was2"), 0)
                    .data(NodeStatusModel::AlertRole)
                    .toString()
                    .contains(QStringLiteral("target_down")));

        QVERIFY(!runLab({QStringLiteral("fault"), QStringLiteral("was2"), QStringLiteral("up")}).isNull());
        QTRY_COMPARE_WITH_TIMEOUT(was2Row(), -1, m_patienceMs);
        QCOMPARE(window.nodeModel()
                     ->indexOfTarget(QStringLiteral("was2"), 0)
                     .data(NodeStatusModel::AlertRole)
                     .toString(),
                 QString());
    } // the recorder commits and closes the file
    Result<std::unique_ptr<HistoryStore>> store = HistoryStore::open(db, HistoryStore::Access::ReadOnly);
    QVERIFY(store.ok());
    HistoryStore::EventQuery query;
    query.kind = QStringLiteral("alert");
    query.target = QStringLiteral("was2");
    const Result<QList<HistoryEvent>> events = (*store)->events(query);
    QVERIFY(events.ok());
    QStringList transitions;
    for (const HistoryEvent &event : *events)
        transitions << event.details.value(QStringLiteral("transition")).toString();
    QCOMPARE(transitions, (QStringList{"firing", "resolved"}));
}

// Issue 9: the node's state is what the gateway says. A drain done by hand on HAProxy's admin socket, with
// requests on was2 that take 8 s: the table and the sidebar show DRAINING with the sessions left, then
// DRAINED, the chart legend and the toolbar follow; `state ready` brings UP back.
void TestMainWindow::showsAGatewayDrainDoneByHand()
{
    const Gateway &gateway = m_cluster.gateways.first();
    QCOMPARE(gateway.kind, GatewayKind::HAProxy);
    MainWindow window(m_cluster);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTRY_COMPARE_WITH_TIMEOUT(shownState(window, QStringLiteral("was2")), QStringLiteral("UP"), m_patienceMs);
    const auto sidebarState = [&] {
        QSortFilterProxyModel *proxy = window.sidebar()->filteredModel();
        return proxy
            ->mapFromSource(
                window.nodeModel()->indexOfTarget(QStringLiteral("was2"), NodeStatusModel::StateColumn))
            .data()
            .toString();
    };
    QVERIFY(window.showPage(QStringLiteral("node:was2")));
    QCOMPARE(window.drainAction()->text(), QStringLiteral("Drain was2…"));
    QVERIFY(window.drainAction()->isEnabled());

    QVERIFY(!runLab({QStringLiteral("fault"), QStringLiteral("was2"), QStringLiteral("latency"),
                     QStringLiteral("8000")})
                 .isNull()); // cleanup() clears it
    QProcess load;
    load.start(QStringLiteral("setsid"), {QStringLiteral(CLUSTERDECK_LAB_SCRIPT), QStringLiteral("load"),
                                          QStringLiteral("--concurrency"), QStringLiteral("12"),
                                          QStringLiteral("--duration"), QStringLiteral("20")});
    QVERIFY(load.waitForStarted());
    const auto stopLoad = qScopeGuard([&] { // the load and its wrk, in every outcome
        if (load.state() != QProcess::NotRunning) {
            ::kill(-pid_t(load.processId()), SIGTERM);
            load.waitForFinished(10'000);
        }
    });
    const QString backendServer = QStringLiteral("%1/was2").arg(gateway.backend);
    // Sessions open on was2 before the drain, as HAProxy counts them (`show stat`: qcur and scur columns).
    const auto was2Sessions = [&] {
        const QStringList lines = haproxyAdmin(gateway, QStringLiteral("show stat")).split(QLatin1Char('\n'));
        for (const QString &line : lines) {
            const QStringList fields = line.split(QLatin1Char(','));
            if (fields.size() > 4 && fields[0] == gateway.backend && fields[1] == QLatin1String("was2"))
                return fields[2].toInt() + fields[4].toInt();
        }
        return -1;
    };
    QTRY_VERIFY_WITH_TIMEOUT(was2Sessions() > 0, 3 * m_patienceMs);
    QCOMPARE(haproxyAdmin(gateway, QStringLiteral("set server %1 state drain").arg(backendServer)),
             QString());

    QTRY_VERIFY_WITH_TIMEOUT(
        shownState(window, QStringLiteral("was2")).startsWith(QStringLiteral("DRAINING (sessions ")),
        m_patienceMs);
    QVERIFY2(sidebarState().startsWith(QStringLiteral("DRAINING (sessions ")), qPrintable(sidebarState()));
    QCOMPARE(window.drainAction()->text(), QStringLiteral("Readmit was2…"));
    // The slow requests end (8 s at most) and nothing new reaches was2.
    QTRY_COMPARE_WITH_TIMEOUT(shownState(window, QStringLiteral("was2")), QStringLiteral("DRAINED"), 20'000);
    QCOMPARE(sidebarState(), QStringLiteral("DRAINED"));
    QCOMPARE(window.tpsChart()->seriesLegend(QStringLiteral("was2")), QStringLiteral("was2 · DRAINED"));
    QCOMPARE(shownState(window, QStringLiteral("was1")), QStringLiteral("UP"));
    QVERIFY(window.grab().save(QStringLiteral("/tmp/gateway-state-window-drained.png")));
    QVERIFY(window.sidebar()->grab().save(QStringLiteral("/tmp/gateway-state-sidebar-drained.png")));

    QCOMPARE(haproxyAdmin(gateway, QStringLiteral("set server %1 state ready").arg(backendServer)),
             QString());
    QTRY_COMPARE_WITH_TIMEOUT(shownState(window, QStringLiteral("was2")), QStringLiteral("UP"), m_patienceMs);
    QCOMPARE(sidebarState(), QStringLiteral("UP"));
    QCOMPARE(window.tpsChart()->seriesLegend(QStringLiteral("was2")), QStringLiteral("was2"));
    QCOMPARE(window.drainAction()->text(), QStringLiteral("Drain was2…"));
}

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
