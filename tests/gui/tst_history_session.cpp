// The console's recording (HistorySession) on real files: the live charts' store is back-filled from the
// history file before the first round, rounds go to the file through the recorder's thread, the status-bar
// label says what it does, and a damaged file is offered to be moved aside rather than overwritten.

#include "history/history_store.h"
#include "history_session.h"
#include "metrics/collector.h"
#include "metrics/live_series_store.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QTemporaryDir>
#include <QTest>

using namespace clusterdeck;

class TestHistorySession : public QObject {
    Q_OBJECT
private slots:
    void backfillsThenRecords();
    void damagedFileIsMovedAsideOnRequest();

private:
    Cluster clusterWith(const QString &db) const
    {
        Cluster cluster;
        cluster.name = QStringLiteral("test");
        cluster.historyDb = db;
        Node node;
        node.name = QStringLiteral("was1");
        node.role = NodeRole::Was;
        cluster.nodes.append(node);
        return cluster;
    }
    QTemporaryDir m_dir;
};

void TestHistorySession::backfillsThenRecords()
{
    const QString path = m_dir.filePath(QStringLiteral("session.sqlite"));
    const KpiKey tps{QStringLiteral("was1"), QStringLiteral("was.tps"), QString()};
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    {
        auto store = std::move(HistoryStore::open(path)).value();
        for (int i = 0; i < 100; ++i) // the last 100 s, and one point two hours ago that stays out
            store->appendKpis({KpiPoint{tps, now - 100'000 + i * 1000, double(i)}});
        store->appendKpis(
            {KpiPoint{KpiKey{QStringLiteral("was1"), QStringLiteral("was.latency_p95"), QString()},
                      now - 2 * 3600'000, 1.0}});
        QVERIFY(store->close());
    }
    const Cluster cluster = clusterWith(path);
    LiveSeriesStore live(LiveSeriesStore::kDefaultWindowMs, 1000);
    Collector collector(cluster); // never started: the test emits its rounds
    {
        HistorySession session(cluster, &live);
        QCOMPARE(session.backfilledPoints(), 100);
        const QList<LiveSample> shown = live.series(tps);
        QCOMPARE(shown.size(), 100);
        QCOMPARE(shown.last().value, 99.0);
        QVERIFY(session.isRecording());
        QVERIFY2(session.statusLabel()->text().startsWith(QLatin1String("Recording to session.sqlite")),
                 qPrintable(session.statusLabel()->text()));
        session.attach(&collector);
        CollectionRound round;
        round.points.append(KpiPoint{tps, now + 1000, 123.0});
        emit collector.roundFinished(round);
    } // the session closes the file
    auto reader = std::move(HistoryStore::open(path, HistoryStore::Access::ReadOnly)).value();
    const qint64 id =
        reader->series(SeriesKind::Kpi, QStringLiteral("was1"), QStringLiteral("was.tps"))->first().id;
    const QList<SamplePoint> points = *reader->samples(id, now, now + 1000);
    QCOMPARE(points.size(), 1);
    QCOMPARE(points.first().value, 123.0);
}

void TestHistorySession::damagedFileIsMovedAsideOnRequest()
{
    const QString path = m_dir.filePath(QStringLiteral("damaged.sqlite"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QByteArray(10000, 'x'));
    file.close();
    const Cluster cluster = clusterWith(path);
    LiveSeriesStore live;
    HistorySession session(cluster, &live);
    QVERIFY(!session.isRecording());
    QVERIFY2(session.statusLabel()->text().contains(QLatin1String("move it aside")),
             qPrintable(session.statusLabel()->text()));
    QCOMPARE(QFileInfo(path).size(), 10000); // untouched until asked
    emit session.statusLabel()->linkActivated(QStringLiteral("move"));
    QVERIFY(session.isRecording());
    QVERIFY(!QDir(m_dir.path()).entryList({QStringLiteral("damaged.sqlite.broken-*")}).isEmpty());
}

QTEST_MAIN(TestHistorySession)
#include "tst_history_session.moc"
