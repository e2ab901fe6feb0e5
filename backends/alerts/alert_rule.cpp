#include "alerts/alert_rule.h"

#include "cluster/cluster.h"
#include "metrics/kpi_catalog.h"

namespace clusterdeck {

QString alertSeverityName(AlertSeverity severity)
{
    return severity == AlertSeverity::Critical ? QStringLiteral("critical") : QStringLiteral("warning");
}

namespace {

AlertRule kpiRule(const QString &name, const QString &summary, KpiId kpi, AlertSeverity severity,
                  qint64 forMs, const Cluster &cluster)
{
    AlertRule rule;
    rule.name = name;
    rule.summary = summary;
    rule.subject = AlertSubject::Kpi;
    rule.kpi = kpi;
    rule.threshold = thresholdFor(kpi, cluster);
    rule.severity = severity;
    rule.forMs = forMs;
    return rule;
}

} // namespace

QList<AlertRule> alertRulesFor(const Cluster &cluster)
{
    QList<AlertRule> rules;
    AlertRule down;
    down.name = QStringLiteral("target_down");
    down.summary = QStringLiteral("a node or gateway does not answer (or reports itself down)");
    down.subject = AlertSubject::TargetDown;
    down.severity = AlertSeverity::Critical;
    down.forMs = kDefaultDownForMs;
    rules << down;
    rules << kpiRule(QStringLiteral("redis_down"), QStringLiteral("redis_exporter cannot reach Redis"),
                     KpiId::RedisUp, AlertSeverity::Critical, kDefaultDownForMs, cluster);
    rules << kpiRule(QStringLiteral("db_down"), QStringLiteral("mysqld_exporter cannot reach the database"),
                     KpiId::DbUp, AlertSeverity::Critical, kDefaultDownForMs, cluster);
    rules << kpiRule(QStringLiteral("latency_p95"), QStringLiteral("WAS p95 latency over the target"),
                     KpiId::WasLatencyP95, AlertSeverity::Warning, kDefaultKpiForMs, cluster);
    rules << kpiRule(QStringLiteral("error_ratio"), QStringLiteral("WAS 5xx share over the limit"),
                     KpiId::WasErrorRatio, AlertSeverity::Critical, kDefaultKpiForMs, cluster);
    rules << kpiRule(QStringLiteral("consumer_lag"), QStringLiteral("consumer group lag over its threshold"),
                     KpiId::KafkaConsumerLag, AlertSeverity::Warning, kDefaultKpiForMs, cluster);
    AlertRule stalled;
    stalled.name = QStringLiteral("consumer_stalled");
    stalled.summary = QStringLiteral("consumer group STALLED or STOPPED (Burrow's lag evaluation)");
    stalled.subject = AlertSubject::ConsumerLag;
    stalled.kpi = KpiId::KafkaConsumerLag;
    stalled.severity = AlertSeverity::Critical;
    stalled.forMs = kDefaultKpiForMs;
    rules << stalled;
    Q_ASSERT(rules.size() == alertRuleNames().size());

    for (AlertRule &rule : rules) {
        const auto it = cluster.alertOverrides.constFind(rule.name);
        if (it == cluster.alertOverrides.constEnd())
            continue;
        if (it->threshold && rule.threshold.isSet())
            rule.threshold.value = *it->threshold;
        if (it->forMs)
            rule.forMs = *it->forMs;
        if (it->enabled)
            rule.enabled = *it->enabled;
    }
    return rules;
}

} // namespace clusterdeck
