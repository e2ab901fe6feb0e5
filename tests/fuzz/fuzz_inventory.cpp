// libFuzzer target for the inventory loader (YAML via yaml-cpp) and the Prometheus API JSON decoding
// (query and targets answers). These are Qt code: CMakeLists.txt builds them with clang, moc and Qt's flags.
//
// Input: byte 0 selects (0: inventory, 1: query answer, 2: targets answer, 3: discovery from a targets
// answer); the rest is the document. Checks besides "no crash, no sanitizer report":
//   - the loader is all or nothing in its own way: every problem has a message and a position inside the
//   text;
//   - a valid inventory survives printing: names are unique, intervals within their documented range;
//   - a decoded answer is either an error with a message or a value (never both, never neither);
//   - discovery output from a decodable targets answer loads as a valid inventory.

#include "cluster/inventory_loader.h"
#include "metrics/discovery.h"
#include "metrics/prometheus_client.h"

#include <QLoggingCategory>
#include <QSet>
#include <cstdint>
#include <cstdio>

using namespace clusterdeck;

namespace {

[[noreturn]] void failure(const char *what)
{
    std::fprintf(stderr, "fuzz_inventory: invariant broken: %s\n", what);
    __builtin_trap();
}

void checkInventory(const QByteArray &text)
{
    const InventoryLoader::Outcome outcome = InventoryLoader::loadText(text, QStringLiteral("fuzz.yaml"));
    const int lines = int(text.count('\n')) + 2;
    for (const InventoryProblem &problem : outcome.problems) {
        if (problem.message.isEmpty())
            failure("a problem without a message");
        if (problem.line < 0 || problem.line > lines || problem.column < 0)
            failure("a problem positioned outside the text");
    }
    if (!outcome.problems.isEmpty())
        return;
    const Cluster &cluster = outcome.cluster;
    QSet<QString> names;
    for (const Node &node : cluster.nodes) {
        if (!node.name.isEmpty() && names.contains(node.name))
            failure("a valid inventory with a node name used twice");
        names.insert(node.name);
    }
    if (cluster.scrapeIntervalMs < InventoryLoader::kMinScrapeIntervalMs ||
        cluster.scrapeIntervalMs > InventoryLoader::kMaxScrapeIntervalMs || cluster.scrapeTimeoutMs <= 0)
        failure("a valid inventory with an interval outside its range");
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    // The loaders log what they load: millions of lines would slow the fuzzer down to a crawl.
    QLoggingCategory::setFilterRules(QStringLiteral("clusterdeck.*=false"));
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size == 0)
        return 0;
    const QByteArray text(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    const QString where = QStringLiteral("fuzz");
    switch (data[0] & 3) {
    case 0:
        checkInventory(text);
        break;
    case 1: {
        const Result<PromQueryResult> result =
            parsePromQueryBody(text, 200, QStringLiteral("application/json"), where);
        if (!result && result.error().message.isEmpty())
            failure("an error without a message");
        break;
    }
    case 2:
    case 3: {
        const Result<QList<PromTarget>> targets =
            parsePromTargetsBody(text, 200, QStringLiteral("application/json"), where);
        if (!targets) {
            if (targets.error().message.isEmpty())
                failure("an error without a message");
            break;
        }
        if ((data[0] & 3) != 3)
            break;
        const Result<DiscoveryResult> result =
            discoverInventory(*targets, QUrl(QStringLiteral("http://127.0.99.1:9090")), DiscoveryOptions());
        if (!result)
            break;
        const QByteArray yaml = discoveryToYaml(*result);
        const InventoryLoader::Outcome outcome =
            InventoryLoader::loadText(yaml, QStringLiteral("<discovered>"));
        if (!outcome.problems.isEmpty()) {
            std::fprintf(stderr, "%s\n%s\n",
                         qPrintable(formatProblems(QStringLiteral("<discovered>"), outcome.problems)),
                         yaml.constData());
            failure("discovered inventory does not load");
        }
        break;
    }
    }
    return 0;
}
