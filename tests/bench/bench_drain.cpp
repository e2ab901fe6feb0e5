// Drain figures on the running lab's HAProxy gateway, reached as clusterdeckctl reaches it: over the
// inventory's ssh target (the lab's sshd on 127.0.10.1:2222). Per run:
//   runtime_cold  a new SSH connection (handshake, host key, key login) + `set server was/S state drain`
//   runtime_warm  the same command on a connection already open (the console's pool)
//   drain, readmit  a whole DrainJob each on a new connection, as `clusterdeckctl drain|readmit` runs it
//                   (connect, pre-check, runtime, persist with validate/backup/atomic write, wait), plus each
//                   step's own time from the job's report. A light `lab load --rate 40` (2 connections) runs
//                   meanwhile: a readmit waits until traffic reaches the node, and sessions on a node with
//                   millisecond responses are rarely open when it is drained
// References measured in the same run: OpenSSH's `ssh -o BatchMode=yes ... true` (a fresh connection and one
// command), and the same admin-socket command sent locally without SSH (LocalHost).
// The targets: runtime <= 250 ms warm, <= 1 s cold, a whole drain <= 3 s with no sessions open.
//   bench_drain [--runs N] [--node was2]   (the lab must be up: tests/lab/lab up; hold /tmp/cd-lab.lock)
#include "cluster/inventory_loader.h"
#include "gateway/drain_job.h"
#include "gateway/haproxy_runtime.h"
#include "remote/credential_prompt.h"
#include "remote/host_key_approver.h"
#include "remote/local_host.h"
#include "remote/ssh_config.h"
#include "remote/ssh_host.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QMap>
#include <QProcess>
#include <QThread>
#include <algorithm>
#include <csignal>
#include <cstdio>
#include <unistd.h>

using namespace clusterdeck;
using namespace std::chrono_literals;

namespace {

struct Figures {
    QList<double> values;
    void add(double ms) { values.append(ms); }
    QString line(const char *name) const
    {
        QList<double> sorted = values;
        std::sort(sorted.begin(), sorted.end());
        if (sorted.isEmpty())
            return QStringLiteral("%1: no figures").arg(QLatin1String(name));
        return QStringLiteral("%1_ms: median=%2 min=%3 max=%4 n=%5")
            .arg(QLatin1String(name))
            .arg(sorted[sorted.size() / 2], 0, 'f', 1)
            .arg(sorted.first(), 0, 'f', 1)
            .arg(sorted.last(), 0, 'f', 1)
            .arg(sorted.size());
    }
};

double ms(const QElapsedTimer &timer)
{
    return timer.nsecsElapsed() / 1e6;
}

qint64 g_loadPid = 0;

[[noreturn]] void fail(const QString &message)
{
    if (g_loadPid > 0)
        ::kill(-pid_t(g_loadPid), SIGTERM);
    std::fprintf(stderr, "bench_drain: %s\n", qPrintable(message));
    std::exit(1);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("clusterdeck.*.debug=false"));
    const QStringList args = app.arguments();
    const int runs = args.contains("--runs") ? args.value(args.indexOf("--runs") + 1).toInt() : 10;
    const QString node =
        args.contains("--node") ? args.value(args.indexOf("--node") + 1) : QStringLiteral("was2");
    qunsetenv("SSH_AUTH_SOCK"); // the inventory's identity file, as in CI
    const QString labDir = qEnvironmentVariable("CLUSTERDECK_LAB_DIR",
                                                QStringLiteral("/tmp/clusterdeck-lab-%1").arg(::getuid()));
    const Result<Cluster> cluster = loadClusterFile(labDir + QStringLiteral("/cluster-haproxy.yaml"));
    if (!cluster)
        fail(QStringLiteral("no lab: %1").arg(cluster.error().toString()));
    const Gateway &gateway = cluster->gateways.first();
    const Node *was = cluster->findNode(node);
    if (!was || !gateway.ssh.isSet())
        fail(QStringLiteral("the lab inventory has no node %1 or no ssh target").arg(node));
    const Result<SshConfig> config = SshConfig::load(SshConfig::defaultPath());
    if (!config)
        fail(config.error().toString());
    FixedHostKeyApprover approver(false);
    NoCredentialPrompt prompt;
    auto newHost = [&] {
        SshConnectOptions options;
        options.settings = config->settingsFor(gateway.ssh);
        options.config = *config;
        options.approver = &approver;
        options.prompt = &prompt;
        options.timeout = 10s;
        return std::make_unique<SshHost>(options);
    };
    const QStringList opensshArgs{QStringLiteral("-o"),
                                  QStringLiteral("BatchMode=yes"),
                                  QStringLiteral("-o"),
                                  QStringLiteral("UserKnownHostsFile=") + gateway.ssh.knownHostsFile,
                                  QStringLiteral("-o"),
                                  QStringLiteral("IdentitiesOnly=yes"),
                                  QStringLiteral("-i"),
                                  gateway.ssh.identityFile,
                                  QStringLiteral("-p"),
                                  QString::number(gateway.ssh.port),
                                  QStringLiteral("%1@%2").arg(gateway.ssh.user, gateway.ssh.host),
                                  QStringLiteral("true")};
    const QString server = node; // the lab names each HAProxy server after its node
    std::printf("bench_drain: %d runs, node %s, gateway %s via %s@%s:%d (lab %s)\n", runs, qPrintable(node),
                qPrintable(gateway.name), qPrintable(gateway.ssh.user), qPrintable(gateway.ssh.host),
                gateway.ssh.port, qPrintable(labDir));

    QProcess load; // in a session of its own, so that it ends together with its wrk
    load.start(QStringLiteral("setsid"),
               {QStringLiteral(CLUSTERDECK_LAB_SCRIPT), QStringLiteral("load"), QStringLiteral("--gateway"),
                QStringLiteral("haproxy"), QStringLiteral("--rate"), QStringLiteral("40"),
                QStringLiteral("--duration"), QStringLiteral("3600")});
    if (!load.waitForStarted())
        fail(QStringLiteral("cannot start lab load"));
    g_loadPid = load.processId();
    QThread::sleep(2);
    Figures cold, warm, local, openssh, drain, readmit;
    QMap<QString, Figures> drainSteps, readmitSteps;
    std::unique_ptr<SshHost> pooled = newHost();
    if (Status connected = pooled->connect(); !connected)
        fail(connected.error().toString());
    LocalHost localHost;
    for (int run = 0; run < runs; ++run) {
        // Reference: OpenSSH, a fresh connection and one command.
        QElapsedTimer timer;
        timer.start();
        QProcess ssh;
        ssh.start(QStringLiteral("ssh"), opensshArgs);
        if (!ssh.waitForFinished(20000) || ssh.exitCode() != 0)
            fail(QStringLiteral("ssh: %1").arg(QString::fromUtf8(ssh.readAllStandardError())));
        openssh.add(ms(timer));

        // Cold: a new connection and the runtime command.
        {
            timer.restart();
            std::unique_ptr<SshHost> host = newHost();
            HaproxyRuntime runtime(*host, gateway.adminSocket, 10s);
            if (Status done = runtime.setServerState(gateway.backend, server, HaproxyAdminCommand::Drain);
                !done)
                fail(done.error().toString());
            cold.add(ms(timer));
            runtime.setServerState(gateway.backend, server, HaproxyAdminCommand::Ready);
        }
        // Warm: the open connection.
        {
            HaproxyRuntime runtime(*pooled, gateway.adminSocket, 10s);
            timer.restart();
            if (Status done = runtime.setServerState(gateway.backend, server, HaproxyAdminCommand::Drain);
                !done)
                fail(done.error().toString());
            warm.add(ms(timer));
            runtime.setServerState(gateway.backend, server, HaproxyAdminCommand::Ready);
        }
        // Reference: the same command on the socket without SSH.
        {
            HaproxyRuntime runtime(localHost, gateway.adminSocket, 10s);
            timer.restart();
            if (Status done = runtime.setServerState(gateway.backend, server, HaproxyAdminCommand::Drain);
                !done)
                fail(done.error().toString());
            local.add(ms(timer));
            runtime.setServerState(gateway.backend, server, HaproxyAdminCommand::Ready);
        }
        // Whole jobs, each on a new connection as the CLI makes it.
        for (const ConfigAction change : {ConfigAction::Drain, ConfigAction::Readmit}) {
            timer.restart();
            std::unique_ptr<SshHost> host = newHost();
            if (Status connected = host->connect(); !connected)
                fail(connected.error().toString());
            DrainOptions options;
            options.change = change;
            options.node = node;
            options.waitTimeout = 30s;
            options.actor = QStringLiteral("bench_drain");
            DrainJob job(*cluster, options, std::move(host));
            const DrainReport report = job.run();
            if (!report.ok)
                fail(report.summary());
            (change == ConfigAction::Drain ? drain : readmit).add(ms(timer));
            for (const DrainStepOutcome &step : report.steps)
                (change == ConfigAction::Drain ? drainSteps : readmitSteps)[drainStepName(step.step)].add(
                    double(step.finishedMs - step.startedMs));
        }
        // The job's backups pile up next to the config: remove this run's.
        localHost.run(QStringLiteral("rm -f '%1'.clusterdeck-backup-*").arg(gateway.configPath), 5s);
    }
    ::kill(-pid_t(load.processId()), SIGTERM);
    load.waitForFinished(10000);
    std::printf("%s\n", qPrintable(cold.line("runtime_cold")));
    std::printf("%s\n", qPrintable(warm.line("runtime_warm")));
    std::printf("%s\n", qPrintable(drain.line("drain_total")));
    for (auto it = drainSteps.cbegin(); it != drainSteps.cend(); ++it)
        std::printf("  %s\n", qPrintable(it->line(qPrintable(QStringLiteral("drain_step_") + it.key()))));
    std::printf("%s\n", qPrintable(readmit.line("readmit_total")));
    for (auto it = readmitSteps.cbegin(); it != readmitSteps.cend(); ++it)
        std::printf("  %s\n", qPrintable(it->line(qPrintable(QStringLiteral("readmit_step_") + it.key()))));
    std::printf("reference %s\n", qPrintable(openssh.line("openssh_fresh_true")));
    std::printf("reference %s\n", qPrintable(local.line("admin_socket_local")));
    std::printf("targets: runtime_warm <= 250, runtime_cold <= 1000, drain_total <= 3000 (ms)\n");
    return 0;
}
