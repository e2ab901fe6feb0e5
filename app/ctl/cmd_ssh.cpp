#include "cluster/inventory_loader.h"
#include "command_line.h"
#include "commands.h"
#include "script_ssh.h"

#include <cstdio>
#include <limits>

namespace clusterdeck::ctl {

namespace {

// OpenSSH's exit code when the connection itself failed (not the command).
constexpr int kConnectionFailed = 255;

} // namespace

int runSsh(const QStringList &args)
{
    CommandLine command(
        QStringLiteral("ssh"),
        QStringLiteral("--cluster FILE --gateway NAME [--accept-new] [--timeout S] -- COMMAND"),
        QStringLiteral("Run COMMAND on a gateway's host over SSH as the console would (its ~/.ssh/config, "
                       "known_hosts, keys and agent): prints its stdout and stderr and exits with its "
                       "status, 255 when the connection fails."));
    const QCommandLineOption cluster(QStringLiteral("cluster"), QStringLiteral("The inventory (YAML)."),
                                     QStringLiteral("FILE"));
    const QCommandLineOption gateway(QStringLiteral("gateway"),
                                     QStringLiteral("The gateway whose ssh target to use."),
                                     QStringLiteral("NAME"));
    const QCommandLineOption acceptNew(
        QStringLiteral("accept-new"),
        QStringLiteral("Trust and record the key of a host not in known_hosts yet "
                       "(a changed key is refused regardless)."));
    const QCommandLineOption timeout(
        QStringLiteral("timeout"), QStringLiteral("Seconds for the connection and the command (default 60)."),
        QStringLiteral("S"), QStringLiteral("60"));
    for (const QCommandLineOption &option : {cluster, gateway, acceptNew, timeout})
        command.addOption(option);
    command.addPositional(QStringLiteral("COMMAND"),
                          QStringLiteral("The command line, run by the host's shell."));
    if (const std::optional<int> exit = command.parse(args, 1, std::numeric_limits<qsizetype>::max()))
        return *exit;
    if (!command.isSet(cluster))
        return command.usageError(QStringLiteral("--cluster FILE is required"));
    if (!command.isSet(gateway))
        return command.usageError(QStringLiteral("--gateway NAME is required"));
    bool ok = false;
    const int seconds = command.value(timeout).toInt(&ok);
    if (!ok || seconds < 1 || seconds > 86400)
        return command.usageError(QStringLiteral("--timeout must be whole seconds from 1 to 86400"));

    const QString path = command.value(cluster);
    const InventoryLoader::Outcome outcome = InventoryLoader::loadFile(path);
    if (!outcome.problems.isEmpty()) {
        std::fprintf(stderr, "%s\n", qPrintable(formatProblems(path, outcome.problems)));
        return 1;
    }
    const Gateway *target = outcome.cluster.findGateway(command.value(gateway));
    if (!target) {
        std::fprintf(stderr, "clusterdeckctl ssh: %s has no gateway '%s'\n", qPrintable(path),
                     qPrintable(command.value(gateway)));
        return 1;
    }
    if (!target->ssh.isSet()) {
        std::fprintf(stderr, "clusterdeckctl ssh: gateway '%s' in %s has no ssh target\n",
                     qPrintable(target->name), qPrintable(path));
        return 1;
    }
    ScriptSsh ssh(command.isSet(acceptNew));
    Result<std::unique_ptr<SshHost>> host = ssh.host(target->ssh, std::chrono::seconds(seconds));
    if (!host) {
        std::fprintf(stderr, "clusterdeckctl ssh: %s\n", qPrintable(host.error().toString()));
        return 1;
    }
    Result<CommandResult> result =
        (*host)->run(command.positional().join(QLatin1Char(' ')), std::chrono::seconds(seconds));
    if (!result) {
        std::fprintf(stderr, "clusterdeckctl ssh: %s\n", qPrintable(result.error().toString()));
        return kConnectionFailed;
    }
    std::fwrite(result->standardOutput.constData(), 1, static_cast<size_t>(result->standardOutput.size()),
                stdout);
    std::fwrite(result->standardError.constData(), 1, static_cast<size_t>(result->standardError.size()),
                stderr);
    return result->exitStatus < 0 ? kConnectionFailed : result->exitStatus;
}

} // namespace clusterdeck::ctl
