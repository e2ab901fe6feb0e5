#include "cluster/inventory_loader.h"
#include "commands.h"
#include "metrics/kpi_catalog.h"
#include "metrics/promql_kpis.h"

#include <cstdio>

namespace clusterdeck::ctl {

// kpis [--markdown] [--promql CLUSTER.yaml [--per-kpi]]: the KPI catalogue, or the PromQL a cluster polls.
int runKpis(const QStringList &args)
{
    const auto usage = [] {
        std::fprintf(stderr, "usage: clusterdeckctl kpis [--markdown] [--promql CLUSTER.yaml [--per-kpi]]\n");
        return 2;
    };
    bool markdown = false;
    bool perKpi = false;
    QString clusterFile;
    for (qsizetype i = 0; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--markdown"))
            markdown = true;
        else if (args[i] == QLatin1String("--per-kpi"))
            perKpi = true;
        else if (args[i] == QLatin1String("--promql") && i + 1 < args.size())
            clusterFile = args[++i];
        else
            return usage();
    }
    if (clusterFile.isEmpty()) {
        if (perKpi)
            return usage();
        std::fputs(qPrintable(markdown ? kpiCatalogMarkdown() : kpiCatalogText()), stdout);
        return 0;
    }
    if (markdown)
        return usage();
    const Result<Cluster> cluster = loadClusterFile(clusterFile);
    if (!cluster) {
        std::fprintf(stderr, "%s\n", qPrintable(cluster.error().toString()));
        return 1;
    }
    PromKpiOptions options;
    options.batchByTargetKind = !perKpi;
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
