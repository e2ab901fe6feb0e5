#include "gateway/drain_job.h"

#include "gateway/caddy_admin.h"
#include "gateway/gateway_log.h"
#include "gateway/haproxy_runtime.h"
#include "gateway/http_over_host.h"
#include "metrics/exposition_parser.h"
#include "metrics/metric_page.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QRandomGenerator>
#include <QThread>
#include <QThreadPool>
#include <vector>

namespace clusterdeck {

QString drainStepName(DrainStep step)
{
    switch (step) {
    case DrainStep::PreCheck:
        return QStringLiteral("pre-check");
    case DrainStep::Runtime:
        return QStringLiteral("runtime");
    case DrainStep::Persist:
        return QStringLiteral("persist");
    case DrainStep::Wait:
        return QStringLiteral("wait");
    case DrainStep::Rollback:
        return QStringLiteral("rollback");
    }
    return {};
}

QString stepStateName(StepState state)
{
    switch (state) {
    case StepState::Running:
        return QStringLiteral("running");
    case StepState::Done:
        return QStringLiteral("done");
    case StepState::Skipped:
        return QStringLiteral("skipped");
    case StepState::Failed:
        return QStringLiteral("failed");
    case StepState::Cancelled:
        return QStringLiteral("cancelled");
    }
    return {};
}

QJsonObject DrainReport::stepJson(const QString &name, bool ok, qint64 ms, const QString &detail)
{
    return QJsonObject{{QStringLiteral("name"), name},
                       {QStringLiteral("ok"), ok},
                       {QStringLiteral("ms"), double(ms)},
                       {QStringLiteral("detail"), detail}};
}

QJsonObject DrainReport::toJson() const
{
    QJsonArray stepArray;
    for (const DrainStepOutcome &outcome : steps) {
        // The names for scripts: "precheck", not the display name "pre-check".
        const QString name =
            outcome.step == DrainStep::PreCheck ? QStringLiteral("precheck") : drainStepName(outcome.step);
        QJsonObject step =
            stepJson(name, outcome.state == StepState::Done || outcome.state == StepState::Skipped,
                     outcome.finishedMs - outcome.startedMs, outcome.message);
        step.insert(QStringLiteral("state"), stepStateName(outcome.state));
        step.insert(QStringLiteral("started_ms"), double(outcome.startedMs));
        step.insert(QStringLiteral("finished_ms"), double(outcome.finishedMs));
        stepArray.append(step);
    }
    QJsonObject json{{QStringLiteral("action"),
                      change == ConfigAction::Drain ? QStringLiteral("drain") : QStringLiteral("readmit")},
                     {QStringLiteral("cluster"), cluster},
                     {QStringLiteral("gateway"), gateway},
                     {QStringLiteral("node"), node},
                     {QStringLiteral("host"), host},
                     {QStringLiteral("actor"), actor},
                     {QStringLiteral("started_ms"), double(startedMs)},
                     {QStringLiteral("finished_ms"), double(finishedMs)},
                     {QStringLiteral("total_ms"), double(finishedMs - startedMs)},
                     {QStringLiteral("ok"), ok},
                     {QStringLiteral("rolled_back"), rolledBack},
                     {QStringLiteral("cancelled"), cancelled},
                     {QStringLiteral("diff"), diff},
                     {QStringLiteral("backup"), backupPath},
                     {QStringLiteral("warnings"), QJsonArray::fromStringList(warnings)},
                     {QStringLiteral("steps"), stepArray}};
    if (error)
        json.insert(QStringLiteral("error"), error->toString());
    return json;
}

QString DrainReport::summary() const
{
    const QString verb = change == ConfigAction::Drain ? QStringLiteral("drain") : QStringLiteral("readmit");
    if (ok)
        return QStringLiteral("%1 of %2 on %3 done").arg(verb, node, gateway);
    const bool rollbackRan = std::any_of(
        steps.begin(), steps.end(), [](const DrainStepOutcome &o) { return o.step == DrainStep::Rollback; });
    if (cancelled)
        return QStringLiteral("%1 of %2 on %3 cancelled: %4 (%5)")
            .arg(verb, node, gateway, error ? error->message : QString(),
                 rollbackRan && rolledBack ? QStringLiteral("rolled back")
                 : rollbackRan             ? QStringLiteral("ROLLBACK INCOMPLETE: check the gateway")
                 : rolledBack              ? QStringLiteral("nothing was changed")
                                           : QStringLiteral("%1 stays out of rotation").arg(node));
    return QStringLiteral("%1 of %2 on %3 failed: %4 (%5)")
        .arg(verb, node, gateway, error ? error->toString() : QString(),
             !rolledBack   ? QStringLiteral("ROLLBACK INCOMPLETE: check the gateway")
             : rollbackRan ? QStringLiteral("rolled back")
                           : QStringLiteral("nothing was changed"));
}

namespace {

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

QByteArray sha256(const QByteArray &bytes)
{
    return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
}

QString shellQuote(const QString &text)
{
    QString quoted = text;
    quoted.replace(QLatin1Char('\''), QLatin1String("'\\''"));
    return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}

QString lastLines(const QByteArray &text)
{
    const QList<QByteArray> lines = text.trimmed().split('\n');
    return QString::fromUtf8(lines.mid(std::max<qsizetype>(0, lines.size() - 5)).join(" | "));
}

} // namespace

// One run of one job: the steps, the undo list, the report. Lives on the job's worker thread.
class DrainJob::Runner {
public:
    Runner(DrainJob &job) : m_job(job), m_host(*job.m_host), m_options(job.m_options) {}

    DrainReport run();
    DrainPlan plan();

private:
    using StepBody = std::function<Result<QString>()>;
    bool step(DrainStep step, const StepBody &body);
    void skip(DrainStep step, const QString &why);
    void emitProgress(DrainStep step, StepState state, const QString &message, qint64 sessions = -1);
    void rollback();

    Result<QString> findAndPreCheck();
    Result<QString> preCheck();
    bool cancelledBefore(DrainStep next);
    Result<QString> runtimeChange();
    Result<QString> persist();
    Result<QString> wait();

    Status validateOnHost(const QByteArray &bytes);
    Result<int> caddyHealthy(const QString &upstream);
    bool draining() const { return m_options.change == ConfigAction::Drain; }
    bool haproxy() const { return m_gateway->kind == GatewayKind::HAProxy; }
    RemoteHost::Timeout timeout() const { return m_options.stepTimeout; }

    DrainJob &m_job;
    RemoteHost &m_host;
    const DrainOptions &m_options;
    const Gateway *m_gateway = nullptr;
    const Node *m_node = nullptr;
    DrainReport m_report;
    QByteArray m_oldBytes, m_oldHash;
    qint64 m_readAtMs = 0;
    ConfigEdit m_edit;
    HaproxyServerState m_before;
    int m_healthyOthers = -1;
    bool m_belowMinHealthy = false;
    std::vector<std::pair<QString, std::function<Status()>>> m_undo; // what to do, newest last
};

DrainReport DrainJob::Runner::run()
{
    const Cluster &cluster = m_job.m_cluster;
    m_report.change = m_options.change;
    m_report.cluster = cluster.name;
    m_report.node = m_options.node;
    m_report.host = m_host.describe();
    m_report.actor = m_options.actor;
    m_report.startedMs = nowMs();
    auto finish = [&] {
        m_report.finishedMs = nowMs();
        qCDebug(lcGateway) << m_report.summary();
        return m_report;
    };
    const bool found = step(DrainStep::PreCheck, [&] { return findAndPreCheck(); });
    if (!found) {
        m_report.rolledBack = true; // the pre-check changes nothing
        return finish();
    }
    if (cancelledBefore(DrainStep::Runtime) || !step(DrainStep::Runtime, [&] { return runtimeChange(); }) ||
        cancelledBefore(DrainStep::Persist) || !step(DrainStep::Persist, [&] { return persist(); }) ||
        cancelledBefore(DrainStep::Wait)) {
        rollback();
        return finish();
    }
    if (!step(DrainStep::Wait, [&] { return wait(); })) {
        // A drained node whose sessions outlast the wait stays drained: it gets no new requests, and putting
        // it back would send it traffic mid-deploy; the report says what is still open. A readmitted node
        // that does not come healthy goes back out.
        if (m_options.change == ConfigAction::Readmit)
            rollback();
        return finish();
    }
    m_report.ok = true;
    return finish();
}

Result<QString> DrainJob::Runner::findAndPreCheck()
{
    const Cluster &cluster = m_job.m_cluster;
    if (m_options.gateway.isEmpty() && cluster.gateways.size() == 1)
        m_gateway = &cluster.gateways.first();
    else
        m_gateway = cluster.findGateway(m_options.gateway);
    if (!m_gateway)
        return Error{
            m_options.gateway.isEmpty()
                ? QStringLiteral("the cluster has %1 gateways: name one").arg(cluster.gateways.size())
                : QStringLiteral("no gateway named '%1' in the cluster").arg(m_options.gateway),
            {}};
    m_report.gateway = m_gateway->name;
    m_node = cluster.findNode(m_options.node);
    if (!m_node || m_node->role != NodeRole::Was || m_node->upstream.isEmpty())
        return Error{
            QStringLiteral("no WAS node named '%1' with an upstream in the cluster").arg(m_options.node), {}};
    return preCheck();
}

DrainPlan DrainJob::Runner::plan()
{
    // The pre-check's own code, without the step machinery: read-only, so there is nothing to undo.
    m_report.node = m_options.node;
    DrainPlan plan;
    plan.node = m_options.node;
    plan.host = m_host.describe();
    plan.minHealthy = m_job.m_cluster.thresholds.minHealthyUpstreams;
    const Result<QString> checked = findAndPreCheck();
    plan.ok = checked.ok();
    if (checked)
        plan.message = *checked;
    else {
        Error error = checked.error();
        error.where = QStringLiteral("%1 step %2%3")
                          .arg(m_host.describe(), drainStepName(DrainStep::PreCheck),
                               error.where.isEmpty() ? QString() : QStringLiteral(": ") + error.where);
        plan.error = error;
    }
    plan.gateway = m_report.gateway;
    plan.configPath = m_gateway ? m_gateway->configPath : QString();
    plan.sha256 = m_oldHash;
    plan.diff = m_report.diff;
    plan.healthyOthers = m_healthyOthers;
    plan.belowMinHealthy = m_belowMinHealthy;
    plan.warnings = m_report.warnings;
    return plan;
}

bool DrainJob::Runner::cancelledBefore(DrainStep next)
{
    if (!m_job.cancelRequested())
        return false;
    m_report.cancelled = true;
    const QString why =
        QStringLiteral("cancelled by the operator before the %1 step").arg(drainStepName(next));
    m_report.error = Error{why, QStringLiteral("%1 step %2").arg(m_host.describe(), drainStepName(next))};
    m_report.steps.append(DrainStepOutcome{next, StepState::Cancelled, why, nowMs(), nowMs()});
    emitProgress(next, StepState::Cancelled, why);
    return true;
}

void DrainJob::Runner::emitProgress(DrainStep step, StepState state, const QString &message, qint64 sessions)
{
    emit m_job.progress(DrainProgress{step, state, message, sessions, nowMs()});
}

bool DrainJob::Runner::step(DrainStep step, const StepBody &body)
{
    DrainStepOutcome outcome{step, StepState::Running, {}, nowMs(), 0};
    emitProgress(step, StepState::Running, {});
    const Result<QString> result = body();
    outcome.finishedMs = nowMs();
    if (result.ok()) {
        // A body that decided to skip itself already recorded that.
        if (!m_report.steps.isEmpty() && m_report.steps.last().step == step)
            return true;
        outcome.state = StepState::Done;
        outcome.message = *result;
    } else {
        outcome.state = m_report.cancelled ? StepState::Cancelled : StepState::Failed;
        Error error = result.error();
        error.where = QStringLiteral("%1 step %2%3")
                          .arg(m_host.describe(), drainStepName(step),
                               error.where.isEmpty() ? QString() : QStringLiteral(": ") + error.where);
        outcome.message = error.toString();
        m_report.error = error;
    }
    m_report.steps.append(outcome);
    emitProgress(step, outcome.state, outcome.message);
    return result.ok();
}

void DrainJob::Runner::skip(DrainStep step, const QString &why)
{
    m_report.steps.append(DrainStepOutcome{step, StepState::Skipped, why, nowMs(), nowMs()});
    emitProgress(step, StepState::Skipped, why);
}

void DrainJob::Runner::rollback()
{
    if (m_undo.empty()) {
        m_report.rolledBack = true; // nothing had changed
        return;
    }
    DrainStepOutcome outcome{DrainStep::Rollback, StepState::Running, {}, nowMs(), 0};
    emitProgress(DrainStep::Rollback, StepState::Running, {});
    QStringList done;
    bool ok = true;
    // Newest first: the file goes back before the runtime state does.
    for (auto it = m_undo.rbegin(); it != m_undo.rend(); ++it) {
        const Status status = it->second();
        if (status)
            done << it->first;
        else {
            ok = false;
            done << QStringLiteral("FAILED %1: %2").arg(it->first, status.error().toString());
        }
    }
    m_undo.clear();
    outcome.finishedMs = nowMs();
    outcome.state = ok ? StepState::Done : StepState::Failed;
    outcome.message = done.join(QStringLiteral("; "));
    m_report.rolledBack = ok;
    m_report.steps.append(outcome);
    emitProgress(DrainStep::Rollback, outcome.state, outcome.message);
}

Result<int> DrainJob::Runner::caddyHealthy(const QString &upstream)
{
    // Caddy's own active health check, as its metrics page shows it.
    const QUrl metrics = m_gateway->metricsUrl;
    const Result<HttpResponse> page =
        httpOverHost(m_host, metrics, "GET", metrics.path(QUrl::FullyEncoded).toUtf8(), timeout());
    if (!page)
        return page.error();
    MetricPage parsed;
    ExpositionParser parser;
    if (const auto error =
            parser.parse(page->body, expositionFormatForContentType(page->contentType.toStdString()), parsed))
        return Error{QString::fromStdString(error->toString()), metrics.toString()};
    for (const SampleView sample : parsed.samplesNamed("caddy_reverse_proxy_upstreams_healthy"))
        if (sample.label("upstream") == upstream.toStdString())
            return int(sample.value());
    return -1; // Caddy does not know it (yet)
}

Result<QString> DrainJob::Runner::preCheck()
{
    const Result<QByteArray> config = m_host.readFile(m_gateway->configPath, timeout());
    if (!config)
        return config.error();
    m_oldBytes = *config;
    m_oldHash = sha256(m_oldBytes);
    m_readAtMs = nowMs();
    if (!m_options.expectedSha256.isEmpty() && m_options.expectedSha256 != m_oldHash)
        return Error{
            QStringLiteral("%1 changed since the plan was made (sha256 %2… then, %3… now): plan again")
                .arg(m_gateway->configPath, QString::fromLatin1(m_options.expectedSha256.left(12)),
                     QString::fromLatin1(m_oldHash.left(12))),
            {}};

    int healthyOthers = 0;
    QString state;
    if (haproxy()) {
        HaproxyRuntime runtime(m_host, m_gateway->adminSocket, timeout());
        const Result<QList<HaproxyServerState>> servers = runtime.servers(m_gateway->backend);
        if (!servers)
            return servers.error();
        bool found = false;
        for (const HaproxyServerState &server : *servers) {
            const bool isNode = m_node->isUpstream(server.server, server.address);
            if (isNode) {
                m_before = server;
                found = true;
            } else if (server.inRotation() && server.healthy()) {
                ++healthyOthers;
            }
        }
        if (!found)
            return Error{QStringLiteral("HAProxy's backend %1 has no server for %2 (%3)")
                             .arg(m_gateway->backend, m_node->name, m_node->upstream),
                         {}};
        if (draining() && !m_before.inRotation())
            return Error{
                QStringLiteral("%1 is already out of rotation (%2)").arg(m_node->name, m_before.status), {}};
        state = QStringLiteral("server %1/%2 %3").arg(m_gateway->backend, m_before.server, m_before.status);
    } else {
        CaddyAdmin admin(m_host, m_gateway->adminApi, timeout());
        const Result<QJsonValue> running = admin.config();
        if (!running)
            return running.error();
        const bool dialed = caddyConfigDials(*running, m_node->upstream);
        if (draining() && !dialed)
            return Error{QStringLiteral("%1 (%2) is not in Caddy's running config")
                             .arg(m_node->name, m_node->upstream),
                         {}};
        for (const Node &other : m_job.m_cluster.nodes) {
            if (other.role != NodeRole::Was || other.name == m_node->name || other.upstream.isEmpty() ||
                !caddyConfigDials(*running, other.upstream))
                continue;
            const Result<int> healthy = caddyHealthy(other.upstream);
            if (!healthy)
                return healthy.error();
            healthyOthers += *healthy == 1 ? 1 : 0;
        }
        state = dialed ? QStringLiteral("%1 in Caddy's running config").arg(m_node->upstream)
                       : QStringLiteral("%1 not in Caddy's running config").arg(m_node->upstream);
    }
    // The edit in memory: HAProxy's server as the runtime named it, Caddy's upstream by its address.
    const ServerSelector selector = haproxy() ? ServerSelector{m_gateway->backend, m_before.server}
                                              : ServerSelector{{}, m_node->upstream};
    const Result<ConfigEdit> edit =
        m_job.m_editor(m_gateway->kind, m_options.change, m_oldBytes, m_gateway->configPath, selector);
    if (!edit)
        return edit.error();
    if (edit->changedLines.isEmpty()) // the file says it is done already: the runtime and the file disagree
        return Error{QStringLiteral("%1 %2 in the config file, but %3 in the running gateway")
                         .arg(edit->server, edit->note, draining() ? "in rotation" : "out of rotation"),
                     configWhere(m_gateway->configPath, edit->line)};
    m_edit = *edit;
    m_report.diff = m_edit.diff;
    m_healthyOthers = healthyOthers;
    const int minHealthy = m_job.m_cluster.thresholds.minHealthyUpstreams;
    if (draining() && healthyOthers < minHealthy) {
        m_belowMinHealthy = true;
        const QString why =
            QStringLiteral("draining %1 would leave %2 healthy upstream(s), below min_healthy %3")
                .arg(m_node->name)
                .arg(healthyOthers)
                .arg(minHealthy);
        if (!m_options.force)
            return Error{why + QStringLiteral(" (force overrides)"), {}};
        m_report.warnings << why + QStringLiteral(" (forced)");
    }
    return QStringLiteral("%1 read (sha256 %2…); %3; %4 other healthy upstream(s)")
        .arg(m_gateway->configPath, QString::fromLatin1(m_oldHash.left(12)), state)
        .arg(healthyOthers);
}

Result<QString> DrainJob::Runner::runtimeChange()
{
    if (!haproxy()) {
        skip(DrainStep::Runtime,
             QStringLiteral("Caddy 2.6 has no per-upstream runtime verb: the persist step's "
                            "one config load makes the change"));
        return QString();
    }
    HaproxyRuntime runtime(m_host, m_gateway->adminSocket, timeout());
    const QString backend = m_gateway->backend, server = m_before.server;
    const Status set = runtime.setServerState(
        backend, server, draining() ? HaproxyAdminCommand::Drain : HaproxyAdminCommand::Ready);
    if (!set)
        return set.error();
    // Back to what it was: forced drain or maintenance, or ready.
    const HaproxyAdminCommand previous =
        (m_before.adminState & HaproxyServerState::kMaintFlags)   ? HaproxyAdminCommand::Maint
        : (m_before.adminState & HaproxyServerState::kDrainFlags) ? HaproxyAdminCommand::Drain
                                                                  : HaproxyAdminCommand::Ready;
    m_undo.emplace_back(QStringLiteral("runtime state of %1/%2 restored").arg(backend, server),
                        [this, backend, server, previous] {
                            HaproxyRuntime again(m_host, m_gateway->adminSocket, timeout());
                            return again.setServerState(backend, server, previous);
                        });
    return QStringLiteral("set server %1/%2 state %3").arg(backend, server, draining() ? "drain" : "ready");
}

Status DrainJob::Runner::validateOnHost(const QByteArray &bytes)
{
    if (m_gateway->validateCommand.isEmpty()) {
        m_report.warnings << QStringLiteral("the inventory names no validate command: the new config was not "
                                            "validated before the write");
        return Status::success();
    }
    // Next to the config, so that relative includes and paths resolve as they will for the real file.
    const QFileInfo info(m_gateway->configPath);
    const QString temp = QStringLiteral("%1/.%2.clusterdeck-validate-%3")
                             .arg(info.path(), info.fileName())
                             .arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
    if (const Status written = m_host.writeFileAtomic(temp, bytes, timeout()); !written)
        return written;
    QString command = m_gateway->validateCommand;
    command.replace(QLatin1String("{config}"), shellQuote(temp));
    const Result<CommandResult> result = m_host.run(command, timeout());
    m_host.run(QStringLiteral("rm -f ") + shellQuote(temp), timeout());
    if (!result)
        return result.error();
    if (result->exitStatus != 0)
        return Error{QStringLiteral("the new config does not validate ('%1' exit %2): %3")
                         .arg(command)
                         .arg(result->exitStatus)
                         .arg(lastLines(result->standardError + result->standardOutput)),
                     {}};
    return Status::success();
}

Result<QString> DrainJob::Runner::persist()
{
    const QString path = m_gateway->configPath;
    if (const Status valid = validateOnHost(m_edit.bytes); !valid)
        return valid.error();
    // Two operators racing: the file must still be what the pre-check read.
    const Result<QByteArray> now = m_host.readFile(path, timeout());
    if (!now)
        return now.error();
    if (sha256(*now) != m_oldHash)
        return Error{QStringLiteral("%1 changed since it was read at %2 (another operator?); nothing written")
                         .arg(path, QDateTime::fromMSecsSinceEpoch(m_readAtMs).toString(Qt::ISODateWithMs)),
                     {}};
    m_report.backupPath =
        path + QStringLiteral(".clusterdeck-backup-") +
        QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd'T'HHmmss.zzz'Z'"));
    if (const Status backup = m_host.writeFileAtomic(m_report.backupPath, m_oldBytes, timeout()); !backup)
        return backup.error();
    if (const Status written = m_host.writeFileAtomic(path, m_edit.bytes, timeout()); !written)
        return written.error();
    const bool caddy = !haproxy();
    m_undo.emplace_back(
        QStringLiteral("%1 restored%2").arg(path, caddy ? QStringLiteral(" and loaded") : QString()),
        [this, path, caddy]() -> Status {
            if (const Status restored = m_host.writeFileAtomic(path, m_oldBytes, timeout()); !restored)
                return restored;
            if (!caddy)
                return Status::success();
            // Load the old file only if the new one was loaded: a failed load leaves Caddy as it was.
            CaddyAdmin admin(m_host, m_gateway->adminApi, timeout());
            const Result<QJsonValue> running = admin.config();
            if (!running)
                return running.error();
            if (caddyConfigDials(*running, m_node->upstream) == draining())
                return Status::success();
            const Result<CommandResult> reload = m_host.run(m_gateway->reloadCommand, timeout());
            if (!reload)
                return reload.error();
            if (reload->exitStatus != 0)
                return Error{QStringLiteral("reload exit %1: %2")
                                 .arg(reload->exitStatus)
                                 .arg(lastLines(reload->standardError)),
                             {}};
            return Status::success();
        });
    QString reloaded = QStringLiteral("no reload (the runtime API made the change)");
    if (caddy) {
        // The one config load of a Caddy drain or readmit: the file just written.
        if (m_gateway->reloadCommand.isEmpty())
            return Error{QStringLiteral("the inventory names no reload command for Caddy"), {}};
        const Result<CommandResult> reload = m_host.run(m_gateway->reloadCommand, timeout());
        if (!reload)
            return reload.error();
        if (reload->exitStatus != 0)
            return Error{QStringLiteral("the reload command '%1' failed (exit %2): %3")
                             .arg(m_gateway->reloadCommand)
                             .arg(reload->exitStatus)
                             .arg(lastLines(reload->standardError + reload->standardOutput)),
                         {}};
        reloaded = QStringLiteral("reloaded with '%1'").arg(m_gateway->reloadCommand);
    }
    // Read back: the file is what we wrote and the gateway runs what it says.
    const Result<QByteArray> back = m_host.readFile(path, timeout());
    if (!back)
        return back.error();
    if (*back != m_edit.bytes)
        return Error{QStringLiteral("%1 reads back different from what was written").arg(path), {}};
    if (haproxy()) {
        HaproxyRuntime runtime(m_host, m_gateway->adminSocket, timeout());
        const Result<HaproxyServerState> server = runtime.server(m_gateway->backend, m_before.server);
        if (!server)
            return server.error();
        if (server->inRotation() == draining())
            return Error{
                QStringLiteral("HAProxy reports %1 %2 after the change").arg(server->server, server->status),
                {}};
    } else {
        CaddyAdmin admin(m_host, m_gateway->adminApi, timeout());
        const Result<QJsonValue> running = admin.config();
        if (!running)
            return running.error();
        if (caddyConfigDials(*running, m_node->upstream) == draining())
            return Error{QStringLiteral("Caddy's running config %1 %2 after the load")
                             .arg(draining() ? "still dials" : "does not dial", m_node->upstream),
                         {}};
    }
    return QStringLiteral("validated, backup %1, written, %2, read back").arg(m_report.backupPath, reloaded);
}

Result<QString> DrainJob::Runner::wait()
{
    QElapsedTimer clock;
    clock.start();
    const qint64 limit = m_options.waitTimeout.count();
    qint64 lastReported = -2;
    if (draining()) {
        for (;;) {
            qint64 remaining = 0;
            if (haproxy()) {
                HaproxyRuntime runtime(m_host, m_gateway->adminSocket, timeout());
                const Result<HaproxyServerState> server = runtime.server(m_gateway->backend, m_before.server);
                if (!server)
                    return server.error();
                remaining = server->currentSessions + server->currentQueue;
            } else {
                CaddyAdmin admin(m_host, m_gateway->adminApi, timeout());
                const Result<QList<CaddyUpstream>> upstreams = admin.upstreams();
                if (!upstreams)
                    return upstreams.error();
                for (const CaddyUpstream &upstream : *upstreams)
                    if (upstream.address == m_node->upstream)
                        remaining += upstream.numRequests;
            }
            if (remaining != lastReported) {
                emitProgress(DrainStep::Wait, StepState::Running,
                             QStringLiteral("%1 session(s) left on %2").arg(remaining).arg(m_node->name),
                             remaining);
                lastReported = remaining;
            }
            if (remaining == 0)
                return QStringLiteral("no sessions left on %1 after %2 ms")
                    .arg(m_node->name)
                    .arg(clock.elapsed());
            if (m_job.cancelRequested()) {
                // Stop waiting; the node stays drained: putting it back would send it new requests.
                m_report.cancelled = true;
                return Error{QStringLiteral("cancelled during the wait with %1 session(s) still on %2")
                                 .arg(remaining)
                                 .arg(m_node->name),
                             {}};
            }
            if (clock.elapsed() > limit)
                return Error{QStringLiteral("%1 session(s) still on %2 after %3 s")
                                 .arg(remaining)
                                 .arg(m_node->name)
                                 .arg(double(limit) / 1000.0),
                             {}};
            QThread::msleep(quint64(m_options.pollInterval.count()));
        }
    }
    // Readmit: the gateway's health check passes, then traffic reaches the node.
    bool healthy = false;
    for (;;) {
        bool traffic = false;
        if (haproxy()) {
            HaproxyRuntime runtime(m_host, m_gateway->adminSocket, timeout());
            const Result<HaproxyServerState> server = runtime.server(m_gateway->backend, m_before.server);
            if (!server)
                return server.error();
            healthy = server->healthy() && server->status.startsWith(QLatin1String("UP"));
            traffic = server->totalSessions > m_before.totalSessions;
        } else {
            const Result<int> state = caddyHealthy(m_node->upstream);
            if (!state)
                return state.error();
            healthy = *state == 1;
            CaddyAdmin admin(m_host, m_gateway->adminApi, timeout());
            const Result<QList<CaddyUpstream>> upstreams = admin.upstreams();
            if (!upstreams)
                return upstreams.error();
            for (const CaddyUpstream &upstream : *upstreams)
                traffic = traffic || (upstream.address == m_node->upstream && upstream.numRequests > 0);
        }
        if (healthy && traffic)
            return QStringLiteral("%1 healthy and serving after %2 ms")
                .arg(m_node->name)
                .arg(clock.elapsed());
        if (m_job.cancelRequested()) { // rolled back by run(), as a readmit whose wait fails
            m_report.cancelled = true;
            return Error{QStringLiteral("cancelled during the wait for %1 (%2)")
                             .arg(m_node->name, healthy ? QStringLiteral("healthy, no traffic seen yet")
                                                        : QStringLiteral("health check not passed yet")),
                         {}};
        }
        if (clock.elapsed() > limit) {
            if (!healthy)
                return Error{QStringLiteral("%1's health check did not pass within %2 s")
                                 .arg(m_node->name)
                                 .arg(double(limit) / 1000.0),
                             {}};
            m_report.warnings << QStringLiteral(
                                     "%1 is healthy but no traffic reached it within %2 s (is there any?)")
                                     .arg(m_node->name)
                                     .arg(double(limit) / 1000.0);
            return QStringLiteral("%1 healthy; no traffic seen").arg(m_node->name);
        }
        if (lastReported != (healthy ? 1 : 0)) {
            emitProgress(DrainStep::Wait, StepState::Running,
                         healthy ? QStringLiteral("%1 healthy, waiting for traffic").arg(m_node->name)
                                 : QStringLiteral("waiting for %1's health check").arg(m_node->name));
            lastReported = healthy ? 1 : 0;
        }
        QThread::msleep(quint64(m_options.pollInterval.count()));
    }
}

DrainJob::DrainJob(Cluster cluster, DrainOptions options, std::unique_ptr<RemoteHost> host,
                   ConfigEditor editor)
    : m_cluster(std::move(cluster)), m_options(std::move(options)), m_host(std::move(host)),
      m_editor(std::move(editor))
{
    qRegisterMetaType<DrainProgress>();
    qRegisterMetaType<DrainReport>();
    qRegisterMetaType<DrainPlan>();
}

DrainJob::~DrainJob() = default;

DrainReport DrainJob::run()
{
    Runner runner(*this);
    return runner.run();
}

DrainPlan DrainJob::plan()
{
    Runner runner(*this);
    return runner.plan();
}

void DrainJob::startPlan(QThreadPool &pool)
{
    pool.start([this] {
        const DrainPlan result = plan();
        emit planned(result);
    });
}

void DrainJob::start(QThreadPool &pool)
{
    pool.start([this] {
        const DrainReport report = run();
        emit finished(report);
    });
}

} // namespace clusterdeck
