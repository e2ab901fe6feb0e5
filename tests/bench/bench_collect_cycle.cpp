// CPU cost of one collection cycle for the lab cluster: parse every target's /metrics page and run the KPI
// engine over it, as the collector thread does each scrape interval.
//
//   bench_collect_cycle [--pages DIR] [--iterations N]
//       Offline, in-process: the pages of tests/fixtures/kpi_lab_round (captured from the lab under `lab
//       load`, two snapshots a/b per target, 2 s apart) are parsed and KPI'd N times, alternating a and b so
//       counters move. Prints CPU time per cycle, split into parsing and KPIs.
//   bench_collect_cycle --live CLUSTER.yaml [--rounds N]
//       Against a running cluster: N full rounds (HTTP fetch of every page, health probes, parse, KPIs) back
//       to back; prints the process CPU time per round (all threads) and the KPI engine's share.

#include "cluster/inventory_loader.h"
#include "metrics/collector.h"
#include "metrics/exposition_parser.h"
#include "metrics/kpi_engine.h"
#include "metrics/metric_page.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QFile>
#include <QStringList>
#include <cstdio>
#include <ctime>
#include <string>
#include <sys/resource.h>
#include <vector>

using namespace clusterdeck;

namespace {

qint64 processCpuUs()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return qint64(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1'000'000 + usage.ru_utime.tv_usec +
           usage.ru_stime.tv_usec;
}

qint64 threadCpuNs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return qint64(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

struct BenchTarget {
    KpiTarget target;
    std::string pages[2]; // snapshots a and b
};

// The lab cluster of tests/lab (ARCHITECTURE.md §6): HAProxy in front of three WAS nodes, Redis, the queue
// consumer (kafka_exporter names), MariaDB.
std::vector<BenchTarget> labTargets()
{
    const auto node = [](const char *name, NodeRole role) {
        BenchTarget t;
        t.target.name = QString::fromLatin1(name);
        t.target.role = role;
        return t;
    };
    BenchTarget gateway;
    gateway.target.name = QStringLiteral("haproxy");
    gateway.target.isGateway = true;
    gateway.target.gatewayKind = GatewayKind::HAProxy;
    gateway.target.backend = QStringLiteral("was");
    return {gateway,
            node("was1", NodeRole::Was),
            node("was2", NodeRole::Was),
            node("was3", NodeRole::Was),
            node("redis", NodeRole::Redis),
            node("queue", NodeRole::Kafka),
            node("mariadb", NodeRole::Db)};
}

int offline(const QString &dir, long iterations)
{
    std::vector<BenchTarget> targets = labTargets();
    std::size_t bytesPerCycle = 0;
    for (BenchTarget &t : targets) {
        for (int s = 0; s < 2; ++s) {
            const QString path =
                QStringLiteral("%1/%2.%3.prom").arg(dir, t.target.name, QLatin1String(s ? "b" : "a"));
            QFile file(path);
            if (!file.open(QIODevice::ReadOnly)) {
                std::fprintf(stderr, "bench_collect_cycle: cannot read %s: %s\n", qPrintable(path),
                             qPrintable(file.errorString()));
                return 1;
            }
            t.pages[s] = file.readAll().toStdString();
        }
        bytesPerCycle += (t.pages[0].size() + t.pages[1].size()) / 2;
    }
    QList<KpiTarget> kpiTargets;
    for (const BenchTarget &t : targets)
        kpiTargets.append(t.target);
    KpiEngine engine(kpiTargets);
    // One parser and one page per target, reused from cycle to cycle as the scraper reuses its buffers.
    ExpositionParser parser;
    std::vector<MetricPage> pages(targets.size());
    KpiPoints points;
    qint64 parseNs = 0;
    qint64 kpiNs = 0;
    std::size_t samples = 0;
    qsizetype pointCount = 0;
    const qint64 t0 = 1'700'000'000'000;

    const auto cycle = [&](long i, bool measure) {
        const int snapshot = int(i % 2);
        const qint64 ts = t0 + i * 2000;
        points.clear();
        std::size_t cycleSamples = 0;
        for (std::size_t k = 0; k < targets.size(); ++k) {
            const qint64 a = threadCpuNs();
            if (const auto error =
                    parser.parse(targets[k].pages[snapshot], ExpositionFormat::PrometheusText, pages[k])) {
                std::fprintf(stderr, "bench_collect_cycle: %s: %s\n", qPrintable(targets[k].target.name),
                             error->toString().c_str());
                std::exit(1);
            }
            const qint64 b = threadCpuNs();
            engine.ingest(int(k), pages[k], ts, points);
            const qint64 c = threadCpuNs();
            cycleSamples += pages[k].size();
            if (measure) {
                parseNs += b - a;
                kpiNs += c - b;
            }
        }
        const qint64 d = threadCpuNs();
        engine.finishRound(ts, points);
        if (measure) {
            kpiNs += threadCpuNs() - d;
            samples = cycleSamples;
            pointCount = points.size();
        }
    };
    for (long i = 0; i < 4; ++i) // warm-up: first rates, caches, allocations
        cycle(i, false);
    const qint64 cpuStart = processCpuUs();
    for (long i = 4; i < 4 + iterations; ++i)
        cycle(i, true);
    const qint64 cpuUs = processCpuUs() - cpuStart;

    std::printf(
        "bench-collect-cycle: mode=offline targets=%zu bytes=%zu samples=%zu points=%lld iterations=%ld\n",
        targets.size(), bytesPerCycle, samples, static_cast<long long>(pointCount), iterations);
    std::printf("  cpu per cycle: %.1f us (process, getrusage)\n", double(cpuUs) / double(iterations));
    std::printf("    parse:       %.1f us  (%.0f MB/s, %.0f ns/sample)\n",
                double(parseNs) / 1000.0 / double(iterations),
                double(bytesPerCycle) * double(iterations) / (double(parseNs) / 1e9) / 1e6,
                double(parseNs) / double(iterations) / double(samples));
    std::printf("    kpi engine:  %.1f us  (%.0f ns/point)\n", double(kpiNs) / 1000.0 / double(iterations),
                double(kpiNs) / double(iterations) / double(pointCount));
    return 0;
}

int live(const QString &clusterFile, long rounds)
{
    const Result<Cluster> cluster = loadClusterFile(clusterFile);
    if (!cluster) {
        std::fprintf(stderr, "%s\n", qPrintable(cluster.error().toString()));
        return 2;
    }
    CollectionRoundRunner runner(*cluster);
    CollectionRound last;
    qint64 kpiUs = 0;
    qint64 wallMs = 0;
    int failures = 0;
    QEventLoop loop;
    QObject::connect(&runner, &CollectionRoundRunner::finished, &loop, [&](const CollectionRound &round) {
        last = round;
        loop.quit();
    });
    const auto runOne = [&] {
        runner.run();
        loop.exec();
    };
    runOne(); // warm-up: connections, first rates
    runOne();
    const qint64 cpuStart = processCpuUs();
    for (long i = 0; i < rounds; ++i) {
        runOne();
        kpiUs += last.kpiCpuUs;
        wallMs += last.finishedMs - last.startedMs;
        failures += int(last.errors.size());
    }
    const qint64 cpuUs = processCpuUs() - cpuStart;
    std::printf(
        "bench-collect-cycle: mode=live cluster=%s targets=%lld points=%lld rounds=%ld scrape_errors=%d\n",
        qPrintable(cluster->name), static_cast<long long>(last.statuses.size()),
        static_cast<long long>(last.points.size()), rounds, failures);
    std::printf("  cpu per round: %.1f us (process, all threads: HTTP, health probes, parse, KPIs)\n",
                double(cpuUs) / double(rounds));
    std::printf("    kpi engine:  %.1f us\n", double(kpiUs) / double(rounds));
    std::printf("  wall per round: %.1f ms\n", double(wallMs) / double(rounds));
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QStringList args = app.arguments().mid(1);
    QString pagesDir = QStringLiteral(CLUSTERDECK_SOURCE_DIR "/tests/fixtures/kpi_lab_round");
    QString clusterFile;
    long count = -1;
    while (!args.isEmpty()) {
        const QString arg = args.takeFirst();
        if ((arg == QLatin1String("--pages") || arg == QLatin1String("--live")) && !args.isEmpty()) {
            (arg == QLatin1String("--pages") ? pagesDir : clusterFile) = args.takeFirst();
        } else if ((arg == QLatin1String("--iterations") || arg == QLatin1String("--rounds")) &&
                   !args.isEmpty()) {
            bool ok = false;
            count = args.takeFirst().toLong(&ok);
            if (!ok || count <= 0) {
                std::fprintf(stderr, "bench_collect_cycle: %s needs a positive number\n", qPrintable(arg));
                return 2;
            }
        } else {
            std::fprintf(stderr, "usage: bench_collect_cycle [--pages DIR] [--iterations N]\n"
                                 "       bench_collect_cycle --live CLUSTER.yaml [--rounds N]\n");
            return 2;
        }
    }
    if (!clusterFile.isEmpty())
        return live(clusterFile, count > 0 ? count : 20);
    return offline(pagesDir, count > 0 ? count : 2000);
}
