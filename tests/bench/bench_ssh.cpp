// The cost of one command on a reused SSH connection (the pool's case) next to the same command on a fresh
// connection (handshake, host key check, key login every time), against an sshd of its own on 127.0.92.1. The
// reference, measured in the same run against the same sshd: OpenSSH's client, fresh and multiplexed over a
// ControlMaster connection (what `ssh` users get from ControlPersist).
//   bench_ssh [--runs N]   prints: fresh_ms_median= reused_ms_median= ratio= openssh_fresh_ms_median=
//                                  openssh_mux_ms_median=
#include "cluster/cluster.h"
#include "remote/credential_prompt.h"
#include "remote/ssh_host.h"
#include "test_sshd.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QLoggingCategory>
#include <QProcess>
#include <QTemporaryDir>
#include <QThread>
#include <algorithm>
#include <cstdio>

using namespace clusterdeck;
using namespace std::chrono_literals;

namespace {

double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    return values.isEmpty() ? 0 : values[values.size() / 2];
}

// One `ssh … true` with OpenSSH's client; its wall time in ms, or -1 when it failed.
double opensshRun(const QStringList &arguments)
{
    QElapsedTimer timer;
    timer.start();
    QProcess ssh;
    ssh.start(QStringLiteral("ssh"), arguments);
    if (!ssh.waitForFinished(10000) || ssh.exitStatus() != QProcess::NormalExit || ssh.exitCode() != 0) {
        std::fprintf(stderr, "bench_ssh: ssh %s: %s\n", qPrintable(arguments.join(' ')),
                     ssh.readAllStandardError().constData());
        return -1;
    }
    return timer.nsecsElapsed() / 1e6;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("clusterdeck.*.debug=false"));
    const QStringList args = app.arguments();
    const int runs = args.contains("--runs") ? args.value(args.indexOf("--runs") + 1).toInt() : 30;
    qunsetenv("SSH_AUTH_SOCK");
    QTemporaryDir dir;
    testing::TestSshd sshd(dir.path(), {QStringLiteral("127.0.92.1"), 2222, {}});
    QString error;
    if (!sshd.start(&error)) {
        std::fprintf(stderr, "bench_ssh: %s\n", qPrintable(error));
        return 1;
    }
    for (int i = 0; i < 500 && !sshd.isListening(); ++i)
        QThread::msleep(10); // a benchmark, not a test: waiting for the server to start is fine here
    QFile known(dir.path() + "/known_hosts");
    if (!known.open(QIODevice::WriteOnly))
        return 1;
    known.write(sshd.knownHostsLine().toUtf8() + '\n');
    known.close();

    SshTarget target;
    target.user = sshd.user();
    target.host = sshd.address();
    target.port = sshd.port();
    target.identityFile = sshd.clientKey();
    target.knownHostsFile = known.fileName();
    NoCredentialPrompt prompt;
    SshConnectOptions options;
    options.settings = SshConfig().settingsFor(target);
    options.prompt = &prompt;

    QList<double> fresh, reused;
    SshHost pooled(options);
    if (Status connected = pooled.connect(); !connected) {
        std::fprintf(stderr, "bench_ssh: %s\n", qPrintable(connected.error().toString()));
        return 1;
    }
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer timer;
        timer.start();
        {
            SshHost host(options);
            if (!host.run("true", 10s))
                return 1;
        }
        fresh.append(timer.nsecsElapsed() / 1e6);
        timer.restart();
        if (!pooled.run("true", 10s))
            return 1;
        reused.append(timer.nsecsElapsed() / 1e6);
    }

    const QStringList common{QStringLiteral("-o"),
                             QStringLiteral("BatchMode=yes"),
                             QStringLiteral("-o"),
                             QStringLiteral("StrictHostKeyChecking=yes"),
                             QStringLiteral("-o"),
                             QStringLiteral("UserKnownHostsFile=") + known.fileName(),
                             QStringLiteral("-F"),
                             QStringLiteral("/dev/null"),
                             QStringLiteral("-i"),
                             sshd.clientKey(),
                             QStringLiteral("-p"),
                             QString::number(sshd.port()),
                             sshd.user() + QLatin1Char('@') + sshd.address()};
    const QStringList mux{QStringLiteral("-o"), QStringLiteral("ControlPath=") + dir.path() + "/cm"};
    QList<double> opensshFresh, opensshMux;
    QProcess master;
    master.start(QStringLiteral("ssh"), QStringList{QStringLiteral("-N"), QStringLiteral("-o"),
                                                    QStringLiteral("ControlMaster=yes")} +
                                            mux + common);
    for (int i = 0; i < 500 && !QFile::exists(dir.path() + "/cm"); ++i)
        QThread::msleep(10);
    for (int i = 0; i < runs; ++i) {
        opensshFresh.append(opensshRun(common + QStringList{QStringLiteral("true")}));
        opensshMux.append(opensshRun(mux + common + QStringList{QStringLiteral("true")}));
        if (opensshFresh.last() < 0 || opensshMux.last() < 0)
            return 1;
    }
    master.terminate();
    master.waitForFinished(5000);

    std::printf("bench_ssh: runs=%d command=true fresh_ms_median=%.2f reused_ms_median=%.2f ratio=%.1f "
                "reused_handshakes=%d openssh_fresh_ms_median=%.2f openssh_mux_ms_median=%.2f\n",
                runs, median(fresh), median(reused), median(fresh) / std::max(median(reused), 1e-9),
                pooled.handshakes(), median(opensshFresh), median(opensshMux));
    return 0;
}
