// KnownHosts: OpenSSH's known_hosts format and the verdicts on a presented host key, with ssh-keygen as the
// oracle for fingerprints and hashed names (no network).
#include "remote/known_hosts.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace clusterdeck;

namespace {

QByteArray keygenOutput(const QStringList &arguments)
{
    QProcess process;
    process.start(QStringLiteral("ssh-keygen"), arguments);
    if (!process.waitForFinished(30000) || process.exitCode() != 0)
        qFatal("ssh-keygen %s failed: %s", qPrintable(arguments.join(' ')),
               process.readAllStandardError().constData());
    return process.readAllStandardOutput();
}

// A fresh key of `type`: its public line's fields.
HostKey newKey(const QString &folder, const QString &type, const QString &name)
{
    const QString path = folder + '/' + name;
    keygenOutput({"-q", "-t", type, "-N", "", "-f", path});
    QFile file(path + ".pub");
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(file.fileName()));
    const QList<QByteArray> fields = file.readAll().simplified().split(' ');
    return HostKey{QString::fromLatin1(fields[0]), QByteArray::fromBase64(fields[1])};
}

QByteArray line(const QString &name, const HostKey &key)
{
    return name.toUtf8() + ' ' + key.type.toLatin1() + ' ' + key.blob.toBase64() + '\n';
}

} // namespace

class TstKnownHosts : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void fingerprintMatchesSshKeygen();
    void verdicts_data();
    void verdicts();
    void hashedEntries();
    void appendThenKnown();
    void missingFileIsEmpty();

private:
    QTemporaryDir m_dir;
    HostKey m_ed25519, m_otherEd25519, m_ecdsa;
};

void TstKnownHosts::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_ed25519 = newKey(m_dir.path(), "ed25519", "a");
    m_otherEd25519 = newKey(m_dir.path(), "ed25519", "b");
    m_ecdsa = newKey(m_dir.path(), "ecdsa", "c");
}

void TstKnownHosts::fingerprintMatchesSshKeygen()
{
    // "256 SHA256:xxxx comment (ED25519)"
    const QByteArray printed = keygenOutput({"-l", "-E", "sha256", "-f", m_dir.path() + "/a.pub"});
    QCOMPARE(m_ed25519.sha256Fingerprint(), QString::fromLatin1(printed.split(' ').value(1)));
}

void TstKnownHosts::verdicts_data()
{
    QTest::addColumn<QByteArray>("file");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<int>("verdict");
    QTest::addColumn<int>("line"); // 0: no line

    using V = HostKeyCheck::Verdict;
    const QByteArray comments = "# comment\n\n";
    QTest::newRow("known, port 22") << comments + line("gw.example", m_ed25519) << "gw.example" << 22
                                    << int(V::Known) << 3;
    QTest::newRow("known, [host]:port")
        << line("[127.0.10.1]:2222", m_ed25519) << "127.0.10.1" << 2222 << int(V::Known) << 1;
    QTest::newRow("port differs: unknown")
        << line("[127.0.10.1]:2222", m_ed25519) << "127.0.10.1" << 22 << int(V::Unknown) << 0;
    QTest::newRow("comma list, wildcard")
        << line("other,*.example", m_ed25519) << "gw.example" << 22 << int(V::Known) << 1;
    QTest::newRow("negation wins") << line("*.example,!gw.example", m_ed25519) << "gw.example" << 22
                                   << int(V::Unknown) << 0;
    QTest::newRow("changed") << comments + line("gw.example", m_otherEd25519) << "gw.example" << 22
                             << int(V::Changed) << 3;
    // A matching line anywhere makes it known, even after a stale one (OpenSSH does the same).
    QTest::newRow("changed then known") << line("gw.example", m_otherEd25519) + line("gw.example", m_ed25519)
                                        << "gw.example" << 22 << int(V::Known) << 2;
    QTest::newRow("other type") << line("gw.example", m_ecdsa) << "gw.example" << 22 << int(V::OtherType)
                                << 1;
    QTest::newRow("marker lines skipped")
        << "@cert-authority *.example " + line("", m_ed25519).trimmed() + "\n"
        << "gw.example" << 22 << int(V::Unknown) << 0;
    QTest::newRow("case-insensitive")
        << line("GW.Example", m_ed25519) << "gw.example" << 22 << int(V::Known) << 1;
}

void TstKnownHosts::verdicts()
{
    QFETCH(QByteArray, file);
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(int, verdict);
    QFETCH(int, line);
    const KnownHosts hosts = KnownHosts::parse(file, QStringLiteral("/x/known_hosts"));
    const HostKeyCheck check = hosts.check(host, port, m_ed25519);
    QCOMPARE(int(check.verdict), verdict);
    QCOMPARE(check.where, line ? QStringLiteral("/x/known_hosts:%1").arg(line) : QString());
    if (check.verdict == HostKeyCheck::Verdict::OtherType)
        QCOMPARE(check.knownType, m_ecdsa.type);
}

void TstKnownHosts::hashedEntries()
{
    // ssh-keygen -H hashes every name: our HMAC-SHA1 must find them, plain and [host]:port.
    const QString path = m_dir.path() + "/hashed";
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(line("gw.example", m_ed25519) + line("[127.0.10.1]:2222", m_otherEd25519));
    file.close();
    keygenOutput({"-H", "-f", path});
    Result<KnownHosts> hosts = KnownHosts::load(path);
    QVERIFY(hosts.ok());
    QFile hashed(path);
    QVERIFY(hashed.open(QIODevice::ReadOnly));
    QVERIFY(hashed.readAll().startsWith("|1|"));
    QCOMPARE(hosts->check("gw.example", 22, m_ed25519).verdict, HostKeyCheck::Verdict::Known);
    QCOMPARE(hosts->check("127.0.10.1", 2222, m_otherEd25519).verdict, HostKeyCheck::Verdict::Known);
    QCOMPARE(hosts->check("127.0.10.1", 2222, m_ed25519).verdict, HostKeyCheck::Verdict::Changed);
    QCOMPARE(hosts->check("gw2.example", 22, m_ed25519).verdict, HostKeyCheck::Verdict::Unknown);
}

void TstKnownHosts::appendThenKnown()
{
    const QString path = m_dir.path() + "/new/folder/known_hosts";
    QVERIFY(KnownHosts::append(path, "127.0.0.5", 2200, m_ed25519).ok());
    QVERIFY(KnownHosts::append(path, "gw.example", 22, m_ecdsa).ok());
    Result<KnownHosts> hosts = KnownHosts::load(path);
    QVERIFY(hosts.ok());
    QCOMPARE(hosts->check("127.0.0.5", 2200, m_ed25519).where, path + ":1");
    QCOMPARE(hosts->check("gw.example", 22, m_ecdsa).where, path + ":2");
    // ssh-keygen -F finds what we wrote: the format is OpenSSH's.
    QVERIFY(keygenOutput({"-F", "[127.0.0.5]:2200", "-f", path}).contains(m_ed25519.blob.toBase64()));
}

void TstKnownHosts::missingFileIsEmpty()
{
    Result<KnownHosts> hosts = KnownHosts::load(m_dir.path() + "/none");
    QVERIFY(hosts.ok());
    QCOMPARE(hosts->check("gw.example", 22, m_ed25519).verdict, HostKeyCheck::Verdict::Unknown);
}

QTEST_GUILESS_MAIN(TstKnownHosts)
#include "tst_known_hosts.moc"
