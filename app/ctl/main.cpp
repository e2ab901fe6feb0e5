#include "command_line.h"
#include "commands.h"
#include "common/version.h"

#include <QCoreApplication>
#include <QTextStream>
#include <cstdio>
#include <functional>

namespace {

struct Command {
    const char *name;
    const char *usage;
    const char *summary;
    std::function<int(const QStringList &)> run;
};

const Command kCommands[] = {
    {"check", "check FILE", "validate a cluster inventory file (exit 1 with file:line:column errors)",
     clusterdeck::ctl::runCheck},
    {"status", "status --cluster FILE [--json] [--source S]",
     "probe every node and show its KPIs; exit 1 if any is down", clusterdeck::ctl::runStatus},
    {"alerts", "alerts --cluster FILE [--json] [--source S]",
     "evaluate the alert rules over two rounds; exit 1 if any fires", clusterdeck::ctl::runAlerts},
    {"discover", "discover PROMETHEUS_URL [--job-role J=R]",
     "print a cluster inventory (YAML) built from Prometheus' targets", clusterdeck::ctl::runDiscover},
    {"parse", "parse FILE|- [--format tsv|json] [--content-type CT]",
     "parse a /metrics page: one sample a line (exit 1 with file:line:column errors)",
     clusterdeck::ctl::runParse},
    {"scrape", "scrape URL [--timeout S] [--format tsv|json]",
     "fetch and parse a /metrics page, print it like parse", clusterdeck::ctl::runScrape},
    {"kpis", "kpis [--markdown] [--promql FILE [--per-kpi]]",
     "print the KPI catalogue, or the PromQL a cluster polls", clusterdeck::ctl::runKpis},
    {"ssh", "ssh --cluster FILE --gateway NAME [--accept-new] -- COMMAND",
     "run a command on a gateway's host over SSH; exit with its status (255: connection failed)",
     clusterdeck::ctl::runSsh},
    {"config", "config drain|readmit --kind K --file PATH --server S",
     "print a gateway config with a server drained or readmitted (a preview; no SSH)",
     clusterdeck::ctl::runConfig},
    {"record", "record --cluster FILE [--db PATH] [--duration S]",
     "record the cluster into its history file until stopped (SIGINT/SIGTERM); one summary line",
     clusterdeck::ctl::runRecord},
    {"drain", "drain --cluster FILE --node NAME [...]",
     "take a WAS node out of the gateway's rotation (steps as they happen; exit 1 on failure, rolled back)",
     clusterdeck::ctl::runDrain},
    {"readmit", "readmit --cluster FILE --node NAME [...]",
     "put a drained WAS node back and wait for health and traffic", clusterdeck::ctl::runReadmit},
    {"history", "history stats|export|events --db PATH ...",
     "read a history file: size, samples of a window (csv/json), events", clusterdeck::ctl::runHistory},
    {"bench", "bench parse FILE | ingest | query [--db PATH]",
     "time the parser (MBps=) or the history store (ingest vs a plain table, decimated query)",
     clusterdeck::ctl::runBench},
};

void printHelp(FILE *to)
{
    QTextStream out(to);
    out << "Usage: clusterdeckctl COMMAND [ARGS...]\n"
           "ClusterDeck's command line: inspect, watch and act on a small HA web cluster from scripts.\n\n"
           "Commands:\n";
    for (const Command &command : kCommands)
        out << "  " << QString::fromLatin1(command.usage).leftJustified(44) << ' ' << command.summary << '\n';
    out << "\nOptions (before the command):\n"
           "  -h, --help     show this help; COMMAND --help shows a command's own\n"
           "  --version      print the version\n"
           "  --verbose      print debug output of the clusterdeck.* log categories (also after the "
           "command)\n";
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("clusterdeckctl"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CLUSTERDECK_VERSION));

    clusterdeck::ctl::setVerboseLogging(false);
    QStringList args = app.arguments().mid(1);
    if (!args.isEmpty() && args.first() == QLatin1String("--verbose")) {
        clusterdeck::ctl::setVerboseLogging(true);
        args.removeFirst();
    }
    if (args.isEmpty()) {
        printHelp(stderr);
        return 2;
    }
    const QString first = args.takeFirst();
    if (first == QLatin1String("--help") || first == QLatin1String("-h") || first == QLatin1String("help")) {
        // `help COMMAND` is `COMMAND --help`.
        if (first == QLatin1String("help") && args.size() == 1) {
            for (const Command &command : kCommands) {
                if (args.first() == QLatin1String(command.name))
                    return command.run({QStringLiteral("--help")});
            }
        }
        if (!args.isEmpty()) {
            std::fprintf(stderr, "clusterdeckctl: unexpected argument '%s' (see clusterdeckctl --help)\n",
                         qPrintable(args.first()));
            return 2;
        }
        printHelp(stdout);
        return 0;
    }
    if (first == QLatin1String("--version")) {
        if (!args.isEmpty()) {
            std::fprintf(stderr, "clusterdeckctl: unexpected argument '%s' (see clusterdeckctl --help)\n",
                         qPrintable(args.first()));
            return 2;
        }
        std::printf("clusterdeckctl %s\n%s", CLUSTERDECK_VERSION, CLUSTERDECK_LICENSE_NOTICE);
        return 0;
    }
    for (const Command &command : kCommands) {
        if (first == QLatin1String(command.name))
            return command.run(args);
    }
    std::fprintf(stderr, "clusterdeckctl: unknown %s '%s' (see clusterdeckctl --help)\n",
                 first.startsWith(QLatin1Char('-')) ? "option" : "command", qPrintable(first));
    return 2;
}
