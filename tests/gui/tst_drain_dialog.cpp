// The console's Drain… / Readmit… dialog on the lab's HAProxy cluster: Start runs the job off the GUI thread,
// every step shows done, the diff and the file on disk say `disabled`, readmit gives back the original bytes.
#include "cluster/inventory_loader.h"
#include "drain_dialog.h"
#include "gateway/haproxy_runtime.h"
#include "lab_client.h"
#include "remote/local_host.h"

#include <QLabel>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QTest>
#include <QTreeWidget>
#include <csignal>

using namespace clusterdeck;
using namespace std::chrono_literals;

namespace {

QByteArray readAll(const QString &path)
{
    const Result<QByteArray> bytes = LocalHost().readFile(path, 5s);
    return bytes ? *bytes : QByteArray();
}

std::unique_ptr<RemoteHost> localHost(const Gateway &)
{
    return std::make_unique<LocalHost>(); // the lab's gateway runs on this machine
}

} // namespace

class TestDrainDialog : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void drainThenReadmit();
    void cleanupTestCase();

private:
    void runDialog(DrainDialog &dialog);
    QProcess m_load;
    Cluster m_cluster;
    QByteArray m_original;
};

void TestDrainDialog::initTestCase()
{
    const QString labDir =
        runLab({QStringLiteral("cluster"), QStringLiteral("haproxy")}).section(QLatin1Char('/'), 0, -2);
    QVERIFY2(!labDir.isEmpty(), "the lab is not running");
    const Result<Cluster> loaded = loadClusterFile(labDir + QStringLiteral("/cluster-haproxy.yaml"));
    QVERIFY(loaded.ok());
    m_cluster = *loaded;
    m_original = readAll(m_cluster.gateways.first().configPath);
    QVERIFY(m_original.contains("server was2 "));
    QVERIFY(!m_original.contains("disabled"));
    // Load through the gateway, so there are sessions to drain and traffic for readmit to see (`lab load` in
    // a session of its own: cleanup ends it together with its wrk).
    m_load.start(QStringLiteral("setsid"),
                 {QStringLiteral(CLUSTERDECK_LAB_SCRIPT), QStringLiteral("load"), QStringLiteral("--gateway"),
                  QStringLiteral("haproxy"), QStringLiteral("--concurrency"), QStringLiteral("20"),
                  QStringLiteral("--duration"), QStringLiteral("120")});
    QVERIFY(m_load.waitForStarted());
}

void TestDrainDialog::runDialog(DrainDialog &dialog)
{
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    auto *start = dialog.findChild<QPushButton *>(QStringLiteral("start"));
    auto *close = dialog.findChild<QPushButton *>(QStringLiteral("close"));
    QVERIFY(start->isEnabled());
    QTest::mouseClick(start, Qt::LeftButton);
    QVERIFY(!close->isEnabled()); // no closing a running job
    QVERIFY(dialog.isRunning());
    QTRY_VERIFY_WITH_TIMEOUT(dialog.isFinished(), 60000);
    QVERIFY(close->isEnabled());
}

void TestDrainDialog::drainThenReadmit()
{
    const Gateway &gateway = m_cluster.gateways.first();
    {
        DrainDialog dialog(m_cluster, QStringLiteral("was2"), ConfigAction::Drain, nullptr, nullptr,
                           localHost);
        const QString plan = dialog.findChild<QLabel *>(QStringLiteral("plan"))->text();
        QVERIFY2(plan.contains(gateway.name) && plan.contains(QStringLiteral("state drain")),
                 qPrintable(plan));
        runDialog(dialog);
        QVERIFY2(dialog.report().ok, qPrintable(dialog.report().summary()));
        auto *steps = dialog.findChild<QTreeWidget *>(QStringLiteral("steps"));
        QCOMPARE(steps->topLevelItemCount(), 4);
        for (int i = 0; i < steps->topLevelItemCount(); ++i)
            QCOMPARE(steps->topLevelItem(i)->text(1), QStringLiteral("done"));
        const QString diff = dialog.findChild<QPlainTextEdit *>(QStringLiteral("diff"))->toPlainText();
        QVERIFY2(diff.contains(QStringLiteral(" disabled")), qPrintable(diff));
        QVERIFY(
            dialog.findChild<QLabel *>(QStringLiteral("sessions"))->text().endsWith(QStringLiteral(": 0")));
        QVERIFY(dialog.grab().save(QStringLiteral("/tmp/drain-dialog.png")));
    }
    const QByteArray drained = readAll(gateway.configPath);
    QVERIFY(drained.contains("server was2 ") && drained.contains(" disabled"));
    LocalHost host;
    QVERIFY(!HaproxyRuntime(host, gateway.adminSocket, 5s)
                 .server(gateway.backend, QStringLiteral("was2"))
                 ->inRotation());

    DrainDialog readmit(m_cluster, QStringLiteral("was2"), ConfigAction::Readmit, nullptr, nullptr,
                        localHost);
    runDialog(readmit);
    QVERIFY2(readmit.report().ok, qPrintable(readmit.report().summary()));
    QCOMPARE(readAll(gateway.configPath), m_original);
    QVERIFY(HaproxyRuntime(host, gateway.adminSocket, 5s)
                .server(gateway.backend, QStringLiteral("was2"))
                ->inRotation());
}

void TestDrainDialog::cleanupTestCase()
{
    if (m_load.state() != QProcess::NotRunning) {
        ::kill(-pid_t(m_load.processId()), SIGTERM);
        m_load.waitForFinished(10000);
    }
    // Leave the lab as found: the original file, every server ready, no backups.
    if (m_original.isEmpty())
        return;
    const Gateway &gateway = m_cluster.gateways.first();
    LocalHost host;
    if (readAll(gateway.configPath) != m_original)
        QVERIFY(host.writeFileAtomic(gateway.configPath, m_original, 5s).ok());
    HaproxyRuntime runtime(host, gateway.adminSocket, 5s);
    for (const char *server : {"was1", "was2", "was3"})
        runtime.setServerState(gateway.backend, QString::fromLatin1(server), HaproxyAdminCommand::Ready);
    const QString dir = gateway.configPath.section(QLatin1Char('/'), 0, -2);
    host.run(QStringLiteral("rm -f '%1'/*.clusterdeck-backup-*").arg(dir), 5s);
}

QTEST_MAIN(TestDrainDialog)
#include "tst_drain_dialog.moc"
