// The console's SSH dialogs, asked from a worker thread as the drain jobs ask them, against real sshd
// processes (tests/support/test_sshd): an unknown host key is trusted only after the operator clicks "Trust
// and connect" in a dialog that shows its SHA256 fingerprint, and then lands in known_hosts; a cancelled
// dialog connects nothing and writes nothing; a key passphrase typed into the password dialog unlocks the
// key.
#include "cluster/cluster.h"
#include "remote/ssh_config.h"
#include "remote/ssh_host.h"
#include "ssh_prompts.h"
#include "test_sshd.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProcess>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <functional>
#include <future>

using namespace clusterdeck;
using namespace clusterdeck::testing;
using namespace std::chrono_literals;

class TstSshPrompts : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void unknownHostKey_data();
    void unknownHostKey();
    void keyPassphrase();

private:
    SshConnectOptions options(const TestSshd &sshd, const QString &knownHosts, SshPrompts &prompts) const;
    static QString dialogText(QWidget *dialog);
    void answerNextDialog(std::function<void(QWidget *)> answer);

    QTemporaryDir m_dir;
    std::unique_ptr<TestSshd> m_sshd;
    std::unique_ptr<TestSshd> m_lockedSshd;
};

SshConnectOptions TstSshPrompts::options(const TestSshd &sshd, const QString &knownHosts,
                                         SshPrompts &prompts) const
{
    SshTarget target;
    target.user = sshd.user();
    target.host = sshd.address();
    target.port = sshd.port();
    target.identityFile = sshd.clientKey();
    target.knownHostsFile = knownHosts;
    SshConnectOptions o;
    o.settings = SshConfig().settingsFor(target);
    o.approver = &prompts;
    o.prompt = &prompts;
    o.timeout = 10s;
    return o;
}

QString TstSshPrompts::dialogText(QWidget *dialog)
{
    QStringList texts;
    for (const QLabel *label : dialog->findChildren<QLabel *>())
        texts << label->text();
    return texts.join('\n');
}

void TstSshPrompts::initTestCase()
{
    QVERIFY(m_dir.isValid());
    qunsetenv("SSH_AUTH_SOCK"); // the test's keys only, not a developer's agent
    QDir().mkpath(m_dir.path() + "/plain");
    m_sshd = std::make_unique<TestSshd>(m_dir.path() + "/plain", TestSshd::Options{"127.0.91.21", 2222, {}});
    QDir().mkpath(m_dir.path() + "/locked");
    m_lockedSshd = std::make_unique<TestSshd>(m_dir.path() + "/locked",
                                              TestSshd::Options{"127.0.91.22", 2222, "open sesame"});
    QString error;
    QVERIFY2(m_sshd->start(&error), qPrintable(error));
    QVERIFY2(m_lockedSshd->start(&error), qPrintable(error));
    QTRY_VERIFY_WITH_TIMEOUT(m_sshd->isListening() && m_lockedSshd->isListening(), 15000);
}

void TstSshPrompts::unknownHostKey_data()
{
    QTest::addColumn<bool>("trust");
    QTest::newRow("trusted") << true;
    QTest::newRow("cancelled") << false;
}

void TstSshPrompts::unknownHostKey()
{
    QFETCH(bool, trust);
    QProcess keygen;
    keygen.start("ssh-keygen", {"-l", "-E", "sha256", "-f", m_sshd->hostPublicKey()});
    QVERIFY(keygen.waitForFinished(10000));
    const QString fingerprint = QString::fromUtf8(keygen.readAllStandardOutput()).section(' ', 1, 1);
    QVERIFY(fingerprint.startsWith("SHA256:"));

    const QString knownHosts = m_dir.path() + "/known_hosts_" + QTest::currentDataTag();
    SshPrompts prompts;
    SshHost host(options(*m_sshd, knownHosts, prompts));
    QString shown;
    bool cancelIsDefault = false;
    answerNextDialog([&](QWidget *dialog) {
        auto *box = qobject_cast<QMessageBox *>(dialog);
        if (!box)
            return;
        shown = dialogText(box);
        cancelIsDefault = box->defaultButton() == box->button(QMessageBox::Cancel);
        for (QAbstractButton *button : box->buttons()) {
            if (button->text() == (trust ? QStringLiteral("Trust and connect") : QStringLiteral("Cancel")))
                button->click();
        }
    });
    std::future<Result<CommandResult>> run =
        std::async(std::launch::async, [&] { return host.run("echo connected", 10s); });
    QTRY_VERIFY_WITH_TIMEOUT(run.wait_for(0s) == std::future_status::ready, 20000);
    const Result<CommandResult> result = run.get();

    QVERIFY2(shown.contains(fingerprint), qPrintable(shown));
    QVERIFY2(shown.contains(knownHosts), qPrintable(shown));
    QVERIFY2(shown.contains(QStringLiteral("[%1]:%2").arg(m_sshd->address()).arg(m_sshd->port())),
             qPrintable(shown));
    QVERIFY(cancelIsDefault); // Enter does not trust a key
    QCOMPARE(result.ok(), trust);
    QFile file(knownHosts);
    if (trust) {
        QCOMPARE(result->standardOutput, QByteArray("connected\n"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.readAll().contains(m_sshd->knownHostsLine().section(' ', 2, 2).toUtf8()));
    } else {
        QVERIFY2(result.error().toString().contains("unknown host"), qPrintable(result.error().toString()));
        QVERIFY(!file.exists() || file.size() == 0);
    }
}

void TstSshPrompts::keyPassphrase()
{
    const QString knownHosts = m_dir.path() + "/known_hosts_locked";
    QFile file(knownHosts);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(m_lockedSshd->knownHostsLine().toUtf8() + '\n');
    file.close();
    SshPrompts prompts;
    SshHost host(options(*m_lockedSshd, knownHosts, prompts));
    QString shown;
    bool hidden = false;
    answerNextDialog([&](QWidget *dialog) {
        auto *input = qobject_cast<QInputDialog *>(dialog);
        QLineEdit *edit = input ? input->findChild<QLineEdit *>() : nullptr;
        if (!edit)
            return;
        shown = dialogText(input);
        hidden = edit->echoMode() == QLineEdit::Password;
        QTest::keyClicks(edit, "open sesame");
        input->accept();
    });
    std::future<Result<CommandResult>> run =
        std::async(std::launch::async, [&] { return host.run("echo unlocked", 10s); });
    QTRY_VERIFY_WITH_TIMEOUT(run.wait_for(0s) == std::future_status::ready, 20000);
    const Result<CommandResult> result = run.get();

    QVERIFY2(shown.contains(m_lockedSshd->clientKey()), qPrintable(shown));
    QVERIFY(hidden);
    QVERIFY2(result.ok(), qPrintable(result ? QString() : result.error().toString()));
    QCOMPARE(result->standardOutput, QByteArray("unlocked\n"));
}

// The dialog runs its own event loop inside the test's QTRY wait, so it is answered from a timer that fires
// inside that loop.
void TstSshPrompts::answerNextDialog(std::function<void(QWidget *)> answer)
{
    auto *poll = new QTimer(this);
    connect(poll, &QTimer::timeout, this, [poll, answer = std::move(answer)] {
        if (QWidget *dialog = QApplication::activeModalWidget()) {
            poll->stop();
            poll->deleteLater();
            answer(dialog);
        }
    });
    poll->start(20);
}

QTEST_MAIN(TstSshPrompts)
#include "tst_ssh_prompts.moc"
