// The cost of one command on a reused SSH connection (the pool's case) next to the same command on a fresh
// connection (handshake, host key check, key login every time), against an sshd of its own on 127.0.92.1.
//   bench_ssh [--runs N]      prints: fresh_ms_median= reused_ms_median= ratio=
#include "cluster/cluster.h"
#include "remote/credential_prompt.h"
#include "remote/ssh_host.h"
#include "test_sshd.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
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

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
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
    std::printf("bench_ssh: runs=%d command=true fresh_ms_median=%.2f reused_ms_median=%.2f ratio=%.1f "
                "reused_handshakes=%d\n",
                runs, median(fresh), median(reused), median(fresh) / std::max(median(reused), 1e-9),
                pooled.handshakes());
    return 0;
}
