#include "cluster/inventory_loader.h"
#include "command_line.h"
#include "commands.h"

#include <cstdio>

namespace clusterdeck::ctl {

int runCheck(const QStringList &args)
{
    CommandLine command(QStringLiteral("check"), QStringLiteral("FILE"),
                        QStringLiteral("Validate a cluster inventory: exit 1 with file:line:column errors."));
    command.addPositional(QStringLiteral("FILE"), QStringLiteral("The inventory (YAML)."));
    if (const std::optional<int> exit = command.parse(args, 1, 1))
        return *exit;
    const QString path = command.positional().first();
    const InventoryLoader::Outcome outcome = InventoryLoader::loadFile(path);
    if (!outcome.problems.isEmpty()) {
        std::fprintf(stderr, "%s\n", qPrintable(formatProblems(path, outcome.problems)));
        std::fprintf(stderr, "%lld problem(s) in %s\n", static_cast<long long>(outcome.problems.size()),
                     qPrintable(path));
        return 1;
    }
    const Cluster &cluster = outcome.cluster;
    std::printf("%s: cluster '%s' is valid: %lld gateway(s), %lld node(s), scrape every %d ms\n",
                qPrintable(path), qPrintable(cluster.name), static_cast<long long>(cluster.gateways.size()),
                static_cast<long long>(cluster.nodes.size()), cluster.scrapeIntervalMs);
    return 0;
}

} // namespace clusterdeck::ctl
