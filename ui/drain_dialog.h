#pragma once

#include "cluster/cluster.h"
#include "gateway/drain_job.h"

#include <QDialog>
#include <QThreadPool>
#include <functional>
#include <memory>

class QCheckBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;
class HistorySession;

namespace clusterdeck {

class SshPrompts;

// Drain… / Readmit… for one WAS node: says which gateway, upstream and file the job touches and what it costs
// (a Caddy change is one config load), plans first — the job's pre-check, read-only, on a thread pool of its
// own: the config diff, the min_healthy verdict and the file's hash, before anything changes — and enables
// Start only after a plan that passed (or with Force when min_healthy alone refuses). Start runs the DrainJob
// (refusing a file that changed since the plan) and shows every step's state and message, the sessions
// remaining and the outcome; Cancel stops it (DrainJob::cancel). The finished report goes into the console's
// history when it records one. Closing is refused while the job runs (the dialog is not modal).
class DrainDialog : public QDialog {
    Q_OBJECT
public:
    // How the job reaches the gateway; the default is SshHost with the console's SSH prompts when the
    // inventory names an ssh target, else LocalHost.
    using HostFactory = std::function<std::unique_ptr<RemoteHost>(const Gateway &)>;

    DrainDialog(const Cluster &cluster, const QString &node, ConfigAction change, HistorySession *history,
                QWidget *parent = nullptr, HostFactory hostFactory = {});
    ~DrainDialog() override;

    bool isPlanning() const { return m_planning; }
    bool isPlanned() const { return m_planned; }
    const DrainPlan &currentPlan() const { return m_plan; }
    bool isRunning() const { return m_running; }
    bool isFinished() const { return m_finished; }
    const DrainReport &report() const { return m_report; }
    void replan(); // what Check again does: the pre-check, read-only
    void start();  // what the Start button does
    void cancel(); // what Cancel does while the job runs

signals:
    void planFinished(const clusterdeck::DrainPlan &plan);
    void jobFinished(const clusterdeck::DrainReport &report);

protected:
    void closeEvent(QCloseEvent *event) override;
    void reject() override;

private:
    QString plan(const QString &host) const;
    void onPlanned(const DrainPlan &plan);
    void updateStartEnabled();
    void onProgress(const DrainProgress &progress);
    void onFinished(const DrainReport &report);
    QTreeWidgetItem *stepItem(DrainStep step);
    void setStepState(QTreeWidgetItem *item, const QString &state, const QString &message);

    Cluster m_cluster;
    QString m_node;
    ConfigAction m_change;
    HistorySession *m_history;
    HostFactory m_hostFactory;
    const Gateway *m_gateway = nullptr;
    std::unique_ptr<SshPrompts> m_prompts;
    QLabel *m_planLabel;
    QLabel *m_precheck;
    QCheckBox *m_force;
    QTreeWidget *m_steps;
    QLabel *m_sessions;
    QPlainTextEdit *m_diff;
    QLabel *m_result;
    QPushButton *m_replan;
    QPushButton *m_start;
    QPushButton *m_cancel;
    QPushButton *m_close;
    bool m_planning = false, m_planned = false, m_running = false, m_finished = false;
    DrainPlan m_plan;
    DrainReport m_report;
    std::unique_ptr<DrainJob> m_job; // plans, then runs; owns the host
    QThreadPool m_pool;              // after m_job: destroyed first, waiting for a running plan or job
};

} // namespace clusterdeck
