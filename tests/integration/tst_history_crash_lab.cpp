// Crash safety of the recorder on the lab cluster: `clusterdeckctl record` is killed with SIGKILL at random
// moments, 20 times into one file. After each kill the file passes PRAGMA integrity_check, every event the
// recorder acknowledged before the kill is there, and every page of every round handed to the writer more
// than a second before the kill is there with all its samples. Then a SIGTERM stops a recorder cleanly:
// summary line, exit 0, nothing left unsealed.

#include "cluster/inventory_loader.h"
#include "history/history_store.h"
#include "lab_client.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>
#include <map>
#include <set>
#include <sqlite3.h>

using namespace clusterdeck;

namespace {

struct PageSeen {
    QString target;
    qint64 timestampMs;
    int samples;
};

struct RoundSeen {
    qint64 handedMs; // when the recorder queued it for its writer
    QList<PageSeen> pages;
};

// What one recorder process said on stdout before it died.
struct Transcript {
    QList<RoundSeen> rounds;
    std::map<quint64, QString> queued; // ticket → note text
    std::set<quint64> acknowledged;    // tickets whose event was reported durable
};

void parseTranscript(const QByteArray &out, const QStringList &notesWritten, Transcript &t)
{
    static const QRegularExpression round(QStringLiteral(R"(^round n=\d+ at_ms=(\d+) kpis=\d+ pages=(.*)$)"));
    static const QRegularExpression queued(QStringLiteral(R"(^event queued ticket=(\d+)$)"));
    static const QRegularExpression acked(QStringLiteral(R"(^event id=\d+ ticket=(\d+)$)"));
    int notes = 0;
    for (const QByteArray &raw : out.split('\n')) {
        const QString line = QString::fromUtf8(raw);
        if (const auto m = round.match(line); m.hasMatch()) {
            RoundSeen r{m.captured(1).toLongLong(), {}};
            for (const QString &page : m.captured(2).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
                const qsizetype at = page.lastIndexOf(QLatin1Char('@'));
                const qsizetype colon = page.lastIndexOf(QLatin1Char(':'));
                r.pages.append({page.left(at), page.mid(at + 1, colon - at - 1).toLongLong(),
                                page.mid(colon + 1).toInt()});
            }
            t.rounds.append(r);
        } else if (const auto q = queued.match(line); q.hasMatch()) {
            t.queued[q.captured(1).toULongLong()] = notesWritten.value(notes++);
        } else if (const auto a = acked.match(line); a.hasMatch()) {
            t.acknowledged.insert(a.captured(1).toULongLong());
        }
    }
}

QString integrityCheck(const QString &path)
{
    sqlite3 *db = nullptr;
    if (sqlite3_open_v2(QFile::encodeName(path).constData(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
        return QStringLiteral("cannot open");
    sqlite3_stmt *stmt = nullptr;
    QString answer = QStringLiteral("no answer");
    if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW)
        answer = QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(stmt, 0)));
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return answer;
}

} // namespace

class TestHistoryCrashLab : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void killNineAtRandomMoments();
    void sigtermStopsCleanly();

private:
    QProcess *startRecorder(const QString &db, QObject *parent);
    QTemporaryDir m_dir;
    QString m_cluster;
};

void TestHistoryCrashLab::initTestCase()
{
    const QString labCluster = runLab({QStringLiteral("cluster"), QStringLiteral("haproxy")});
    QVERIFY2(!labCluster.isEmpty(), "`lab cluster haproxy` gave no file: is the lab up?");
    QFile in(labCluster);
    QVERIFY(in.open(QIODevice::ReadOnly));
    QString yaml = QString::fromUtf8(in.readAll());
    // Rounds every second: more rounds, and more of them close to each kill.
    yaml.replace(QRegularExpression(QStringLiteral("(?m)^scrape_interval: .*$")),
                 QStringLiteral("scrape_interval: 1s"));
    yaml.replace(QRegularExpression(QStringLiteral("(?m)^scrape_timeout: .*$")),
                 QStringLiteral("scrape_timeout: 900ms"));
    m_cluster = m_dir.filePath(QStringLiteral("lab.yaml"));
    QFile out(m_cluster);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(yaml.toUtf8());
    out.close();
    QVERIFY2(loadClusterFile(m_cluster), "the edited lab inventory does not load");
}

QProcess *TestHistoryCrashLab::startRecorder(const QString &db, QObject *parent)
{
    auto *process = new QProcess(parent);
    process->setProgram(QStringLiteral(CLUSTERDECKCTL_PATH));
    process->setArguments({QStringLiteral("record"), QStringLiteral("--cluster"), m_cluster,
                           QStringLiteral("--db"), db, QStringLiteral("--progress"),
                           QStringLiteral("--annotate-stdin")});
    process->start();
    return process;
}

void TestHistoryCrashLab::killNineAtRandomMoments()
{
    const QString db = m_dir.filePath(QStringLiteral("crash.sqlite"));
    Transcript all; // every process's rounds and acknowledged events, checked after every kill
    std::map<quint64, QString> ackedNotes; // unique across runs: run * 1e6 + ticket
    int runsWithRounds = 0;
    qint64 pagesChecked = 0;
    QRandomGenerator *rng = QRandomGenerator::global();
    for (int run = 0; run < 20; ++run) {
        QObject scope;
        QProcess *recorder = startRecorder(db, &scope);
        QVERIFY(recorder->waitForStarted());
        // Notes go in every 50-250 ms while it records; the kill comes 0.3-3.5 s after the start, anywhere:
        // while opening, between rounds, mid-commit, while an event is being written.
        QStringList notes;
        const qint64 killAfter = 300 + rng->bounded(3200);
        QElapsedTimer clock;
        clock.start();
        while (clock.elapsed() < killAfter) {
            const QString note = QStringLiteral("note %1-%2").arg(run).arg(notes.size());
            notes << note;
            recorder->write((note + QLatin1Char('\n')).toUtf8());
            QTest::qWait(50 + rng->bounded(200));
        }
        const qint64 killedMs = QDateTime::currentMSecsSinceEpoch();
        ::kill(pid_t(recorder->processId()), SIGKILL);
        QVERIFY(recorder->waitForFinished(10'000));
        QCOMPARE(recorder->exitStatus(), QProcess::CrashExit);

        Transcript t;
        parseTranscript(recorder->readAllStandardOutput(), notes, t);
        for (const quint64 ticket : t.acknowledged) {
            if (t.queued.count(ticket))
                ackedNotes[quint64(run) * 1'000'000 + ticket] = t.queued[ticket];
        }
        for (const RoundSeen &r : t.rounds) {
            if (r.handedMs <= killedMs - 1000)
                all.rounds.append(r);
        }
        runsWithRounds += !t.rounds.isEmpty();

        if (!QFile::exists(db) && ackedNotes.empty() && all.rounds.isEmpty())
            continue; // killed before it created the file
        QCOMPARE(integrityCheck(db), QStringLiteral("ok"));
        Result<std::unique_ptr<HistoryStore>> opened = HistoryStore::open(db, HistoryStore::Access::ReadOnly);
        if (!opened && ackedNotes.empty() && all.rounds.isEmpty())
            continue; // killed before the schema was committed: nothing was promised yet
        QVERIFY2(opened, qPrintable(opened ? QString() : opened.error().toString()));
        HistoryStore &store = **opened;

        HistoryStore::EventQuery noteQuery;
        noteQuery.kind = QStringLiteral("note");
        std::set<QString> recordedNotes;
        const Result<QList<HistoryEvent>> events = store.events(noteQuery);
        QVERIFY(events);
        for (const HistoryEvent &e : *events)
            recordedNotes.insert(e.message);
        for (const auto &[key, text] : ackedNotes)
            QVERIFY2(recordedNotes.count(text),
                     qPrintable(QStringLiteral("run %1: acknowledged '%2' is missing").arg(run).arg(text)));

        // Samples per (target, scrape time) as the file has them.
        std::map<std::pair<QString, qint64>, int> onFile;
        const Result<QList<SeriesInfo>> series = store.series(SeriesKind::Raw);
        QVERIFY(series);
        for (const SeriesInfo &info : *series) {
            const Result<QList<SamplePoint>> points =
                store.samples(info.id, 0, std::numeric_limits<qint64>::max());
            QVERIFY(points);
            for (const SamplePoint &p : *points)
                ++onFile[{info.target, p.timestampMs}];
        }
        for (const RoundSeen &r : all.rounds) {
            for (const PageSeen &page : r.pages) {
                const int got = onFile.count({page.target, page.timestampMs})
                                    ? onFile[{page.target, page.timestampMs}]
                                    : 0;
                QVERIFY2(
                    got == page.samples,
                    qPrintable(QStringLiteral(
                                   "run %1: page of %2 at %3, handed to the writer %4 ms before the kill: "
                                   "%5 of %6 samples on file")
                                   .arg(run)
                                   .arg(page.target)
                                   .arg(page.timestampMs)
                                   .arg(killedMs - r.handedMs)
                                   .arg(got)
                                   .arg(page.samples)));
                ++pagesChecked;
            }
        }
    }
    qInfo("20 kills: %zu acknowledged events and %lld pages (rounds handed over >= 1 s before a kill) all on "
          "file; "
          "%d runs had rounds",
          ackedNotes.size(), pagesChecked, runsWithRounds);
    QVERIFY2(!ackedNotes.empty(), "no event was acknowledged in 20 runs: the test proved nothing");
    QVERIFY2(pagesChecked > 0, "no round was old enough at any kill: the test proved nothing");
}

void TestHistoryCrashLab::sigtermStopsCleanly()
{
    const QString db = m_dir.filePath(QStringLiteral("clean.sqlite"));
    QObject scope;
    QProcess *recorder = startRecorder(db, &scope);
    QVERIFY(recorder->waitForStarted());
    // Two rounds, then a clean stop.
    QByteArray out;
    QTRY_VERIFY_WITH_TIMEOUT((out += recorder->readAllStandardOutput()).count("round n=") >= 2, 15'000);
    ::kill(pid_t(recorder->processId()), SIGTERM);
    QVERIFY(recorder->waitForFinished(30'000));
    QCOMPARE(recorder->exitStatus(), QProcess::NormalExit);
    QCOMPARE(recorder->exitCode(), 0);
    out += recorder->readAllStandardOutput();
    QVERIFY2(
        QRegularExpression(
            QStringLiteral(
                R"(recorded rounds=\d+ samples=\d+ events=\d+ seconds=[\d.]+ file=\S+ file_bytes=\d+\n)"))
            .match(QString::fromUtf8(out))
            .hasMatch(),
        out.constData());
    Result<std::unique_ptr<HistoryStore>> store = HistoryStore::open(db, HistoryStore::Access::ReadOnly);
    QVERIFY(store);
    const Result<HistoryStats> stats = (*store)->stats();
    QVERIFY(stats);
    QCOMPARE(stats->headSamples, 0); // everything sealed into chunks
    QVERIFY(stats->samples > 0);
    HistoryStore::EventQuery recorderEvents;
    recorderEvents.kind = QStringLiteral("recorder");
    const auto events = (*store)->events(recorderEvents);
    QCOMPARE(events->size(), 2);
    QCOMPARE(events->last().message, QStringLiteral("recording stopped"));
}

QTEST_GUILESS_MAIN(TestHistoryCrashLab)
#include "tst_history_crash_lab.moc"
