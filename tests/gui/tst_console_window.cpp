// The console window's structure without the lab: pages by id (what --page picks) and by shortcut, the time
// window picker and its shortcuts, charts back-filled from a history file at start-up, the status bar, the
// light and dark palettes and the English and Korean window, and `clusterdeck --report-stats` / `--page` /
// `--theme` / `--lang` on the real program. Targets point at a closed loopback port, so
// every one is unreachable: the window must still come up with its history.

#include "alerts/alert_list_model.h"
#include "alerts/alert_monitor.h"
#include "alerts_page.h"
#include "cluster/inventory_loader.h"
#include "history/history_store.h"
#include "kpi_tile.h"
#include "language.h"
#include "live_chart.h"
#include "main_window.h"
#include "models/node_status_model.h"
#include "node_page.h"
#include "page_stack.h"
#include "sidebar.h"
#include "theme.h"
#include "window_alerts.h"

#include <QApplication>
#include <QComboBox>
#include <QDateTime>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProcess>
#include <QRegularExpression>
#include <QSortFilterProxyModel>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QValueAxis>

using namespace clusterdeck;

class TestConsoleWindow : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void pagesById_data();
    void pagesById();
    void shortcutsSwitchPagesWindowsAndFilter();
    void backfillShowsHistoryAtStart();
    void overviewChartsStackQuantilesAndUnits();
    void reportStatsPrintsOneLine();
    void unknownPageIsAClearError_data();
    void unknownPageIsAClearError();
    void alertsOfUnreachableTargets();
    void pageAlertsOnTheProgram();
    void lagStatusShowsOnTheLagTile();
    void themeAndLanguageInTheWindow_data();
    void themeAndLanguageInTheWindow();
    void themeOnTheProgram_data();
    void themeOnTheProgram();
    void badThemeOrLanguageIsRefused_data();
    void badThemeOrLanguageIsRefused();

private:
    Cluster cluster(const QString &db) const;
    QTemporaryDir m_dir;
    QString m_clusterFile;
};

namespace {
// Nothing listens on port 9 of 127.0.0.1 here (discard): every probe is refused at once.
const QByteArray kYaml =
    "name: console-test\nscrape_interval: 1s\nscrape_timeout: 1s\n"
    "gateways:\n  - {name: haproxy, kind: haproxy, metrics: http://127.0.0.1:9/metrics}\n"
    "nodes:\n"
    "  - {name: was1, role: was, health: http://127.0.0.1:9/h, metrics: http://127.0.0.1:9/m}\n"
    "  - {name: was2, role: was, health: http://127.0.0.1:9/h, metrics: http://127.0.0.1:9/m}\n"
    "  - {name: redis, role: redis, metrics: http://127.0.0.1:9/m}\n";
} // namespace

void TestConsoleWindow::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_clusterFile = m_dir.filePath(QStringLiteral("cluster.yaml"));
    QFile file(m_clusterFile);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(kYaml);
}

Cluster TestConsoleWindow::cluster(const QString &db) const
{
    const InventoryLoader::Outcome outcome = InventoryLoader::loadText(kYaml, QStringLiteral("cluster.yaml"));
    Cluster result = outcome.cluster;
    result.historyDb = db;
    return result;
}

void TestConsoleWindow::pagesById_data()
{
    QTest::addColumn<QString>("page");
    QTest::addColumn<bool>("shown");
    QTest::newRow("overview") << QStringLiteral("overview") << true;
    QTest::newRow("a WAS node") << QStringLiteral("node:was2") << true;
    QTest::newRow("the gateway") << QStringLiteral("node:haproxy") << true;
    QTest::newRow("unknown node") << QStringLiteral("node:was9") << false;
    QTest::newRow("alerts") << QStringLiteral("alerts") << true;
    QTest::newRow("empty") << QString() << false;
}

void TestConsoleWindow::pagesById()
{
    QFETCH(QString, page);
    QFETCH(bool, shown);
    MainWindow window(cluster(m_dir.filePath(QStringLiteral("pages.sqlite"))));
    window.showPage(QStringLiteral("node:was1"));
    QCOMPARE(window.showPage(page), shown);
    QCOMPARE(window.pages()->currentPageId(), shown ? page : QStringLiteral("node:was1"));
    if (shown && page == QLatin1String("alerts"))
        QCOMPARE(window.pages()->currentWidget(), window.alertsPage());
    if (shown && page.startsWith(QLatin1String("node:"))) {
        QCOMPARE(window.pages()->currentWidget(), window.nodePage());
        QCOMPARE(window.nodePage()->target(), page.mid(5));
    }
}

void TestConsoleWindow::shortcutsSwitchPagesWindowsAndFilter()
{
    MainWindow window(cluster(m_dir.filePath(QStringLiteral("keys.sqlite"))));
    window.show();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QCOMPARE(window.pages()->currentPageId(), QStringLiteral("overview"));
    QTest::keyClick(&window, Qt::Key_PageDown, Qt::ControlModifier);
    QCOMPARE(window.pages()->currentPageId(), QStringLiteral("node:haproxy"));
    QTest::keyClick(&window, Qt::Key_PageDown, Qt::ControlModifier);
    QCOMPARE(window.pages()->currentPageId(), QStringLiteral("node:was1"));
    QTest::keyClick(&window, Qt::Key_PageUp, Qt::ControlModifier);
    QCOMPARE(window.pages()->currentPageId(), QStringLiteral("node:haproxy"));
    QTest::keyClick(&window, Qt::Key_1, Qt::ControlModifier);
    QCOMPARE(window.pages()->currentPageId(), QStringLiteral("overview"));

    const QList<qint64> windows = MainWindow::timeWindowsMs();
    const QList<Qt::Key> keys{Qt::Key_1, Qt::Key_2, Qt::Key_3, Qt::Key_4};
    for (int i : {3, 1, 2, 0}) {
        QTest::keyClick(&window, keys[i], Qt::AltModifier);
        QCOMPARE(window.timeWindowMs(), windows[i]);
        QCOMPARE(window.findChild<QComboBox *>(QStringLiteral("timeWindow"))->currentIndex(), i);
        for (LiveChart *chart : window.overviewCharts())
            QCOMPARE(chart->windowMs(), windows[i]);
    }

    QTest::keyClick(&window, Qt::Key_F, Qt::ControlModifier);
    QLineEdit *filter = window.sidebar()->filterEdit();
    QTRY_VERIFY(filter->hasFocus());
    QTest::keyClicks(filter, QStringLiteral("red"));
    QCOMPARE(window.sidebar()->filteredModel()->rowCount(), 1); // the Redis group alone
}

void TestConsoleWindow::backfillShowsHistoryAtStart()
{
    const QString path = m_dir.filePath(QStringLiteral("backfill.sqlite"));
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const KpiKey tps{QStringLiteral("was1"), kpiName(KpiId::WasTps), QString()};
    const KpiKey lag{QStringLiteral("was2"), kpiName(KpiId::WasLatencyP95), QString()};
    {
        auto store = std::move(HistoryStore::open(path)).value();
        for (int i = 0; i < 120; ++i) // the last two minutes, a point a second, with a gap in the middle
            store->appendKpis({KpiPoint{tps, now - 120'000 + i * 1000, i >= 50 && i < 60 ? NAN : 100.0 + i},
                               KpiPoint{lag, now - 120'000 + i * 1000, 0.25}});
        QVERIFY(store->close());
    }
    MainWindow window(cluster(path));
    window.show();
    // Every target is unreachable: what the charts show comes from the file.
    LiveChart *tpsChart = window.overviewChart(QStringLiteral("chart.tps"));
    QVERIFY(tpsChart);
    QTRY_COMPARE(tpsChart->pointCount(QStringLiteral("was1")), 110);
    QCOMPARE(tpsChart->runs(QStringLiteral("was1")).size(), 2); // the gap stays a gap
    QCOMPARE(tpsChart->lastValue(QStringLiteral("was1")), 219.0);
    QCOMPARE(window.overviewChart(QStringLiteral("chart.latency"))->lastValue(QStringLiteral("was2 p95")),
             0.25);
    // The worst-p95 tile's sparkline: the same two minutes (one node here).
    const KpiTile *p95Tile = window.findChild<KpiTile *>(QStringLiteral("tile.p95"));
    QVERIFY(p95Tile);
    QCOMPARE(p95Tile->trend().size(), 120);
    QCOMPARE(p95Tile->trend().last().y(), 0.25);
    QVERIFY(window.findChild<KpiTile *>(QStringLiteral("tile.tps"))->trend().isEmpty()); // no cluster.tps
    // The node page opens with the same history.
    QVERIFY(window.showPage(QStringLiteral("node:was1")));
    QCOMPARE(window.nodePage()->chart(KpiId::WasTps)->pointCount(QStringLiteral("was1")), 110);
    // Charts of a page not shown hold their update until the page comes back.
    const int updates = tpsChart->updateCount();
    tpsChart->refresh(QDateTime::currentMSecsSinceEpoch());
    tpsChart->flushUpdate();
    QCOMPARE(tpsChart->updateCount(), updates);
    QVERIFY(tpsChart->updatePending());
    QVERIFY(window.showPage(QStringLiteral("overview")));
    QVERIFY(!tpsChart->updatePending());
    QCOMPARE(tpsChart->updateCount(), updates + 1);
    // A shorter window than the history keeps only its part.
    window.setTimeWindowMs(MainWindow::timeWindowsMs().first()); // 5 min: all of it
    QCOMPARE(tpsChart->pointCount(QStringLiteral("was1")), 110);

    auto *up = window.statusBar()->findChild<QLabel *>(QStringLiteral("targetsUpLabel"));
    QVERIFY(up);
    QTRY_COMPARE(up->text(), QStringLiteral("targets up 0/4"));
    QCOMPARE(window.statusBar()->findChild<QLabel *>(QStringLiteral("sourceLabel"))->text(),
             QStringLiteral("source: direct"));
    QTRY_VERIFY(window.statusBar()
                    ->findChild<QLabel *>(QStringLiteral("scrapeAgeLabel"))
                    ->text()
                    .startsWith(QLatin1String("last scrape")));
}

// The overview's charts as the issue asks: gateway responses stacked by upstream (the gateway's total is the
// top edge, not a series of its own), p50 / p95 / p99 per WAS node in the node's colour, Redis memory in MiB
// with the exact value in the tooltip; every value axis has a unit.
void TestConsoleWindow::overviewChartsStackQuantilesAndUnits()
{
    const QString path = m_dir.filePath(QStringLiteral("overview.sqlite"));
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const QString gatewayTps = kpiName(KpiId::GatewayTps);
    {
        auto store = std::move(HistoryStore::open(path)).value();
        for (int i = 0; i < 60; ++i) {
            const qint64 t = now - 60'000 + i * 1000;
            store->appendKpis(
                {KpiPoint{KpiKey{QStringLiteral("haproxy"), gatewayTps, QStringLiteral("was1")}, t, 30},
                 KpiPoint{KpiKey{QStringLiteral("haproxy"), gatewayTps, QStringLiteral("was2")}, t, 12},
                 KpiPoint{KpiKey{QStringLiteral("haproxy"), gatewayTps, QString()}, t, 42},
                 KpiPoint{KpiKey{QStringLiteral("was1"), kpiName(KpiId::WasLatencyP50), QString()}, t, 0.1},
                 KpiPoint{KpiKey{QStringLiteral("was1"), kpiName(KpiId::WasLatencyP95), QString()}, t, 0.5},
                 KpiPoint{KpiKey{QStringLiteral("was1"), kpiName(KpiId::WasLatencyP99), QString()}, t, 1.25},
                 KpiPoint{KpiKey{QStringLiteral("redis"), kpiName(KpiId::RedisMemoryBytes), QString()}, t,
                          3.5 * 1024 * 1024}});
        }
        QVERIFY(store->close());
    }
    MainWindow window(cluster(path));
    window.show();

    LiveChart *gateway = window.overviewChart(QStringLiteral("chart.gateway_tps"));
    QVERIFY(gateway);
    QVERIFY(gateway->isStacked());
    QTRY_COMPARE(gateway->pointCount(QStringLiteral("was1")), 60);
    QCOMPARE(gateway->pointCount(QStringLiteral("was2")), 60);
    QCOMPARE(gateway->pointCount(QStringLiteral("haproxy")), 0); // the total is the stack's top
    const QList<StackedBand> top = gateway->stackedBands(QStringLiteral("was2"));
    QCOMPARE(top.size(), 1);
    QCOMPARE(top.first().top.last().y(), 42.0);
    QCOMPARE(top.first().bottom.last().y(), 30.0);
    // Upstreams are the WAS nodes: the node's colour, as on the latency chart below.
    QCOMPARE(gateway->seriesColor(QStringLiteral("was1")), LiveChart::paletteColor(1)); // after the gateway

    LiveChart *latency = window.latencyChart();
    QCOMPARE(latency->lastValue(QStringLiteral("was1 p50")), 0.1);
    QCOMPARE(latency->lastValue(QStringLiteral("was1 p95")), 0.5);
    QCOMPARE(latency->lastValue(QStringLiteral("was1 p99")), 1.25);
    QCOMPARE(latency->pointCount(QStringLiteral("was1 p95")), 60);
    QCOMPARE(latency->seriesColor(QStringLiteral("was1 p95")), gateway->seriesColor(QStringLiteral("was1")));
    QVERIFY(latency->seriesColor(QStringLiteral("was1 p50")) !=
            latency->seriesColor(QStringLiteral("was1 p99")));

    LiveChart *memory = window.overviewChart(QStringLiteral("chart.redis_memory"));
    QCOMPARE(memory->lastValue(QStringLiteral("redis")), 3.5);
    QVERIFY2(memory->valuesAt(now - 1000).contains(QStringLiteral("redis: 3.5MiB")),
             qPrintable(memory->valuesAt(now - 1000)));
    for (LiveChart *chart : window.overviewCharts()) {
        const auto *axis = qobject_cast<QValueAxis *>(chart->chart()->axes(Qt::Vertical).value(0));
        QVERIFY(axis);
        QVERIFY2(!axis->titleText().isEmpty(), qPrintable(chart->objectName()));
        if (chart == memory)
            QCOMPARE(axis->titleText(), QStringLiteral("MiB"));
    }
}

void TestConsoleWindow::reportStatsPrintsOneLine()
{
    QProcess gui;
    gui.setProcessChannelMode(QProcess::SeparateChannels);
    gui.start(QStringLiteral(CLUSTERDECK_GUI),
              {QStringLiteral("--cluster"), m_clusterFile, QStringLiteral("--db"),
               m_dir.filePath(QStringLiteral("stats.sqlite")), QStringLiteral("--page"),
               QStringLiteral("node:was1"), QStringLiteral("--screenshot"),
               m_dir.filePath(QStringLiteral("stats.png")), QStringLiteral("--after"), QStringLiteral("2"),
               QStringLiteral("--report-stats")});
    QVERIFY(gui.waitForFinished(60'000));
    QCOMPARE(gui.exitCode(), 0);
    const QString out = QString::fromUtf8(gui.readAllStandardOutput());
    static const QRegularExpression line(
        QStringLiteral(
            R"(^rss_mb=\d+\.\d stall_ms_max=\d+\.\d chart_update_ms_p99=\d+\.\d\d startup_ms=(-1|\d+)$)"),
        QRegularExpression::MultilineOption);
    QVERIFY2(line.match(out).hasMatch(), qPrintable(out));
}

void TestConsoleWindow::unknownPageIsAClearError_data()
{
    QTest::addColumn<QString>("page");
    QTest::addColumn<QString>("says");
    QTest::newRow("unknown node") << QStringLiteral("node:nope") << QStringLiteral("not 'node:nope'");
    QTest::newRow("not a page") << QStringLiteral("alert") << QStringLiteral("overview, alerts or node:NAME");
}

void TestConsoleWindow::unknownPageIsAClearError()
{
    QFETCH(QString, page);
    QFETCH(QString, says);
    QProcess gui;
    gui.start(QStringLiteral(CLUSTERDECK_GUI),
              {QStringLiteral("--cluster"), m_clusterFile, QStringLiteral("--db"),
               m_dir.filePath(QStringLiteral("page.sqlite")), QStringLiteral("--page"), page});
    QVERIFY(gui.waitForFinished(60'000));
    QCOMPARE(gui.exitCode(), 2);
    const QString err = QString::fromUtf8(gui.readAllStandardError());
    QVERIFY2(err.contains(says), qPrintable(err));
}

// Every target refused: with `target_down: {for: 0s}` each one fires at the first round. The alerts page
// lists them, the sidebar's entry counts them and marks the targets, and each transition is an event in the
// file.
void TestConsoleWindow::alertsOfUnreachableTargets()
{
    const QString db = m_dir.filePath(QStringLiteral("alerts.sqlite"));
    {
        Cluster withAlerts = InventoryLoader::loadText(kYaml + "alerts:\n  target_down: {for: 0s}\n",
                                                       QStringLiteral("cluster.yaml"))
                                 .cluster;
        withAlerts.historyDb = db;
        MainWindow window(withAlerts);
        window.show();
        QVERIFY(window.showPage(QStringLiteral("alerts")));
        QAbstractItemModel *rows = window.alertsPage()->view()->model();
        QTRY_COMPARE_WITH_TIMEOUT(rows->rowCount(), 4, 10'000);
        QStringList shown;
        for (int row = 0; row < rows->rowCount(); ++row) {
            QCOMPARE(rows->index(row, AlertListModel::RuleColumn).data().toString(),
                     QStringLiteral("target_down"));
            QCOMPARE(rows->index(row, AlertListModel::StateColumn).data().toString(),
                     QStringLiteral("firing"));
            shown << rows->index(row, AlertListModel::TargetColumn).data().toString();
        }
        shown.sort();
        QCOMPARE(shown, (QStringList{"haproxy", "redis", "was1", "was2"}));
        auto *pages = window.sidebar()->findChild<QListWidget *>();
        QVERIFY(pages);
        QCOMPARE(pages->item(1)->text(), QStringLiteral("Alerts (4)"));
        QVERIFY(pages->item(1)->isSelected());
        const QModelIndex was2 = window.nodeModel()->indexOfTarget(QStringLiteral("was2"), 0);
        QVERIFY(was2.data(NodeStatusModel::AlertRole).toString().contains(QStringLiteral("target_down")));
    } // the recorder flushes and closes the file
    Result<std::unique_ptr<HistoryStore>> store = HistoryStore::open(db, HistoryStore::Access::ReadOnly);
    QVERIFY(store.ok());
    HistoryStore::EventQuery query;
    query.kind = QStringLiteral("alert");
    query.target = QStringLiteral("was2");
    const Result<QList<HistoryEvent>> events = (*store)->events(query);
    QVERIFY(events.ok());
    QVERIFY(!events->isEmpty());
    QCOMPARE(events->first().actor, QStringLiteral("clusterdeck"));
    QCOMPARE(events->first().severity, EventSeverity::Critical);
    QVERIFY2(events->first().message.startsWith(QStringLiteral("firing: target_down was2")),
             qPrintable(events->first().message));
}

// `clusterdeck --page alerts` opens the alerts page (it used to be refused).
void TestConsoleWindow::pageAlertsOnTheProgram()
{
    const QString shot = m_dir.filePath(QStringLiteral("alerts.png"));
    QProcess gui;
    gui.start(QStringLiteral(CLUSTERDECK_GUI),
              {QStringLiteral("--cluster"), m_clusterFile, QStringLiteral("--db"),
               m_dir.filePath(QStringLiteral("page-alerts.sqlite")), QStringLiteral("--page"),
               QStringLiteral("alerts"), QStringLiteral("--screenshot"), shot, QStringLiteral("--after"),
               QStringLiteral("1")});
    QVERIFY(gui.waitForFinished(60'000));
    QVERIFY2(gui.exitCode() == 0, gui.readAllStandardError().constData());
    QVERIFY(QFile::exists(shot));
}

// The alert engine's lag statuses (here as AlertMonitor would announce them) next to the lag on its tile: the
// groups not OK in the note, the tile red for STALLED, every group in the tooltip.
void TestConsoleWindow::lagStatusShowsOnTheLagTile()
{
    MainWindow window(cluster(m_dir.filePath(QStringLiteral("lag.sqlite"))));
    KpiTile *tile = window.lagTile();
    const auto group = [](const QString &name, LagStatus status, double lag) {
        return ConsumerLagStatus{QStringLiteral("kafka"), name, status, lag, 100, 0};
    };
    emit window.alerts()->monitor()->lagStatusesUpdated(
        {group(QStringLiteral("orders"), LagStatus::Ok, 0),
         group(QStringLiteral("coupons"), LagStatus::Stalled, 42)});
    QCOMPARE(tile->noteText(), QStringLiteral("coupons STALLED"));
    QCOMPARE(tile->level(), KpiTile::Level::Bad);
    QVERIFY2(tile->toolTip().contains(QStringLiteral("orders: OK")), qPrintable(tile->toolTip()));
    QVERIFY2(tile->toolTip().contains(QStringLiteral("coupons: STALLED")), qPrintable(tile->toolTip()));

    emit window.alerts()->monitor()->lagStatusesUpdated({group(QStringLiteral("orders"), LagStatus::Ok, 0),
                                                         group(QStringLiteral("coupons"), LagStatus::Ok, 0)});
    QCOMPARE(tile->noteText(), QStringLiteral("OK"));
    QVERIFY(tile->level() != KpiTile::Level::Bad);
}

// The palette and language the program applies (the same calls as main.cpp: applyTheme, installTranslations):
// the window's colours are dark or light, and its words are Korean or English.
void TestConsoleWindow::themeAndLanguageInTheWindow_data()
{
    QTest::addColumn<QString>("theme");
    QTest::addColumn<QString>("lang");
    QTest::addColumn<QStringList>("words"); // sidebar's first page, the alerts summary, the severity header
    QTest::newRow("light, English") << QStringLiteral("light") << QStringLiteral("en")
                                    << QStringList{"Overview", "No alerts firing or pending", "Severity"};
    QTest::newRow("dark, Korean") << QStringLiteral("dark") << QStringLiteral("ko")
                                  << QStringList{"개요", "발생 중이거나 대기 중인 알림 없음", "심각도"};
    QTest::newRow("light, Korean") << QStringLiteral("light") << QStringLiteral("ko")
                                   << QStringList{"개요", "발생 중이거나 대기 중인 알림 없음", "심각도"};
    QTest::newRow("dark, English") << QStringLiteral("dark") << QStringLiteral("en")
                                   << QStringList{"Overview", "No alerts firing or pending", "Severity"};
}

void TestConsoleWindow::themeAndLanguageInTheWindow()
{
    QFETCH(QString, theme);
    QFETCH(QString, lang);
    QFETCH(QStringList, words);
    applyTheme(*qApp, *themeFromName(theme));
    QVERIFY(installTranslations(lang)); // English too: its plural forms ("1 poll", "2 polls")
    MainWindow window(cluster(m_dir.filePath(QStringLiteral("look-%1-%2.sqlite").arg(theme, lang))));
    window.show();
    const QPalette palette = window.palette();
    const bool dark = theme == QLatin1String("dark");
    QCOMPARE(isDark(palette), dark);
    QCOMPARE(palette.color(QPalette::Window).lightness() < 100, dark);
    QCOMPARE(palette.color(QPalette::Base).lightness() < 100, dark);
    QCOMPARE(palette.color(QPalette::Text).lightness() > 150, dark);
    auto *pages = window.sidebar()->findChild<QListWidget *>();
    QVERIFY(pages);
    QCOMPARE(pages->item(0)->text(), words.at(0));
    QCOMPARE(window.alertsPage()->findChild<QLabel *>(QStringLiteral("alertsSummary"))->text(), words.at(1));
    QCOMPARE(window.alertsPage()->view()->model()->headerData(0, Qt::Horizontal).toString(), words.at(2));
    installTranslations(QStringLiteral("en"));
    applyTheme(*qApp, Theme::Light);
}

// `--theme` on the real program: a screenshot of the dark window is dark as a whole, of the light one light,
// in either language.
void TestConsoleWindow::themeOnTheProgram_data()
{
    QTest::addColumn<QString>("theme");
    QTest::addColumn<QString>("lang");
    QTest::newRow("dark ko") << QStringLiteral("dark") << QStringLiteral("ko");
    QTest::newRow("light en") << QStringLiteral("light") << QStringLiteral("en");
}

void TestConsoleWindow::themeOnTheProgram()
{
    QFETCH(QString, theme);
    QFETCH(QString, lang);
    const QString shot = m_dir.filePath(QStringLiteral("theme-%1-%2.png").arg(theme, lang));
    QProcess gui;
    gui.start(QStringLiteral(CLUSTERDECK_GUI),
              {QStringLiteral("--cluster"), m_clusterFile, QStringLiteral("--db"),
               m_dir.filePath(QStringLiteral("theme.sqlite")), QStringLiteral("--theme"), theme,
               QStringLiteral("--lang"), lang, QStringLiteral("--screenshot"), shot,
               QStringLiteral("--after"), QStringLiteral("1")});
    QVERIFY(gui.waitForFinished(60'000));
    QVERIFY2(gui.exitCode() == 0, gui.readAllStandardError().constData());
    const QImage image(shot);
    QVERIFY(!image.isNull());
    qint64 sum = 0;
    qint64 count = 0;
    for (int y = 0; y < image.height(); y += 4)
        for (int x = 0; x < image.width(); x += 4, ++count)
            sum += QColor(image.pixel(x, y)).lightness();
    const qint64 mean = sum / count;
    if (theme == QLatin1String("dark"))
        QVERIFY2(mean < 90, qPrintable(QString::number(mean)));
    else
        QVERIFY2(mean > 180, qPrintable(QString::number(mean)));
}

void TestConsoleWindow::badThemeOrLanguageIsRefused_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("says");
    QTest::newRow("theme") << QStringList{"--theme", "blue"}
                           << QStringLiteral("--theme takes light or dark, not 'blue'");
    QTest::newRow("lang") << QStringList{"--lang", "fr"} << QStringLiteral("--lang takes en or ko, not 'fr'");
    QTest::newRow("lang as a locale")
        << QStringList{"--lang", "ko_KR"} << QStringLiteral("--lang takes en or ko, not 'ko_KR'");
}

void TestConsoleWindow::badThemeOrLanguageIsRefused()
{
    QFETCH(QStringList, args);
    QFETCH(QString, says);
    QProcess gui;
    gui.start(QStringLiteral(CLUSTERDECK_GUI),
              QStringList{QStringLiteral("--cluster"), m_clusterFile, QStringLiteral("--db"),
                          m_dir.filePath(QStringLiteral("bad.sqlite"))}
                  << args);
    QVERIFY(gui.waitForFinished(60'000));
    QCOMPARE(gui.exitCode(), 2);
    const QString err = QString::fromUtf8(gui.readAllStandardError());
    QVERIFY2(err.contains(says), qPrintable(err));
}

QTEST_MAIN(TestConsoleWindow)
#include "tst_console_window.moc"
