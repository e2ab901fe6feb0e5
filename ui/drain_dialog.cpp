#include "drain_dialog.h"

#include "gateway/drain_event.h"
#include "history_session.h"
#include "remote/local_host.h"
#include "remote/ssh_config.h"
#include "remote/ssh_host.h"
#include "ssh_prompts.h"

#include <QCheckBox>
#include <QCloseEvent>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QHeaderView>
#include <QHostInfo>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStyledItemDelegate>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace clusterdeck {

namespace {

constexpr int kStepRole = Qt::UserRole;
constexpr DrainStep kSteps[] = {DrainStep::PreCheck, DrainStep::Runtime, DrainStep::Persist, DrainStep::Wait};

// Row heights for wrapped text: the tree asks the delegate without the column's width, so wrapped messages
// would be measured as one line and cut off.
class WrappingDelegate : public QStyledItemDelegate {
public:
    explicit WrappingDelegate(QTreeView *view) : QStyledItemDelegate(view), m_view(view) {}
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        QStyleOptionViewItem sized = option;
        // A valid rectangle (the style ignores an empty one) as wide as the column.
        sized.rect = QRect(0, 0, m_view->columnWidth(index.column()), 1);
        return QStyledItemDelegate::sizeHint(sized, index);
    }

private:
    QTreeView *m_view;
};

QString stateWord(StepState state)
{
    switch (state) {
    case StepState::Running:
        return DrainDialog::tr("running");
    case StepState::Done:
        return DrainDialog::tr("done");
    case StepState::Skipped:
        return DrainDialog::tr("skipped");
    case StepState::Failed:
        return DrainDialog::tr("failed");
    case StepState::Cancelled:
        return DrainDialog::tr("cancelled");
    }
    return {};
}

} // namespace

DrainDialog::DrainDialog(const Cluster &cluster, const QString &node, ConfigAction change,
                         HistorySession *history, QWidget *parent, HostFactory hostFactory)
    : QDialog(parent), m_cluster(cluster), m_node(node), m_change(change), m_history(history),
      m_hostFactory(std::move(hostFactory)), m_planLabel(new QLabel), m_precheck(new QLabel),
      m_force(new QCheckBox), m_steps(new QTreeWidget), m_sessions(new QLabel), m_diff(new QPlainTextEdit),
      m_result(new QLabel), m_replan(new QPushButton(tr("Check again"))), m_start(new QPushButton),
      m_cancel(new QPushButton(tr("Cancel"))), m_close(new QPushButton(tr("Close")))
{
    const bool drain = change == ConfigAction::Drain;
    setWindowTitle(drain ? tr("Drain %1").arg(node) : tr("Readmit %1").arg(node));
    m_gateway = m_cluster.gateways.size() == 1 ? &m_cluster.gateways.first() : nullptr;
    if (!m_hostFactory) {
        m_prompts = std::make_unique<SshPrompts>(this);
        SshPrompts *prompts = m_prompts.get();
        m_hostFactory = [prompts](const Gateway &gateway) -> std::unique_ptr<RemoteHost> {
            if (!gateway.ssh.isSet())
                return std::make_unique<LocalHost>();
            const Result<SshConfig> config = SshConfig::load(SshConfig::defaultPath());
            SshConnectOptions options;
            options.config = config ? *config : SshConfig{};
            options.settings = options.config.settingsFor(gateway.ssh);
            options.approver = prompts;
            options.prompt = prompts;
            return std::make_unique<SshHost>(options);
        };
    }

    std::unique_ptr<RemoteHost> host;
    if (m_gateway)
        host = m_hostFactory(*m_gateway); // connects only when the job first uses it, on the pool's thread
    const QString hostName = host ? host->describe() : QString();
    if (host) {
        DrainOptions options;
        options.change = m_change;
        options.gateway = m_gateway->name;
        options.node = m_node;
        options.actor = qEnvironmentVariable("USER", QStringLiteral("console")) + QLatin1Char('@') +
                        QHostInfo::localHostName();
        m_job = std::make_unique<DrainJob>(m_cluster, options, std::move(host));
        connect(m_job.get(), &DrainJob::planned, this, &DrainDialog::onPlanned, Qt::QueuedConnection);
        connect(m_job.get(), &DrainJob::progress, this, &DrainDialog::onProgress, Qt::QueuedConnection);
        connect(m_job.get(), &DrainJob::finished, this, &DrainDialog::onFinished, Qt::QueuedConnection);
    }
    m_planLabel->setObjectName(QStringLiteral("plan"));
    m_planLabel->setWordWrap(true);
    m_planLabel->setTextFormat(Qt::RichText);
    m_planLabel->setText(plan(hostName));
    m_precheck->setObjectName(QStringLiteral("precheck"));
    m_precheck->setWordWrap(true);
    m_precheck->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_force->setObjectName(QStringLiteral("force"));
    m_force->setText(
        tr("Force: drain even if fewer than %1 healthy upstream(s) would stay in rotation (min_healthy)")
            .arg(m_cluster.thresholds.minHealthyUpstreams));
    m_force->setVisible(drain);
    m_force->setEnabled(false); // until a plan says min_healthy refuses
    connect(m_force, &QCheckBox::toggled, this, &DrainDialog::updateStartEnabled);
    m_steps->setObjectName(QStringLiteral("steps"));
    m_steps->setHeaderLabels({tr("Step"), tr("State"), tr("Message")});
    m_steps->setRootIsDecorated(false);
    // Long messages (paths, hashes, host and step) wrap; the tooltip has them whole too.
    m_steps->setWordWrap(true);
    m_steps->setUniformRowHeights(false);
    m_steps->setTextElideMode(Qt::ElideNone);
    m_steps->setItemDelegate(new WrappingDelegate(m_steps));
    connect(m_steps->header(), &QHeaderView::sectionResized, m_steps, [this] { m_steps->doItemsLayout(); });
    m_steps->header()->setStretchLastSection(false);
    m_steps->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_steps->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_steps->header()->setSectionResizeMode(2, QHeaderView::Stretch);
    for (const DrainStep step : kSteps) {
        auto *item = new QTreeWidgetItem(m_steps, {drainStepName(step), tr("pending"), QString()});
        item->setData(0, kStepRole, int(step));
    }
    m_sessions->setObjectName(QStringLiteral("sessions"));
    m_diff->setObjectName(QStringLiteral("diff"));
    m_diff->setReadOnly(true);
    m_diff->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_diff->setPlaceholderText(
        tr("The planned config diff appears here once the pre-check has read the file."));
    m_diff->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_result->setObjectName(QStringLiteral("result"));
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_start->setObjectName(QStringLiteral("start"));
    m_start->setText(drain ? tr("Start drain") : tr("Start readmit"));
    m_start->setDefault(true);
    m_start->setEnabled(false); // until a plan passed
    m_replan->setObjectName(QStringLiteral("replan"));
    m_replan->setToolTip(
        tr("Run the pre-check again: read the config and the runtime state, change nothing"));
    m_cancel->setObjectName(QStringLiteral("cancel"));
    m_cancel->setEnabled(false);
    m_cancel->setToolTip(tr("Stop the job: before or during the pre-check, runtime or persist step what was "
                            "done is rolled back; during a drain's wait the node stays drained; during a "
                            "readmit's wait it is rolled back"));
    m_close->setObjectName(QStringLiteral("close"));

    auto *buttons = new QDialogButtonBox;
    buttons->addButton(m_replan, QDialogButtonBox::ActionRole);
    buttons->addButton(m_start, QDialogButtonBox::ActionRole);
    buttons->addButton(m_cancel, QDialogButtonBox::ActionRole);
    buttons->addButton(m_close, QDialogButtonBox::RejectRole);
    connect(m_replan, &QPushButton::clicked, this, &DrainDialog::replan);
    connect(m_start, &QPushButton::clicked, this, &DrainDialog::start);
    connect(m_cancel, &QPushButton::clicked, this, &DrainDialog::cancel);
    connect(m_close, &QPushButton::clicked, this, &DrainDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_planLabel);
    layout->addWidget(m_precheck);
    layout->addWidget(m_force);
    layout->addWidget(m_steps, 2);
    layout->addWidget(m_sessions);
    layout->addWidget(new QLabel(tr("Config change:")));
    layout->addWidget(m_diff, 2);
    layout->addWidget(m_result);
    layout->addWidget(buttons);
    resize(760, 660);
    replan(); // plan first: nothing changes before Start
}

DrainDialog::~DrainDialog()
{
    if (m_job)
        m_job->cancel();  // a plan in flight ends at its next remote call's answer; a running job cannot
                          // get here (closing is refused)
    m_pool.waitForDone(); // the job's thread uses m_job until its plan or report is out
}

QString DrainDialog::plan(const QString &host) const
{
    if (!m_gateway)
        return tr("<b>%1 gateways in the cluster</b>: the console drains through a cluster's only gateway; "
                  "use "
                  "<tt>clusterdeckctl drain --gateway NAME</tt>.")
            .arg(m_cluster.gateways.size());
    const Node *node = m_cluster.findNode(m_node);
    const QString upstream = node ? node->upstream : QString();
    const bool drain = m_change == ConfigAction::Drain;
    const Gateway &g = *m_gateway;
    QString text =
        tr("<b>%1</b> (upstream <tt>%2</tt>) %3 gateway <b>%4</b> (%5, config <tt>%6</tt>, via %7).")
            .arg(m_node.toHtmlEscaped(), upstream.toHtmlEscaped(),
                 drain ? tr("leaves the rotation of") : tr("returns to the rotation of"),
                 g.name.toHtmlEscaped(), gatewayKindName(g.kind).toHtmlEscaped(),
                 g.configPath.toHtmlEscaped(), host.toHtmlEscaped());
    text += QStringLiteral("<br>");
    if (g.kind == GatewayKind::HAProxy)
        text += drain
                    ? tr("HAProxy: <tt>set server %1/%2 state drain</tt> on the admin socket (no reload, no "
                         "request lost), then <tt>disabled</tt> on its server line in the file (validated, "
                         "backed up), then a wait until its sessions reach 0.")
                          .arg(g.backend.toHtmlEscaped(), m_node.toHtmlEscaped())
                    : tr("HAProxy: <tt>set server %1/%2 state ready</tt> on the admin socket, "
                         "<tt>disabled</tt> removed from its server line (validated, backed up), then a wait "
                         "until its health check passes and traffic reaches it.")
                          .arg(g.backend.toHtmlEscaped(), m_node.toHtmlEscaped());
    else
        text +=
            tr("Caddy has no per-upstream switch: the upstream's line in the Caddyfile is %1 and Caddy "
               "<b>loads the whole config once</b> (<tt>%2</tt>). A load can drop a few requests in flight "
               "on the gateway; prefer a quiet moment.")
                .arg(drain ? tr("commented out with a clusterdeck:drained marker") : tr("restored"),
                     g.reloadCommand.toHtmlEscaped());
    text += QStringLiteral("<br>") + tr("Any failure rolls back what was done, newest first.");
    return text;
}

void DrainDialog::replan()
{
    if (!m_job || m_planning || m_running || m_finished)
        return;
    m_planning = true;
    m_planned = false;
    m_plan = DrainPlan{};
    m_precheck->setText(tr("Planning: reading %1 and the gateway's runtime state (nothing changes)…")
                            .arg(m_gateway->configPath));
    m_force->setEnabled(false);
    m_replan->setEnabled(false);
    updateStartEnabled();
    m_job->startPlan(m_pool);
}

void DrainDialog::onPlanned(const DrainPlan &plan)
{
    m_planning = false;
    m_planned = true;
    m_plan = plan;
    m_replan->setEnabled(true);
    m_diff->setPlainText(plan.diff);
    QString verdict;
    if (plan.healthyOthers >= 0 && m_change == ConfigAction::Drain)
        verdict =
            tr("%n other healthy upstream(s) in rotation, min_healthy %1: %2", nullptr, plan.healthyOthers)
                .arg(plan.minHealthy)
                .arg(plan.belowMinHealthy ? tr("REFUSED (Force overrides)") : tr("OK"));
    QStringList lines;
    if (plan.ok)
        lines << tr("<b>Pre-check passed</b> (read-only; nothing changed yet): %1")
                     .arg(plan.message.toHtmlEscaped());
    else
        lines << tr("<b style='color:#d32f2f'>Pre-check refused</b>: %1")
                     .arg(plan.error ? plan.error->toString().toHtmlEscaped() : QString());
    if (!verdict.isEmpty())
        lines << verdict.toHtmlEscaped();
    if (!plan.sha256.isEmpty())
        lines << tr("Config sha256 <tt>%1</tt>; Start refuses the file if it changes before then.")
                     .arg(QString::fromLatin1(plan.sha256));
    for (const QString &warning : plan.warnings)
        lines << tr("Warning: %1").arg(warning.toHtmlEscaped());
    m_precheck->setTextFormat(Qt::RichText);
    m_precheck->setText(lines.join(QStringLiteral("<br>")));
    m_force->setEnabled(plan.belowMinHealthy);
    updateStartEnabled();
    emit planFinished(plan);
}

void DrainDialog::updateStartEnabled()
{
    const bool allowed = m_planned && (m_plan.ok || (m_plan.belowMinHealthy && m_force->isChecked()));
    m_start->setEnabled(m_job && !m_planning && !m_running && !m_finished && allowed);
}

void DrainDialog::start()
{
    if (!m_start->isEnabled())
        return;
    m_job->options().force = m_force->isChecked();
    m_job->options().expectedSha256 = m_plan.sha256; // what the operator saw is what gets written
    m_running = true;
    m_start->setEnabled(false);
    m_replan->setEnabled(false);
    m_force->setEnabled(false);
    m_close->setEnabled(false);
    m_cancel->setEnabled(true);
    m_result->setText(tr("Running… the console keeps working; this dialog closes when the job is finished."));
    m_job->start(m_pool);
}

void DrainDialog::cancel()
{
    if (!m_running || m_job->cancelRequested())
        return;
    m_job->cancel();
    m_cancel->setEnabled(false);
    m_result->setText(m_change == ConfigAction::Drain
                          ? tr("Cancelling… before the wait the job stops at the next step and rolls back; "
                               "during the wait it stops waiting and %1 stays drained.")
                                .arg(m_node)
                          : tr("Cancelling… the job stops at the next step and rolls back; %1 stays out of "
                               "rotation.")
                                .arg(m_node));
}

QTreeWidgetItem *DrainDialog::stepItem(DrainStep step)
{
    for (int i = 0; i < m_steps->topLevelItemCount(); ++i)
        if (m_steps->topLevelItem(i)->data(0, kStepRole).toInt() == int(step))
            return m_steps->topLevelItem(i);
    auto *item = new QTreeWidgetItem(m_steps, {drainStepName(step), tr("pending"), QString()});
    item->setData(0, kStepRole, int(step));
    return item;
}

void DrainDialog::setStepState(QTreeWidgetItem *item, const QString &state, const QString &message)
{
    item->setText(1, state);
    if (!message.isEmpty()) {
        item->setText(2, message);
        item->setToolTip(2, message);
        m_steps->doItemsLayout(); // the row's height follows its wrapped message
    }
}

void DrainDialog::onProgress(const DrainProgress &progress)
{
    setStepState(stepItem(progress.step), stateWord(progress.state), progress.message);
    if (progress.sessionsRemaining >= 0)
        m_sessions->setText(
            m_change == ConfigAction::Drain
                ? tr("Sessions remaining on %1: %2").arg(m_node).arg(progress.sessionsRemaining)
                : tr("Requests on %1: %2").arg(m_node).arg(progress.sessionsRemaining));
}

void DrainDialog::onFinished(const DrainReport &report)
{
    m_report = report;
    m_running = false;
    m_finished = true;
    m_cancel->setEnabled(false);
    for (const DrainStepOutcome &outcome : report.steps)
        setStepState(stepItem(outcome.step), stateWord(outcome.state), outcome.message);
    if (report.rolledBack) // what was done before the failure was undone
        for (const DrainStepOutcome &outcome : report.steps)
            if (outcome.state == StepState::Done && outcome.step != DrainStep::Rollback)
                stepItem(outcome.step)->setText(1, tr("rolled back"));
    if (!report.diff.isEmpty())
        m_diff->setPlainText(report.diff);
    QString result = report.ok ? tr("Finished: %1").arg(report.summary())
                     : report.cancelled
                         ? tr("Cancelled: %1").arg(report.summary())
                         : tr("Failed: %1").arg(report.error ? report.error->toString() : report.summary());
    for (const QString &warning : report.warnings)
        result += QStringLiteral("\n") + tr("Warning: %1").arg(warning);
    if (m_history && m_history->recordEvent(drainHistoryEvent(report)))
        result += QStringLiteral("\n") + tr("Recorded in the history.");
    m_result->setText(result);
    m_close->setEnabled(true);
    m_close->setDefault(true);
    emit jobFinished(report);
}

void DrainDialog::closeEvent(QCloseEvent *event)
{
    if (isRunning())
        event->ignore();
    else
        QDialog::closeEvent(event);
}

void DrainDialog::reject()
{
    if (!isRunning())
        QDialog::reject();
}

} // namespace clusterdeck
