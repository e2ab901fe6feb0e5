// The console's Drain… / Readmit… dialog on the lab's HAProxy cluster: it plans first (the diff shown,
// nothing changed), Start runs the job off the GUI thread, every step shows done, the diff and the file on
// disk say `disabled`, readmit gives back the original bytes; Cancel during a drain's wait leaves the node
// drained.
#include "cluster/inventory_loader.h"
#include "drain_dialog.h"
#include "gateway/haproxy_runtime.h"
#include "lab_client.h"
#include "remote/local_host.h"

#include <QCryptographicHash>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QTest>
#include <QTreeWidget>
#include <algorithm>
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
    void planComesFirstAndChangesNothing();
    void drainThenReadmit();
    void cancelDuringTheWaitLeavesTheNodeDrained();
    void cleanup();
    void cleanupTestCase();

private:
    void waitForPlan(DrainDialog &dialog);
    void runDialog(DrainDialog &dialog);
    void restoreLab();
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

void TestDrainDialog::waitForPlan(DrainDialog &dialog)
{
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QTRY_VERIFY_WITH_TIMEOUT(dialog.isPlanned(), 30000);
    QVERIFY2(dialog.currentPlan().ok,
             qPrintable(dialog.currentPlan().error ? dialog.currentPlan().error->toString() : QString()));
}

void TestDrainDialog::runDialog(DrainDialog &dialog)
{
    waitForPlan(dialog);
    auto *start = dialog.findChild<QPushButton *>(QStringLiteral("start"));
    auto *close = dialog.findChild<QPushButton *>(QStringLiteral("close"));
    QVERIFY(start->isEnabled());
    QTest::mouseClick(start, Qt::LeftButton);
    QVERIFY(!close->isEnabled()); // no closing a running job
    QVERIFY(dialog.isRunning());
    QTRY_VERIFY_WITH_TIMEOUT(dialog.isFinished(), 60000);
    QVERIFY(close->isEnabled());
}

// Opening the dialog runs the pre-check alone: the plan, the diff and the min_healthy verdict are shown, and
// neither the file nor HAProxy's runtime state changed; Start is enabled only then.
void TestDrainDialog::planComesFirstAndChangesNothing()
{
    const Gateway &gateway = m_cluster.gateways.first();
    LocalHost host;
    HaproxyRuntime runtime(host, gateway.adminSocket, 5s);
    const int adminBefore = runtime.server(gateway.backend, QStringLiteral("was2"))->adminState;
    QCOMPARE(adminBefore, 0);
    DrainDialog dialog(m_cluster, QStringLiteral("was2"), ConfigAction::Drain, nullptr, nullptr, localHost);
    auto *start = dialog.findChild<QPushButton *>(QStringLiteral("start"));
    QVERIFY(dialog.isPlanning() || dialog.isPlanned());
    if (dialog.isPlanning())
        QVERIFY(!start->isEnabled()); // no Start before a plan
    waitForPlan(dialog);
    QVERIFY(start->isEnabled());
    const QString diff = dialog.findChild<QPlainTextEdit *>(QStringLiteral("diff"))->toPlainText();
    QVERIFY2(diff.contains(QStringLiteral("+")) && diff.contains(QStringLiteral(" disabled")),
             qPrintable(diff));
    const QString precheck = dialog.findChild<QLabel *>(QStringLiteral("precheck"))->text();
    QVERIFY2(precheck.contains(QStringLiteral("Pre-check passed")), qPrintable(precheck));
    QVERIFY2(
        precheck.contains(QStringLiteral("min_healthy %1: OK").arg(m_cluster.thresholds.minHealthyUpstreams)),
        qPrintable(precheck));
    QVERIFY2(precheck.contains(QString::fromLatin1(dialog.currentPlan().sha256)), qPrintable(precheck));
    QCOMPARE(dialog.currentPlan().sha256,
             QCryptographicHash::hash(m_original, QCryptographicHash::Sha256).toHex());
    // Nothing changed on the gateway yet.
    QCOMPARE(readAll(gateway.configPath), m_original);
    QCOMPARE(runtime.server(gateway.backend, QStringLiteral("was2"))->adminState, 0);
    QVERIFY(dialog.grab().save(QStringLiteral("/tmp/drain-dialog-plan.png")));
    QVERIFY(!dialog.isRunning());
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

// Requests on was2 that take 8 s keep its sessions open through the wait; Cancel then stops waiting: no
// rollback, the node stays drained (file and runtime), and the report says it was cancelled.
void TestDrainDialog::cancelDuringTheWaitLeavesTheNodeDrained()
{
    const Gateway &gateway = m_cluster.gateways.first();
    QVERIFY(!runLab({QStringLiteral("fault"), QStringLiteral("was2"), QStringLiteral("latency"),
                     QStringLiteral("8000")})
                 .isNull()); // cleanup() clears it
    LocalHost host;
    HaproxyRuntime runtime(host, gateway.adminSocket, 5s);
    QTRY_VERIFY_WITH_TIMEOUT(runtime.server(gateway.backend, QStringLiteral("was2"))->currentSessions > 0,
                             20000);

    DrainDialog dialog(m_cluster, QStringLiteral("was2"), ConfigAction::Drain, nullptr, nullptr, localHost);
    waitForPlan(dialog);
    auto *cancel = dialog.findChild<QPushButton *>(QStringLiteral("cancel"));
    QVERIFY(!cancel->isEnabled()); // nothing runs yet
    QTest::mouseClick(dialog.findChild<QPushButton *>(QStringLiteral("start")), Qt::LeftButton);
    QVERIFY(dialog.isRunning());
    auto *steps = dialog.findChild<QTreeWidget *>(QStringLiteral("steps"));
    const auto waitRow = [&] { return steps->topLevelItem(3); };
    QCOMPARE(waitRow()->text(0), QStringLiteral("wait"));
    // In the wait with sessions left on was2.
    QTRY_VERIFY_WITH_TIMEOUT(
        waitRow()->text(1) == QStringLiteral("running") &&
            !dialog.findChild<QLabel *>(QStringLiteral("sessions"))->text().endsWith(QStringLiteral(": 0")) &&
            !dialog.findChild<QLabel *>(QStringLiteral("sessions"))->text().isEmpty(),
        20000);
    QVERIFY(cancel->isEnabled());
    QTest::mouseClick(cancel, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(dialog.isFinished(), 20000);
    const DrainReport &report = dialog.report();
    QVERIFY(!report.ok);
    QVERIFY(report.cancelled);
    QVERIFY(!report.rolledBack);
    QVERIFY(std::none_of(report.steps.begin(), report.steps.end(),
                         [](const DrainStepOutcome &o) { return o.step == DrainStep::Rollback; }));
    QCOMPARE(report.steps.last().step, DrainStep::Wait);
    QCOMPARE(report.steps.last().state, StepState::Cancelled);
    QCOMPARE(waitRow()->text(1), QStringLiteral("cancelled"));
    QVERIFY2(report.summary().contains(QStringLiteral("was2 stays out of rotation")),
             qPrintable(report.summary()));
    QVERIFY(dialog.findChild<QPushButton *>(QStringLiteral("close"))->isEnabled());
    QVERIFY(dialog.grab().save(QStringLiteral("/tmp/drain-dialog-cancelled.png")));
    // Still drained: `disabled` in the file and out of rotation in the running HAProxy.
    const QByteArray drained = readAll(gateway.configPath);
    QVERIFY(drained != m_original && drained.contains(" disabled"));
    QVERIFY(!runtime.server(gateway.backend, QStringLiteral("was2"))->inRotation());
}

void TestDrainDialog::cleanup()
{
    runLab({QStringLiteral("fault"), QStringLiteral("was2"), QStringLiteral("up")});
    restoreLab();
}

void TestDrainDialog::cleanupTestCase()
{
    if (m_load.state() != QProcess::NotRunning) {
        ::kill(-pid_t(m_load.processId()), SIGTERM);
        m_load.waitForFinished(10000);
    }
    restoreLab();
}

void TestDrainDialog::restoreLab()
{
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
