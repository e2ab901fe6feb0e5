#include "min_max_decimation.h"

#include <QTest>
#include <algorithm>
#include <cmath>

using namespace clusterdeck;

// Decimation to pixel columns keeps what a line through every point would show: each column's lowest and
// highest value, so a one-sample spike or dip survives however many points share its column.
class TestMinMaxDecimation : public QObject {
    Q_OBJECT
private slots:
    void keepsExtremesPerColumn_data();
    void keepsExtremesPerColumn();
    void shortRunsUnchanged();
    void clipsToTheWindowKeepingOneNeighbour();
};

void TestMinMaxDecimation::keepsExtremesPerColumn_data()
{
    QTest::addColumn<int>("points");
    QTest::addColumn<int>("columns");
    QTest::addColumn<int>("at");
    QTest::addColumn<double>("extreme");
    QTest::newRow("spike in the middle") << 3600 << 500 << 1800 << 1000.0;
    QTest::newRow("dip in the middle") << 3600 << 500 << 1801 << -1000.0;
    QTest::newRow("spike first") << 3600 << 500 << 0 << 1000.0;
    QTest::newRow("spike last") << 3600 << 500 << 3599 << 1000.0;
    QTest::newRow("a day into 300 columns") << 86400 << 300 << 43210 << 1000.0;
}

void TestMinMaxDecimation::keepsExtremesPerColumn()
{
    QFETCH(int, points);
    QFETCH(int, columns);
    QFETCH(int, at);
    QFETCH(double, extreme);
    QList<QPointF> run;
    for (int i = 0; i < points; ++i)
        run.append(QPointF(i, i == at ? extreme : std::sin(i / 7.0)));
    const QList<QPointF> out = decimateMinMax(run, 0, points, columns);
    QVERIFY2(out.size() <= 4 * qsizetype(columns), qPrintable(QString::number(out.size())));
    QVERIFY(std::is_sorted(out.begin(), out.end(), [](QPointF a, QPointF b) { return a.x() < b.x(); }));
    QVERIFY(out.contains(run[at]));
    QCOMPARE(out.first(), run.first());
    QCOMPARE(out.last(), run.last());
    // Every column keeps its own lowest and highest point.
    for (int column = 0; column < columns; ++column) {
        const double from = double(column) * points / columns;
        const double to = double(column + 1) * points / columns;
        double low = INFINITY;
        double high = -INFINITY;
        for (const QPointF &point : run) {
            if (point.x() >= from && point.x() < to) {
                low = std::min(low, point.y());
                high = std::max(high, point.y());
            }
        }
        double keptLow = INFINITY;
        double keptHigh = -INFINITY;
        for (const QPointF &point : out) {
            if (point.x() >= from && point.x() < to) {
                keptLow = std::min(keptLow, point.y());
                keptHigh = std::max(keptHigh, point.y());
            }
        }
        QCOMPARE(keptLow, low);
        QCOMPARE(keptHigh, high);
    }
}

void TestMinMaxDecimation::shortRunsUnchanged()
{
    QList<QPointF> run;
    for (int i = 0; i < 100; ++i)
        run.append(QPointF(i, i % 3));
    QCOMPARE(decimateMinMax(run, 0, 100, 800), run);
    QVERIFY(decimateMinMax(run, 0, 100, 0).isEmpty());
    QVERIFY(decimateMinMax({}, 0, 100, 800).isEmpty());
}

void TestMinMaxDecimation::clipsToTheWindowKeepingOneNeighbour()
{
    QList<QPointF> run;
    for (int i = 0; i < 10000; ++i)
        run.append(QPointF(i, 1));
    const QList<QPointF> out = decimateMinMax(run, 5000, 6000, 100);
    QCOMPARE(out.first().x(), 4999.0); // the line enters the plot from its left edge
    QCOMPARE(out.last().x(), 6000.0);  // and leaves it at the right
    QVERIFY(out.size() <= 4 * 100 + 2);
}

QTEST_MAIN(TestMinMaxDecimation)
#include "tst_min_max_decimation.moc"
