// SshHost and SshConnectionPool against real OpenSSH sshd processes of the test's own on 127.0.91.x (no lab):
// host key verdicts, commands, SFTP, socket forwarding, connection reuse and reconnection counted against
// sshd's log, ProxyJump, a passphrase-protected key through the prompt interface.
#include "cluster/cluster.h"
#include "remote/credential_prompt.h"
#include "remote/host_key_approver.h"
#include "remote/ssh_connection_pool.h"
#include "remote/ssh_host.h"
#include "test_sshd.h"

#include <QDir>
#include <QFile>
#include <QLocalServer>
#include <QLocalSocket>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>
#include <csignal>
#include <memory>

using namespace clusterdeck;
using namespace std::chrono_literals;
using testing::TestSshd;

namespace {

class CountingApprover : public HostKeyApprover {
public:
    explicit CountingApprover(bool answer) : m_answer(answer) {}
    bool approve(const UnknownHostKey &key) override
    {
        ++asked;
        last = key;
        return m_answer;
    }
    int asked = 0;
    UnknownHostKey last;

private:
    bool m_answer;
};

class FixedPrompt : public CredentialPrompt {
public:
    explicit FixedPrompt(std::optional<QByteArray> passphrase) : m_passphrase(std::move(passphrase)) {}
    std::optional<QByteArray> keyPassphrase(const QString &keyFile, const QString &) override
    {
        ++asked;
        askedFor = keyFile;
        return m_passphrase;
    }
    std::optional<QByteArray> password(const QString &) override { return std::nullopt; }
    int asked = 0;
    QString askedFor;

private:
    std::optional<QByteArray> m_passphrase;
};

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(bytes);
}

// Runs `work` on a thread of its own while this thread's event loop serves the test's listeners.
template <typename Work> void runAside(Work work)
{
    std::unique_ptr<QThread> thread(QThread::create(work));
    thread->start();
    QTRY_VERIFY_WITH_TIMEOUT(thread->isFinished(), 20000);
}

} // namespace

class TstSshHost : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void knownHostRuns_data();
    void knownHostRuns();
    void hostKeyRefused_data();
    void hostKeyRefused();
    void unknownHostApproved();
    void fileRoundTrip();
    void failedWriteLeavesNoTemp();
    void unixSocket();
    void tcp();
    void poolReusesConnection();
    void reconnectsAfterServerSideKill_data();
    void reconnectsAfterServerSideKill();
    void proxyJump();
    void passphraseKey_data();
    void passphraseKey();

private:
    SshConnectOptions options(const TestSshd &sshd, const QString &knownHosts) const;
    SshTarget target(const TestSshd &sshd) const;

    QTemporaryDir m_dir;
    std::unique_ptr<TestSshd> m_sshd;
    QString m_knownHosts;
    NoCredentialPrompt m_noPrompt;
};

SshTarget TstSshHost::target(const TestSshd &sshd) const
{
    SshTarget t;
    t.user = sshd.user();
    t.host = sshd.address();
    t.port = sshd.port();
    t.identityFile = sshd.clientKey();
    t.knownHostsFile = m_knownHosts;
    return t;
}

SshConnectOptions TstSshHost::options(const TestSshd &sshd, const QString &knownHosts) const
{
    SshConnectOptions o;
    SshTarget t = target(sshd);
    t.knownHostsFile = knownHosts;
    o.settings = SshConfig().settingsFor(t);
    o.prompt = const_cast<NoCredentialPrompt *>(&m_noPrompt);
    o.timeout = 10s;
    return o;
}

void TstSshHost::initTestCase()
{
    QVERIFY(m_dir.isValid());
    qunsetenv("SSH_AUTH_SOCK"); // the test's keys only, not a developer's agent
    QDir().mkpath(m_dir.path() + "/main");
    m_sshd = std::make_unique<TestSshd>(m_dir.path() + "/main", TestSshd::Options{});
    QString error;
    QVERIFY2(m_sshd->start(&error), qPrintable(error));
    QTRY_VERIFY_WITH_TIMEOUT(m_sshd->isListening(), 15000);
    m_knownHosts = m_dir.path() + "/known_hosts";
    writeFile(m_knownHosts, "# the test's sshd\n" + m_sshd->knownHostsLine().toUtf8() + '\n');
}

void TstSshHost::knownHostRuns_data()
{
    QTest::addColumn<QString>("command");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("exitStatus");
    QTest::addColumn<QByteArray>("out");
    QTest::addColumn<QByteArray>("err");
    QTest::newRow("success") << "echo hello" << QByteArray() << 0 << QByteArray("hello\n") << QByteArray();
    QTest::newRow("status and stderr") << "echo out; echo err >&2; exit 3" << QByteArray() << 3
                                       << QByteArray("out\n") << QByteArray("err\n");
    QTest::newRow("stdin") << "tr a-z A-Z" << QByteArray("drain was2\n") << 0 << QByteArray("DRAIN WAS2\n")
                           << QByteArray();
    const QByteArray big(300000, 'x'); // more than one channel window each way
    QTest::newRow("large stdin and stdout") << "cat" << big << 0 << big << QByteArray();
}

void TstSshHost::knownHostRuns()
{
    QFETCH(QString, command);
    QFETCH(QByteArray, input);
    SshHost host(options(*m_sshd, m_knownHosts));
    Result<CommandResult> result = host.run(command, 10s, input);
    QVERIFY2(result.ok(), qPrintable(result ? QString() : result.error().toString()));
    QTEST(result->exitStatus, "exitStatus");
    QTEST(result->standardOutput, "out");
    QTEST(result->standardError, "err");
}

void TstSshHost::hostKeyRefused_data()
{
    QTest::addColumn<QByteArray>("knownHosts");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>(
        "where"); // file:line of the contradicting line; the fingerprint for an unknown host
    const QString where = m_dir.path() + "/refused_known_hosts";
    QString error;
    QVERIFY2(TestSshd::keygen({"-q", "-t", "ed25519", "-N", "", "-f", m_dir.path() + "/other_ed"}, &error),
             qPrintable(error));
    QVERIFY2(TestSshd::keygen({"-q", "-t", "ecdsa", "-N", "", "-f", m_dir.path() + "/other_ecdsa"}, &error),
             qPrintable(error));
    const auto keyLine = [&](const QString &file) {
        QFile pub(m_dir.path() + "/" + file + ".pub");
        if (!pub.open(QIODevice::ReadOnly))
            return QByteArray();
        const QList<QByteArray> f = pub.readAll().simplified().split(' ');
        return QStringLiteral("[%1]:%2 ").arg(m_sshd->address()).arg(m_sshd->port()).toUtf8() + f[0] + ' ' +
               f[1] + '\n';
    };
    QTest::newRow("changed key") << "# one\n# two\n" + keyLine("other_ed") << "CHANGED" + QString()
                                 << where + ":3";
    QTest::newRow("other key type") << keyLine("other_ecdsa") << "by a ecdsa-sha2-nistp256 key"
                                    << where + ":1";
    QTest::newRow("unknown host") << QByteArray("# nothing\n") << "unknown host"
                                  << "SHA256:";
}

void TstSshHost::hostKeyRefused()
{
    QFETCH(QByteArray, knownHosts);
    const QString path = m_dir.path() + "/refused_known_hosts";
    writeFile(path, knownHosts);
    SshConnectOptions o = options(*m_sshd, path);
    CountingApprover approver(false);
    o.approver = &approver;
    SshHost host(o);
    Result<CommandResult> result = host.run("true", 10s);
    QVERIFY(!result.ok());
    const QString message = result.error().toString();
    QFETCH(QString, expected);
    QVERIFY2(message.contains(expected), qPrintable(message));
    QFETCH(QString, where);
    QVERIFY2(message.contains(where), qPrintable(message));
    QVERIFY2(message.contains("step host key"), qPrintable(message));
    // Only an unknown host is ever offered for approval; the file is left as it was.
    QCOMPARE(approver.asked, knownHosts.startsWith("# nothing") ? 1 : 0);
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), knownHosts);
}

void TstSshHost::unknownHostApproved()
{
    const QString path = m_dir.path() + "/sub/approved_known_hosts"; // folder created on approval
    SshConnectOptions o = options(*m_sshd, path);
    CountingApprover approver(true);
    o.approver = &approver;
    {
        SshHost host(o);
        QVERIFY(host.run("true", 10s).ok());
    }
    QCOMPARE(approver.asked, 1);
    QCOMPARE(approver.last.host, QStringLiteral("[%1]:%2").arg(m_sshd->address()).arg(m_sshd->port()));
    // The fingerprint shown is the one ssh-keygen prints for the server's key.
    QProcess keygen;
    keygen.start("ssh-keygen", {"-l", "-E", "sha256", "-f", m_sshd->hostPublicKey()});
    QVERIFY(keygen.waitForFinished());
    QCOMPARE(approver.last.fingerprint,
             QString::fromLatin1(keygen.readAllStandardOutput().split(' ').value(1)));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll().trimmed(), m_sshd->knownHostsLine().toUtf8());
    // Next time it is known: no question.
    SshHost again(o);
    QVERIFY(again.run("true", 10s).ok());
    QCOMPARE(approver.asked, 1);
}

void TstSshHost::fileRoundTrip()
{
    SshHost host(options(*m_sshd, m_knownHosts));
    const QString folder = m_dir.path() + "/files";
    QDir().mkpath(folder);
    const QString path = folder + "/haproxy.cfg";
    const QByteArray first = "global\n  maxconn 100\n", second = QByteArray(200000, 'y') + "\nend\n";
    QVERIFY(host.writeFileAtomic(path, first, 10s).ok());
    QCOMPARE(QFileInfo(path).permissions() & 0x7077,
             QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther); // new file: 0644
    Result<QByteArray> read = host.readFile(path, 10s);
    QVERIFY(read.ok());
    QCOMPARE(*read, first);

    QVERIFY(QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner)); // 0600 must survive
    QVERIFY(host.writeFileAtomic(path, second, 10s).ok());
    QCOMPARE(QFileInfo(path).permissions() & 0x7077, QFile::ReadOwner | QFile::WriteOwner);
    read = host.readFile(path, 10s);
    QVERIFY(read.ok());
    QCOMPARE(*read, second);
    QCOMPARE(QDir(folder).entryList(QDir::Files | QDir::Hidden), QStringList{"haproxy.cfg"});

    Result<QByteArray> missing = host.readFile(folder + "/nope", 10s);
    QVERIFY(!missing.ok());
    QVERIFY2(missing.error().toString().contains("No such file"), qPrintable(missing.error().toString()));
    QVERIFY2(missing.error().where.contains("read " + folder + "/nope"), qPrintable(missing.error().where));
}

void TstSshHost::failedWriteLeavesNoTemp()
{
    // Renaming a file over a non-empty directory fails after the temporary file was written: it must go.
    SshHost host(options(*m_sshd, m_knownHosts));
    const QString folder = m_dir.path() + "/failing";
    QVERIFY(QDir().mkpath(folder + "/target.cfg/inside"));
    Status status = host.writeFileAtomic(folder + "/target.cfg", "new bytes\n", 10s);
    QVERIFY(!status.ok());
    QVERIFY2(status.error().toString().contains("rename"), qPrintable(status.error().toString()));
    QVERIFY2(status.error().toString().contains("temporary file was removed"),
             qPrintable(status.error().toString()));
    QCOMPARE(QDir(folder).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot),
             QStringList{"target.cfg"});
    // A folder that does not exist: nothing created, a clear error.
    status = host.writeFileAtomic(folder + "/no/such/dir/x.cfg", "x", 10s);
    QVERIFY(!status.ok());
    QVERIFY2(status.error().toString().contains("cannot create"), qPrintable(status.error().toString()));
}

void TstSshHost::unixSocket()
{
    // A one-shot server like HAProxy's admin socket: answers a line, closes.
    QLocalServer server;
    const QString socketPath = m_dir.path() + "/admin.sock";
    QVERIFY(server.listen(socketPath));
    connect(&server, &QLocalServer::newConnection, &server, [&server] {
        QLocalSocket *socket = server.nextPendingConnection();
        connect(socket, &QLocalSocket::readyRead, socket, [socket] {
            if (!socket->canReadLine())
                return;
            socket->write("answer: " + socket->readLine().toUpper());
            socket->disconnectFromServer();
        });
    });
    SshHost host(options(*m_sshd, m_knownHosts));
    std::optional<Result<QByteArray>> result;
    runAside([&] { result = host.exchangeUnixSocket(socketPath, "show servers state\n", 10s); });
    QVERIFY(result && result->ok());
    QCOMPARE(result->value(), QByteArray("answer: SHOW SERVERS STATE\n"));

    runAside([&] { result = host.exchangeUnixSocket(m_dir.path() + "/missing.sock", "x\n", 10s); });
    QVERIFY(result && !result->ok());
    QVERIFY2(result->error().where.contains("unix socket " + m_dir.path() + "/missing.sock"),
             qPrintable(result->error().toString()));
}

void TstSshHost::tcp()
{
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress("127.0.91.9")));
    connect(&server, &QTcpServer::newConnection, &server, [&server] {
        QTcpSocket *socket = server.nextPendingConnection();
        connect(socket, &QTcpSocket::readyRead, socket, [socket] {
            if (!socket->canReadLine())
                return;
            socket->write("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + socket->readLine());
            socket->disconnectFromHost();
        });
    });
    SshHost host(options(*m_sshd, m_knownHosts));
    std::optional<Result<QByteArray>> result;
    runAside([&] { result = host.exchangeTcp("127.0.91.9", server.serverPort(), "GET /config/\r\n", 10s); });
    QVERIFY2(result && result->ok(),
             result ? qPrintable(result->ok() ? "" : result->error().toString()) : "none");
    QCOMPARE(result->value(), QByteArray("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nGET /config/\r\n"));
}

void TstSshHost::poolReusesConnection()
{
    const int before = m_sshd->acceptedLogins();
    SshConnectionPool::Options o;
    SshConnectionPool pool(o);
    const SshTarget t = target(*m_sshd);
    std::shared_ptr<SshHost> host = pool.host(t);
    QCOMPARE(pool.host(t).get(), host.get()); // same user@host:port, same host
    QVERIFY(host->run("true", 10s).ok());
    QVERIFY(host->readFile(m_knownHosts, 10s).ok());
    QVERIFY(pool.host(t)->run("true", 10s).ok());
    QCOMPARE(host->handshakes(), 1);
    // The server agrees: one login for all of it.
    QTRY_COMPARE(m_sshd->acceptedLogins(), before + 1);
    QCOMPARE(pool.size(), 1);
}

void TstSshHost::reconnectsAfterServerSideKill_data()
{
    QTest::addColumn<bool>("keepAliveFirst"); // the pool's keep-alive notices the loss before the next call
    QTest::newRow("noticed by the next call") << false;
    QTest::newRow("noticed by keep-alive") << true;
}

void TstSshHost::reconnectsAfterServerSideKill()
{
    QFETCH(bool, keepAliveFirst);
    const int before = m_sshd->acceptedLogins();
    SshHost host(options(*m_sshd, m_knownHosts));
    // The shell's parent is the sshd process serving this connection.
    Result<CommandResult> parent = host.run("echo $PPID", 10s);
    QVERIFY(parent.ok());
    const int pid = parent->standardOutput.trimmed().toInt();
    QVERIFY(pid > 1);
    QCOMPARE(::kill(pid, SIGKILL), 0);
    if (keepAliveFirst)
        QTRY_VERIFY(!host.keepAlive());
    Result<CommandResult> again = host.run("echo again", 10s);
    QVERIFY2(again.ok(), qPrintable(again ? QString() : again.error().toString()));
    QCOMPARE(again->standardOutput, QByteArray("again\n"));
    QCOMPARE(host.handshakes(), 2);
    QTRY_COMPARE(m_sshd->acceptedLogins(), before + 2);
}

void TstSshHost::proxyJump()
{
    // A second sshd that only the jump host (the main test sshd) reaches for us, named through an ssh config.
    const QString folder = m_dir.path() + "/target";
    QDir().mkpath(folder);
    TestSshd inner(folder, TestSshd::Options{QStringLiteral("127.0.91.2"), 2223, {}});
    QString error;
    QVERIFY2(inner.start(&error), qPrintable(error));
    QTRY_VERIFY_WITH_TIMEOUT(inner.isListening(), 15000);
    const QString knownHosts = m_dir.path() + "/jump_known_hosts";
    writeFile(knownHosts, m_sshd->knownHostsLine().toUtf8() + '\n' + inner.knownHostsLine().toUtf8() + '\n');
    const QString configPath = m_dir.path() + "/jump_config";
    writeFile(configPath,
              QStringLiteral("Host inner\n  HostName 127.0.91.2\n  Port 2223\n  ProxyJump %1@jumphost\n"
                             "  IdentityFile %2\n\nHost jumphost\n  HostName %3\n  Port %4\n"
                             "  IdentityFile %5\n\nHost *\n  UserKnownHostsFile %6\n")
                  .arg(m_sshd->user(), inner.clientKey(), m_sshd->address())
                  .arg(m_sshd->port())
                  .arg(m_sshd->clientKey(), knownHosts)
                  .toUtf8());
    Result<SshConfig> config = SshConfig::load(configPath);
    QVERIFY(config.ok());
    SshTarget t;
    t.host = "inner";
    SshConnectOptions o;
    o.settings = config->settingsFor(t);
    o.config = *config;
    o.timeout = 10s;
    QCOMPARE(o.settings.proxyJump, m_sshd->user() + "@jumphost");
    const int jumpLogins = m_sshd->acceptedLogins();
    SshHost host(o);
    Result<CommandResult> result = host.run("echo through the jump host", 10s);
    QVERIFY2(result.ok(), qPrintable(result ? QString() : result.error().toString()));
    QCOMPARE(result->standardOutput, QByteArray("through the jump host\n"));
    QVERIFY(host.readFile(knownHosts, 10s).ok()); // SFTP through the jump too
    QTRY_COMPARE(inner.acceptedLogins(), 1);
    QTRY_COMPARE(m_sshd->acceptedLogins(),
                 jumpLogins + 1); // the hop: one login, through which the target was reached
}

void TstSshHost::passphraseKey_data()
{
    QTest::addColumn<std::optional<QByteArray>>("answer");
    QTest::addColumn<bool>("works");
    QTest::addColumn<QString>("message");
    QTest::newRow("right passphrase") << std::optional<QByteArray>("s3cret phrase") << true << QString();
    QTest::newRow("wrong passphrase") << std::optional<QByteArray>("nope") << false << "wrong passphrase";
    QTest::newRow("cancelled") << std::optional<QByteArray>() << false << "wrong passphrase, or none given";
}

void TstSshHost::passphraseKey()
{
    static std::unique_ptr<TestSshd> locked; // one sshd with an encrypted client key for all rows
    if (!locked) {
        const QString folder = m_dir.path() + "/passphrase";
        QDir().mkpath(folder);
        locked = std::make_unique<TestSshd>(folder, TestSshd::Options{"127.0.91.3", 2224, "s3cret phrase"});
        QString error;
        QVERIFY2(locked->start(&error), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(locked->isListening(), 15000);
        writeFile(m_dir.path() + "/passphrase_known_hosts", locked->knownHostsLine().toUtf8() + '\n');
    }
    QFETCH(std::optional<QByteArray>, answer);
    FixedPrompt prompt(answer);
    SshConnectOptions o = options(*locked, m_dir.path() + "/passphrase_known_hosts");
    o.prompt = &prompt;
    SshHost host(o);
    Result<CommandResult> result = host.run("echo unlocked", 10s);
    QCOMPARE(prompt.asked, 1);
    QCOMPARE(prompt.askedFor, locked->clientKey());
    QFETCH(bool, works);
    QCOMPARE(result.ok(), works);
    if (!works) {
        QFETCH(QString, message);
        QVERIFY2(result.error().toString().contains(message), qPrintable(result.error().toString()));
        QVERIFY2(result.error().toString().contains(locked->clientKey()),
                 qPrintable(result.error().toString()));
        QVERIFY2(result.error().where.contains("step auth"), qPrintable(result.error().where));
    }
    if (QTest::currentDataTag() == QLatin1String("cancelled"))
        locked.reset();
}

QTEST_MAIN(TstSshHost)
#include "tst_ssh_host.moc"
