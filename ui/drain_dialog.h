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
// (a Caddy change is one config load), offers Force (below min_healthy), runs the DrainJob on a thread pool
// of its own on Start and shows every step's state and message, the sessions remaining and the config diff as
// they come. The finished report goes into the console's history when it records one. Closing is refused
// while the job runs (the window stays usable: the dialog is not modal).
class DrainDialog : public QDialog {
    Q_OBJECT
public:
    // How the job reaches the gateway; the default is SshHost with the console's SSH prompts when the
    // inventory names an ssh target, else LocalHost.
    using HostFactory = std::function<std::unique_ptr<RemoteHost>(const Gateway &)>;

    DrainDialog(const Cluster &cluster, const QString &node, ConfigAction change, HistorySession *history,
                QWidget *parent = nullptr, HostFactory hostFactory = {});
    ~DrainDialog() override;

    bool isRunning() const { return m_job != nullptr && !m_finished; }
    bool isFinished() const { return m_finished; }
    const DrainReport &report() const { return m_report; }
    void start(); // what the Start button does

signals:
    void jobFinished(const clusterdeck::DrainReport &report);

protected:
    void closeEvent(QCloseEvent *event) override;
    void reject() override;

private:
    QString plan() const;
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
    std::unique_ptr<RemoteHost> m_host; // until Start hands it to the job
    QLabel *m_planLabel;
    QCheckBox *m_force;
    QTreeWidget *m_steps;
    QLabel *m_sessions;
    QPlainTextEdit *m_diff;
    QLabel *m_result;
    QPushButton *m_start;
    QPushButton *m_close;
    bool m_finished = false;
    DrainReport m_report;
    std::unique_ptr<DrainJob> m_job;
    QThreadPool m_pool; // after m_job: destroyed first, waiting for a running job
};

} // namespace clusterdeck
