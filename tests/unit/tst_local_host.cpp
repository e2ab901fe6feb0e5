// LocalHost against real processes, files and sockets on this machine: what the drain jobs rely on.
#include "remote/local_host.h"

#include <QDir>
#include <QFile>
#include <QLocalServer>
#include <QLocalSocket>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <sys/stat.h>

using namespace clusterdeck;
using namespace std::chrono_literals;

namespace {

// A one-connection server on its own thread (the calls under test block the test's thread): reads the
// request up to a newline, answers `reply` and closes, or keeps the connection open when `close` is false.
class EchoServerThread : public QThread {
public:
    EchoServerThread(bool local, QByteArray reply, bool close)
        : m_local(local), m_reply(reply), m_close(close)
    {}

    QString socketPath;
    quint16 port = 0;
    QByteArray received;

    void startAndWait()
    {
        start();
        while (!m_ready.loadAcquire())
            QThread::yieldCurrentThread();
    }

protected:
    void run() override
    {
        QLocalServer localServer;
        QTcpServer tcpServer;
        QTemporaryDir dir;
        if (m_local) {
            socketPath = dir.filePath(QStringLiteral("s.sock"));
            localServer.listen(socketPath);
        } else {
            tcpServer.listen(QHostAddress::LocalHost);
            port = tcpServer.serverPort();
        }
        m_ready.storeRelease(1);
        QIODevice *peer = nullptr;
        if (m_local) {
            localServer.waitForNewConnection(10000);
            peer = localServer.nextPendingConnection();
        } else {
            tcpServer.waitForNewConnection(10000);
            peer = tcpServer.nextPendingConnection();
        }
        if (!peer)
            return;
        while (!received.contains('\n') && peer->waitForReadyRead(10000))
            received += peer->readAll();
        peer->write(m_reply);
        while (peer->bytesToWrite() > 0 && peer->waitForBytesWritten(10000)) {
        }
        if (m_close) {
            if (auto *l = qobject_cast<QLocalSocket *>(peer))
                l->disconnectFromServer();
            else
                static_cast<QTcpSocket *>(peer)->disconnectFromHost();
        } else {
            // Holds the connection open until the client gives up.
            peer->waitForReadyRead(5000);
        }
        delete peer;
    }

private:
    bool m_local;
    QByteArray m_reply;
    bool m_close;
    QAtomicInt m_ready;
};

} // namespace

class TestLocalHost : public QObject {
    Q_OBJECT
private slots:
    void run_data();
    void run();
    void runTimesOut();
    void writeFileAtomicKeepsModeAndLeavesNoTemp();
    void writeFileAtomicErrorsNameThePath();
    void readFileMissing();
    void exchange_data();
    void exchange();
    void exchangeTimesOutWhenThePeerNeverCloses();
    void exchangeRefused();
};

void TestLocalHost::run_data()
{
    QTest::addColumn<QString>("command");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("exitStatus");
    QTest::addColumn<QByteArray>("out");
    QTest::addColumn<QByteArray>("err");
    QTest::newRow("echo") << "echo hello" << QByteArray() << 0 << QByteArray("hello\n") << QByteArray();
    QTest::newRow("exit code") << "echo oops >&2; exit 3" << QByteArray() << 3 << QByteArray()
                               << QByteArray("oops\n");
    QTest::newRow("stdin") << "tr a-z A-Z" << QByteArray("drain was2\n") << 0 << QByteArray("DRAIN WAS2\n")
                           << QByteArray();
    QTest::newRow("shell syntax") << "for i in 1 2; do printf $i; done" << QByteArray() << 0
                                  << QByteArray("12") << QByteArray();
    QTest::newRow("killed by a signal") << "kill -9 $$" << QByteArray() << -1 << QByteArray() << QByteArray();
}

void TestLocalHost::run()
{
    QFETCH(QString, command);
    QFETCH(QByteArray, input);
    LocalHost host;
    const Result<CommandResult> result = host.run(command, 10s, input);
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().toString()));
    QTEST(result->exitStatus, "exitStatus");
    QTEST(result->standardOutput, "out");
    QTEST(result->standardError, "err");
}

void TestLocalHost::runTimesOut()
{
    LocalHost host;
    const Result<CommandResult> result = host.run(QStringLiteral("sleep 30"), 200ms);
    QVERIFY(!result.ok());
    QVERIFY2(result.error().toString().contains(QLatin1String("timed out")),
             qPrintable(result.error().toString()));
    QVERIFY(result.error().where.contains(QLatin1String("sleep 30")));
}

void TestLocalHost::writeFileAtomicKeepsModeAndLeavesNoTemp()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("haproxy.cfg"));
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("old contents, longer than the new ones\n");
    }
    QVERIFY(::chmod(QFile::encodeName(path).constData(), 0640) == 0);
    LocalHost host;
    const QByteArray fresh("server was2 127.0.20.2:8080 check disabled\n");
    const Status status = host.writeFileAtomic(path, fresh, 5s);
    QVERIFY2(status.ok(), qPrintable(status.ok() ? QString() : status.error().toString()));
    const Result<QByteArray> back = host.readFile(path, 5s);
    QVERIFY(back.ok());
    QCOMPARE(*back, fresh);
    struct stat st {};
    QVERIFY(::stat(QFile::encodeName(path).constData(), &st) == 0);
    QCOMPARE(st.st_mode & 07777, mode_t(0640));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden),
             QStringList{QStringLiteral("haproxy.cfg")});

    // A new file is created too.
    const QString other = dir.filePath(QStringLiteral("new.cfg"));
    QVERIFY(host.writeFileAtomic(other, "x", 5s).ok());
    QCOMPARE(*host.readFile(other, 5s), QByteArray("x"));
}

void TestLocalHost::writeFileAtomicErrorsNameThePath()
{
    LocalHost host;
    const QString path = QStringLiteral("/nonexistent-dir-clusterdeck/haproxy.cfg");
    const Status status = host.writeFileAtomic(path, "x", 5s);
    QVERIFY(!status.ok());
    QVERIFY2(status.error().where.contains(path), qPrintable(status.error().toString()));
    QVERIFY(status.error().where.startsWith(QLatin1String("local")));
}

void TestLocalHost::readFileMissing()
{
    LocalHost host;
    const Result<QByteArray> result = host.readFile(QStringLiteral("/nonexistent-clusterdeck.cfg"), 5s);
    QVERIFY(!result.ok());
    QVERIFY(result.error().toString().contains(QLatin1String("/nonexistent-clusterdeck.cfg")));
}

void TestLocalHost::exchange_data()
{
    QTest::addColumn<bool>("local");
    QTest::addColumn<QByteArray>("reply");
    QTest::newRow("unix socket") << true << QByteArray("1\n# be_id be_name srv_id\n\n");
    QTest::newRow("tcp") << false << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n[]");
    QTest::newRow("large answer") << false << QByteArray(3 * 1024 * 1024, 'x');
}

void TestLocalHost::exchange()
{
    QFETCH(bool, local);
    QFETCH(QByteArray, reply);
    EchoServerThread server(local, reply, true);
    server.startAndWait();
    LocalHost host;
    const QByteArray request("show servers state was\n");
    const Result<QByteArray> answer =
        local ? host.exchangeUnixSocket(server.socketPath, request, 10s)
              : host.exchangeTcp(QStringLiteral("127.0.0.1"), server.port, request, 10s);
    server.wait();
    QVERIFY2(answer.ok(), qPrintable(answer.ok() ? QString() : answer.error().toString()));
    QCOMPARE(server.received, request);
    QCOMPARE(answer->size(), reply.size());
    QCOMPARE(*answer, reply);
}

void TestLocalHost::exchangeTimesOutWhenThePeerNeverCloses()
{
    EchoServerThread server(false, "partial", false);
    server.startAndWait();
    LocalHost host;
    const Result<QByteArray> answer =
        host.exchangeTcp(QStringLiteral("127.0.0.1"), server.port, "GET\n", 300ms);
    QVERIFY(!answer.ok());
    QVERIFY2(answer.error().toString().contains(QLatin1String("no end of the answer")),
             qPrintable(answer.error().toString()));
    server.wait();
}

void TestLocalHost::exchangeRefused()
{
    LocalHost host;
    const Result<QByteArray> answer =
        host.exchangeUnixSocket(QStringLiteral("/nonexistent-clusterdeck/admin.sock"), "show info\n", 2s);
    QVERIFY(!answer.ok());
    QVERIFY2(answer.error().where.contains(QLatin1String("/nonexistent-clusterdeck/admin.sock")),
             qPrintable(answer.error().toString()));
}

QTEST_GUILESS_MAIN(TestLocalHost)
#include "tst_local_host.moc"
