// LiveSeriesStore: ring buffers per KPI series, coalesced notifications to the store's thread, and concurrent
// writers and readers (run it under -DCMAKE_CXX_FLAGS=-fsanitize=thread to have races reported).

#include "metrics/live_series_store.h"

#include <QSignalSpy>
#include <QTest>
#include <QThread>
#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>

using namespace clusterdeck;

namespace {

KpiKey key(const QString &target, const char *kpi = "was.tps", const QString &instance = QString())
{
    return KpiKey{target, QString::fromLatin1(kpi), instance};
}

KpiPoints points(const KpiKey &k, qint64 fromMs, int count, qint64 stepMs = 1000)
{
    KpiPoints result;
    for (int i = 0; i < count; ++i)
        result.append(KpiPoint{k, fromMs + i * stepMs, double(i)});
    return result;
}

qsizetype totalPoints(const QSignalSpy &spy)
{
    qsizetype total = 0;
    for (const QList<QVariant> &args : spy)
        total += args.at(0).value<KpiPoints>().size();
    return total;
}

} // namespace

class TestLiveSeriesStore : public QObject {
    Q_OBJECT
private slots:
    void capacityFromWindow();
    void ringKeepsTheNewestPoints();
    void olderPointsAreDropped();
    void seriesSinceAndLatest();
    void shrinkingKeepsTheNewest();
    void gapsAreKept();
    void notificationsAreCoalesced();
    void coalescesAppendsFromOtherThreads();
    void concurrentWritersAndReaders();
};

void TestLiveSeriesStore::capacityFromWindow()
{
    QCOMPARE(LiveSeriesStore::capacityFor(3600'000, 5000), 720);
    QCOMPARE(LiveSeriesStore::capacityFor(3600'000, 2000), 1800);
    QCOMPARE(LiveSeriesStore::capacityFor(1000, 5000), 2);
    QCOMPARE(LiveSeriesStore::capacityFor(1000, 0), 2);
    LiveSeriesStore store;
    QCOMPARE(store.capacity(), 720);
}

void TestLiveSeriesStore::ringKeepsTheNewestPoints()
{
    LiveSeriesStore store(4000, 1000); // 4 points per series
    const KpiKey a = key(QStringLiteral("was1"));
    store.append(points(a, 0, 10));
    const QList<LiveSample> s = store.series(a);
    QCOMPARE(s.size(), 4);
    for (int i = 0; i < 4; ++i) {
        QCOMPARE(s[i].timestampMs, qint64(6000 + i * 1000));
        QCOMPARE(s[i].value, double(6 + i));
    }
    QVERIFY(store.series(key(QStringLiteral("nope"))).isEmpty());
    QCOMPARE(store.seriesCount(), 1);
}

void TestLiveSeriesStore::olderPointsAreDropped()
{
    LiveSeriesStore store(10'000, 1000);
    const KpiKey a = key(QStringLiteral("was1"));
    store.append({KpiPoint{a, 5000, 1}, KpiPoint{a, 4000, 2}, KpiPoint{a, 5000, 3}, KpiPoint{a, 6000, 4}});
    const QList<LiveSample> s = store.series(a);
    QCOMPARE(s.size(), 3); // 4000 came after 5000: dropped; an equal timestamp is kept
    QCOMPARE(s[0].value, 1.0);
    QCOMPARE(s[1].value, 3.0);
    QCOMPARE(s[2].value, 4.0);
    QCOMPARE(store.totalAppended(), qint64(3));
}

void TestLiveSeriesStore::seriesSinceAndLatest()
{
    LiveSeriesStore store(5000, 1000); // 5 points
    const KpiKey a = key(QStringLiteral("gw"), "gateway.tps", QStringLiteral("was1"));
    store.append(points(a, 1000, 8)); // keeps 4000..8000 (wrapped)
    QList<LiveSample> s = store.seriesSince(a, 6000);
    QCOMPARE(s.size(), 3);
    QCOMPARE(s.first().timestampMs, qint64(6000));
    QCOMPARE(store.seriesSince(a, 6500).size(), 2);
    QCOMPARE(store.seriesSince(a, 0).size(), 5);
    QCOMPARE(store.seriesSince(a, 9000).size(), 0);
    QCOMPARE(store.latest(a)->timestampMs, qint64(8000));
    QVERIFY(!store.latest(key(QStringLiteral("gw"))).has_value()); // other instance
}

void TestLiveSeriesStore::shrinkingKeepsTheNewest()
{
    LiveSeriesStore store(6000, 1000);
    const KpiKey a = key(QStringLiteral("was1"));
    store.append(points(a, 0, 9)); // ring wrapped: 3000..8000
    store.setCapacity(3);
    QList<LiveSample> s = store.series(a);
    QCOMPARE(s.size(), 3);
    QCOMPARE(s.first().timestampMs, qint64(6000));
    store.append(points(a, 9000, 2));
    s = store.series(a);
    QCOMPARE(s.size(), 3);
    QCOMPARE(s.first().timestampMs, qint64(8000));
    QCOMPARE(s.last().timestampMs, qint64(10000));
    store.setCapacity(10);
    store.append(points(a, 11000, 3));
    QCOMPARE(store.series(a).size(), 6);
}

void TestLiveSeriesStore::gapsAreKept()
{
    LiveSeriesStore store;
    const KpiKey a = key(QStringLiteral("was1"));
    store.append({KpiPoint{a, 1000, 1}, KpiPoint{a, 2000, std::numeric_limits<double>::quiet_NaN()}});
    QVERIFY(std::isnan(store.latest(a)->value));
}

void TestLiveSeriesStore::notificationsAreCoalesced()
{
    LiveSeriesStore store;
    store.setNotifyInterval(200);
    QSignalSpy spy(&store, &LiveSeriesStore::pointsAppended);
    const KpiKey a = key(QStringLiteral("was1"));
    // 100 appends without returning to the event loop: one signal carrying all 100 points, in order.
    for (int i = 0; i < 100; ++i)
        store.append({KpiPoint{a, qint64(i), double(i)}});
    QCOMPARE(spy.count(), 0); // delivered on the event loop, never from inside append()
    QTRY_COMPARE_WITH_TIMEOUT(spy.count(), 1, 10000);
    const KpiPoints batch = spy.at(0).at(0).value<KpiPoints>();
    QCOMPARE(batch.size(), 100);
    for (int i = 0; i < 100; ++i)
        QCOMPARE(batch[i].timestampMs, qint64(i));
    // Another append right after a signal waits for the interval, then arrives as a second signal.
    store.append({KpiPoint{a, 1000, 1}});
    QTRY_COMPARE_WITH_TIMEOUT(spy.count(), 2, 10000);
    QCOMPARE(spy.at(1).at(0).value<KpiPoints>().size(), 1);
}

void TestLiveSeriesStore::coalescesAppendsFromOtherThreads()
{
    LiveSeriesStore store;
    store.setNotifyInterval(0);
    QSignalSpy spy(&store, &LiveSeriesStore::pointsAppended);
    // Two writers append 500 times each while the store's thread is busy (blocked in wait(), not in its event
    // loop): only the first append posts a flush, so everything arrives as one signal once the loop runs.
    QList<QThread *> writers;
    for (int w = 0; w < 2; ++w) {
        writers << QThread::create([&store, w] {
            for (int i = 0; i < 500; ++i)
                store.append({KpiPoint{key(QStringLiteral("w%1").arg(w)), qint64(i), double(i)}});
        });
    }
    for (QThread *t : writers)
        t->start();
    for (QThread *t : writers)
        QVERIFY(t->wait(60'000));
    qDeleteAll(writers);
    QCOMPARE(spy.count(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(spy.count(), 1, 10000);
    QCOMPARE(spy.at(0).at(0).value<KpiPoints>().size(), 1000);
}

void TestLiveSeriesStore::concurrentWritersAndReaders()
{
    constexpr int kWriters = 3;
    constexpr int kRounds = 2000;
    constexpr int kSeriesPerWriter = 5;
    LiveSeriesStore store(100'000, 1000); // 100 points per series
    store.setNotifyInterval(50);
    QSignalSpy spy(&store, &LiveSeriesStore::pointsAppended);

    std::atomic<bool> stop{false};
    std::atomic<int> badSnapshots{0};
    std::atomic<qint64> snapshots{0};
    // A reader that snapshots series while the writers fill them: every snapshot must be in time order and no
    // longer than the capacity.
    QThread *reader = QThread::create([&] {
        while (!stop.load()) {
            for (int w = 0; w < kWriters; ++w) {
                const QList<LiveSample> s =
                    store.series(key(QStringLiteral("t%1").arg(w), "was.tps", QStringLiteral("0")));
                bool ok = s.size() <= 100;
                for (qsizetype i = 1; i < s.size(); ++i)
                    ok = ok && s[i - 1].timestampMs <= s[i].timestampMs;
                if (!ok)
                    ++badSnapshots;
                ++snapshots;
            }
            (void)store.keys();
        }
    });
    QList<QThread *> writers;
    for (int w = 0; w < kWriters; ++w) {
        writers << QThread::create([&store, w] {
            for (int round = 0; round < kRounds; ++round) {
                KpiPoints batch;
                for (int s = 0; s < kSeriesPerWriter; ++s)
                    batch.append(KpiPoint{key(QStringLiteral("t%1").arg(w), "was.tps", QString::number(s)),
                                          qint64(round) * 1000, double(round)});
                store.append(batch);
            }
        });
    }
    reader->start();
    for (QThread *t : writers)
        t->start();
    // Wait with the event loop running, so notifications are delivered while the writers write.
    QTRY_VERIFY_WITH_TIMEOUT(
        std::all_of(writers.begin(), writers.end(), [](QThread *t) { return t->isFinished(); }), 60'000);
    for (QThread *t : writers)
        QVERIFY(t->wait(60'000));
    stop = true;
    QVERIFY(reader->wait(60'000));
    qDeleteAll(writers);
    delete reader;

    const qsizetype expected = qsizetype(kWriters) * kRounds * kSeriesPerWriter;
    QTRY_COMPARE_WITH_TIMEOUT(totalPoints(spy), expected, 10000); // nothing lost between batches
    QCOMPARE(store.totalAppended(), qint64(expected));
    QCOMPARE(badSnapshots.load(), 0);
    QVERIFY(snapshots.load() > 0);
    QCOMPARE(store.seriesCount(), kWriters * kSeriesPerWriter);
    for (int w = 0; w < kWriters; ++w) {
        const QList<LiveSample> s =
            store.series(key(QStringLiteral("t%1").arg(w), "was.tps", QStringLiteral("4")));
        QCOMPARE(s.size(), 100);
        QCOMPARE(s.last().value, double(kRounds - 1));
    }
    // Coalescing: far fewer signals than append() calls (how many depends on how the threads were scheduled;
    // coalescesWhileTheStoreThreadIsBusy pins the exact behaviour down).
    QVERIFY(spy.count() < kWriters * kRounds);
    // Each batch keeps per-series time order.
    QHash<KpiKey, qint64> last;
    for (const QList<QVariant> &args : spy) {
        for (const KpiPoint &p : args.at(0).value<KpiPoints>()) {
            QVERIFY(p.timestampMs >= last.value(p.key, -1));
            last[p.key] = p.timestampMs;
        }
    }
}

QTEST_GUILESS_MAIN(TestLiveSeriesStore)
#include "tst_live_series_store.moc"
