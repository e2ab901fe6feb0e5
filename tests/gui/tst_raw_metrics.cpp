// The node page's raw-metrics browser without the lab: the last scraped page as a model (under
// QAbstractItemModelTester), its name and label filters, and a series picked from the filtered table charted
// over the following pages.

#include "cluster/inventory_loader.h"
#include "live_chart.h"
#include "metrics/exposition_parser.h"
#include "metrics/live_series_store.h"
#include "metrics/metric_page.h"
#include "models/raw_metrics_model.h"
#include "node_page.h"

#include <QAbstractItemModelTester>
#include <QLineEdit>
#include <QTableView>
#include <QTest>

using namespace clusterdeck;

namespace {

std::shared_ptr<const MetricPage> parsePage(double getCount, double postCount, bool withExtra = false)
{
    std::string text = "# HELP http_requests_total Requests.\n# TYPE http_requests_total counter\n"
                       "http_requests_total{method=\"GET\",uri=\"/api/orders\"} " +
                       std::to_string(getCount) +
                       "\n"
                       "http_requests_total{method=\"POST\",uri=\"/api/orders\"} " +
                       std::to_string(postCount) +
                       "\n"
                       "# TYPE jvm_memory_used_bytes gauge\n"
                       "jvm_memory_used_bytes{area=\"heap\"} 1.5e+08\n"
                       "jvm_memory_used_bytes{area=\"nonheap\"} 6e+07\n";
    if (withExtra)
        text += "# TYPE process_uptime_seconds gauge\nprocess_uptime_seconds 12\n";
    auto page = std::make_shared<MetricPage>();
    ExpositionParser parser;
    const auto error = parser.parse(text, ExpositionFormat::PrometheusText, *page);
    return error ? nullptr : page;
}

const QByteArray kYaml = "name: raw-test\nscrape_interval: 1s\n"
                         "nodes:\n  - {name: was1, role: was, metrics: http://127.0.0.1:9/m}\n"
                         "  - {name: was2, role: was, metrics: http://127.0.0.1:9/m}\n";

} // namespace

class TestRawMetrics : public QObject {
    Q_OBJECT
private slots:
    void modelFollowsPages();
    void filtersByNameAndLabel();
    void nodePageChartsAPickedSeries();
};

void TestRawMetrics::modelFollowsPages()
{
    RawMetricsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 0);
    model.setPage(parsePage(10, 2), 1000);
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(model.index(0, RawMetricsModel::NameColumn).data().toString(),
             QStringLiteral("http_requests_total"));
    QCOMPARE(model.index(0, RawMetricsModel::LabelsColumn).data().toString(),
             QStringLiteral("method=\"GET\", uri=\"/api/orders\""));
    QCOMPARE(model.index(0, RawMetricsModel::ValueColumn).data().toString(), QStringLiteral("10"));
    QCOMPARE(model.index(0, RawMetricsModel::TypeColumn).data().toString(), QStringLiteral("counter"));
    QCOMPARE(model.index(2, RawMetricsModel::ValueColumn).data().toString(), QStringLiteral("150000000"));
    const QString key = model.seriesKey(1);
    QCOMPARE(key, QStringLiteral("http_requests_total{method=\"POST\", uri=\"/api/orders\"}"));

    // Same series, new values: no reset, the value column changes.
    int resets = 0;
    connect(&model, &QAbstractItemModel::modelReset, this, [&resets] { ++resets; });
    model.setPage(parsePage(11, 3), 2000);
    QCOMPARE(resets, 0);
    QCOMPARE(model.index(1, RawMetricsModel::ValueColumn).data(RawMetricsModel::ValueRole).toDouble(), 3.0);
    QCOMPARE(model.rowOf(key), 1);
    // Another layout resets.
    model.setPage(parsePage(12, 4, true), 3000);
    QCOMPARE(resets, 1);
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(model.rowOf(key), 1);
    QCOMPARE(model.rowOf(QStringLiteral("nope{}")), -1);
    model.setPage(nullptr, 0);
    QCOMPARE(model.rowCount(), 0);
}

void TestRawMetrics::filtersByNameAndLabel()
{
    RawMetricsModel model;
    RawMetricsFilter filter;
    filter.setSourceModel(&model);
    QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setPage(parsePage(10, 2), 1000);
    QCOMPARE(filter.rowCount(), 4);
    filter.setNameFilter(QStringLiteral("REQUESTS"));
    QCOMPARE(filter.rowCount(), 2);
    filter.setLabelFilter(QStringLiteral("method=post"));
    QCOMPARE(filter.rowCount(), 1);
    QCOMPARE(filter.index(0, RawMetricsModel::ValueColumn).data().toString(), QStringLiteral("2"));
    filter.setNameFilter(QString());
    filter.setLabelFilter(QStringLiteral("heap")); // any label name or value
    QCOMPARE(filter.rowCount(), 2);
    filter.setLabelFilter(QStringLiteral("area=non"));
    QCOMPARE(filter.rowCount(), 1);
    // Sorting by value sorts numbers, not text.
    filter.setLabelFilter(QString());
    filter.sort(RawMetricsModel::ValueColumn, Qt::DescendingOrder);
    QCOMPARE(filter.index(0, RawMetricsModel::LabelsColumn).data().toString(),
             QStringLiteral("area=\"heap\""));
    QCOMPARE(filter.index(3, RawMetricsModel::ValueColumn).data().toString(), QStringLiteral("2"));
}

// What the user does: open the raw tab, type a name and a label filter, double-click the one row left; the
// chart then holds that series' values from every page that follows, and a gap where the series was missing.
void TestRawMetrics::nodePageChartsAPickedSeries()
{
    const Cluster cluster = InventoryLoader::loadText(kYaml, QStringLiteral("raw.yaml")).cluster;
    LiveSeriesStore store(60'000, 1000);
    NodePage page(cluster, &store);
    page.resize(1200, 800);
    page.showTarget(QStringLiteral("was1"));
    page.showRawMetrics();
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    QAbstractItemModelTester tester(page.rawView()->model(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);

    const qint64 t0 = QDateTime::currentMSecsSinceEpoch() - 10'000;
    page.setRawPage(ScrapedPage{QStringLiteral("was2"), t0, parsePage(1, 1)}); // another target: ignored
    QCOMPARE(page.rawView()->model()->rowCount(), 0);
    page.setRawPage(ScrapedPage{QStringLiteral("was1"), t0, parsePage(10, 2)});
    QCOMPARE(page.rawView()->model()->rowCount(), 4);

    QTest::keyClicks(page.rawNameFilter(), QStringLiteral("http_req"));
    QTest::keyClicks(page.rawLabelFilter(), QStringLiteral("method=GET"));
    QCOMPARE(page.rawView()->model()->rowCount(), 1);
    const QModelIndex row = page.rawView()->model()->index(0, RawMetricsModel::ValueColumn);
    const QRect cell = page.rawView()->visualRect(row);
    // A double-click as a mouse makes it: press and release, then the double-click (the view acts on the
    // index that was pressed).
    QTest::mouseClick(page.rawView()->viewport(), Qt::LeftButton, {}, cell.center());
    QTest::mouseDClick(page.rawView()->viewport(), Qt::LeftButton, {}, cell.center());
    const QString key = QStringLiteral("http_requests_total{method=\"GET\", uri=\"/api/orders\"}");
    QCOMPARE(page.chartedSeries(), QStringList{key});
    QVERIFY(page.rawChart()->isVisible()); // in place of the hint

    page.setRawPage(ScrapedPage{QStringLiteral("was1"), t0 + 1000, parsePage(15, 2)});
    page.setRawPage(ScrapedPage{QStringLiteral("was1"), t0 + 2000, parsePage(21, 3)});
    LiveChart *chart = page.rawChart();
    QVERIFY(chart);
    QCOMPARE(chart->runs(key).size(), 1);
    QCOMPARE(chart->runs(key).first(),
             (QList<QPointF>{QPointF(double(t0), 10), QPointF(double(t0 + 1000), 15),
                             QPointF(double(t0 + 2000), 21)}));
    // The filter and the pick survive the value updates; a page without the series leaves a gap.
    QCOMPARE(page.rawView()->model()->rowCount(), 1);
    auto without = std::make_shared<MetricPage>();
    ExpositionParser parser;
    QVERIFY(!parser.parse("process_uptime_seconds 3\n", ExpositionFormat::PrometheusText, *without));
    page.setRawPage(ScrapedPage{QStringLiteral("was1"), t0 + 3000, without});
    page.setRawPage(ScrapedPage{QStringLiteral("was1"), t0 + 4000, parsePage(30, 3)});
    QCOMPARE(chart->runs(key).size(), 2);
    QCOMPARE(chart->lastValue(key), 30.0);

    // Another target starts empty.
    page.showTarget(QStringLiteral("was2"));
    QVERIFY(page.chartedSeries().isEmpty());
    QCOMPARE(page.rawModel()->rowCount(), 0);
}

QTEST_MAIN(TestRawMetrics)
#include "tst_raw_metrics.moc"
