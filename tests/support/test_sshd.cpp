#include "test_sshd.h"

#include <QDir>
#include <QFile>
#include <csignal>
#include <pwd.h>
#include <sys/prctl.h>
#include <unistd.h>

namespace clusterdeck::testing {

TestSshd::TestSshd(const QString &folder, Options options) : m_folder(folder), m_options(std::move(options))
{}

TestSshd::~TestSshd()
{
    stop();
}

QString TestSshd::user() const
{
    const passwd *entry = getpwuid(getuid());
    return entry ? QString::fromLocal8Bit(entry->pw_name) : qEnvironmentVariable("USER");
}

bool TestSshd::keygen(const QStringList &arguments, QString *error)
{
    QProcess process;
    process.start(QStringLiteral("ssh-keygen"), arguments);
    if (!process.waitForFinished(30000) || process.exitStatus() != QProcess::NormalExit ||
        process.exitCode() != 0) {
        *error = QStringLiteral("ssh-keygen %1 failed: %2")
                     .arg(arguments.join(QLatin1Char(' ')),
                          QString::fromLocal8Bit(process.readAllStandardError()));
        return false;
    }
    return true;
}

bool TestSshd::start(QString *error)
{
    const QString hostKey = m_folder + QStringLiteral("/host_ed25519");
    if (!QFile::exists(hostKey) && !keygen({QStringLiteral("-q"),
                                            QStringLiteral("-t"),
                                            QStringLiteral("ed25519"),
                                            QStringLiteral("-N"),
                                            {},
                                            QStringLiteral("-f"),
                                            hostKey},
                                           error))
        return false;
    if (!QFile::exists(clientKey()) &&
        !keygen({QStringLiteral("-q"), QStringLiteral("-t"), QStringLiteral("ed25519"), QStringLiteral("-N"),
                 m_options.clientKeyPassphrase, QStringLiteral("-f"), clientKey()},
                error))
        return false;
    QFile::remove(m_folder + QStringLiteral("/authorized_keys"));
    QFile::copy(clientKey() + QStringLiteral(".pub"), m_folder + QStringLiteral("/authorized_keys"));
    const bool root = getuid() == 0;
    const QString config =
        QStringLiteral("Port %1\nListenAddress %2\nHostKey %3\nPidFile %4/sshd.pid\n"
                       "AuthorizedKeysFile %4/authorized_keys\nAllowUsers %5\n"
                       "PermitRootLogin %6\nPubkeyAuthentication yes\nPasswordAuthentication no\n"
                       "KbdInteractiveAuthentication no\nUsePAM no\nStrictModes no\n"
                       "AllowStreamLocalForwarding yes\nAllowTcpForwarding yes\nLogLevel VERBOSE\n"
                       "MaxSessions 32\nSubsystem sftp internal-sftp\n")
            .arg(m_options.port)
            .arg(m_options.address, hostKey, m_folder, user(),
                 root ? QStringLiteral("prohibit-password") : QStringLiteral("no"));
    QFile file(m_folder + QStringLiteral("/sshd_config"));
    if (!file.open(QIODevice::WriteOnly) || file.write(config.toUtf8()) < 0) {
        *error = file.errorString();
        return false;
    }
    file.close();
    if (root)
        QDir().mkpath(QStringLiteral("/run/sshd")); // privilege separation directory
    QFile::remove(m_folder + QStringLiteral("/sshd.log"));
    // sshd -D outlives a test that crashes or times out and would hold its address for the next run: it gets
    // SIGTERM when the test process dies.
    m_process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
    m_process.start(QStringLiteral("/usr/sbin/sshd"),
                    {QStringLiteral("-D"), QStringLiteral("-f"), file.fileName(), QStringLiteral("-E"),
                     m_folder + QStringLiteral("/sshd.log")});
    if (!m_process.waitForStarted()) {
        *error = m_process.errorString();
        return false;
    }
    return true;
}

bool TestSshd::isListening() const
{
    return log().contains(QStringLiteral("Server listening on"));
}

void TestSshd::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(5000)) {
        m_process.kill();
        m_process.waitForFinished();
    }
}

QString TestSshd::knownHostsLine() const
{
    QFile file(hostPublicKey());
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QList<QByteArray> fields = file.readAll().simplified().split(' ');
    return QStringLiteral("[%1]:%2 %3 %4")
        .arg(m_options.address)
        .arg(m_options.port)
        .arg(QString::fromLatin1(fields.value(0)), QString::fromLatin1(fields.value(1)));
}

QString TestSshd::log() const
{
    QFile file(m_folder + QStringLiteral("/sshd.log"));
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

int TestSshd::acceptedLogins() const
{
    return static_cast<int>(log().count(QStringLiteral("Accepted publickey")));
}

} // namespace clusterdeck::testing
