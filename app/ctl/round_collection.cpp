#include "round_collection.h"

#include "cluster/inventory_loader.h"
#include "command_line.h"
#include "common/url_text.h"
#include "metrics/kpi_engine.h"
#include "metrics/prom_kpi_source.h"
#include "metrics/promql_kpis.h"

#include <QDateTime>
#include <QEventLoop>
#include <QTimer>
#include <cstdio>

namespace clusterdeck::ctl {

namespace {

CollectionRound runRound(CollectionRoundRunner &runner)
{
    CollectionRound result;
    QEventLoop loop;
    const QMetaObject::Connection connection =
        QObject::connect(&runner, &CollectionRoundRunner::finished, &loop, [&](const CollectionRound &round) {
            result = round;
            loop.quit();
        });
    if (runner.run())
        loop.exec();
    QObject::disconnect(connection);
    return result;
}

void pollInto(PromKpiSource &source, const Cluster &cluster, CollectionRound &round)
{
    QEventLoop loop;
    const QMetaObject::Connection connection = QObject::connect(
        &source, &PromKpiSource::polled, &loop, [&](const KpiPoints &points, const QStringList &errors) {
            round.points = points;
            for (const QString &error : errors)
                round.errors.append(ScrapeFailure{QStringLiteral("prometheus"),
                                                  redactUrl(cluster.prometheusUrl), error, round.startedMs});
            loop.quit();
        });
    if (source.poll())
        loop.exec();
    QObject::disconnect(connection);
}

} // namespace

QCommandLineOption metricsSourceOption()
{
    return QCommandLineOption(
        QStringLiteral("source"),
        QStringLiteral("where KPIs come from: direct (scrape every target) or prometheus "
                       "(PromQL on the cluster's Prometheus); default: the file's 'source:'"),
        QStringLiteral("direct|prometheus"));
}

Result<Cluster> loadClusterForRounds(const CommandLine &command, const QCommandLineOption &clusterOption,
                                     const QCommandLineOption &sourceOption)
{
    Result<Cluster> cluster = loadClusterFile(command.value(clusterOption));
    if (cluster && command.isSet(sourceOption)) {
        const Result<MetricsSource> source = metricsSourceFromOption(command.value(sourceOption), *cluster);
        if (!source)
            cluster = source.error();
        else
            cluster->metricsSource = *source;
    }
    // A bad metric_names override is a configuration error like any other in the file.
    if (cluster) {
        if (const Result<KpiEngine> engine = KpiEngine::forCluster(*cluster); !engine)
            cluster = engine.error();
    }
    if (!cluster)
        std::fprintf(stderr, "%s\n", qPrintable(cluster.error().toString()));
    return cluster;
}

int defaultRoundGapMs(const Cluster &cluster)
{
    return std::clamp(cluster.scrapeIntervalMs, 100, 1000);
}

QList<CollectionRound> collectRounds(const Cluster &cluster, int count, int gapMs)
{
    CollectionRoundRunner runner(cluster);
    std::unique_ptr<PromKpiSource> prometheus;
    QString planError;
    if (cluster.metricsSource == MetricsSource::Prometheus) {
        runner.setComputeKpis(false);
        Result<PromKpiPlan> plan = PromKpiPlan::forCluster(cluster);
        if (plan)
            prometheus = std::make_unique<PromKpiSource>(std::move(plan).value(), cluster.prometheusUrl);
        else
            planError = plan.error().toString();
    }
    QList<CollectionRound> rounds;
    for (int i = 0; i < count; ++i) {
        if (i > 0) {
            // Wait out the rest of the gap (the round before took part of it).
            const qint64 spent = QDateTime::currentMSecsSinceEpoch() - rounds.last().startedMs;
            if (spent < gapMs) {
                QEventLoop pause;
                QTimer::singleShot(int(gapMs - spent), &pause, &QEventLoop::quit);
                pause.exec();
            }
        }
        CollectionRound round = runRound(runner);
        if (prometheus)
            pollInto(*prometheus, cluster, round);
        else if (!planError.isEmpty())
            round.errors.append(ScrapeFailure{QStringLiteral("prometheus"), redactUrl(cluster.prometheusUrl),
                                              planError, round.startedMs});
        rounds.append(round);
    }
    return rounds;
}

} // namespace clusterdeck::ctl
