// histogramQuantile() against values worked out by hand from Prometheus' bucketQuantile():
//   rank = q * total; b = first bucket (not +Inf) with count >= rank;
//   result = lower(b) + (upper(b) - lower(b)) * (rank - count(b-1)) / (count(b) - count(b-1)), lower(0) = 0.

#include "metrics/histogram_quantile.h"

#include <QTest>
#include <cmath>
#include <limits>
#include <vector>

using namespace clusterdeck;

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
} // namespace

using Buckets = std::vector<HistogramBucket>;
Q_DECLARE_METATYPE(Buckets)

class TestHistogramQuantile : public QObject {
    Q_OBJECT
private slots:
    void quantile_data();
    void quantile();
    void doesNotNeedSortedInput();
};

void TestHistogramQuantile::quantile_data()
{
    QTest::addColumn<Buckets>("buckets");
    QTest::addColumn<double>("q");
    QTest::addColumn<double>("expected"); // NaN = expect NaN

    const Buckets plain{{0.1, 10}, {0.5, 30}, {1.0, 40}, {kInf, 40}};
    // rank 20 falls in (0.1, 0.5]: 0.1 + 0.4 * (20 - 10) / (30 - 10) = 0.3
    QTest::newRow("median, interpolated") << plain << 0.5 << 0.3;
    // rank 38 in (0.5, 1]: 0.5 + 0.5 * (38 - 30) / 10 = 0.9
    QTest::newRow("p95") << plain << 0.95 << 0.9;
    // rank 4 in the first bucket, lower bound 0: 0.1 * 4 / 10 = 0.04
    QTest::newRow("first bucket from 0") << plain << 0.1 << 0.04;
    // rank 40 is reached by le=1 already (the +Inf bucket adds nothing): 0.5 + 0.5 * 10 / 10 = 1
    QTest::newRow("q=1 with empty +Inf") << plain << 1.0 << 1.0;
    // q = 0: rank 0, first bucket: 0.1 * 0 / 10 = 0
    QTest::newRow("q=0") << plain << 0.0 << 0.0;

    // Observations mostly above the last finite bound: rank 5 of 10 is only reached in +Inf → highest finite
    // le
    const Buckets overflow{{0.1, 1}, {1.0, 2}, {kInf, 10}};
    QTest::newRow("quantile in +Inf bucket") << overflow << 0.5 << 1.0;
    QTest::newRow("p99 in +Inf bucket") << overflow << 0.99 << 1.0;
    // rank 1.5 in (0.1, 1]: 0.1 + 0.9 * (1.5 - 1) / (2 - 1) = 0.55
    QTest::newRow("below +Inf still interpolates") << overflow << 0.15 << 0.55;

    // Empty buckets: nothing at or below 0.2, everything in (0.2, 0.4]
    const Buckets empties{{0.1, 0}, {0.2, 0}, {0.4, 5}, {0.8, 5}, {kInf, 5}};
    // rank 2.5 in (0.2, 0.4]: 0.2 + 0.2 * 2.5 / 5 = 0.3
    QTest::newRow("empty buckets, median") << empties << 0.5 << 0.3;
    // rank 4.75: 0.2 + 0.2 * 4.75 / 5 = 0.39
    QTest::newRow("empty buckets, p95") << empties << 0.95 << 0.39;
    // rank 5 is reached at le=0.4 exactly
    QTest::newRow("empty buckets, q=1") << empties << 1.0 << 0.4;

    QTest::newRow("no observations") << Buckets{{0.1, 0}, {1, 0}, {kInf, 0}} << 0.5 << kNaN;
    QTest::newRow("no +Inf bucket") << Buckets{{0.1, 1}, {1, 2}} << 0.5 << kNaN;
    QTest::newRow("only +Inf") << Buckets{{kInf, 7}} << 0.5 << kNaN;
    QTest::newRow("no buckets") << Buckets{} << 0.5 << kNaN;
    QTest::newRow("q < 0") << plain << -0.1 << -kInf;
    QTest::newRow("q > 1") << plain << 1.1 << kInf;
    QTest::newRow("q NaN") << plain << kNaN << kNaN;

    // Same bound twice (two series summed without aggregation): merged, 0.5:3, 1:4, +Inf:4.
    // rank 2 in (0, 0.5]: 0.5 * 2 / 3
    QTest::newRow("duplicate bounds merged")
        << Buckets{{0.5, 2}, {0.5, 1}, {1, 4}, {kInf, 4}} << 0.5 << 0.5 * 2 / 3;
    // Non-monotonic counts are raised to the running max: 5, 5, 6. rank 5.4 only in +Inf → 0.2
    QTest::newRow("non-monotonic forced") << Buckets{{0.1, 5}, {0.2, 3}, {kInf, 6}} << 0.9 << 0.2;
    // ...and rank 3 (q=0.5) in the first bucket: 0.1 * 3 / 5 = 0.06
    QTest::newRow("non-monotonic, low q") << Buckets{{0.1, 5}, {0.2, 3}, {kInf, 6}} << 0.5 << 0.06;
    // A first bucket with bound <= 0 returns that bound instead of interpolating from 0
    QTest::newRow("negative first bound") << Buckets{{-1, 2}, {0, 4}, {kInf, 4}} << 0.25 << -1.0;
    // Rates, not counts: fractional values work the same (rank 0.45 in (0.005, 0.01]: 0.005 + 0.005 * 0.15 /
    // 0.3)
    QTest::newRow("fractional rates")
        << Buckets{{0.005, 0.3}, {0.01, 0.6}, {kInf, 0.9}} << 0.5 << 0.005 + 0.005 * 0.5;
}

void TestHistogramQuantile::quantile()
{
    QFETCH(Buckets, buckets);
    QFETCH(double, q);
    QFETCH(double, expected);
    const double actual = histogramQuantile(q, buckets);
    if (std::isnan(expected)) {
        QVERIFY2(std::isnan(actual), qPrintable(QString::number(actual)));
    } else if (std::isinf(expected)) {
        QCOMPARE(actual, expected);
    } else {
        QVERIFY2(
            std::abs(actual - expected) < 1e-12,
            qPrintable(
                QStringLiteral("got %1, expected %2").arg(actual, 0, 'g', 17).arg(expected, 0, 'g', 17)));
    }
}

void TestHistogramQuantile::doesNotNeedSortedInput()
{
    Buckets shuffled{{kInf, 40}, {1.0, 40}, {0.1, 10}, {0.5, 30}};
    QCOMPARE(histogramQuantile(0.5, shuffled), 0.3);
}

QTEST_APPLESS_MAIN(TestHistogramQuantile)
#include "tst_histogram_quantile.moc"
