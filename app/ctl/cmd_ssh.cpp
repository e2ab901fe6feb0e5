#include "cluster/inventory_loader.h"
#include "command_line.h"
#include "commands.h"
#include "remote/credential_prompt.h"
#include "remote/host_key_approver.h"
#include "remote/keychain_password_store.h"
#include "remote/ssh_host.h"

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
    Result<SshConfig> config = SshConfig::load(SshConfig::defaultPath());
    if (!config) {
        std::fprintf(stderr, "clusterdeckctl ssh: %s\n", qPrintable(config.error().toString()));
        return 1;
    }
    // No one to ask in a script: an encrypted key or a password not in the keychain is a clear failure, and
    // libssh never reads the terminal.
    FixedHostKeyApprover approver(command.isSet(acceptNew));
    NoCredentialPrompt prompt;
    KeychainPasswordStore passwords;
    SshConnectOptions options;
    options.settings = config->settingsFor(target->ssh);
    options.config = *config;
    options.approver = &approver;
    options.prompt = &prompt;
    options.passwords = &passwords;
    options.timeout = std::chrono::seconds(seconds);
    SshHost host(options);
    Result<CommandResult> result =
        host.run(command.positional().join(QLatin1Char(' ')), std::chrono::seconds(seconds));
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
