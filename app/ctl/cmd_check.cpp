#include "cluster/inventory_loader.h"
#include "commands.h"

#include <cstdio>

namespace clusterdeck::ctl {

int runCheck(const QStringList &args)
{
    if (args.size() != 1 || args.first().startsWith(QLatin1Char('-'))) {
        std::fprintf(stderr, "usage: clusterdeckctl check FILE\n");
        return 2;
    }
    const QString path = args.first();
    const InventoryLoader::Outcome outcome = InventoryLoader::loadFile(path);
    if (!outcome.problems.isEmpty()) {
        std::fprintf(stderr, "%s\n", qPrintable(formatProblems(path, outcome.problems)));
        std::fprintf(stderr, "%lld problem(s) in %s\n", static_cast<long long>(outcome.problems.size()), qPrintable(path));
        return 1;
    }
    const Cluster &cluster = outcome.cluster;
    std::printf("%s: cluster '%s' is valid: %lld gateway(s), %lld node(s), scrape every %d ms\n", qPrintable(path),
                qPrintable(cluster.name), static_cast<long long>(cluster.gateways.size()),
                static_cast<long long>(cluster.nodes.size()), cluster.scrapeIntervalMs);
    return 0;
}

} // namespace clusterdeck::ctl
