// Prometheus-mode polling against a deliberately slow server: the real Collector (its thread, timer,
// back-fill and PromKpiSource) on a lab-shaped inventory, reading KPIs from the fake Prometheus of
// tests/support/slow_prometheus.h, which holds every answer for a fixed delay.
//
//   bench_prom_poll [--seconds S] [--delays 0,100,300] [--intervals 1000,2000]
//
// Each configuration runs for S seconds (default 60) counted from the end of the start-up back-fill, and
// prints one line: polls completed and skipped per minute, queries per poll, the mean of each poll's slowest
// answer (send to answer) and the mean poll duration. A poll still running when the window closes is not
// counted.

#include "cluster/inventory_loader.h"
#include "metrics/collector.h"
#include "slow_prometheus.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QLoggingCategory>
#include <QTimer>
#include <cstdio>

using namespace clusterdeck;

namespace {

QList<int> numbers(const QString &text)
{
    QList<int> out;
    for (const QString &part : text.split(QLatin1Char(','), Qt::SkipEmptyParts))
        out << part.trimmed().toInt();
    return out;
}

bool runOne(int delayMs, int intervalMs, int seconds)
{
    testing::SlowPrometheus server;
    if (!server.listen(QHostAddress(QStringLiteral("127.0.97.2")))) {
        std::fprintf(stderr, "bench_prom_poll: cannot listen on 127.0.97.2\n");
        return false;
    }
    server.setDelayMs(delayMs);
    server.setInstances(testing::labLikeInstances());
    const InventoryLoader::Outcome loaded = InventoryLoader::loadText(
        testing::labLikeClusterYaml(server.url(), intervalMs), QStringLiteral("bench"));
    if (!loaded.problems.isEmpty()) {
        std::fprintf(stderr, "%s\n", qPrintable(formatProblems(QStringLiteral("bench"), loaded.problems)));
        return false;
    }

    Collector collector(loaded.cluster);
    QEventLoop loop;
    QElapsedTimer window;
    bool backfilled = false;
    PromPollStats last;
    quint64 lastCompleted = 0;
    qint64 answerSum = 0;
    qint64 pollSum = 0;
    QObject::connect(&collector, &Collector::kpisUpdated, &loop, [&] {
        if (!backfilled) {
            backfilled = true; // the first KPIs are the back-fill's: the window starts now, before any poll
            window.start();
            QTimer::singleShot(seconds * 1000, &loop, &QEventLoop::quit);
        }
    });
    QObject::connect(&collector, &Collector::promPollStatsUpdated, &loop, [&](const PromPollStats &stats) {
        if (!backfilled || window.elapsed() > seconds * 1000)
            return;
        if (stats.completed > lastCompleted) {
            lastCompleted = stats.completed;
            answerSum += stats.answerMs;
            pollSum += stats.pollMs;
        }
        last = stats;
    });
    collector.start();
    loop.exec();
    collector.stop();

    const double perMinute = 60.0 / seconds;
    std::printf("delay=%dms interval=%dms window=%ds queries/poll=%d completed/min=%.1f skipped/min=%.1f "
                "answer_ms=%.0f poll_ms=%.0f failed_queries_last=%d\n",
                delayMs, intervalMs, seconds, last.queries, double(last.completed) * perMinute,
                double(last.skipped) * perMinute,
                last.completed ? double(answerSum) / double(last.completed) : -1.0,
                last.completed ? double(pollSum) / double(last.completed) : -1.0, last.failedQueries);
    std::fflush(stdout);
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("clusterdeck.*.debug=false"));
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Prometheus-mode polling against a slow fake Prometheus"));
    parser.addHelpOption();
    const QCommandLineOption secondsOption(QStringLiteral("seconds"),
                                           QStringLiteral("Window per configuration."), QStringLiteral("S"),
                                           QStringLiteral("60"));
    const QCommandLineOption delaysOption(QStringLiteral("delays"), QStringLiteral("Delays per query (ms)."),
                                          QStringLiteral("LIST"), QStringLiteral("0,100,300"));
    const QCommandLineOption intervalsOption(QStringLiteral("intervals"),
                                             QStringLiteral("Poll intervals (ms)."), QStringLiteral("LIST"),
                                             QStringLiteral("1000,2000"));
    parser.addOptions({secondsOption, delaysOption, intervalsOption});
    parser.process(app);
    const int seconds = parser.value(secondsOption).toInt();
    if (seconds <= 0)
        parser.showHelp(1);
    // The answers' timing is what is measured: "answer_ms" is each poll's slowest query from send to answer,
    // averaged over the polls; "poll_ms" is poll start to its last answer.
    for (const int interval : numbers(parser.value(intervalsOption))) {
        for (const int delay : numbers(parser.value(delaysOption))) {
            if (!runOne(delay, interval, seconds))
                return 1;
        }
    }
    return 0;
}
