// SshConfig: the effective settings for a target from an OpenSSH client config (fixture files under a
// temporary $HOME, so ~ and Include resolve there) and the inventory's own fields.
#include "cluster/cluster.h"
#include "remote/ssh_config.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace clusterdeck;

class TstSshConfig : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void settings_data();
    void settings();
    void badLines_data();
    void badLines();
    void missingFileIsEmpty();
    void jumpHop();

private:
    QTemporaryDir m_home;
    QString m_sshDir;
};

void TstSshConfig::initTestCase()
{
    QVERIFY(m_home.isValid());
    qputenv("HOME", m_home.path().toLocal8Bit());
    m_sshDir = m_home.path() + QStringLiteral("/.ssh");
    QVERIFY(QDir().mkpath(m_sshDir + QStringLiteral("/config.d")));
    QVERIFY(QFile::copy(QFINDTESTDATA("../fixtures/ssh/config"), m_sshDir + QStringLiteral("/config")));
    QVERIFY(QFile::copy(QFINDTESTDATA("../fixtures/ssh/config.d/10-lab.conf"),
                        m_sshDir + QStringLiteral("/config.d/10-lab.conf")));
}

void TstSshConfig::settings_data()
{
    QTest::addColumn<QString>("target"); // inventory: [user@]host[:port]
    QTest::addColumn<QString>("identity");
    QTest::addColumn<QString>("hostName");
    QTest::addColumn<QString>("user");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("firstIdentity");
    QTest::addColumn<QString>("proxyJump");
    QTest::addColumn<QString>("knownHosts");

    const QString home = QDir::homePath();
    // First value wins: gw-prod's own block comes before "gw-?" and "*".
    QTest::newRow("host block") << "gw-prod"
                                << ""
                                << "10.0.0.10"
                                << "deploy" << 2200 << home + "/.ssh/prod_ed25519"
                                << "bastion" << home + "/.ssh/known_hosts_all";
    // The inventory's user, port (not 22) and identity win over the config.
    QTest::newRow("inventory wins") << "root@gw-prod:2022"
                                    << "/keys/id"
                                    << "10.0.0.10"
                                    << "root" << 2022 << "/keys/id"
                                    << "bastion" << home + "/.ssh/known_hosts_all";
    // Wildcard with %h, %d, %r tokens.
    QTest::newRow("wildcard + tokens") << "db.internal"
                                       << ""
                                       << "db.internal.example"
                                       << "ops" << 22 << home + "/.ssh/internal_ops"
                                       << "" << home + "/.ssh/known_hosts_all";
    // Negation rules the block out: only "Host *" applies.
    QTest::newRow("negated") << "secret.internal"
                             << ""
                             << "secret.internal"
                             << "fallback" << 22 << home + "/.ssh/id_ed25519"
                             << "" << home + "/.ssh/known_hosts_all";
    // ? matches one character; "ProxyJump none" clears it.
    QTest::newRow("question mark") << "gw-1"
                                   << ""
                                   << "gw-1"
                                   << "ignored-for-gw-prod" << 22022 << home + "/.ssh/id_ed25519"
                                   << "" << home + "/.ssh/known_hosts_all";
    QTest::newRow("proxyjump none") << "bastion"
                                    << ""
                                    << "192.0.2.1"
                                    << "ignored-for-gw-prod" << 22022 << home + "/.ssh/id_ed25519"
                                    << "" << home + "/.ssh/known_hosts_all";
    // Include (relative to ~/.ssh, glob), Port=2222, a quoted path with a space.
    QTest::newRow("include") << "lab"
                             << ""
                             << "127.0.10.1"
                             << "fallback" << 2222 << "/tmp/lab key"
                             << "" << home + "/.ssh/known_hosts_all";
}

void TstSshConfig::settings()
{
    QFETCH(QString, target);
    QFETCH(QString, identity);
    Result<SshConfig> config = SshConfig::load(SshConfig::defaultPath());
    QVERIFY2(config.ok(), qPrintable(config ? QString() : config.error().toString()));

    SshTarget inventory;
    QString rest = target;
    if (rest.contains('@')) {
        inventory.user = rest.section('@', 0, 0);
        rest = rest.section('@', 1);
    }
    inventory.host = rest.section(':', 0, 0);
    if (rest.contains(':'))
        inventory.port = rest.section(':', 1).toInt();
    inventory.identityFile = identity;

    const SshSettings settings = config->settingsFor(inventory);
    QTEST(settings.hostName, "hostName");
    QTEST(settings.user, "user");
    QTEST(settings.port, "port");
    QTEST(settings.identityFiles.value(0), "firstIdentity");
    QTEST(settings.proxyJump, "proxyJump");
    QTEST(settings.knownHostsFile, "knownHosts");
    QCOMPARE(settings.alias, inventory.host);
}

void TstSshConfig::badLines_data()
{
    QTest::addColumn<QString>("fixture");
    QTest::addColumn<QString>("where");
    QTest::addColumn<QString>("message");
    QTest::newRow("port out of range") << "bad_port.config"
                                       << "bad_port.config:2"
                                       << "99999";
    QTest::newRow("no value") << "no_value.config"
                              << "no_value.config:2"
                              << "has no value";
}

void TstSshConfig::badLines()
{
    QFETCH(QString, fixture);
    const QString path = QFINDTESTDATA("../fixtures/ssh/" + fixture);
    Result<SshConfig> config = SshConfig::load(path);
    QVERIFY(!config.ok());
    QFETCH(QString, where);
    QFETCH(QString, message);
    QVERIFY2(config.error().where.endsWith(where), qPrintable(config.error().toString()));
    QVERIFY2(config.error().message.contains(message), qPrintable(config.error().toString()));
}

void TstSshConfig::missingFileIsEmpty()
{
    Result<SshConfig> config = SshConfig::load(m_home.path() + QStringLiteral("/nonexistent"));
    QVERIFY(config.ok());
    SshTarget target;
    target.host = QStringLiteral("h");
    const SshSettings settings = config->settingsFor(target);
    QCOMPARE(settings.hostName, QStringLiteral("h"));
    QCOMPARE(settings.port, 22);
    QCOMPARE(settings.knownHostsFile, QDir::homePath() + QStringLiteral("/.ssh/known_hosts"));
    QVERIFY(!settings.user.isEmpty()); // the local user
}

void TstSshConfig::jumpHop()
{
    Result<SshConfig> config = SshConfig::load(SshConfig::defaultPath());
    QVERIFY(config.ok());
    Result<SshSettings> hop = config->settingsForJump(QStringLiteral("admin@bastion:2022"));
    QVERIFY(hop.ok());
    QCOMPARE(hop->hostName, QStringLiteral("192.0.2.1"));
    QCOMPARE(hop->user, QStringLiteral("admin"));
    QCOMPARE(hop->port, 2022);
    QVERIFY(!config->settingsForJump(QStringLiteral("bad host:x")).ok());
}

QTEST_GUILESS_MAIN(TstSshConfig)
#include "tst_ssh_config.moc"
