// clusterdeckctl record: the headless recorder (a jump host, a server): the collector's rounds into the
// cluster's history file until --duration ends or SIGINT/SIGTERM, then everything flushed and one summary
// line.

#include "alert_events.h"
#include "alerts/alert_engine.h"
#include "cluster/inventory_loader.h"
#include "command_line.h"
#include "commands.h"
#include "history/history_recorder.h"
#include "metrics/collector.h"
#include "metrics/metric_page.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QSocketNotifier>
#include <QTimer>
#include <csignal>
#include <cstdio>
#include <sys/socket.h>
#include <unistd.h>

namespace clusterdeck::ctl {

namespace {

int g_signalPipe[2] = {-1, -1};

void onSignal(int signal)
{
    const char byte = char(signal);
    [[maybe_unused]] const ssize_t n = ::write(g_signalPipe[1], &byte, 1);
}

} // namespace

int runRecord(const QStringList &args)
{
    CommandLine command(
        QStringLiteral("record"),
        QStringLiteral("--cluster FILE [--db PATH] [--duration S] [--no-raw] [--move-aside] "
                       "[--annotate-stdin] [--progress]"),
        QStringLiteral("Record the cluster into its history file until --duration ends or SIGINT/SIGTERM;\n"
                       "prints one summary line at the end."));
    const QCommandLineOption clusterOpt(QStringLiteral("cluster"), QStringLiteral("the inventory"),
                                        QStringLiteral("FILE"));
    const QCommandLineOption dbOpt(
        QStringLiteral("db"),
        QStringLiteral("the history file (default: the inventory's history_db, else "
                       "<app data>/history/<cluster>.sqlite)"),
        QStringLiteral("PATH"));
    const QCommandLineOption durationOpt(QStringLiteral("duration"), QStringLiteral("stop after S seconds"),
                                         QStringLiteral("S"));
    const QCommandLineOption noRawOpt(
        QStringLiteral("no-raw"),
        QStringLiteral("record KPIs only, not every scraped sample (record_raw: false)"));
    const QCommandLineOption moveAsideOpt(
        QStringLiteral("move-aside"),
        QStringLiteral(
            "if the file is damaged or not a history file, rename it to FILE.broken-* and start a new one"));
    const QCommandLineOption annotateOpt(
        QStringLiteral("annotate-stdin"),
        QStringLiteral(
            "each line read on stdin becomes a 'note' event; prints 'event id=N' once it is durable"));
    const QCommandLineOption progressOpt(QStringLiteral("progress"),
                                         QStringLiteral("print a line per round handed to the writer: "
                                                        "round n= at_ms= pages=target@ts:samples,..."));
    for (const QCommandLineOption &o :
         {clusterOpt, dbOpt, durationOpt, noRawOpt, moveAsideOpt, annotateOpt, progressOpt})
        command.addOption(o);
    if (const std::optional<int> exit = command.parse(args, 0, 0))
        return *exit;
    if (!command.isSet(clusterOpt))
        return command.usageError(QStringLiteral("--cluster FILE is required"));
    double durationS = 0;
    if (command.isSet(durationOpt)) {
        bool ok = false;
        durationS = command.value(durationOpt).toDouble(&ok);
        if (!ok || durationS <= 0)
            return command.usageError(
                QStringLiteral("--duration takes seconds > 0, not '%1'").arg(command.value(durationOpt)));
    }
    const Result<Cluster> loaded = loadClusterFile(command.value(clusterOpt));
    if (!loaded) {
        std::fprintf(stderr, "%s\n", qPrintable(loaded.error().toString()));
        return 1;
    }
    const Cluster &cluster = *loaded;
    const QString path = HistoryStore::pathFor(cluster, command.value(dbOpt));
    const bool raw =
        cluster.recordRaw && !command.isSet(noRawOpt) && cluster.metricsSource == MetricsSource::Direct;

    HistoryRecorder recorder;
    Status started = recorder.start(path);
    if (!started && command.isSet(moveAsideOpt) && QFileInfo::exists(path) &&
        !started.error().message.contains(QLatin1String("is recording into"))) {
        const Result<QString> moved = HistoryStore::moveAside(path);
        if (!moved) {
            std::fprintf(stderr, "clusterdeckctl record: %s\n", qPrintable(moved.error().toString()));
            return 1;
        }
        std::fprintf(stderr, "clusterdeckctl record: moved %s aside to %s (%s)\n", qPrintable(path),
                     qPrintable(*moved), qPrintable(started.error().message));
        started = recorder.start(path);
    }
    if (!started) {
        std::fprintf(stderr, "clusterdeckctl record: %s\n", qPrintable(started.error().toString()));
        return 1;
    }

    const bool progress = command.isSet(progressOpt);
    QObject context;
    QObject::connect(&recorder, &HistoryRecorder::statusChanged, &context, [](const QString &error) {
        if (error.isEmpty())
            std::fprintf(stderr, "clusterdeckctl record: recording again\n");
        else
            std::fprintf(stderr, "clusterdeckctl record: recording paused: %s\n", qPrintable(error));
    });
    QObject::connect(&recorder, &HistoryRecorder::eventRecorded, &context, [](quint64 ticket, qint64 id) {
        std::printf("event id=%lld ticket=%llu\n", static_cast<long long>(id),
                    static_cast<unsigned long long>(ticket));
        std::fflush(stdout);
    });
    QObject::connect(&recorder, &HistoryRecorder::eventFailed, &context,
                     [](quint64 ticket, const QString &error) {
                         std::fprintf(stderr, "clusterdeckctl record: event %llu not recorded: %s\n",
                                      static_cast<unsigned long long>(ticket), qPrintable(error));
                     });

    const qint64 startedMs = QDateTime::currentMSecsSinceEpoch();
    HistoryEvent begin;
    begin.timestampMs = startedMs;
    begin.kind = QStringLiteral("recorder");
    begin.actor = QStringLiteral("clusterdeckctl record");
    begin.message = QStringLiteral("recording started (%1)")
                        .arg(raw ? QStringLiteral("KPIs and raw samples") : QStringLiteral("KPIs"));
    recorder.recordEvent(begin);

    Collector collector(cluster);
    collector.setKeepPages(raw);
    // Every alert transition is an event in the history.
    AlertEngine alerts(cluster);
    const auto recordAlerts = [&](const QList<AlertTransition> &transitions) {
        for (const AlertTransition &transition : transitions)
            recorder.recordEvent(alertHistoryEvent(transition, QStringLiteral("clusterdeckctl record")));
    };
    QObject::connect(&collector, &Collector::roundFinished, &context, [&](const CollectionRound &round) {
        recorder.recordRound(round);
        recordAlerts(alerts.evaluateRound(round));
        if (progress) {
            QStringList pages;
            for (const ScrapedPage &page : round.pages)
                pages << QStringLiteral("%1@%2:%3")
                             .arg(page.target)
                             .arg(page.timestampMs)
                             .arg(page.page ? page.page->size() : 0);
            std::printf(
                "round n=%llu at_ms=%lld kpis=%lld pages=%s\n", static_cast<unsigned long long>(round.number),
                static_cast<long long>(QDateTime::currentMSecsSinceEpoch()),
                static_cast<long long>(round.points.size()), qPrintable(pages.join(QLatin1Char(','))));
            std::fflush(stdout);
        }
    });
    if (cluster.metricsSource == MetricsSource::Prometheus) {
        // PromQL KPIs arrive apart from the rounds (which then carry statuses only).
        QObject::connect(&collector, &Collector::kpisUpdated, &context, [&](const KpiPoints &points) {
            recorder.recordKpis(points);
            qint64 atMs = 0;
            for (const KpiPoint &point : points)
                atMs = std::max(atMs, point.timestampMs);
            recordAlerts(alerts.evaluate(atMs, nullptr, points));
        });
    }

    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalPipe) != 0) {
        std::perror("clusterdeckctl record: socketpair");
        return 1;
    }
    QSocketNotifier signalNotifier(g_signalPipe[0], QSocketNotifier::Read);
    QObject::connect(&signalNotifier, &QSocketNotifier::activated, &context,
                     [] { QCoreApplication::quit(); });
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);

    std::unique_ptr<QSocketNotifier> stdinNotifier;
    QByteArray stdinBuffer;
    if (command.isSet(annotateOpt)) {
        stdinNotifier = std::make_unique<QSocketNotifier>(STDIN_FILENO, QSocketNotifier::Read);
        QObject::connect(stdinNotifier.get(), &QSocketNotifier::activated, &context, [&] {
            char buffer[4096];
            const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
            if (n <= 0) {
                stdinNotifier->setEnabled(false); // end of input: keep recording
                return;
            }
            stdinBuffer.append(buffer, n);
            qsizetype nl;
            while ((nl = stdinBuffer.indexOf('\n')) >= 0) {
                const QString line = QString::fromUtf8(stdinBuffer.left(nl)).trimmed();
                stdinBuffer.remove(0, nl + 1);
                if (line.isEmpty())
                    continue;
                HistoryEvent note;
                note.timestampMs = QDateTime::currentMSecsSinceEpoch();
                note.kind = QStringLiteral("note");
                note.actor = QStringLiteral("clusterdeckctl record");
                note.message = line;
                const quint64 ticket = recorder.recordEvent(note);
                std::printf("event queued ticket=%llu\n", static_cast<unsigned long long>(ticket));
                std::fflush(stdout);
            }
        });
    }
    if (durationS > 0)
        QTimer::singleShot(qint64(durationS * 1000), &context, [] { QCoreApplication::quit(); });

    std::fprintf(stderr, "clusterdeckctl record: recording %s into %s (%s); stop with Ctrl-C\n",
                 qPrintable(cluster.name), qPrintable(path), raw ? "KPIs and raw samples" : "KPIs only");
    collector.start();
    QCoreApplication::exec();
    collector.stop();
    QCoreApplication::processEvents(); // rounds already queued to this thread go to the writer too

    HistoryEvent end;
    end.timestampMs = QDateTime::currentMSecsSinceEpoch();
    end.kind = QStringLiteral("recorder");
    end.actor = QStringLiteral("clusterdeckctl record");
    end.message = QStringLiteral("recording stopped");
    const Result<qint64> endId = recorder.recordEventAndWait(end);
    const Status stopped = recorder.stop();
    QCoreApplication::processEvents();
    const HistoryRecorder::Counters counters = recorder.counters();
    std::printf("recorded rounds=%lld samples=%lld events=%lld seconds=%.1f file=%s file_bytes=%lld%s\n",
                static_cast<long long>(counters.rounds), static_cast<long long>(counters.samples),
                static_cast<long long>(counters.events), double(end.timestampMs - startedMs) / 1000.0,
                qPrintable(path), static_cast<long long>(QFileInfo(path).size()),
                stopped && endId ? "" : " errors=1");
    std::fflush(stdout);
    if (!stopped) {
        std::fprintf(stderr, "clusterdeckctl record: %s\n", qPrintable(stopped.error().toString()));
        return 1;
    }
    return 0;
}

} // namespace clusterdeck::ctl
