// The window in Prometheus mode against the fake Prometheus (tests/support/slow_prometheus.h; no lab): a
// longer time window is filled from query_range over the whole window, at a step of about a pixel column,
// so the charts are not empty where Prometheus has data the live store never saw.

#include "cluster/inventory_loader.h"
#include "live_chart.h"
#include "main_window.h"
#include "node_page.h"
#include "slow_prometheus.h"

#include <QDateTime>
#include <QTemporaryDir>
#include <QTest>

using namespace clusterdeck;
using clusterdeck::testing::SlowPrometheus;

class TestPrometheusWindow : public QObject {
    Q_OBJECT
private slots:
    void longerWindowIsFilledFromQueryRange();
};

void TestPrometheusWindow::longerWindowIsFilledFromQueryRange()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    SlowPrometheus server;
    QVERIFY(server.listen(QHostAddress(QStringLiteral("127.0.97.2"))));
    server.setInstances(clusterdeck::testing::labLikeInstances());
    server.setMaxRangePoints(100'000);
    const InventoryLoader::Outcome loaded = InventoryLoader::loadText(
        clusterdeck::testing::labLikeClusterYaml(server.url(), 2000), QStringLiteral("p"));
    QVERIFY(loaded.problems.isEmpty());
    Cluster cluster = loaded.cluster;
    cluster.historyDb = dir.filePath(QStringLiteral("p.sqlite"));
    MainWindow window(cluster);
    window.resize(1440, 900);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    LiveChart *tps = window.tpsChart();
    // Start-up: the collector's own back-fill (15 min) and polls; nothing older.
    QTRY_VERIFY_WITH_TIMEOUT(tps->pointCount(QStringLiteral("was1")) > 0, 20'000);

    const qint64 sixHours = MainWindow::timeWindowsMs().last();
    window.setTimeWindowMs(sixHours);
    QTRY_COMPARE_WITH_TIMEOUT(window.rangeFillsApplied(), 1, 20'000);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const QList<QList<QPointF>> runs = tps->runs(QStringLiteral("was1"));
    QVERIFY(!runs.isEmpty());
    // The whole window has data: from its start (within a step) ...
    const double oldest = runs.first().first().x();
    QVERIFY2(oldest < double(now - sixHours + 5 * 60'000),
             qPrintable(QString::number((now - oldest) / 60'000.0)));
    // ... at a step near one pixel column of the chart (6 h over about a thousand columns: 10–60 s).
    const QList<QPointF> &first = runs.first();
    QVERIFY(first.size() > 100);
    const double step = first[1].x() - first[0].x();
    QVERIFY2(step >= 10'000 && step <= 60'000, qPrintable(QString::number(step)));
    QCOMPARE(first[0].y(), 1.0); // the fake's value
    // The other charts are filled too (the fake answers every query).
    QVERIFY(window.overviewChart(QStringLiteral("chart.error_ratio"))->pointCount(QStringLiteral("was2")) >
            100);
    QVERIFY(window.latencyChart()->pointCount(QStringLiteral("was1 p99")) > 100);
    // A node page opened now shows the same six hours.
    QVERIFY(window.showPage(QStringLiteral("node:was2")));
    LiveChart *nodeTps = window.nodePage()->chart(KpiId::WasTps);
    QVERIFY(nodeTps);
    QVERIFY(nodeTps->pointCount(QStringLiteral("was2")) > 100);
    QVERIFY(nodeTps->runs(QStringLiteral("was2")).first().first().x() < double(now - sixHours + 5 * 60'000));
}

QTEST_MAIN(TestPrometheusWindow)
#include "tst_prometheus_window.moc"
