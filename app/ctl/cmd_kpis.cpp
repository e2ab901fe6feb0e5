#include "cluster/inventory_loader.h"
#include "command_line.h"
#include "commands.h"
#include "metrics/kpi_catalog.h"
#include "metrics/promql_kpis.h"

#include <cstdio>

namespace clusterdeck::ctl {

int runKpis(const QStringList &args)
{
    CommandLine command(
        QStringLiteral("kpis"), QStringLiteral("[--markdown] [--promql FILE [--per-kpi]]"),
        QStringLiteral("Print the KPI catalogue (the table of ARCHITECTURE.md §4 with --markdown), "
                       "or the PromQL queries Prometheus mode polls for a cluster."));
    const QCommandLineOption markdown(QStringLiteral("markdown"),
                                      QStringLiteral("The catalogue as markdown."));
    const QCommandLineOption promql(QStringLiteral("promql"),
                                    QStringLiteral("Print the queries of one poll for the inventory FILE."),
                                    QStringLiteral("FILE"));
    const QCommandLineOption perKpi(
        QStringLiteral("per-kpi"),
        QStringLiteral("With --promql: one query per KPI instead of one per kind of "
                       "target."));
    command.addOption(markdown);
    command.addOption(promql);
    command.addOption(perKpi);
    if (const std::optional<int> exit = command.parse(args, 0, 0))
        return *exit;
    if (!command.isSet(promql)) {
        if (command.isSet(perKpi))
            return command.usageError(QStringLiteral("--per-kpi needs --promql"));
        std::fputs(qPrintable(command.isSet(markdown) ? kpiCatalogMarkdown() : kpiCatalogText()), stdout);
        return 0;
    }
    if (command.isSet(markdown))
        return command.usageError(QStringLiteral("--markdown prints the catalogue, not a cluster's queries"));
    const Result<Cluster> cluster = loadClusterFile(command.value(promql));
    if (!cluster) {
        std::fprintf(stderr, "%s\n", qPrintable(cluster.error().toString()));
        return 1;
    }
    PromKpiOptions options;
    options.batchByTargetKind = !command.isSet(perKpi);
    const Result<PromKpiPlan> plan = PromKpiPlan::forCluster(*cluster, options);
    if (!plan) {
        std::fprintf(stderr, "%s\n", qPrintable(plan.error().toString()));
        return 1;
    }
    for (const PromKpiPlan::Query &query : plan->queries())
        std::printf("%s\t%s\n", qPrintable(query.name), qPrintable(query.promql));
    std::printf("%lld queries per poll\n", static_cast<long long>(plan->queries().size()));
    return 0;
}

} // namespace clusterdeck::ctl
