#pragma once
// Helpers of the drain tests on the lab (tst_drain_lab, tst_drain_load_lab): what a node served, the gateway
// files as they were, and `lab load` in a process group of its own.

#include "cluster/inventory_loader.h"
#include "gateway/haproxy_runtime.h"
#include "gateway/http_over_host.h"
#include "lab_client.h"
#include "metrics/exposition_parser.h"
#include "metrics/metric_page.h"
#include "remote/local_host.h"

#include <QProcess>
#include <QRegularExpression>
#include <csignal>
#include <sys/types.h>

namespace drain_lab {

using namespace std::chrono_literals;

// The node's own count of served (non-actuator) requests, from its /actuator/prometheus page; -1 if unread.
inline double nodeRequests(const clusterdeck::Node &node)
{
    using namespace clusterdeck;
    LocalHost host;
    const Result<HttpResponse> page =
        httpOverHost(host, node.metricsUrl, "GET", node.metricsUrl.path().toUtf8(), 5s);
    if (!page)
        return -1;
    MetricPage parsed;
    ExpositionParser parser;
    if (parser.parse(page->body, ExpositionFormat::PrometheusText, parsed))
        return -1;
    double sum = 0;
    for (const SampleView sample : parsed.samplesNamed("http_server_requests_seconds_count"))
        if (!sample.label("uri").value_or("").starts_with("/actuator"))
            sum += sample.value();
    return sum;
}

inline QByteArray readAll(const QString &path)
{
    clusterdeck::LocalHost host;
    const clusterdeck::Result<QByteArray> bytes = host.readFile(path, 5s);
    return bytes ? *bytes : QByteArray();
}

inline clusterdeck::Cluster labCluster(const QString &labDir, const QString &kind)
{
    const clusterdeck::Result<clusterdeck::Cluster> loaded =
        clusterdeck::loadClusterFile(labDir + QStringLiteral("/cluster-%1.yaml").arg(kind));
    if (!loaded)
        qFatal("cannot load the lab's %s inventory: %s", qPrintable(kind),
               qPrintable(loaded.error().toString()));
    return *loaded;
}

// Puts both gateways' files back as they were found (reloading Caddy if its file changed), every HAProxy
// server back to ready, and removes the jobs' backups. Returns false if a write or a reload failed.
inline bool restoreGateways(const QString &labDir, const QByteArray &haproxyCfg, const QByteArray &caddyfile)
{
    using namespace clusterdeck;
    LocalHost host;
    bool ok = true;
    const Cluster haproxy = labCluster(labDir, QStringLiteral("haproxy"));
    const Gateway &hg = haproxy.gateways.first();
    if (readAll(hg.configPath) != haproxyCfg)
        ok = host.writeFileAtomic(hg.configPath, haproxyCfg, 5s).ok() && ok;
    HaproxyRuntime runtime(host, hg.adminSocket, 5s);
    for (const char *server : {"was1", "was2", "was3"})
        runtime.setServerState(hg.backend, QString::fromLatin1(server), HaproxyAdminCommand::Ready);
    const Cluster caddy = labCluster(labDir, QStringLiteral("caddy"));
    const Gateway &cg = caddy.gateways.first();
    if (readAll(cg.configPath) != caddyfile) {
        ok = host.writeFileAtomic(cg.configPath, caddyfile, 5s).ok() && ok;
        const Result<CommandResult> reload = host.run(cg.reloadCommand, 30s);
        ok = reload && reload->exitStatus == 0 && ok;
    }
    host.run(QStringLiteral("rm -f '%1'/gw/*.clusterdeck-backup-*").arg(labDir), 5s);
    return ok;
}

// `lab load` in a session of its own, so that stopLoad() can end it together with its wrk.
inline void startLoad(QProcess &load, const QString &gateway, const QStringList &options)
{
    load.start(QStringLiteral("setsid"),
               QStringList{QStringLiteral(CLUSTERDECK_LAB_SCRIPT), QStringLiteral("load"),
                           QStringLiteral("--gateway"), gateway} +
                   options);
}

inline void stopLoad(QProcess &load)
{
    if (load.state() != QProcess::NotRunning) {
        // `lab load` runs wrk as its child: end the whole process group, or wrk keeps loading the lab.
        ::kill(-pid_t(load.processId()), SIGTERM);
        load.waitForFinished(10000);
    }
}

// The figures of `lab load`'s last line ("lab-load: ... requests=N ... non2xx=K ... socket_errors=S ...").
struct LoadResult {
    bool ok = false;
    qint64 requests = 0, non2xx = 0, socketErrors = 0;
    QString line;
};

inline LoadResult loadResult(const QByteArray &output)
{
    LoadResult result;
    for (const QByteArray &line : output.split('\n'))
        if (line.startsWith("lab-load:"))
            result.line = QString::fromUtf8(line);
    const QRegularExpressionMatch match =
        QRegularExpression(QStringLiteral(R"( requests=(\d+) .* non2xx=(\d+) .* socket_errors=(\d+) )"))
            .match(result.line);
    if (!match.hasMatch())
        return result;
    result.ok = true;
    result.requests = match.captured(1).toLongLong();
    result.non2xx = match.captured(2).toLongLong();
    result.socketErrors = match.captured(3).toLongLong();
    return result;
}

} // namespace drain_lab
