#include "live_chart.h"

#include <QDateTimeAxis>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPixmap>
#include <QRegularExpression>
#include <QTest>
#include <QValueAxis>
#include <cmath>
#include <limits>

using namespace clusterdeck;

using Runs = QList<QList<double>>;

// The live chart: a NaN is a gap in the drawn line, never a bridge; read from the runs the chart paints and
// from the pixels it paints them as.
class TestLiveChart : public QObject {
    Q_OBJECT
private slots:
    void nanIsAGap_data();
    void nanIsAGap();
    void paintsNothingAcrossAGap();
    void oneLegendEntryAndColourPerSeries();
    void runsFallOutOfTheWindow();
    void pointsTooFarApartAreNotJoined();
    void valueAxisLabelsAreDistinct_data();
    void valueAxisLabelsAreDistinct();
    void thresholdShowsBeforeAnyData();
    void spikeAndGapArePainted_data();
    void spikeAndGapArePainted();
    void refreshesCoalesce();
    void tooltipShowsExactValues();
    void fixedColoursAcrossCharts();
    void stackedSeriesAddUp();
};

namespace {

constexpr double kGap = std::numeric_limits<double>::quiet_NaN();
constexpr qint64 kStartMs = 1'700'000'000'000;
constexpr qint64 kStepMs = 1000;

// The values of each unbroken run of a series, oldest first: what the chart draws as one line each.
Runs drawnRuns(const LiveChart &chart, const QString &name)
{
    Runs values;
    for (const QList<QPointF> &run : chart.runs(name)) {
        QList<double> ys;
        for (const QPointF &point : run)
            ys.append(point.y());
        values.append(ys);
    }
    return values;
}

QList<QLineSeries *> seriesNamed(const LiveChart &chart, const QString &name)
{
    QList<QLineSeries *> result;
    for (QAbstractSeries *series : chart.chart()->series()) {
        if (auto *line = qobject_cast<QLineSeries *>(series); line && line->name() == name)
            result.append(line);
    }
    return result;
}

// The value axis' tick labels as Qt Charts prints them: the ticks of the axis' tick mode, each formatted with
// its label format ("%.Nf", what the console uses).
QStringList valueAxisLabels(const QValueAxis &axis)
{
    static const QRegularExpression fixed(QStringLiteral(R"(^%\.(\d+)f$)"));
    const QRegularExpressionMatch format = fixed.match(axis.labelFormat());
    if (!format.hasMatch())
        return {QStringLiteral("unexpected label format ") + axis.labelFormat()};
    QList<double> ticks;
    if (axis.tickType() == QValueAxis::TicksDynamic) {
        const double step = axis.tickInterval();
        const double first =
            axis.tickAnchor() + std::ceil((axis.min() - axis.tickAnchor()) / step - 1e-9) * step;
        for (double tick = first; tick <= axis.max() + step * 1e-9; tick += step)
            ticks.append(tick);
    } else {
        for (int i = 0; i < axis.tickCount(); ++i)
            ticks.append(axis.min() + i * (axis.max() - axis.min()) / (axis.tickCount() - 1));
    }
    QStringList labels;
    for (double tick : ticks)
        labels.append(QString::number(tick, 'f', format.captured(1).toInt()));
    return labels;
}

const QValueAxis &valueAxis(const LiveChart &chart)
{
    return *qobject_cast<QValueAxis *>(chart.chart()->axes(Qt::Vertical).first());
}

} // namespace

void TestLiveChart::nanIsAGap_data()
{
    QTest::addColumn<QList<double>>("values");
    QTest::addColumn<Runs>("expected");
    QTest::newRow("no gap") << QList<double>{1, 2, 3} << Runs{{1, 2, 3}};
    QTest::newRow("one missed scrape") << QList<double>{1, 2, kGap, 4, 5} << Runs{{1, 2}, {4, 5}};
    QTest::newRow("a minute down") << QList<double>{7, 8, kGap, kGap, kGap, kGap, 9} << Runs{{7, 8}, {9}};
    QTest::newRow("gap first") << QList<double>{kGap, 1, 2} << Runs{{1, 2}};
    QTest::newRow("gap last") << QList<double>{1, 2, kGap} << Runs{{1, 2}};
    QTest::newRow("lone values") << QList<double>{1, kGap, 3, kGap, 5} << Runs{{1}, {3}, {5}};
    QTest::newRow("only gaps") << QList<double>{kGap, kGap} << Runs{};
    QTest::newRow("infinity is no value either")
        << QList<double>{1, 2, std::numeric_limits<double>::infinity(), 4} << Runs{{1, 2}, {4}};
}

void TestLiveChart::nanIsAGap()
{
    QFETCH(QList<double>, values);
    QFETCH(Runs, expected);
    LiveChart chart(QStringLiteral("TPS"), QStringLiteral("req/s"));
    chart.setWindowMs(60 * kStepMs);
    for (int i = 0; i < values.size(); ++i)
        chart.appendPoint(QStringLiteral("was1"), kStartMs + i * kStepMs, values[i]);
    chart.refresh(kStartMs + values.size() * kStepMs);

    QCOMPARE(drawnRuns(chart, QStringLiteral("was1")), expected);
    qsizetype drawn = 0;
    for (const QList<double> &run : expected)
        drawn += run.size();
    QCOMPARE(chart.pointCount(QStringLiteral("was1")), int(drawn));
    // Qt Charts itself draws no line of the series (it would join across the gap): only its legend entry.
    const QList<QLineSeries *> series = seriesNamed(chart, QStringLiteral("was1"));
    QCOMPARE(series.size(), 1);
    QCOMPARE(series[0]->count(), 0);
}

void TestLiveChart::paintsNothingAcrossAGap()
{
    LiveChart chart(QStringLiteral("TPS"), QStringLiteral("req/s"));
    chart.resize(600, 300);
    chart.setWindowMs(60 * kStepMs);
    // Serving at 50 req/s, down from 20 s to 40 s, serving again.
    for (int second = 0; second < 60; ++second)
        chart.appendPoint(QStringLiteral("was1"), kStartMs + second * kStepMs,
                          second >= 20 && second < 40 ? kGap : 50);
    chart.refresh(kStartMs + 59 * kStepMs);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    const QImage image = chart.grab().toImage();

    // Where Qt Charts puts a value of a series on these axes, in the widget's pixels.
    QLineSeries *series = seriesNamed(chart, QStringLiteral("was1")).value(0);
    QVERIFY(series);
    const auto pixel = [&](int second, double value) {
        const QPointF inChart =
            chart.chart()->mapToPosition(QPointF(double(kStartMs + second * kStepMs), value), series);
        return chart.mapFromScene(chart.chart()->mapToScene(inChart));
    };
    const QColor colour = chart.seriesColor(QStringLiteral("was1"));
    const auto lineNear = [&](QPoint at) {
        for (int dy = -3; dy <= 3; ++dy) {
            for (int dx = -3; dx <= 3; ++dx) {
                const QColor seen = image.pixelColor(at + QPoint(dx, dy));
                if (std::abs(seen.red() - colour.red()) + std::abs(seen.green() - colour.green()) +
                        std::abs(seen.blue() - colour.blue()) <
                    60)
                    return true;
            }
        }
        return false;
    };
    QVERIFY2(lineNear(pixel(10, 50)), "no line where was1 served");
    QVERIFY2(lineNear(pixel(50, 50)), "no line where was1 served again");
    for (int second : {22, 26, 30, 34, 38})
        QVERIFY2(!lineNear(pixel(second, 50)),
                 qPrintable(QStringLiteral("a line across the gap at %1 s").arg(second)));
}

void TestLiveChart::spikeAndGapArePainted_data()
{
    // Sparse runs are stroked, dense ones (more points than pixel columns) decimated and drawn as spans.
    QTest::addColumn<int>("seconds");
    QTest::newRow("sparse: 2 minutes") << 120;
    QTest::newRow("dense: an hour") << 3600;
    QTest::newRow("dense: six hours") << 6 * 3600;
}

void TestLiveChart::spikeAndGapArePainted()
{
    QFETCH(int, seconds);
    LiveChart chart(QStringLiteral("TPS"), QStringLiteral("req/s"));
    chart.resize(600, 300);
    chart.setWindowMs(qint64(seconds) * kStepMs);
    // 50 req/s, a one-sample spike to 200 at 25 %, nothing from 50 % to 75 %.
    const int spike = seconds / 4;
    for (int second = 0; second < seconds; ++second)
        chart.appendPoint(QStringLiteral("was1"), kStartMs + second * kStepMs,
                          second == spike                                     ? 200
                          : second >= seconds / 2 && second < seconds * 3 / 4 ? kGap
                                                                              : 50);
    chart.refresh(kStartMs + (seconds - 1) * kStepMs);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    const QImage image = chart.grab().toImage();
    QLineSeries *series = seriesNamed(chart, QStringLiteral("was1")).value(0);
    QVERIFY(series);
    const auto pixel = [&](int second, double value) {
        const QPointF inChart =
            chart.chart()->mapToPosition(QPointF(double(kStartMs + second * kStepMs), value), series);
        return chart.mapFromScene(chart.chart()->mapToScene(inChart));
    };
    const QColor colour = chart.seriesColor(QStringLiteral("was1"));
    const auto lineNear = [&](QPoint at) {
        for (int dy = -2; dy <= 2; ++dy) {
            for (int dx = -2; dx <= 2; ++dx) {
                const QColor seen = image.pixelColor(at + QPoint(dx, dy));
                if (std::abs(seen.red() - colour.red()) + std::abs(seen.green() - colour.green()) +
                        std::abs(seen.blue() - colour.blue()) <
                    60)
                    return true;
            }
        }
        return false;
    };
    QVERIFY2(lineNear(pixel(spike, 200)), "the spike's top is not drawn");
    QVERIFY2(lineNear(pixel(spike, 125)), "the spike's flank is not drawn");
    QVERIFY2(lineNear(pixel(seconds / 8, 50)), "no line before the spike");
    QVERIFY2(!lineNear(pixel(seconds / 8, 200)), "a spike where there was none");
    for (int at : {seconds * 9 / 16, seconds * 5 / 8, seconds * 11 / 16})
        QVERIFY2(!lineNear(pixel(at, 50)),
                 qPrintable(QStringLiteral("a line across the gap at %1 s").arg(at)));
    QVERIFY2(lineNear(pixel(seconds * 7 / 8, 50)), "no line after the gap");
}

void TestLiveChart::refreshesCoalesce()
{
    LiveChart chart(QStringLiteral("TPS"), QStringLiteral("req/s"));
    chart.setWindowMs(60 * kStepMs);
    const QDateTimeAxis *timeAxis =
        qobject_cast<QDateTimeAxis *>(chart.chart()->axes(Qt::Horizontal).first());
    QVERIFY(timeAxis);
    // A burst of refreshes, as a busy store delivers them: the first is drawn at once, the rest become one
    // update when the interval is over, showing the newest state.
    for (int second = 0; second < 50; ++second) {
        chart.appendPoint(QStringLiteral("was1"), kStartMs + second * kStepMs, second);
        chart.refresh(kStartMs + second * kStepMs);
    }
    QCOMPARE(chart.updateCount(), 1);
    QVERIFY(chart.updatePending());
    QCOMPARE(timeAxis->max().toMSecsSinceEpoch(), kStartMs);
    QTRY_VERIFY(!chart.updatePending());
    QCOMPARE(chart.updateCount(), 2);
    QCOMPARE(timeAxis->max().toMSecsSinceEpoch(), kStartMs + 49 * kStepMs);
    QVERIFY(valueAxis(chart).max() >= 49);
}

void TestLiveChart::tooltipShowsExactValues()
{
    LiveChart chart(QStringLiteral("p95"), QStringLiteral("s"));
    chart.setWindowMs(60 * kStepMs);
    chart.setValueFormatter([](double value) { return QStringLiteral("%1 s").arg(value, 0, 'f', 3); });
    chart.appendPoint(QStringLiteral("was1"), kStartMs, 0.1234);
    chart.appendPoint(QStringLiteral("was1"), kStartMs + kStepMs, 0.25);
    chart.appendPoint(QStringLiteral("was2"), kStartMs, 1.5);
    chart.appendPoint(QStringLiteral("was2"), kStartMs + kStepMs, kGap);
    chart.appendPoint(QStringLiteral("was2"), kStartMs + 30 * kStepMs, 2);
    chart.refresh(kStartMs + 30 * kStepMs);
    const QStringList at0 = chart.valuesAt(kStartMs + 200).split(QLatin1Char('\n'));
    QCOMPARE(at0.value(1), QStringLiteral("was1: 0.123 s"));
    QCOMPARE(at0.value(2), QStringLiteral("was2: 1.500 s"));
    // Ten seconds into was2's gap: no value, not the nearest one from either side.
    const QStringList inGap = chart.valuesAt(kStartMs + 10 * kStepMs).split(QLatin1Char('\n'));
    QCOMPARE(inGap.value(2), QStringLiteral("was2: —"));
}

void TestLiveChart::fixedColoursAcrossCharts()
{
    const QHash<QString, QColor> colours{{QStringLiteral("was2"), QColor(Qt::magenta)},
                                         {QStringLiteral("was1"), QColor(Qt::darkCyan)}};
    LiveChart tps(QStringLiteral("TPS"), QStringLiteral("req/s"));
    LiveChart latency(QStringLiteral("p95"), QStringLiteral("s"));
    for (LiveChart *chart : {&tps, &latency})
        chart->setSeriesColors(colours);
    // Different first-appearance order in each chart: the colours still follow the names.
    tps.appendPoint(QStringLiteral("was1"), kStartMs, 1);
    tps.appendPoint(QStringLiteral("was2"), kStartMs, 1);
    latency.appendPoint(QStringLiteral("was2"), kStartMs, 1);
    latency.appendPoint(QStringLiteral("was1"), kStartMs, 1);
    latency.appendPoint(QStringLiteral("other"), kStartMs, 1);
    for (const QString &name : {QStringLiteral("was1"), QStringLiteral("was2")}) {
        QCOMPARE(tps.seriesColor(name), colours.value(name));
        QCOMPARE(latency.seriesColor(name), colours.value(name));
    }
    QVERIFY(latency.seriesColor(QStringLiteral("other")).isValid());
}

void TestLiveChart::oneLegendEntryAndColourPerSeries()
{
    LiveChart chart(QStringLiteral("TPS"), QStringLiteral("req/s"));
    for (const QString &name : {QStringLiteral("was1"), QStringLiteral("was2")}) {
        const QList<double> values{1, 2, kGap, 4, 5, kGap, 7, 8};
        for (int i = 0; i < values.size(); ++i)
            chart.appendPoint(name, kStartMs + i * kStepMs, values[i]);
    }
    chart.refresh(kStartMs + 10 * kStepMs);
    chart.show(); // legend markers are laid out once shown
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    QCOMPARE(chart.seriesCount(), 2);
    QCOMPARE(drawnRuns(chart, QStringLiteral("was1")).size(), 3);
    for (const QString &name : {QStringLiteral("was1"), QStringLiteral("was2")}) {
        const QList<QLineSeries *> series = seriesNamed(chart, name);
        QCOMPARE(series.size(), 1);
        QCOMPARE(chart.chart()->legend()->markers(series[0]).size(), 1);
        QVERIFY(chart.chart()->legend()->markers(series[0]).first()->isVisible());
        QCOMPARE(series[0]->pen().color(), chart.seriesColor(name));
    }
    QVERIFY(chart.seriesColor(QStringLiteral("was1")) != chart.seriesColor(QStringLiteral("was2")));
}

void TestLiveChart::runsFallOutOfTheWindow()
{
    LiveChart chart(QStringLiteral("TPS"), QStringLiteral("req/s"));
    chart.setWindowMs(10 * kStepMs);
    chart.appendPoint(QStringLiteral("was1"), kStartMs, 100);
    chart.appendPoint(QStringLiteral("was1"), kStartMs + kStepMs, 100);
    chart.appendPoint(QStringLiteral("was1"), kStartMs + 2 * kStepMs, kGap);
    for (int i = 3; i < 8; ++i)
        chart.appendPoint(QStringLiteral("was1"), kStartMs + i * kStepMs, 5);
    chart.refresh(kStartMs + 8 * kStepMs);
    QCOMPARE(drawnRuns(chart, QStringLiteral("was1")), (Runs{{100, 100}, {5, 5, 5, 5, 5}}));
    const double topWithPeak = valueAxis(chart).max();
    QVERIFY(topWithPeak >= 100);

    // The first run leaves the window whole, the second one in part; the axis no longer makes room for 100.
    chart.refresh(kStartMs + 14 * kStepMs);
    QCOMPARE(drawnRuns(chart, QStringLiteral("was1")), (Runs{{5, 5, 5, 5}}));
    // The axes follow with the next coalesced update.
    QTRY_VERIFY2(valueAxis(chart).max() < 100, qPrintable(QString::number(valueAxis(chart).max())));

    // The line continues where it stopped: no gap was recorded since.
    chart.appendPoint(QStringLiteral("was1"), kStartMs + 15 * kStepMs, 6);
    chart.refresh(kStartMs + 15 * kStepMs);
    QCOMPARE(drawnRuns(chart, QStringLiteral("was1")), (Runs{{5, 5, 5, 6}}));
    QCOMPARE(chart.lastValue(QStringLiteral("was1")), 6.0);
}

void TestLiveChart::pointsTooFarApartAreNotJoined()
{
    LiveChart chart(QStringLiteral("TPS"), QStringLiteral("req/s"));
    chart.setWindowMs(60 * kStepMs);
    chart.setMaxGapMs(3 * kStepMs);
    for (qint64 second : {0, 1, 2, 5, 20, 21})
        chart.appendPoint(QStringLiteral("was1"), kStartMs + second * kStepMs, double(second));
    chart.refresh(kStartMs + 22 * kStepMs);
    QCOMPARE(drawnRuns(chart, QStringLiteral("was1")), (Runs{{0, 1, 2, 5}, {20, 21}}));
}

void TestLiveChart::valueAxisLabelsAreDistinct_data()
{
    QTest::addColumn<QString>("format");
    QTest::addColumn<double>("minimumTop");
    QTest::addColumn<double>("threshold"); // NaN: none
    QTest::addColumn<QList<double>>("values");
    QTest::newRow("empty, default") << QStringLiteral("%.0f") << 1.0 << kGap << QList<double>{};
    QTest::newRow("empty, minimum 10") << QStringLiteral("%.0f") << 10.0 << kGap << QList<double>{};
    QTest::newRow("empty seconds with a 3 s target")
        << QStringLiteral("%.1f") << 1.0 << 3.0 << QList<double>{};
    QTest::newRow("only a gap") << QStringLiteral("%.0f") << 10.0 << kGap << QList<double>{kGap};
    QTest::newRow("small values, whole labels")
        << QStringLiteral("%.0f") << 1.0 << kGap << QList<double>{0.2, 0.3};
    QTest::newRow("hundredths") << QStringLiteral("%.2f") << 0.01 << kGap << QList<double>{0.012, 0.031};
    QTest::newRow("large") << QStringLiteral("%.0f") << 10.0 << kGap << QList<double>{12345, 23456};
}

void TestLiveChart::valueAxisLabelsAreDistinct()
{
    QFETCH(QString, format);
    QFETCH(double, minimumTop);
    QFETCH(double, threshold);
    QFETCH(QList<double>, values);
    LiveChart chart(QStringLiteral("chart"), QStringLiteral("unit"));
    chart.setLabelFormat(format);
    chart.setMinimumTop(minimumTop);
    if (!std::isnan(threshold))
        chart.setThreshold(threshold, QStringLiteral("target"));
    for (int i = 0; i < values.size(); ++i)
        chart.appendPoint(QStringLiteral("s"), kStartMs + i * kStepMs, values[i]);

    // Before any refresh (what an idle chart shows first) and after one.
    for (bool refreshed : {false, true}) {
        if (refreshed)
            chart.refresh(kStartMs + values.size() * kStepMs);
        const QValueAxis &axis = valueAxis(chart);
        const QStringList labels = valueAxisLabels(axis);
        QVERIFY2(labels.size() >= 2, qPrintable(labels.join(QLatin1Char(' '))));
        QVERIFY2(QSet<QString>(labels.begin(), labels.end()).size() == labels.size(),
                 qPrintable(labels.join(QLatin1Char(' '))));
        QVERIFY2(labels.size() <= 11, qPrintable(labels.join(QLatin1Char(' '))));
        double top = std::max(minimumTop, std::isnan(threshold) ? 0 : threshold);
        for (double value : values) {
            if (refreshed && std::isfinite(value))
                top = std::max(top, value);
        }
        QVERIFY2(axis.max() >= top, qPrintable(QStringLiteral("%1 < %2").arg(axis.max()).arg(top)));
        QCOMPARE(axis.min(), 0.0);
    }
}

void TestLiveChart::thresholdShowsBeforeAnyData()
{
    LiveChart chart(QStringLiteral("p95"), QStringLiteral("seconds"));
    chart.setThreshold(3, QStringLiteral("target 3 s"));
    const QList<QLineSeries *> threshold = seriesNamed(chart, QStringLiteral("target 3 s"));
    QCOMPARE(threshold.size(), 1);
    QCOMPARE(threshold[0]->count(), 2);
    QCOMPARE(threshold[0]->at(0).y(), 3.0);
    QVERIFY(threshold[0]->at(1).x() > threshold[0]->at(0).x());
    QVERIFY(valueAxis(chart).max() > 3);
}

// Stacked: each series' band starts where the one below ends at the same time, the axis fits the total, and
// the tooltip keeps each series' own value next to the total.
void TestLiveChart::stackedSeriesAddUp()
{
    LiveChart chart(QStringLiteral("Gateway"), QStringLiteral("resp/s"));
    chart.setStacked(true);
    chart.setWindowMs(60 * kStepMs);
    const QList<double> was1{10, 20, kGap, 40};
    const QList<double> was2{5, 5, 5, 5};
    for (int i = 0; i < was1.size(); ++i) {
        chart.appendPoint(QStringLiteral("was1"), kStartMs + i * kStepMs, was1[i]);
        chart.appendPoint(QStringLiteral("was2"), kStartMs + i * kStepMs, was2[i]);
    }
    chart.refresh(kStartMs + 3 * kStepMs);
    chart.flushUpdate();
    QVERIFY(chart.isStacked());
    const auto tops = [&](const QString &name) {
        Runs values;
        for (const StackedBand &band : chart.stackedBands(name)) {
            QList<double> ys;
            for (const QPointF &point : band.top)
                ys.append(point.y());
            values.append(ys);
        }
        return values;
    };
    QCOMPARE(tops(QStringLiteral("was1")), (Runs{{10, 20}, {40}}));
    // was2 sits on was1, and on nothing in was1's gap.
    QCOMPARE(tops(QStringLiteral("was2")), (Runs{{15, 25, 5, 45}}));
    const QList<StackedBand> was2Bands = chart.stackedBands(QStringLiteral("was2"));
    QCOMPARE(was2Bands.first().bottom.value(2).y(), 0.0);
    QCOMPARE(was2Bands.first().bottom.value(3).y(), 40.0);
    QVERIFY(valueAxis(chart).max() >= 45);
    const QStringList tip = chart.valuesAt(kStartMs + 3 * kStepMs).split(QLatin1Char('\n'));
    QCOMPARE(tip.value(1), QStringLiteral("was1: 40 resp/s"));
    QCOMPARE(tip.value(2), QStringLiteral("was2: 5 resp/s"));
    QCOMPARE(tip.value(3), QStringLiteral("total: 45 resp/s"));
    // The raw runs stay each series' own values.
    QCOMPARE(drawnRuns(chart, QStringLiteral("was2")), (Runs{{5, 5, 5, 5}}));
}

QTEST_MAIN(TestLiveChart)
#include "tst_live_chart.moc"
