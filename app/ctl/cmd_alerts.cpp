#include "alerts/alert_engine.h"
#include "cluster/inventory_loader.h"
#include "command_line.h"
#include "commands.h"
#include "round_collection.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>
#include <cmath>
#include <cstdio>

namespace clusterdeck::ctl {

namespace {

constexpr int kMaxSpanMs = 10 * 60 * 1000;

QJsonValue jsonNumber(double value)
{
    return std::isfinite(value) ? QJsonValue(value) : QJsonValue(QJsonValue::Null);
}

qint64 forOf(const AlertEngine &engine, const QString &rule)
{
    for (const AlertRule &r : engine.rules())
        if (r.name == rule)
            return r.forMs;
    return 0;
}

QString seconds(qint64 ms)
{
    return QString::number(double(ms) / 1000.0, 'g', 4) + QLatin1Char('s');
}

QString spanNote(qint64 spanMs)
{
    return QStringLiteral(
               "2 rounds %1 apart: an alert whose 'for' is longer than that is reported pending, not "
               "firing (--span sets the time between the rounds)")
        .arg(seconds(spanMs));
}

void printTable(const Cluster &cluster, const AlertEngine &engine, const CollectionRound &last, qint64 spanMs)
{
    QTextStream out(stdout);
    const QList<Alert> active = engine.activeAlerts();
    const auto firing = std::count_if(active.begin(), active.end(),
                                      [](const Alert &a) { return a.state == AlertState::Firing; });
    out << "cluster " << cluster.name << ": " << firing << " firing, " << (active.size() - firing)
        << " pending\n";
    out << spanNote(spanMs) << "\n";
    if (!active.isEmpty()) {
        out << QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8\n")
                   .arg(QStringLiteral("STATE"), -8)
                   .arg(QStringLiteral("SEVERITY"), -9)
                   .arg(QStringLiteral("RULE"), -17)
                   .arg(QStringLiteral("TARGET"), -24)
                   .arg(QStringLiteral("VALUE"), -10)
                   .arg(QStringLiteral("THRESHOLD"), -10)
                   .arg(QStringLiteral("FOR"), -6)
                   .arg(QStringLiteral("DETAIL"));
        for (const Alert &alert : active)
            out << QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8\n")
                       .arg(alertStateName(alert.state), -8)
                       .arg(alertSeverityName(alert.severity), -9)
                       .arg(alert.rule, -17)
                       .arg(alert.subject(), -24)
                       .arg(alert.kpi ? alert.valueText() : QStringLiteral("-"), -10)
                       .arg(alert.thresholdText().isEmpty() ? QStringLiteral("-") : alert.thresholdText(),
                            -10)
                       .arg(seconds(forOf(engine, alert.rule)), -6)
                       .arg(alert.noData ? QStringLiteral("no data in the last round") : alert.detail);
    }
    const QList<ConsumerLagStatus> groups = engine.lagStatuses();
    if (!groups.isEmpty()) {
        out << "\nconsumer groups (lag status over the rounds, Burrow's rules)\n";
        for (const ConsumerLagStatus &group : groups)
            out << QStringLiteral("%1 %2 lag %3 %4\n")
                       .arg(group.target, -12)
                       .arg(group.group, -24)
                       .arg(formatKpiValue(KpiId::KafkaConsumerLag, group.lag), -10)
                       .arg(lagStatusName(group.status));
    }
    for (const ScrapeFailure &error : last.errors)
        out << "scrape error: " << error.target << ": " << error.reason << '\n';
}

void printJson(const Cluster &cluster, const AlertEngine &engine, const CollectionRound &last, qint64 spanMs)
{
    QJsonArray alerts;
    int firing = 0;
    for (const Alert &alert : engine.activeAlerts()) {
        firing += alert.state == AlertState::Firing ? 1 : 0;
        QJsonObject entry{{QStringLiteral("rule"), alert.rule},
                          {QStringLiteral("target"), alert.target},
                          {QStringLiteral("severity"), alertSeverityName(alert.severity)},
                          {QStringLiteral("state"), alertStateName(alert.state)},
                          {QStringLiteral("for_ms"), forOf(engine, alert.rule)},
                          {QStringLiteral("since_ms"), alert.sinceMs},
                          {QStringLiteral("no_data"), alert.noData}};
        if (!alert.instance.isEmpty())
            entry.insert(QStringLiteral("instance"), alert.instance);
        if (alert.kpi) {
            entry.insert(QStringLiteral("kpi"), kpiName(*alert.kpi));
            entry.insert(QStringLiteral("value"), jsonNumber(alert.value));
            entry.insert(QStringLiteral("value_text"), alert.valueText());
        }
        if (alert.threshold.isSet()) {
            entry.insert(QStringLiteral("threshold"), alert.threshold.value);
            entry.insert(QStringLiteral("threshold_text"), alert.thresholdText());
        }
        if (!alert.detail.isEmpty())
            entry.insert(QStringLiteral("detail"), alert.detail);
        alerts.append(entry);
    }
    QJsonArray groups;
    for (const ConsumerLagStatus &group : engine.lagStatuses())
        groups.append(QJsonObject{{QStringLiteral("target"), group.target},
                                  {QStringLiteral("group"), group.group},
                                  {QStringLiteral("status"), lagStatusName(group.status)},
                                  {QStringLiteral("lag"), jsonNumber(group.lag)},
                                  {QStringLiteral("offset"), jsonNumber(group.offset)}});
    QJsonArray errors;
    for (const ScrapeFailure &error : last.errors)
        errors.append(QJsonObject{{QStringLiteral("target"), error.target},
                                  {QStringLiteral("url"), error.url},
                                  {QStringLiteral("reason"), error.reason}});
    const QJsonObject root{
        {QStringLiteral("cluster"), cluster.name},           {QStringLiteral("span_ms"), spanMs},
        {QStringLiteral("note"), spanNote(spanMs)},          {QStringLiteral("firing"), firing},
        {QStringLiteral("pending"), alerts.size() - firing}, {QStringLiteral("alerts"), alerts},
        {QStringLiteral("consumer_groups"), groups},         {QStringLiteral("scrape_errors"), errors}};
    std::fputs(QJsonDocument(root).toJson(QJsonDocument::Indented).constData(), stdout);
}

} // namespace

int runAlerts(const QStringList &args)
{
    CommandLine command(
        QStringLiteral("alerts"),
        QStringLiteral("--cluster FILE [--json] [--source direct|prometheus] [--span DURATION]"),
        QStringLiteral("Evaluate the cluster's alert rules over two collection rounds; exit 1 if "
                       "any fires, 0 if none does (pending ones included)."));
    const QCommandLineOption clusterOption(QStringLiteral("cluster"),
                                           QStringLiteral("cluster inventory file"), QStringLiteral("FILE"));
    const QCommandLineOption jsonOption(QStringLiteral("json"),
                                        QStringLiteral("print JSON instead of a table"));
    const QCommandLineOption sourceOption = metricsSourceOption();
    const QCommandLineOption spanOption(
        QStringLiteral("span"),
        QStringLiteral("time between the two rounds (default 1s, or the scrape interval if shorter; at most "
                       "10m); a rule fires only if its 'for' is not longer"),
        QStringLiteral("DURATION"));
    command.addOption(clusterOption);
    command.addOption(jsonOption);
    command.addOption(sourceOption);
    command.addOption(spanOption);
    if (const std::optional<int> exit = command.parse(args, 0, 0))
        return *exit;
    if (!command.isSet(clusterOption))
        return command.usageError(QStringLiteral("--cluster FILE is required"));
    std::optional<int> spanMs;
    if (command.isSet(spanOption)) {
        spanMs = parseDurationMs(command.value(spanOption));
        if (!spanMs || *spanMs < 100 || *spanMs > kMaxSpanMs)
            return command.usageError(QStringLiteral("--span takes a duration from 100ms to 10m, not '%1'")
                                          .arg(command.value(spanOption)));
    }
    const Result<Cluster> cluster = loadClusterForRounds(command, clusterOption, sourceOption);
    if (!cluster)
        return 2;
    const QList<CollectionRound> rounds =
        collectRounds(*cluster, 2, spanMs.value_or(defaultRoundGapMs(*cluster)));
    AlertEngine engine(*cluster, 2);
    for (const CollectionRound &round : rounds)
        engine.evaluateRound(round);
    const qint64 actualSpanMs = rounds.last().startedMs - rounds.first().startedMs;
    if (command.isSet(jsonOption))
        printJson(*cluster, engine, rounds.last(), actualSpanMs);
    else
        printTable(*cluster, engine, rounds.last(), actualSpanMs);
    return engine.anyFiring() ? 1 : 0;
}

} // namespace clusterdeck::ctl
