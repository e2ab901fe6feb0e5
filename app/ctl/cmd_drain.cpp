// clusterdeckctl drain|readmit: the drain job of ARCHITECTURE.md §5 for deploy scripts. Prints each step as
// it happens; exits with a DrainExit code, so a script can tell "nothing changed" from "rolled back".
#include "cluster/inventory_loader.h"
#include "command_line.h"
#include "commands.h"
#include "common/number_text.h"
#include "gateway/drain_event.h"
#include "history/history_store.h"
#include "remote/local_host.h"
#include "script_ssh.h"

#include <QDateTime>
#include <QHostInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>
#include <cstdio>
#include <pwd.h>
#include <unistd.h>

namespace clusterdeck::ctl {

namespace {

// The job's report as the history's drain event; a file another process records into cannot take it (the
// console forwards its own jobs' reports), which is a warning: the drain itself is done. Returns the
// warning, empty when the event is recorded.
QString recordEvent(const QString &path, const DrainReport &report)
{
    QString warning;
    const Result<std::unique_ptr<HistoryStore>> store =
        HistoryStore::open(path, HistoryStore::Access::ReadWrite);
    if (!store)
        warning = QStringLiteral("no event recorded: %1").arg(store.error().toString());
    else if ((*store)->isReadOnly())
        warning = QStringLiteral("no event recorded in %1: %2").arg(path, (*store)->readOnlyReason());
    else if (const Result<qint64> id = (*store)->recordEvent(drainHistoryEvent(report)); !id)
        warning = QStringLiteral("no event recorded: %1").arg(id.error().toString());
    if (!warning.isEmpty())
        std::fprintf(stderr, "warning: %s\n", qPrintable(warning));
    return warning;
}

// What a deploy script branches on (--help and the README list them).
enum DrainExit {
    Done = 0,
    Usage = 2,        // usage or inventory error
    Refused = 3,      // a pre-check refused; nothing changed
    RolledBack = 4,   // a later step failed; what was done is undone
    Unreachable = 5,  // connection or host-key problem; nothing changed
    WaitTimedOut = 6, // the change is in place, the wait for sessions / health ran out
};

DrainExit exitFor(const DrainReport &report)
{
    if (report.ok)
        return Done;
    for (const DrainStepOutcome &outcome : report.steps) {
        if (outcome.state != StepState::Failed)
            continue;
        if (outcome.step == DrainStep::PreCheck)
            return Refused;
        if (outcome.step == DrainStep::Wait && !report.rolledBack)
            return WaitTimedOut;
        return RolledBack;
    }
    return RolledBack;
}

const char *const kExitCodes =
    "\nExit: 0 done; 2 usage or inventory error; 3 refused by a pre-check (nothing "
    "changed);\n4 failed and rolled back; 5 connection or host-key problem (nothing "
    "changed);\n6 timed out waiting (the change is in place).";

// The one word --json gives for an exit code.
QString resultFor(int exit, const DrainReport *report)
{
    switch (exit) {
    case Done:
        return QStringLiteral("done");
    case Usage:
        return QStringLiteral("usage_error");
    case Refused:
        return QStringLiteral("refused");
    case RolledBack:
        return report && !report->rolledBack ? QStringLiteral("rollback_incomplete")
                                             : QStringLiteral("rolled_back");
    case Unreachable:
        return QStringLiteral("connection_failed");
    case WaitTimedOut:
        return QStringLiteral("timed_out");
    }
    return QStringLiteral("failed");
}

// --json: exactly one object on stdout, whatever the exit code (README, "clusterdeckctl drain").
void printJson(QJsonObject json, int exit, const DrainReport *report)
{
    json.insert(QStringLiteral("result"), resultFor(exit, report));
    json.insert(QStringLiteral("exit_code"), exit);
    std::fputs(QJsonDocument(json).toJson(QJsonDocument::Indented).constData(), stdout);
    std::fflush(stdout);
}

int runConfigAction(const QString &name, ConfigAction change, const QStringList &args)
{
    const bool drain = change == ConfigAction::Drain;
    CommandLine command(
        name,
        QStringLiteral("--cluster FILE --node NAME [--gateway NAME] [--force] [--timeout S] [--local] "
                       "[--accept-new] [--json] "
                       "[--db PATH]"),
        drain ? QStringLiteral(
                    "Take a WAS node out of the gateway's rotation: pre-check (min_healthy), runtime "
                    "drain,\npersist the validated config (backup, atomic write), wait for its sessions "
                    "to end.\nA Caddy drain costs one config load. Any failure rolls back what was done.") +
                    QLatin1String(kExitCodes)
              : QStringLiteral(
                    "Put a drained WAS node back into the gateway's rotation and wait for its health "
                    "check\nto pass and traffic to reach it. Any failure rolls back what was done.") +
                    QLatin1String(kExitCodes));
    const QCommandLineOption clusterOption(QStringLiteral("cluster"),
                                           QStringLiteral("cluster inventory file"), QStringLiteral("FILE"));
    const QCommandLineOption nodeOption(QStringLiteral("node"), QStringLiteral("the WAS node"),
                                        QStringLiteral("NAME"));
    const QCommandLineOption gatewayOption(QStringLiteral("gateway"),
                                           QStringLiteral("the gateway (default: the cluster's only one)"),
                                           QStringLiteral("NAME"));
    const QCommandLineOption forceOption(
        QStringLiteral("force"), QStringLiteral("drain even if fewer than min_healthy upstreams stay"));
    const QCommandLineOption timeoutOption(QStringLiteral("timeout"),
                                           QStringLiteral("how long to wait for sessions to end / health and "
                                                          "traffic (default 60)"),
                                           QStringLiteral("S"));
    const QCommandLineOption localOption(
        QStringLiteral("local"),
        QStringLiteral("the gateway runs on this machine: act here, not over its ssh target"));
    const QCommandLineOption acceptNewOption(QStringLiteral("accept-new"),
                                             QStringLiteral("trust the gateway host's key on first contact"));
    const QCommandLineOption jsonOption(
        QStringLiteral("json"),
        QStringLiteral("print one JSON object on stdout: the report, result and exit_code "
                       "(README)"));
    const QCommandLineOption dbOption(
        QStringLiteral("db"), QStringLiteral("record the outcome as a drain event in this history file"),
        QStringLiteral("PATH"));
    for (const QCommandLineOption &option :
         {clusterOption, nodeOption, gatewayOption, forceOption, timeoutOption, localOption, acceptNewOption,
          jsonOption, dbOption})
        command.addOption(option);
    // --json promises one object on stdout for every exit code, a usage error too (the parser may have
    // stopped before it saw --json).
    const qint64 startedMs = QDateTime::currentMSecsSinceEpoch();
    bool json = args.contains(QStringLiteral("--json"));
    QString gatewayName; // once the inventory names it
    // An exit before the job ran: no step was done.
    auto early = [&](int exit, const QString &error) {
        if (json)
            printJson(QJsonObject{{QStringLiteral("node"), command.value(nodeOption)},
                                  {QStringLiteral("gateway"),
                                   gatewayName.isEmpty() ? command.value(gatewayOption) : gatewayName},
                                  {QStringLiteral("action"), name},
                                  {QStringLiteral("steps"), QJsonArray()},
                                  {QStringLiteral("total_ms"),
                                   double(QDateTime::currentMSecsSinceEpoch() - startedMs)},
                                  {QStringLiteral("error"), error}},
                      exit, nullptr);
        return exit;
    };
    auto usage = [&](const QString &message) { return early(command.usageError(message), message); };
    if (const std::optional<int> exit = command.parse(args, 0, 0))
        return *exit == 0 ? 0 : early(*exit, command.parser().errorText());
    json = command.isSet(jsonOption);
    if (!command.isSet(clusterOption))
        return usage(QStringLiteral("--cluster FILE is required"));
    if (!command.isSet(nodeOption))
        return usage(QStringLiteral("--node NAME is required"));
    DrainOptions options;
    options.change = change;
    options.node = command.value(nodeOption);
    options.gateway = command.value(gatewayOption);
    options.force = command.isSet(forceOption);
    if (command.isSet(timeoutOption)) {
        const Result<double> seconds =
            parseSecondsOption(QStringLiteral("--timeout"), command.value(timeoutOption), 0.001, 86400);
        if (!seconds)
            return usage(seconds.error().message);
        options.waitTimeout = std::chrono::milliseconds(secondsToTimerMs(*seconds));
    }
    QString user = qEnvironmentVariable("USER", qEnvironmentVariable("LOGNAME"));
    if (user.isEmpty())
        if (const passwd *entry = ::getpwuid(::geteuid()))
            user = QString::fromLocal8Bit(entry->pw_name);
    options.actor = user + QLatin1Char('@') + QHostInfo::localHostName();
    const Result<Cluster> cluster = loadClusterFile(command.value(clusterOption));
    if (!cluster) {
        std::fprintf(stderr, "%s\n", qPrintable(cluster.error().toString()));
        return early(Usage, cluster.error().toString());
    }
    const Gateway *gateway = options.gateway.isEmpty() && cluster->gateways.size() == 1
                                 ? &cluster->gateways.first()
                                 : cluster->findGateway(options.gateway);
    if (!gateway) {
        const QString error =
            options.gateway.isEmpty()
                ? QStringLiteral("%1 has %2 gateways: name one with --gateway")
                      .arg(command.value(clusterOption))
                      .arg(cluster->gateways.size())
                : QStringLiteral("%1 has no gateway '%2'").arg(command.value(clusterOption), options.gateway);
        std::fprintf(stderr, "clusterdeckctl %s: %s\n", qPrintable(name), qPrintable(error));
        return early(Usage, error);
    }
    gatewayName = gateway->name;
    // The gateway's host: over SSH when the inventory names a target, unless --local says it runs here.
    ScriptSsh ssh(command.isSet(acceptNewOption));
    std::unique_ptr<RemoteHost> host;
    if (gateway->ssh.isSet() && !command.isSet(localOption)) {
        Result<std::unique_ptr<SshHost>> sshHost = ssh.host(gateway->ssh, options.stepTimeout);
        if (!sshHost) {
            std::fprintf(stderr, "clusterdeckctl %s: %s\n", qPrintable(name),
                         qPrintable(sshHost.error().toString()));
            return early(Unreachable, sshHost.error().toString());
        }
        // Connect before the job: a refused host key or an unreachable host is exit 5 with nothing read, not
        // a pre-check refusal.
        if (Status connected = (*sshHost)->connect(); !connected) {
            std::fprintf(stderr, "clusterdeckctl %s: %s\n", qPrintable(name),
                         qPrintable(connected.error().toString()));
            return early(Unreachable, connected.error().toString());
        }
        host = std::move(*sshHost);
    } else {
        host = std::make_unique<LocalHost>();
    }
    const QString hostName = host->describe();
    DrainJob job(*cluster, options, std::move(host));
    QTextStream out(json ? stderr : stdout);
    QObject::connect(&job, &DrainJob::progress, [&](const DrainProgress &progress) {
        out << QStringLiteral("%1 %2%3\n")
                   .arg(drainStepName(progress.step).leftJustified(10),
                        stepStateName(progress.state).leftJustified(8),
                        progress.message.isEmpty() ? QString() : QStringLiteral(" ") + progress.message);
        out.flush();
    });
    out << QStringLiteral("%1 %2 on %3 via %4\n").arg(name, options.node, gateway->name, hostName);
    out.flush();
    const DrainReport report = job.run();
    for (const QString &warning : report.warnings)
        std::fprintf(stderr, "warning: %s\n", qPrintable(warning));
    if (!json && !report.diff.isEmpty() && report.ok)
        out << report.diff;
    out.flush();
    // Record: the event in --db (a failure to record is a warning; the change is what the report says).
    const qint64 recordStart = QDateTime::currentMSecsSinceEpoch();
    const QString recordWarning =
        command.isSet(dbOption) ? recordEvent(command.value(dbOption), report) : QString();
    const qint64 recordEnd = QDateTime::currentMSecsSinceEpoch();
    const int exit = exitFor(report);
    if (json) {
        QJsonObject object = report.toJson();
        QJsonArray steps = object.value(QStringLiteral("steps")).toArray();
        steps.append(DrainReport::stepJson(
            QStringLiteral("record"), recordWarning.isEmpty(), recordEnd - recordStart,
            !command.isSet(dbOption)  ? QStringLiteral("skipped: no --db")
            : recordWarning.isEmpty() ? QStringLiteral("event recorded in %1").arg(command.value(dbOption))
                                      : recordWarning));
        object.insert(QStringLiteral("steps"), steps);
        object.insert(QStringLiteral("total_ms"), double(recordEnd - report.startedMs));
        printJson(object, exit, &report);
    }
    if (!report.ok) {
        std::fprintf(stderr, "clusterdeckctl %s: %s\n", qPrintable(name), qPrintable(report.summary()));
        return exit;
    }
    if (!json)
        std::printf("%s\n", qPrintable(report.summary()));
    return Done;
}

} // namespace

int runDrain(const QStringList &args)
{
    return runConfigAction(QStringLiteral("drain"), ConfigAction::Drain, args);
}

int runReadmit(const QStringList &args)
{
    return runConfigAction(QStringLiteral("readmit"), ConfigAction::Readmit, args);
}

} // namespace clusterdeck::ctl
