// DrainJob against the lab's real HAProxy and Caddy under load: the drained node gets no new requests, the
// config on disk is what the job said, readmit restores the exact bytes, and every failure rolls back.
#include "drain_json.h"
#include "drain_lab_support.h"
#include "gateway/caddy_admin.h"
#include "gateway/drain_job.h"
#include "history/history_store.h"

#include <QJsonArray>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThreadPool>
#include <tuple>

using namespace clusterdeck;
using namespace std::chrono_literals;
using drain_lab::nodeRequests;
using drain_lab::readAll;

namespace {

qint64 haproxyTotal(const Gateway &gateway, const QString &server)
{
    LocalHost host;
    HaproxyRuntime runtime(host, gateway.adminSocket, 5s);
    const Result<HaproxyServerState> state = runtime.server(gateway.backend, server);
    return state ? state->totalSessions : -1;
}

// Lines that differ between two configs of the same line count.
QList<QPair<QByteArray, QByteArray>> changedLines(const QByteArray &a, const QByteArray &b)
{
    const QList<QByteArray> la = a.split('\n'), lb = b.split('\n');
    QList<QPair<QByteArray, QByteArray>> changed;
    if (la.size() != lb.size())
        return {{a, b}};
    for (qsizetype i = 0; i < la.size(); ++i)
        if (la[i] != lb[i])
            changed.append({la[i], lb[i]});
    return changed;
}

// clusterdeckctl as a deploy script runs it: exit code, stdout, stderr.
std::tuple<int, QByteArray, QByteArray> ctl(const QStringList &args)
{
    QProcess process;
    process.start(QStringLiteral(CLUSTERDECKCTL_PATH), args);
    process.waitForFinished(120000);
    return std::make_tuple(process.exitCode(), process.readAllStandardOutput(),
                           process.readAllStandardError());
}

// The names of a --json object's steps, in order.
QStringList stepNames(const QJsonObject &json)
{
    QStringList names;
    for (const QJsonValue &step : json.value(QStringLiteral("steps")).toArray())
        names << step.toObject().value(QStringLiteral("name")).toString();
    return names;
}

} // namespace

class TestDrainLab : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanup();
    void cleanupTestCase();
    void haproxyDrainUnderLoadAndReadmit();
    void caddyDrainAndReadmit();
    void ctlOverSsh();
    void drainOutlastingItsWaitStaysDrained();
    void ctlWaitTimedOutKeepsTheDrain();
    void failuresRollBack_data();
    void failuresRollBack();

private:
    Cluster cluster(const QString &kind);
    DrainReport runJob(const Cluster &cluster, ConfigAction change, ConfigEditor editor = editGatewayConfig,
                       std::chrono::milliseconds waitTimeout = std::chrono::seconds(20));
    void restoreLab();
    void startLoad(const QString &gateway);

    QString m_labDir;
    bool m_progressOk = false; // the last runJob's progress signals matched its report
    QByteArray m_haproxyCfg, m_caddyfile;
    QProcess m_load;
};

Cluster TestDrainLab::cluster(const QString &kind)
{
    return drain_lab::labCluster(m_labDir, kind);
}

// Runs the job the way the console does: on a thread pool, its progress and report queued to this thread.
DrainReport TestDrainLab::runJob(const Cluster &cluster, ConfigAction change, ConfigEditor editor,
                                 std::chrono::milliseconds waitTimeout)
{
    DrainOptions options;
    options.change = change;
    options.node = QStringLiteral("was2");
    options.waitTimeout = waitTimeout;
    options.actor = QStringLiteral("tst_drain_lab");
    DrainJob job(cluster, options, std::make_unique<LocalHost>(), std::move(editor));
    QList<DrainProgress> progress;
    bool allInThisThread = true;
    connect(&job, &DrainJob::progress, this, [&](const DrainProgress &p) {
        allInThisThread = allInThisThread && QThread::currentThread() == thread();
        progress.append(p);
    });
    QSignalSpy finished(&job, &DrainJob::finished);
    QThreadPool pool;
    job.start(pool);
    if (!finished.wait(120000)) {
        pool.waitForDone();
        qWarning("the job did not finish within 120 s");
        return {};
    }
    const DrainReport report = finished.first().first().value<DrainReport>();
    // Every step's outcome was reported as progress, after the step announced itself, in this thread.
    QCoreApplication::processEvents();
    m_progressOk = allInThisThread && !progress.isEmpty() && progress.first().step == DrainStep::PreCheck &&
                   progress.first().state == StepState::Running;
    for (const DrainStepOutcome &outcome : report.steps)
        m_progressOk =
            m_progressOk && std::any_of(progress.begin(), progress.end(), [&](const DrainProgress &p) {
                return p.step == outcome.step && p.state == outcome.state && p.message == outcome.message;
            });
    return report;
}

void TestDrainLab::initTestCase()
{
    m_labDir =
        runLab({QStringLiteral("cluster"), QStringLiteral("haproxy")}).section(QLatin1Char('/'), 0, -2);
    QVERIFY2(!m_labDir.isEmpty(), "the lab is not running");
    m_haproxyCfg = readAll(m_labDir + QStringLiteral("/gw/haproxy.cfg"));
    m_caddyfile = readAll(m_labDir + QStringLiteral("/gw/Caddyfile"));
    QVERIFY(m_haproxyCfg.contains("server was2 "));
    QVERIFY(!m_haproxyCfg.contains("disabled"));
}

void TestDrainLab::restoreLab()
{
    runLab({QStringLiteral("fault"), QStringLiteral("was2"), QStringLiteral("up")});
    QVERIFY(drain_lab::restoreGateways(m_labDir, m_haproxyCfg, m_caddyfile));
}

void TestDrainLab::startLoad(const QString &gateway)
{
    drain_lab::startLoad(m_load, gateway,
                         {QStringLiteral("--concurrency"), QStringLiteral("20"), QStringLiteral("--duration"),
                          QStringLiteral("60")});
}

void TestDrainLab::cleanup()
{
    drain_lab::stopLoad(m_load);
    restoreLab();
}

void TestDrainLab::cleanupTestCase()
{
    restoreLab();
    // A server readmitted after a reload keeps HAProxy's config flag (harmless, it serves) until the next
    // reload: one reload leaves the lab's runtime state as it was found.
    const Cluster haproxy = cluster(QStringLiteral("haproxy"));
    const Gateway &gateway = haproxy.gateways.first();
    LocalHost host;
    const Result<QList<HaproxyServerState>> servers =
        HaproxyRuntime(host, gateway.adminSocket, 5s).servers(gateway.backend);
    QVERIFY(servers.ok());
    if (std::any_of(servers->begin(), servers->end(),
                    [](const HaproxyServerState &s) { return s.adminState != 0; }))
        QCOMPARE(host.run(gateway.reloadCommand, 30s)->exitStatus, 0);
}

void TestDrainLab::haproxyDrainUnderLoadAndReadmit()
{
    const Cluster lab = cluster(QStringLiteral("haproxy"));
    const Gateway &gateway = lab.gateways.first();
    const Node &was2 = *lab.findNode(QStringLiteral("was2"));
    startLoad(QStringLiteral("haproxy"));
    QVERIFY(m_load.waitForStarted());
    const double before = nodeRequests(was2);
    QTRY_VERIFY_WITH_TIMEOUT(nodeRequests(was2) > before + 20, 20000); // traffic reaches was2

    const DrainReport drained = runJob(lab, ConfigAction::Drain);
    QVERIFY2(drained.ok, qPrintable(drained.summary()));
    QVERIFY(m_progressOk);
    QCOMPARE(drained.steps.size(), 4);
    // The file: `disabled` on was2's line and nothing else changed.
    const QByteArray onDisk = readAll(gateway.configPath);
    const auto changed = changedLines(m_haproxyCfg, onDisk);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.first().second, changed.first().first + " disabled");
    QVERIFY(changed.first().first.contains("server was2 "));
    QCOMPARE(readAll(drained.backupPath), m_haproxyCfg);
    // The recorded diff is the editor's: the server line gains ` disabled`.
    const Result<ConfigEdit> expected =
        editGatewayConfig(GatewayKind::HAProxy, ConfigAction::Drain, m_haproxyCfg, gateway.configPath,
                          {gateway.backend, QStringLiteral("was2")});
    QVERIFY(expected.ok());
    QCOMPARE(expected->bytes, onDisk);
    QCOMPARE(drained.diff, expected->diff);
    QVERIFY2(drained.diff.contains(QStringLiteral("+") + QString::fromUtf8(changed.first().second)),
             qPrintable(drained.diff));

    // No new requests on was2 while the others keep serving (its own counter and HAProxy's agree). The node
    // counts a request when it completes: let the others serve a while before taking the reference.
    const Node &was1 = *lab.findNode(QStringLiteral("was1"));
    const double settle = nodeRequests(was1);
    QTRY_VERIFY_WITH_TIMEOUT(nodeRequests(was1) > settle + 100, 20000);
    const double frozen = nodeRequests(was2);
    const qint64 frozenStot = haproxyTotal(gateway, QStringLiteral("was2"));
    const qint64 was1Start = haproxyTotal(gateway, QStringLiteral("was1"));
    QTRY_VERIFY_WITH_TIMEOUT(haproxyTotal(gateway, QStringLiteral("was1")) > was1Start + 200, 20000);
    QCOMPARE(nodeRequests(was2), frozen);
    QCOMPARE(haproxyTotal(gateway, QStringLiteral("was2")), frozenStot);

    // Still drained after a reload of the gateway.
    LocalHost host;
    const Result<CommandResult> reload = host.run(gateway.reloadCommand, 30s);
    QVERIFY(reload.ok());
    QCOMPARE(reload->exitStatus, 0);
    HaproxyRuntime runtime(host, gateway.adminSocket, 5s);
    QVERIFY(!runtime.server(gateway.backend, QStringLiteral("was2"))->inRotation());
    const qint64 was1AfterReload = haproxyTotal(gateway, QStringLiteral("was1"));
    const double frozenAfterReload = nodeRequests(was2);
    QTRY_VERIFY_WITH_TIMEOUT(haproxyTotal(gateway, QStringLiteral("was1")) > was1AfterReload + 200, 20000);
    QCOMPARE(nodeRequests(was2), frozenAfterReload);

    // Readmit: the exact original bytes, and traffic returns.
    const DrainReport readmitted = runJob(lab, ConfigAction::Readmit);
    QVERIFY2(readmitted.ok, qPrintable(readmitted.summary()));
    QCOMPARE(readAll(gateway.configPath), m_haproxyCfg);
    const double back = nodeRequests(was2);
    QTRY_VERIFY_WITH_TIMEOUT(nodeRequests(was2) > back + 20, 20000);
    QVERIFY(runtime.server(gateway.backend, QStringLiteral("was2"))->inRotation());
}

void TestDrainLab::caddyDrainAndReadmit()
{
    const Cluster lab = cluster(QStringLiteral("caddy"));
    const Gateway &gateway = lab.gateways.first();
    const Node &was2 = *lab.findNode(QStringLiteral("was2"));
    startLoad(QStringLiteral("caddy"));
    QVERIFY(m_load.waitForStarted());
    const double before = nodeRequests(was2);
    QTRY_VERIFY_WITH_TIMEOUT(nodeRequests(was2) > before + 20, 20000);

    const DrainReport drained = runJob(lab, ConfigAction::Drain);
    QVERIFY2(drained.ok, qPrintable(drained.summary()));
    QCOMPARE(drained.steps.at(1).state, StepState::Skipped); // no runtime verb: the persist step's one load
    const auto changed = changedLines(m_caddyfile, readAll(gateway.configPath));
    QCOMPARE(changed.size(), 1);
    // The `to` line becomes the editor's marker comment, and the recorded diff is the editor's.
    const QByteArray to = "to " + was2.upstream.toUtf8();
    QCOMPARE(changed.first().first.trimmed(), to);
    QCOMPARE(changed.first().second.trimmed(),
             "# clusterdeck:drained " + was2.upstream.toUtf8() + " line=\"" + to + '"');
    const Result<ConfigEdit> expected = editGatewayConfig(
        GatewayKind::Caddy, ConfigAction::Drain, m_caddyfile, gateway.configPath, {{}, was2.upstream});
    QVERIFY(expected.ok());
    QCOMPARE(drained.diff, expected->diff);
    QVERIFY2(drained.diff.contains(QStringLiteral("# clusterdeck:drained ")), qPrintable(drained.diff));

    const Node &was1 = *lab.findNode(QStringLiteral("was1"));
    const double settle = nodeRequests(was1);
    QTRY_VERIFY_WITH_TIMEOUT(nodeRequests(was1) > settle + 100, 20000);
    const double frozen = nodeRequests(was2);
    const double was1Start = nodeRequests(was1);
    QTRY_VERIFY_WITH_TIMEOUT(nodeRequests(was1) > was1Start + 200, 20000);
    QCOMPARE(nodeRequests(was2), frozen);

    const DrainReport readmitted = runJob(lab, ConfigAction::Readmit);
    QVERIFY2(readmitted.ok, qPrintable(readmitted.summary()));
    QCOMPARE(readAll(gateway.configPath), m_caddyfile);
    const double back = nodeRequests(was2);
    QTRY_VERIFY_WITH_TIMEOUT(nodeRequests(was2) > back + 20, 20000);
}

// clusterdeckctl as a deploy script runs it: over the inventory's ssh target, exit codes, steps printed, the
// event in a history file.
void TestDrainLab::ctlOverSsh()
{
    const QString inventory = m_labDir + QStringLiteral("/cluster-haproxy.yaml");
    QTemporaryDir dir;
    const QString db = dir.filePath(QStringLiteral("history.sqlite"));
    const auto [drainExit, drainOut, drainErr] =
        ctl({QStringLiteral("drain"), QStringLiteral("--cluster"), inventory, QStringLiteral("--node"),
             QStringLiteral("was2"), QStringLiteral("--db"), db});
    QVERIFY2(drainExit == 0, drainErr.constData());
    for (const char *line : {"pre-check  done", "runtime    done", "persist    done", "wait       done"})
        QVERIFY2(drainOut.contains(line), drainOut.constData());
    QVERIFY2(drainOut.startsWith("drain was2 on haproxy via root@127.0.10.1:2222"), drainOut.constData());
    QCOMPARE(changedLines(m_haproxyCfg, readAll(m_labDir + QStringLiteral("/gw/haproxy.cfg"))).size(), 1);

    const auto [readmitExit, readmitOut, readmitErr] =
        ctl({QStringLiteral("readmit"), QStringLiteral("--cluster"), inventory, QStringLiteral("--node"),
             QStringLiteral("was2"), QStringLiteral("--timeout"), QStringLiteral("5"), QStringLiteral("--db"),
             db});
    QVERIFY2(readmitExit == 0, readmitErr.constData());
    QCOMPARE(readAll(m_labDir + QStringLiteral("/gw/haproxy.cfg")), m_haproxyCfg);

    // --json: one object on stdout (the steps go to stderr), its exit_code the process's; the record step
    // writes the event.
    for (const QString &action : {QStringLiteral("drain"), QStringLiteral("readmit")}) {
        const auto [jsonExit, jsonOut, jsonErr] =
            ctl({action, QStringLiteral("--cluster"), inventory, QStringLiteral("--node"),
                 QStringLiteral("was2"), QStringLiteral("--timeout"), QStringLiteral("5"),
                 QStringLiteral("--json"), QStringLiteral("--db"), db});
        QVERIFY2(jsonExit == 0, jsonErr.constData());
        QJsonObject json;
        const QString wrong = clusterdeck::test::checkDrainJson(jsonOut, jsonExit, &json);
        QVERIFY2(wrong.isEmpty(), qPrintable(wrong + QLatin1Char('\n') + QString::fromUtf8(jsonOut)));
        QCOMPARE(json.value(QStringLiteral("result")).toString(), QStringLiteral("done"));
        QCOMPARE(json.value(QStringLiteral("action")).toString(), action);
        QCOMPARE(json.value(QStringLiteral("node")).toString(), QStringLiteral("was2"));
        QCOMPARE(json.value(QStringLiteral("gateway")).toString(), QStringLiteral("haproxy"));
        QCOMPARE(stepNames(json),
                 QStringList({QStringLiteral("precheck"), QStringLiteral("runtime"),
                              QStringLiteral("persist"), QStringLiteral("wait"), QStringLiteral("record")}));
        for (const QJsonValue &step : json.value(QStringLiteral("steps")).toArray())
            QVERIFY2(step.toObject().value(QStringLiteral("ok")).toBool(),
                     qPrintable(step.toObject().value(QStringLiteral("detail")).toString()));
        QVERIFY(json.value(QStringLiteral("steps"))
                    .toArray()
                    .last()
                    .toObject()
                    .value(QStringLiteral("detail"))
                    .toString()
                    .contains(db));
        QVERIFY2(jsonErr.contains("persist    done"), jsonErr.constData());
        if (action == QLatin1String("drain"))
            QVERIFY(json.value(QStringLiteral("diff")).toString().contains(QLatin1String("disabled")));
    }
    QCOMPARE(readAll(m_labDir + QStringLiteral("/gw/haproxy.cfg")), m_haproxyCfg);

    // Below min_healthy: refused with the step named, exit 3 (a pre-check refused), nothing changed.
    QByteArray strict = readAll(inventory);
    strict.replace("min_healthy: 1", "min_healthy: 3");
    const QString strictPath = dir.filePath(QStringLiteral("strict.yaml"));
    QVERIFY(LocalHost().writeFileAtomic(strictPath, strict, 5s).ok());
    const auto [refusedExit, refusedOut, refusedErr] =
        ctl({QStringLiteral("drain"), QStringLiteral("--cluster"), strictPath, QStringLiteral("--node"),
             QStringLiteral("was2"), QStringLiteral("--db"), db, QStringLiteral("--json")});
    QCOMPARE(refusedExit, 3);
    QJsonObject refusedJson;
    const QString refusedWrong = clusterdeck::test::checkDrainJson(refusedOut, refusedExit, &refusedJson);
    QVERIFY2(refusedWrong.isEmpty(), qPrintable(refusedWrong));
    QCOMPARE(refusedJson.value(QStringLiteral("result")).toString(), QStringLiteral("refused"));
    QCOMPARE(stepNames(refusedJson), QStringList({QStringLiteral("precheck"), QStringLiteral("record")}));
    QVERIFY2(refusedErr.contains("step pre-check") && refusedErr.contains("min_healthy"),
             refusedErr.constData());
    QCOMPARE(readAll(m_labDir + QStringLiteral("/gw/haproxy.cfg")), m_haproxyCfg);

    // The edited config does not validate on the host: the runtime drain is undone, exit 4, and --json has
    // the rollback step between persist and record.
    QByteArray invalid = readAll(inventory);
    QVERIFY(invalid.contains("validate: haproxy -c -f {config}"));
    invalid.replace("validate: haproxy -c -f {config}", "validate: false {config}");
    const QString invalidPath = dir.filePath(QStringLiteral("invalid.yaml"));
    QVERIFY(LocalHost().writeFileAtomic(invalidPath, invalid, 5s).ok());
    const auto [rolledExit, rolledOut, rolledErr] =
        ctl({QStringLiteral("drain"), QStringLiteral("--cluster"), invalidPath, QStringLiteral("--node"),
             QStringLiteral("was2"), QStringLiteral("--db"), db, QStringLiteral("--json")});
    QCOMPARE(rolledExit, 4);
    QJsonObject rolledJson;
    const QString rolledWrong = clusterdeck::test::checkDrainJson(rolledOut, rolledExit, &rolledJson);
    QVERIFY2(rolledWrong.isEmpty(), qPrintable(rolledWrong));
    QCOMPARE(rolledJson.value(QStringLiteral("result")).toString(), QStringLiteral("rolled_back"));
    QCOMPARE(stepNames(rolledJson),
             QStringList({QStringLiteral("precheck"), QStringLiteral("runtime"), QStringLiteral("persist"),
                          QStringLiteral("rollback"), QStringLiteral("record")}));
    const QJsonArray rolledSteps = rolledJson.value(QStringLiteral("steps")).toArray();
    QVERIFY(!rolledSteps.at(2).toObject().value(QStringLiteral("ok")).toBool());
    QVERIFY(rolledSteps.at(3).toObject().value(QStringLiteral("ok")).toBool());
    QCOMPARE(readAll(m_labDir + QStringLiteral("/gw/haproxy.cfg")), m_haproxyCfg);

    // The gateway host's key swapped (known_hosts holds another key for it): refused before anything is read,
    // exit 5, the file named, nothing changed.
    QProcess keygen;
    keygen.start(QStringLiteral("ssh-keygen"),
                 {QStringLiteral("-q"), QStringLiteral("-t"), QStringLiteral("ed25519"), QStringLiteral("-N"),
                  QString(), QStringLiteral("-f"), dir.filePath(QStringLiteral("other_key"))});
    QVERIFY(keygen.waitForFinished(30000) && keygen.exitCode() == 0);
    const QList<QByteArray> otherKey = readAll(dir.filePath(QStringLiteral("other_key.pub"))).split(' ');
    const QString swappedKnownHosts = dir.filePath(QStringLiteral("swapped_known_hosts"));
    QVERIFY(LocalHost()
                .writeFileAtomic(swappedKnownHosts,
                                 "[127.0.10.1]:2222 " + otherKey[0] + ' ' + otherKey[1] + '\n', 5s)
                .ok());
    QByteArray swapped = readAll(inventory);
    const QByteArray labKnownHosts = (m_labDir + QStringLiteral("/ssh/known_hosts")).toUtf8();
    QVERIFY(swapped.contains(labKnownHosts));
    swapped.replace(labKnownHosts, swappedKnownHosts.toUtf8());
    const QString swappedPath = dir.filePath(QStringLiteral("swapped.yaml"));
    QVERIFY(LocalHost().writeFileAtomic(swappedPath, swapped, 5s).ok());
    const auto [keyExit, keyOut, keyErr] =
        ctl({QStringLiteral("drain"), QStringLiteral("--cluster"), swappedPath, QStringLiteral("--node"),
             QStringLiteral("was2"), QStringLiteral("--json")});
    QCOMPARE(keyExit, 5);
    QJsonObject keyJson;
    const QString keyWrong = clusterdeck::test::checkDrainJson(keyOut, keyExit, &keyJson);
    QVERIFY2(keyWrong.isEmpty(), qPrintable(keyWrong));
    QCOMPARE(keyJson.value(QStringLiteral("result")).toString(), QStringLiteral("connection_failed"));
    QCOMPARE(keyJson.value(QStringLiteral("gateway")).toString(), QStringLiteral("haproxy"));
    QVERIFY(stepNames(keyJson).isEmpty());
    QVERIFY2(keyErr.contains(swappedKnownHosts.toUtf8() + ":1"), keyErr.constData());
    QCOMPARE(readAll(m_labDir + QStringLiteral("/gw/haproxy.cfg")), m_haproxyCfg);

    // Three events: who, the diff and every step's outcome.
    const Result<std::unique_ptr<HistoryStore>> store =
        HistoryStore::open(db, HistoryStore::Access::ReadOnly);
    QVERIFY(store.ok());
    const Result<QList<HistoryEvent>> events = (*store)->events({});
    QVERIFY(events.ok());
    QCOMPARE(events->size(), 6);
    QCOMPARE(events->at(0).kind, QStringLiteral("drain"));
    QCOMPARE(events->at(0).target, QStringLiteral("was2"));
    QVERIFY(
        events->at(0).details.value(QStringLiteral("diff")).toString().contains(QLatin1String("disabled")));
    QCOMPARE(events->at(0).details.value(QStringLiteral("steps")).toArray().size(), 4);
    QCOMPARE(events->at(4).severity, EventSeverity::Warning);
}

// Requests on was2 that take 3 s and a 300 ms wait: the wait runs out with sessions open, and the node stays
// out of rotation (no rollback), the report naming the open sessions; the CLI calls this exit 6.
void TestDrainLab::drainOutlastingItsWaitStaysDrained()
{
    const Cluster lab = cluster(QStringLiteral("haproxy"));
    const Gateway &gateway = lab.gateways.first();
    QVERIFY(!runLab({QStringLiteral("fault"), QStringLiteral("was2"), QStringLiteral("latency"),
                     QStringLiteral("3000")})
                 .isNull()); // restoreLab() clears it
    startLoad(QStringLiteral("haproxy"));
    QVERIFY(m_load.waitForStarted());
    LocalHost host;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            const Result<QList<HaproxyServerState>> servers =
                HaproxyRuntime(host, gateway.adminSocket, 5s).servers(gateway.backend);
            return servers && std::any_of(servers->begin(), servers->end(), [](const HaproxyServerState &s) {
                       return s.server == QLatin1String("was2") && s.currentSessions > 0;
                   });
        }(),
        20000);

    const DrainReport report = runJob(lab, ConfigAction::Drain, editGatewayConfig, 300ms);
    QVERIFY(!report.ok);
    QVERIFY(!report.rolledBack);
    QCOMPARE(report.steps.last().step, DrainStep::Wait);
    QCOMPARE(report.steps.last().state, StepState::Failed);
    QVERIFY2(report.error && report.error->message.contains(QLatin1String("still on was2")),
             qPrintable(report.summary()));
    // Still drained: `disabled` in the file, and out of rotation in the running HAProxy.
    const auto changed = changedLines(m_haproxyCfg, readAll(gateway.configPath));
    QCOMPARE(changed.size(), 1);
    QVERIFY(changed.first().second.endsWith(" disabled"));
    const Result<QList<HaproxyServerState>> servers =
        HaproxyRuntime(host, gateway.adminSocket, 5s).servers(gateway.backend);
    QVERIFY(servers.ok());
    for (const HaproxyServerState &server : *servers)
        if (server.server == QLatin1String("was2"))
            QVERIFY2(!server.inRotation(), qPrintable(server.status));
}

// The same from the CLI: exit 6, stdout's --json says timed_out with the wait step failed, stderr names the
// open sessions, and the node stays out of rotation.
void TestDrainLab::ctlWaitTimedOutKeepsTheDrain()
{
    const Cluster lab = cluster(QStringLiteral("haproxy"));
    const Gateway &gateway = lab.gateways.first();
    QVERIFY(!runLab({QStringLiteral("fault"), QStringLiteral("was2"), QStringLiteral("latency"),
                     QStringLiteral("3000")})
                 .isNull()); // restoreLab() clears it
    startLoad(QStringLiteral("haproxy"));
    QVERIFY(m_load.waitForStarted());
    LocalHost host;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            const Result<HaproxyServerState> was2 =
                HaproxyRuntime(host, gateway.adminSocket, 5s).server(gateway.backend, QStringLiteral("was2"));
            return was2 && was2->currentSessions > 0;
        }(),
        20000);
    const auto [exit, out, err] = ctl(
        {QStringLiteral("drain"), QStringLiteral("--cluster"),
         m_labDir + QStringLiteral("/cluster-haproxy.yaml"), QStringLiteral("--node"), QStringLiteral("was2"),
         QStringLiteral("--timeout"), QStringLiteral("0.3"), QStringLiteral("--json")});
    QCOMPARE(exit, 6);
    QVERIFY2(QRegularExpression(QStringLiteral("[1-9][0-9]* session\\(s\\) still on was2"))
                 .match(QString::fromUtf8(err))
                 .hasMatch(),
             err.constData());
    QJsonObject json;
    const QString wrong = clusterdeck::test::checkDrainJson(out, exit, &json);
    QVERIFY2(wrong.isEmpty(), qPrintable(wrong + QLatin1Char('\n') + QString::fromUtf8(out)));
    QCOMPARE(json.value(QStringLiteral("result")).toString(), QStringLiteral("timed_out"));
    QCOMPARE(stepNames(json),
             QStringList({QStringLiteral("precheck"), QStringLiteral("runtime"), QStringLiteral("persist"),
                          QStringLiteral("wait"), QStringLiteral("record")}));
    const QJsonObject wait = json.value(QStringLiteral("steps")).toArray().at(3).toObject();
    QVERIFY(!wait.value(QStringLiteral("ok")).toBool());
    QVERIFY2(wait.value(QStringLiteral("detail")).toString().contains(QLatin1String("still on was2")),
             qPrintable(wait.value(QStringLiteral("detail")).toString()));
    // The change is kept: `disabled` in the file, out of rotation in the running HAProxy.
    const auto changed = changedLines(m_haproxyCfg, readAll(gateway.configPath));
    QCOMPARE(changed.size(), 1);
    QVERIFY(changed.first().second.endsWith(" disabled"));
    const Result<HaproxyServerState> was2 =
        HaproxyRuntime(host, gateway.adminSocket, 5s).server(gateway.backend, QStringLiteral("was2"));
    QVERIFY(was2.ok());
    QVERIFY2(!was2->inRotation(), qPrintable(was2->status));
}

void TestDrainLab::failuresRollBack_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("fault");
    QTest::addColumn<QString>("failedStep");
    QTest::addColumn<QString>("message");
    QTest::newRow("haproxy validate fails") << "haproxy"
                                            << "validate"
                                            << "persist"
                                            << "does not validate";
    QTest::newRow("caddy validate fails") << "caddy"
                                          << "validate"
                                          << "persist"
                                          << "does not validate";
    QTest::newRow("caddy reload fails") << "caddy"
                                        << "reload"
                                        << "persist"
                                        << "reload command";
    QTest::newRow("haproxy changed after read") << "haproxy"
                                                << "race"
                                                << "persist"
                                                << "changed since it was read";
    QTest::newRow("haproxy min_healthy") << "haproxy"
                                         << "min_healthy"
                                         << "pre-check"
                                         << "below min_healthy";
    QTest::newRow("caddy min_healthy") << "caddy"
                                       << "min_healthy"
                                       << "pre-check"
                                       << "below min_healthy";
    QTest::newRow("haproxy socket unreachable") << "haproxy"
                                                << "socket"
                                                << "pre-check"
                                                << "/nonexistent/admin.sock";
}

void TestDrainLab::failuresRollBack()
{
    QFETCH(QString, kind);
    QFETCH(QString, fault);
    QFETCH(QString, failedStep);
    QFETCH(QString, message);
    Cluster lab = cluster(kind);
    Gateway &gateway = lab.gateways.first();
    const QByteArray original = kind == QLatin1String("haproxy") ? m_haproxyCfg : m_caddyfile;
    ConfigEditor editor = editGatewayConfig;
    QByteArray raced;
    if (fault == QLatin1String("validate"))
        gateway.validateCommand = QStringLiteral("false {config}");
    else if (fault == QLatin1String("reload"))
        gateway.reloadCommand = QStringLiteral("echo no such caddy >&2; exit 7");
    else if (fault == QLatin1String("min_healthy"))
        lab.thresholds.minHealthyUpstreams = 3;
    else if (fault == QLatin1String("socket"))
        gateway.adminSocket = QStringLiteral("/nonexistent/admin.sock");
    else if (fault == QLatin1String("race")) {
        // Another operator saves the file between our read and our write.
        raced = original + "# edited by someone else\n";
        const QString path = gateway.configPath;
        editor = [path, raced](GatewayKind gatewayKind, ConfigAction action, const QByteArray &config,
                               const QString &fileName, const ServerSelector &selector) {
            LocalHost().writeFileAtomic(path, raced, 5s);
            return editGatewayConfig(gatewayKind, action, config, fileName, selector);
        };
    }
    const DrainReport report = runJob(lab, ConfigAction::Drain, editor);
    QVERIFY(!report.ok);
    QVERIFY(report.error.has_value());
    QVERIFY(m_progressOk);
    QVERIFY2(report.error->where.contains(QStringLiteral("step ") + failedStep),
             qPrintable(report.error->toString()));
    QVERIFY2(report.error->toString().contains(message), qPrintable(report.error->toString()));
    QVERIFY2(report.rolledBack, qPrintable(report.summary()));
    // Nothing changed: the file (the other operator's save, in the race) and the running gateway.
    QCOMPARE(readAll(gateway.configPath), raced.isEmpty() ? original : raced);
    LocalHost host;
    if (kind == QLatin1String("haproxy")) {
        HaproxyRuntime runtime(host, cluster(kind).gateways.first().adminSocket, 5s);
        const Result<HaproxyServerState> was2 = runtime.server(gateway.backend, QStringLiteral("was2"));
        QVERIFY2(was2.ok(), qPrintable(was2.ok() ? QString() : was2.error().toString()));
        QVERIFY(was2->inRotation());
    } else {
        CaddyAdmin admin(host, gateway.adminApi, 5s);
        const Result<QJsonValue> running = admin.config();
        QVERIFY2(running.ok(), qPrintable(running.ok() ? QString() : running.error().toString()));
        QVERIFY(caddyConfigDials(*running, QStringLiteral("127.0.20.2:8080")));
    }
}

QTEST_GUILESS_MAIN(TestDrainLab)
#include "tst_drain_lab.moc"
