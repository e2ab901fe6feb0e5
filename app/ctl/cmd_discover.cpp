#include "cluster/inventory_loader.h"
#include "command_line.h"
#include "commands.h"
#include "common/number_text.h"
#include "metrics/discovery.h"
#include "metrics/prometheus_client.h"

#include <cstdio>

namespace clusterdeck::ctl {

int runDiscover(const QStringList &args)
{
    CommandLine command(
        QStringLiteral("discover"),
        QStringLiteral("PROMETHEUS_URL [--job-role JOB=ROLE ...] [--name NAME] [--name-label LABEL] "
                       "[--timeout S] > cluster.yaml"),
        QStringLiteral(
            "Print a cluster inventory (YAML) built from the Prometheus server's active targets.\n"
            "JOB is a job name or a glob (spring-*); ROLE is haproxy, caddy, was, redis, kafka, db, other or "
            "ignore.\n"
            "Defaults: jobs containing haproxy/caddy are gateways of that kind; redis; kafka; mysql|mariadb "
            "→ "
            "db;\nwas|spring|api|app → was; db → db; anything else → other."));
    const QCommandLineOption jobRole(QStringLiteral("job-role"), QStringLiteral("map a job to a role"),
                                     QStringLiteral("JOB=ROLE"));
    const QCommandLineOption name(QStringLiteral("name"), QStringLiteral("cluster name"),
                                  QStringLiteral("NAME"));
    const QCommandLineOption nameLabel(QStringLiteral("name-label"),
                                       QStringLiteral("target label holding node names"),
                                       QStringLiteral("LABEL"));
    const QCommandLineOption timeout(QStringLiteral("timeout"),
                                     QStringLiteral("seconds to wait for Prometheus"), QStringLiteral("S"),
                                     QStringLiteral("10"));
    for (const QCommandLineOption &option : {jobRole, name, nameLabel, timeout})
        command.addOption(option);
    command.addPositional(QStringLiteral("PROMETHEUS_URL"), QStringLiteral("the Prometheus server"));
    if (const std::optional<int> exit = command.parse(args, 1, 1))
        return *exit;
    const QCommandLineParser &parser = command.parser();

    const QUrl server = QUrl::fromUserInput(parser.positionalArguments().first());
    if (!server.isValid() || server.host().isEmpty() ||
        (server.scheme() != QLatin1String("http") && server.scheme() != QLatin1String("https"))) {
        std::fprintf(stderr, "clusterdeckctl discover: '%s' is not an http(s) URL of a Prometheus server\n",
                     qPrintable(parser.positionalArguments().first()));
        return 2;
    }
    const Result<double> seconds =
        parseSecondsOption(QStringLiteral("--timeout"), parser.value(timeout), 0.001, 3600);
    if (!seconds) {
        std::fprintf(stderr, "clusterdeckctl discover: %s\n", qPrintable(seconds.error().message));
        return 2;
    }

    DiscoveryOptions options;
    options.clusterName = parser.value(name);
    options.nameLabel = parser.value(nameLabel);
    for (const QString &text : parser.values(jobRole)) {
        Result<JobRoleRule> rule = parseJobRoleRule(text);
        if (!rule) {
            std::fprintf(stderr, "clusterdeckctl discover: --job-role %s\n",
                         qPrintable(rule.error().message));
            return 2;
        }
        options.rules.append(*rule);
    }

    const Result<QList<PromTarget>> targets = fetchPromTargetsBlocking(server, secondsToTimerMs(*seconds));
    if (!targets) {
        std::fprintf(stderr, "clusterdeckctl discover: %s\n", qPrintable(targets.error().toString()));
        return 1;
    }
    const Result<DiscoveryResult> result = discoverInventory(*targets, server, options);
    if (!result) {
        std::fprintf(stderr, "clusterdeckctl discover: %s\n", qPrintable(result.error().toString()));
        return 1;
    }
    const QByteArray yaml = discoveryToYaml(*result);

    // What we print must pass `clusterdeckctl check`; a failure here is our bug, so say so instead of
    // printing it.
    const InventoryLoader::Outcome check = InventoryLoader::loadText(yaml, QStringLiteral("<discovered>"));
    if (!check.problems.isEmpty()) {
        std::fprintf(
            stderr,
            "clusterdeckctl discover: the generated inventory does not load (a bug, please report):\n%s\n%s",
            qPrintable(formatProblems(QStringLiteral("<discovered>"), check.problems)), yaml.constData());
        return 1;
    }
    std::fwrite(yaml.constData(), 1, size_t(yaml.size()), stdout);
    for (const QString &note : result->notes)
        std::fprintf(stderr, "note: %s\n", qPrintable(note));
    for (const DiscoveredTarget &t : result->targets) {
        std::fprintf(stderr, "  %-24s %-12s → %s%s\n", qPrintable(t.instance), qPrintable(t.job),
                     qPrintable(discoveredRoleName(t.role)),
                     t.name.isEmpty() ? "" : qPrintable(QStringLiteral(" '%1'").arg(t.name)));
    }
    return 0;
}

} // namespace clusterdeck::ctl
