#include "cluster/inventory_loader.h"
#include "command_line.h"
#include "commands.h"
#include "common/url_text.h"
#include "metrics/collector.h"
#include "metrics/kpi_engine.h"
#include "round_collection.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>
#include <cmath>
#include <cstdio>
#include <map>

namespace clusterdeck::ctl {

namespace {

// The round's points grouped by target, in catalog order, instances sorted ("" first).
std::map<QString, QList<KpiPoint>> pointsByTarget(const KpiPoints &points)
{
    std::map<QString, QList<KpiPoint>> byTarget;
    for (const KpiPoint &point : points)
        byTarget[point.key.target].append(point);
    for (auto &[target, list] : byTarget) {
        std::stable_sort(list.begin(), list.end(), [](const KpiPoint &a, const KpiPoint &b) {
            const int ia = int(kpiIdFromName(a.key.kpi).value_or(KpiId(0)));
            const int ib = int(kpiIdFromName(b.key.kpi).value_or(KpiId(0)));
            if (ia != ib)
                return ia < ib;
            return a.key.instance < b.key.instance;
        });
    }
    return byTarget;
}

QString formatPoint(const KpiPoint &point)
{
    const std::optional<KpiId> id = kpiIdFromName(point.key.kpi);
    return id ? formatKpiValue(*id, point.value) : QString::number(point.value);
}

void printTable(const Cluster &cluster, const CollectionRound &round, int gapMs)
{
    QTextStream out(stdout);
    out << "cluster " << cluster.name << '\n';
    out << QStringLiteral("%1 %2 %3 %4 %5\n")
               .arg(QStringLiteral("TARGET"), -12)
               .arg(QStringLiteral("KIND"), -8)
               .arg(QStringLiteral("STATE"), -6)
               .arg(QStringLiteral("MS"), 5)
               .arg(QStringLiteral("DETAIL"));
    for (const TargetStatus &status : round.statuses) {
        out << QStringLiteral("%1 %2 %3 %4 %5\n")
                   .arg(status.name, -12)
                   .arg(status.kindName(), -8)
                   .arg(stateName(status.state), -6)
                   .arg(status.latencyMs < 0 ? QStringLiteral("-") : QString::number(status.latencyMs), 5)
                   .arg(status.reason.isEmpty()
                            ? status.endpoint
                            : status.reason + QStringLiteral(" (") + status.endpoint + QLatin1Char(')'));
    }

    if (cluster.metricsSource == MetricsSource::Prometheus)
        out << "\nKPIs (PromQL on " << redactUrl(cluster.prometheusUrl) << ")\n";
    else
        out << "\nKPIs (rates over the " << QString::number(gapMs / 1000.0, 'g', 3)
            << " s between two scrapes)\n";
    out << QStringLiteral("%1 %2 %3 %4\n")
               .arg(QStringLiteral("TARGET"), -12)
               .arg(QStringLiteral("KPI"), -26)
               .arg(QStringLiteral("INSTANCE"), -18)
               .arg(QStringLiteral("VALUE"));
    const auto byTarget = pointsByTarget(round.points);
    // Inventory order, then the cluster-wide KPIs.
    QStringList order;
    for (const TargetStatus &status : round.statuses)
        order << status.name;
    order << clusterTarget();
    for (const QString &target : order) {
        const auto it = byTarget.find(target);
        if (it == byTarget.end())
            continue;
        for (const KpiPoint &point : it->second) {
            out << QStringLiteral("%1 %2 %3 %4\n")
                       .arg(target, -12)
                       .arg(point.key.kpi, -26)
                       .arg(point.key.instance.isEmpty() ? QStringLiteral("-") : point.key.instance, -18)
                       .arg(formatPoint(point));
        }
    }
    for (const ScrapeFailure &error : round.errors)
        out << "scrape error: " << error.target << ": " << error.reason << '\n';
}

QJsonValue jsonNumber(double value)
{
    return std::isfinite(value) ? QJsonValue(value) : QJsonValue(QJsonValue::Null);
}

QJsonArray kpisJson(const QList<KpiPoint> &points)
{
    QJsonArray list;
    for (const KpiPoint &point : points) {
        QJsonObject entry{{QStringLiteral("kpi"), point.key.kpi},
                          {QStringLiteral("value"), jsonNumber(point.value)},
                          {QStringLiteral("text"), formatPoint(point)}};
        if (!point.key.instance.isEmpty())
            entry.insert(QStringLiteral("instance"), point.key.instance);
        if (const KpiInfo *info = findKpi(point.key.kpi)) {
            if (info->unit == KpiUnit::State)
                entry.insert(QStringLiteral("state"), gatewayServerStateName(point.value));
        }
        list.append(entry);
    }
    return list;
}

void printJson(const Cluster &cluster, const CollectionRound &round, int gapMs)
{
    const auto byTarget = pointsByTarget(round.points);
    QJsonArray targets;
    for (const TargetStatus &status : round.statuses) {
        QJsonObject entry{
            {QStringLiteral("name"), status.name},         {QStringLiteral("kind"), status.kindName()},
            {QStringLiteral("gateway"), status.isGateway}, {QStringLiteral("state"), stateName(status.state)},
            {QStringLiteral("endpoint"), status.endpoint}, {QStringLiteral("latency_ms"), status.latencyMs}};
        if (!status.reason.isEmpty())
            entry.insert(QStringLiteral("reason"), status.reason);
        const auto it = byTarget.find(status.name);
        entry.insert(QStringLiteral("kpis"), it == byTarget.end() ? QJsonArray() : kpisJson(it->second));
        targets.append(entry);
    }
    QJsonObject root{{QStringLiteral("cluster"), cluster.name},
                     {QStringLiteral("rate_window_ms"), gapMs},
                     {QStringLiteral("source"), cluster.metricsSource == MetricsSource::Prometheus
                                                    ? QStringLiteral("prometheus")
                                                    : QStringLiteral("direct")},
                     {QStringLiteral("targets"), targets}};
    const auto clusterIt = byTarget.find(clusterTarget());
    root.insert(QStringLiteral("cluster_kpis"),
                clusterIt == byTarget.end() ? QJsonArray() : kpisJson(clusterIt->second));
    QJsonArray errors;
    for (const ScrapeFailure &error : round.errors)
        errors.append(QJsonObject{{QStringLiteral("target"), error.target},
                                  {QStringLiteral("url"), error.url},
                                  {QStringLiteral("reason"), error.reason}});
    root.insert(QStringLiteral("scrape_errors"), errors);
    std::fputs(QJsonDocument(root).toJson(QJsonDocument::Indented).constData(), stdout);
}

} // namespace

int runStatus(const QStringList &args)
{
    CommandLine command(
        QStringLiteral("status"), QStringLiteral("--cluster FILE [--json] [--source direct|prometheus]"),
        QStringLiteral(
            "Probe every node and gateway of a cluster and print its KPIs; exit 1 if any is down."));
    const QCommandLineOption clusterOption(QStringLiteral("cluster"),
                                           QStringLiteral("cluster inventory file"), QStringLiteral("FILE"));
    const QCommandLineOption jsonOption(QStringLiteral("json"),
                                        QStringLiteral("print JSON instead of a table"));
    const QCommandLineOption sourceOption = metricsSourceOption();
    command.addOption(clusterOption);
    command.addOption(jsonOption);
    command.addOption(sourceOption);
    if (const std::optional<int> exit = command.parse(args, 0, 0))
        return *exit;
    if (!command.isSet(clusterOption))
        return command.usageError(QStringLiteral("--cluster FILE is required"));
    Result<Cluster> cluster = loadClusterForRounds(command, clusterOption, sourceOption);
    if (!cluster)
        return 2; // said on stderr
    const int gapMs = defaultRoundGapMs(*cluster);
    const CollectionRound round = collectRounds(*cluster, 2, gapMs).last();
    if (command.isSet(jsonOption))
        printJson(*cluster, round, gapMs);
    else
        printTable(*cluster, round, gapMs);
    const bool anyDown =
        std::any_of(round.statuses.begin(), round.statuses.end(),
                    [](const TargetStatus &status) { return status.state != TargetStatus::State::Up; });
    return anyDown ? 1 : 0;
}

} // namespace clusterdeck::ctl
