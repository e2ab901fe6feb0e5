#pragma once

#include "cluster/cluster.h"
#include "common/result.h"
#include "gateway/config_edit.h"
#include "remote/remote_host.h"

#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QObject>
#include <QString>
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>

class QThreadPool;

namespace clusterdeck {

// The steps of ARCHITECTURE.md §5, in order; Rollback runs only after a failure.
enum class DrainStep { PreCheck, Runtime, Persist, Wait, Rollback };
// Cancelled: the operator stopped the job (DrainJob::cancel) before or during this step.
enum class StepState { Running, Done, Skipped, Failed, Cancelled };

QString drainStepName(DrainStep step);
QString stepStateName(StepState state);

// One progress report: queued to the thread that started the job.
struct DrainProgress {
    DrainStep step = DrainStep::PreCheck;
    StepState state = StepState::Running;
    QString message;
    qint64 sessionsRemaining = -1; // Wait: sessions + queue (HAProxy) or requests in flight (Caddy); -1 = n/a
    qint64 atMs = 0;               // epoch ms
};

struct DrainStepOutcome {
    DrainStep step = DrainStep::PreCheck;
    StepState state = StepState::Done;
    QString message;
    qint64 startedMs = 0;
    qint64 finishedMs = 0;
};

// Everything a finished job did: what the event in the history records and what the CLI prints.
struct DrainReport {
    ConfigAction change = ConfigAction::Drain;
    QString cluster, gateway, node, host, actor;
    qint64 startedMs = 0, finishedMs = 0;
    bool ok = false;
    std::optional<Error> error; // the failure ("where" names host and step)
    bool rolledBack = false;    // everything done before the failure was undone
    bool cancelled = false;     // DrainJob::cancel() stopped it (the error says where)
    QString diff, backupPath;
    QStringList warnings;
    QList<DrainStepOutcome> steps;

    // {node, gateway, action, total_ms, steps: [{name, ok, ms, detail, state, started_ms, finished_ms}], ok,
    // rolled_back, diff, backup, warnings, host, actor, error}; the step names are "precheck", "runtime",
    // "persist", "wait", "rollback". clusterdeckctl adds result, exit_code and its "record" step.
    QJsonObject toJson() const;
    // One step in that shape (the CLI's "record" step too).
    static QJsonObject stepJson(const QString &name, bool ok, qint64 ms, const QString &detail);
    QString summary() const; // one line for people and the event's message
};

// The edit the persist step writes: editGatewayConfig, unless a test wraps it (another writer racing the
// job).
using ConfigEditor = std::function<Result<ConfigEdit>(GatewayKind, ConfigAction, const QByteArray &config,
                                                      const QString &fileName, const ServerSelector &)>;

// What the pre-check found, read-only (DrainJob::plan()): the edit, the verdicts and the file's hash, before
// anything changes. The job's run repeats the pre-check; with `expectedSha256` set to this plan's hash it
// refuses a file that changed since.
struct DrainPlan {
    bool ok = false;              // the job may start
    std::optional<Error> error;   // why not ("where" names host and step)
    bool belowMinHealthy = false; // refused by min_healthy alone: Force overrides it
    int healthyOthers = -1;       // healthy upstreams in rotation besides the node
    int minHealthy = 0;
    QString gateway, node, host, configPath;
    QByteArray sha256; // hex, of the config as read
    QString message;   // the pre-check's summary (the runtime's word on the node)
    QString diff;      // the config change, as the persist step would write it
    QStringList warnings;
};

struct DrainOptions {
    ConfigAction change = ConfigAction::Drain;
    QString gateway; // empty: the cluster's only gateway
    QString node;
    bool force = false; // drain even below min_healthy
    std::chrono::milliseconds waitTimeout{60000};
    std::chrono::milliseconds stepTimeout{15000}; // each remote call
    std::chrono::milliseconds pollInterval{250};
    QString actor;             // who: "alice@laptop"
    QByteArray expectedSha256; // set: the pre-check refuses a config whose hash differs (a plan's)
};

// Drains a WAS node out of a gateway's rotation, or readmits it, following ARCHITECTURE.md §5: pre-check,
// runtime change, persist (validated, backed up, atomic, reloaded only where the gateway has no runtime
// verb), wait, and a rollback of everything done when a step fails. run() blocks (call it off the GUI
// thread, or use start() for the thread pool); progress() and finished() are emitted in the job's thread.
class DrainJob : public QObject {
    Q_OBJECT
public:
    DrainJob(Cluster cluster, DrainOptions options, std::unique_ptr<RemoteHost> host,
             ConfigEditor editor = editGatewayConfig);
    ~DrainJob() override;

    DrainReport run();
    // Runs on `pool`; finished() arrives queued in this object's thread.
    void start(QThreadPool &pool);
    // The pre-check alone, read-only (nothing is written, no runtime command is sent): blocks.
    DrainPlan plan();
    // plan() on `pool`; planned() arrives queued in this object's thread.
    void startPlan(QThreadPool &pool);
    // The options of the next run (force, expectedSha256): set them before start().
    DrainOptions &options() { return m_options; }

    // Thread-safe. Semantics (ARCHITECTURE.md §5): before or during the pre-check, runtime or persist step
    // the job stops at the next step boundary and rolls back what was done; during a drain's wait it stops
    // waiting and the node stays drained (out of rotation, sessions may still be open; the report says so);
    // during a readmit's wait it rolls back (the node goes out again). Checked between steps and in the
    // wait's polling loop.
    void cancel() { m_cancel = true; }
    bool cancelRequested() const { return m_cancel; }

signals:
    void progress(const clusterdeck::DrainProgress &progress);
    void finished(const clusterdeck::DrainReport &report);
    void planned(const clusterdeck::DrainPlan &plan);

private:
    class Runner;
    Cluster m_cluster;
    DrainOptions m_options;
    std::unique_ptr<RemoteHost> m_host;
    ConfigEditor m_editor;
    std::atomic<bool> m_cancel{false};
};

} // namespace clusterdeck

Q_DECLARE_METATYPE(clusterdeck::DrainProgress)
Q_DECLARE_METATYPE(clusterdeck::DrainReport)
Q_DECLARE_METATYPE(clusterdeck::DrainPlan)
