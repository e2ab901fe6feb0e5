// Burrow's consumer lag evaluation rules over a window of (offset, lag, members) observations, one per round.
#include "alerts/lag_evaluator.h"

#include <QTest>

using namespace clusterdeck;

class TestLagEvaluator : public QObject {
    Q_OBJECT
private slots:
    void burrowRules_data();
    void burrowRules();
    void statusNames();
};

using Doubles = QList<double>;

void TestLagEvaluator::burrowRules_data()
{
    QTest::addColumn<int>("window");
    QTest::addColumn<Doubles>("offsets");
    QTest::addColumn<Doubles>("lags");
    QTest::addColumn<Doubles>("members"); // one per observation, or empty: the exporter does not say
    QTest::addColumn<int>("expected");

    const double nan = std::nan("");
    const auto S = [](LagStatus s) { return int(s); };
    QTest::newRow("keeps up") << 10 << Doubles{10, 20, 30} << Doubles{3, 2, 4} << Doubles{1, 1, 1}
                              << S(LagStatus::Ok);
    QTest::newRow("lag 0 once in the window is OK")
        << 10 << Doubles{10, 10, 10} << Doubles{5, 0, 5} << Doubles{1, 1, 1} << S(LagStatus::Ok);
    QTest::newRow("lag 0 now, offsets still")
        << 10 << Doubles{10, 10} << Doubles{0, 0} << Doubles{1, 1} << S(LagStatus::Ok);
    QTest::newRow("stalled: offsets still, lag growing")
        << 10 << Doubles{100, 100, 100} << Doubles{5, 8, 12} << Doubles{1, 1, 1} << S(LagStatus::Stalled);
    QTest::newRow("stalled: offsets still, lag fixed")
        << 10 << Doubles{100, 100} << Doubles{5, 5} << Doubles{1, 1} << S(LagStatus::Stalled);
    QTest::newRow("an old zero slides out of the window")
        << 3 << Doubles{10, 10, 10, 10} << Doubles{0, 5, 6, 7} << Doubles{1, 1, 1, 1}
        << S(LagStatus::Stalled);
    QTest::newRow("stopped: no members left")
        << 10 << Doubles{100, 100} << Doubles{5, 9} << Doubles{1, 0} << S(LagStatus::Stopped);
    QTest::newRow("stopped: members gone even if offsets moved")
        << 10 << Doubles{90, 100} << Doubles{5, 9} << Doubles{1, 0} << S(LagStatus::Stopped);
    QTest::newRow("no member count: still since the window began is STALLED")
        << 2 << Doubles{90, 100, 100} << Doubles{5, 6, 7} << Doubles{} << S(LagStatus::Stalled);
    QTest::newRow("no member count: still for longer than the window is STOPPED")
        << 2 << Doubles{90, 100, 100, 100} << Doubles{5, 6, 7, 8} << Doubles{} << S(LagStatus::Stopped);
    QTest::newRow("members present: still for long is STALLED, not STOPPED")
        << 2 << Doubles{90, 100, 100, 100} << Doubles{5, 6, 7, 8} << Doubles{1, 1, 1, 1}
        << S(LagStatus::Stalled);
    QTest::newRow("warning: offsets move, lag grows every interval")
        << 10 << Doubles{1, 2, 3, 4} << Doubles{10, 20, 30, 40} << Doubles{1, 1, 1, 1}
        << S(LagStatus::Warning);
    QTest::newRow("lag grows but not every interval is OK")
        << 10 << Doubles{1, 2, 3, 4} << Doubles{10, 20, 15, 30} << Doubles{1, 1, 1, 1} << S(LagStatus::Ok);
    QTest::newRow("lag fixed while offsets move is OK")
        << 10 << Doubles{1, 2, 3} << Doubles{10, 10, 10} << Doubles{1, 1, 1} << S(LagStatus::Ok);
    QTest::newRow("only the window counts for WARNING")
        << 3 << Doubles{1, 2, 3, 4, 5} << Doubles{10, 5, 6, 7, 8} << Doubles{1, 1, 1, 1, 1}
        << S(LagStatus::Warning);
    QTest::newRow("one observation with lag is no data")
        << 10 << Doubles{100} << Doubles{5} << Doubles{1} << S(LagStatus::NoData);
    QTest::newRow("one observation with lag 0 is OK")
        << 10 << Doubles{100} << Doubles{0} << Doubles{1} << S(LagStatus::Ok);
    QTest::newRow("lag missing this round is no data, not OK")
        << 10 << Doubles{100, 100, 100} << Doubles{5, 6, nan} << Doubles{1, 1, 1} << S(LagStatus::NoData);
    QTest::newRow("offset missing (none committed) is no data")
        << 10 << Doubles{100, nan} << Doubles{5, 6} << Doubles{1, 1} << S(LagStatus::NoData);
    QTest::newRow("the window resumes after a gap")
        << 10 << Doubles{100, nan, 100} << Doubles{5, 6, 7} << Doubles{1, 1, 1} << S(LagStatus::Stalled);
}

void TestLagEvaluator::burrowRules()
{
    QFETCH(int, window);
    QFETCH(Doubles, offsets);
    QFETCH(Doubles, lags);
    QFETCH(Doubles, members);
    QFETCH(int, expected);
    QCOMPARE(offsets.size(), lags.size());
    LagEvaluator evaluator(window);
    LagStatus status = LagStatus::NoData;
    for (qsizetype i = 0; i < offsets.size(); ++i) {
        LagSample sample;
        sample.timestampMs = 1'700'000'000'000 + i * 5000;
        sample.offset = offsets[i];
        sample.lag = lags[i];
        sample.members = members.isEmpty() ? std::nan("") : members[i];
        status = evaluator.add(sample);
    }
    QCOMPARE(lagStatusName(status), lagStatusName(LagStatus(expected)));
    QCOMPARE(evaluator.status(), status);
    QVERIFY(evaluator.window().size() <= std::max(2, window));
}

void TestLagEvaluator::statusNames()
{
    QCOMPARE(lagStatusName(LagStatus::Ok), QStringLiteral("OK"));
    QCOMPARE(lagStatusName(LagStatus::Warning), QStringLiteral("WARNING"));
    QCOMPARE(lagStatusName(LagStatus::Stalled), QStringLiteral("STALLED"));
    QCOMPARE(lagStatusName(LagStatus::Stopped), QStringLiteral("STOPPED"));
    QCOMPARE(lagStatusName(LagStatus::NoData), QStringLiteral("no data"));
}

QTEST_APPLESS_MAIN(TestLagEvaluator)
#include "tst_lag_evaluator.moc"
