// The alert engine over synthetic rounds with explicit times: `for` durations, resolving, flapping, missing
// data, the inventory's overrides, target_down and consumer_stalled. No clock: each round carries its time.
#include "alerts/alert_engine.h"
#include "cluster/inventory_loader.h"
#include "metrics/collector.h"

#include <QTest>

using namespace clusterdeck;

class TestAlertEngine : public QObject {
    Q_OBJECT
private slots:
    void forDuration_data();
    void forDuration();
    void rulesTakeDefaultsAndOverrides();
    void disabledRuleNeverFires();
    void targetDown();
    void consumerStalled();
    void prometheusModeLeavesStatusesAlone();
    void transitionMessages();
};

namespace {

constexpr qint64 kT0 = 1'700'000'000'000;

Cluster loadCluster(const QByteArray &extra)
{
    const QByteArray yaml = "name: t\n" + extra +
                            "nodes:\n"
                            "  - {name: was1, role: was, metrics: http://127.0.0.1:1/actuator/prometheus}\n"
                            "  - {name: kafka, role: kafka, metrics: http://127.0.0.1:2/metrics}\n";
    const auto outcome = InventoryLoader::loadText(yaml, QStringLiteral("t.yaml"));
    if (!outcome.problems.isEmpty())
        qFatal("%s", qPrintable(formatProblems(QStringLiteral("t.yaml"), outcome.problems)));
    return outcome.cluster;
}

KpiPoint point(const QString &target, KpiId kpi, double value, qint64 at, const QString &instance = {})
{
    return KpiPoint{KpiKey{target, kpiName(kpi), instance}, at, value};
}

QString describe(const QList<AlertTransition> &transitions, qint64 t0)
{
    QStringList parts;
    for (const AlertTransition &t : transitions)
        parts << QStringLiteral("%1@%2").arg(t.name()).arg((t.alert.changedMs - t0) / 1000);
    return parts.join(QLatin1Char(','));
}

} // namespace

using Doubles = QList<double>;

void TestAlertEngine::forDuration_data()
{
    QTest::addColumn<QString>("forText");
    QTest::addColumn<Doubles>("p95"); // one value per round, rounds 5 s apart; the limit is 3 s
    QTest::addColumn<QString>("transitions");
    QTest::addColumn<QString>("finalState");

    const double nan = std::nan("");
    QTest::newRow("fires once for has elapsed") << "10s" << Doubles{4, 4, 4} << "pending@0,firing@10"
                                                << "firing";
    QTest::newRow("not before") << "10s" << Doubles{4, 4} << "pending@0"
                                << "pending";
    QTest::newRow("for 0 fires at once") << "0s" << Doubles{4} << "firing@0"
                                         << "firing";
    QTest::newRow("at the limit is not over it") << "0s" << Doubles{3, 3} << ""
                                                 << "inactive";
    QTest::newRow("resolves") << "0s" << Doubles{4, 4, 1} << "firing@0,resolved@10"
                              << "inactive";
    QTest::newRow("one spike pages nobody") << "10s" << Doubles{1, 4, 1, 1} << "pending@5,cleared@10"
                                            << "inactive";
    QTest::newRow("flapping restarts the clock")
        << "10s" << Doubles{4, 4, 1, 4, 4} << "pending@0,cleared@10,pending@15"
        << "pending";
    QTest::newRow("flapping while firing resolves and pends again")
        << "5s" << Doubles{4, 4, 1, 4} << "pending@0,firing@5,resolved@10,pending@15"
        << "pending";
    QTest::newRow("no data does not fire a pending alert") << "10s" << Doubles{4, nan, nan} << "pending@0"
                                                           << "pending";
    QTest::newRow("no data holds the clock; data decides")
        << "10s" << Doubles{4, nan, nan, 4} << "pending@0,firing@15"
        << "firing";
    QTest::newRow("no data does not resolve") << "0s" << Doubles{4, nan, nan} << "firing@0"
                                              << "firing";
    QTest::newRow("no data never starts an alert") << "0s" << Doubles{nan, nan} << ""
                                                   << "inactive";
}

void TestAlertEngine::forDuration()
{
    QFETCH(QString, forText);
    QFETCH(Doubles, p95);
    QFETCH(QString, transitions);
    QFETCH(QString, finalState);
    AlertEngine engine(loadCluster("alerts:\n  latency_p95: {for: " + forText.toUtf8() + "}\n"));
    QList<AlertTransition> all;
    for (qsizetype i = 0; i < p95.size(); ++i) {
        const qint64 at = kT0 + i * 5000;
        all +=
            engine.evaluate(at, nullptr, {point(QStringLiteral("was1"), KpiId::WasLatencyP95, p95[i], at)});
    }
    QCOMPARE(describe(all, kT0), transitions);
    const QList<Alert> active = engine.activeAlerts();
    QCOMPARE(active.isEmpty() ? QStringLiteral("inactive") : alertStateName(active.first().state),
             finalState);
    QCOMPARE(engine.anyFiring(), finalState == QLatin1String("firing"));
    if (!active.isEmpty()) {
        QCOMPARE(active.first().target, QStringLiteral("was1"));
        QCOMPARE(active.first().noData, std::isnan(p95.last()));
    }
}

void TestAlertEngine::rulesTakeDefaultsAndOverrides()
{
    const auto find = [](const QList<AlertRule> &rules, const char *name) {
        return *std::find_if(rules.begin(), rules.end(),
                             [&](const AlertRule &r) { return r.name == QLatin1String(name); });
    };
    const QList<AlertRule> defaults = alertRulesFor(loadCluster(""));
    QCOMPARE(defaults.size(), alertRuleNames().size());
    QCOMPARE(find(defaults, "latency_p95").threshold.value, 3.0); // the catalogue's SLO default
    QCOMPARE(find(defaults, "error_ratio").threshold.value, 0.01);
    QCOMPARE(find(defaults, "consumer_lag").threshold.value, 1000.0);
    QCOMPARE(find(defaults, "redis_down").threshold.direction, KpiThreshold::Direction::Below);
    QCOMPARE(find(defaults, "target_down").forMs, kDefaultDownForMs);
    QVERIFY(std::all_of(defaults.begin(), defaults.end(), [](const AlertRule &r) { return r.enabled; }));

    // `thresholds:` moves the default; `alerts:` wins over both.
    const QList<AlertRule> edited = alertRulesFor(
        loadCluster("thresholds: {latency_p95: 2s, consumer_lag: 50}\n"
                    "alerts:\n  latency_p95: {threshold: 1500ms, for: 1m}\n  db_down: {for: 0s}\n"));
    QCOMPARE(find(edited, "latency_p95").threshold.value, 1.5);
    QCOMPARE(find(edited, "latency_p95").forMs, qint64(60000));
    QCOMPARE(find(edited, "consumer_lag").threshold.value, 50.0);
    QCOMPARE(find(edited, "db_down").forMs, qint64(0));
}

void TestAlertEngine::disabledRuleNeverFires()
{
    AlertEngine engine(loadCluster("alerts:\n  error_ratio: {for: 0s, enabled: false}\n"));
    const auto out =
        engine.evaluate(kT0, nullptr, {point(QStringLiteral("was1"), KpiId::WasErrorRatio, 0.5, kT0)});
    QVERIFY(out.isEmpty());
    QVERIFY(engine.activeAlerts().isEmpty());
}

void TestAlertEngine::targetDown()
{
    AlertEngine engine(loadCluster("alerts:\n  target_down: {for: 5s}\n"));
    const auto round = [](qint64 at, TargetStatus::State was1) {
        CollectionRound r;
        r.startedMs = at;
        TargetStatus a;
        a.name = QStringLiteral("was1");
        a.state = was1;
        a.reason =
            was1 == TargetStatus::State::Down ? QStringLiteral("health: HTTP 503, status DOWN") : QString();
        TargetStatus b;
        b.name = QStringLiteral("kafka");
        b.state = TargetStatus::State::Up;
        r.statuses = {a, b};
        return r;
    };
    QList<AlertTransition> all;
    all += engine.evaluateRound(round(kT0, TargetStatus::State::Down));
    all += engine.evaluateRound(round(kT0 + 5000, TargetStatus::State::Unknown)); // no data: held
    QCOMPARE(describe(all, kT0), QStringLiteral("pending@0"));
    all += engine.evaluateRound(round(kT0 + 10000, TargetStatus::State::Down));
    QCOMPARE(describe(all, kT0), QStringLiteral("pending@0,firing@10"));
    QCOMPARE(all.last().alert.detail, QStringLiteral("health: HTTP 503, status DOWN"));
    QCOMPARE(all.last().alert.severity, AlertSeverity::Critical);
    QCOMPARE(engine.activeAlerts().size(), 1); // kafka is up
    all += engine.evaluateRound(round(kT0 + 15000, TargetStatus::State::Up));
    QCOMPARE(describe(all, kT0), QStringLiteral("pending@0,firing@10,resolved@15"));
}

void TestAlertEngine::consumerStalled()
{
    AlertEngine engine(
        loadCluster("alerts:\n  consumer_stalled: {for: 0s}\n  consumer_lag: {threshold: 10, for: 0s}\n"), 3);
    const QString kafka = QStringLiteral("kafka");
    const QString group = QStringLiteral("g1");
    const auto points = [&](qint64 at, double offset, double lag) {
        return KpiPoints{point(kafka, KpiId::KafkaConsumerLag, lag, at, group),
                         point(kafka, KpiId::KafkaConsumerOffset, offset, at, group),
                         point(kafka, KpiId::KafkaConsumerMembers, 1, at, group)};
    };
    QList<AlertTransition> all;
    all += engine.evaluate(kT0, nullptr, points(kT0, 100, 2));
    all += engine.evaluate(kT0 + 5000, nullptr, points(kT0 + 5000, 110, 1));
    QVERIFY(all.isEmpty());
    QCOMPARE(engine.lagStatuses().size(), 1);
    QCOMPARE(engine.lagStatuses().first().status, LagStatus::Ok);
    // The consumer stops moving while messages keep coming: STALLED, and the lag passes its threshold.
    all += engine.evaluate(kT0 + 10000, nullptr, points(kT0 + 10000, 110, 8));
    all += engine.evaluate(kT0 + 15000, nullptr, points(kT0 + 15000, 110, 12));
    QCOMPARE(engine.lagStatuses().first().status, LagStatus::Stalled);
    QCOMPARE(engine.lagStatuses().first().lag, 12.0);
    QStringList names;
    for (const AlertTransition &t : all)
        names << t.name() + QLatin1Char(' ') + t.alert.rule + QLatin1Char(' ') + t.alert.subject();
    QCOMPARE(names, QStringList({QStringLiteral("firing consumer_lag kafka/g1"),
                                 QStringLiteral("firing consumer_stalled kafka/g1")}));
    const QList<Alert> active = engine.activeAlerts();
    QCOMPARE(active.size(), 2);
    QCOMPARE(active.last().detail, QStringLiteral("STALLED"));
    // It catches up: both resolve.
    const auto resolved = engine.evaluate(kT0 + 20000, nullptr, points(kT0 + 20000, 122, 0));
    QCOMPARE(resolved.size(), 2);
    QVERIFY(engine.activeAlerts().isEmpty());
}

void TestAlertEngine::prometheusModeLeavesStatusesAlone()
{
    AlertEngine engine(loadCluster("alerts:\n  target_down: {for: 0s}\n"));
    CollectionRound round;
    round.startedMs = kT0;
    TargetStatus down;
    down.name = QStringLiteral("was1");
    down.state = TargetStatus::State::Down;
    round.statuses = {down};
    QCOMPARE(engine.evaluateRound(round).size(), 1);
    // KPI points alone (Prometheus mode) neither resolve nor touch target_down.
    QVERIFY(engine.evaluate(kT0 + 5000, nullptr, {point(QStringLiteral("was1"), KpiId::WasTps, 5, kT0)})
                .isEmpty());
    QCOMPARE(engine.activeAlerts().size(), 1);
}

void TestAlertEngine::transitionMessages()
{
    AlertEngine engine(loadCluster("alerts:\n  latency_p95: {for: 0s}\n"));
    const auto out =
        engine.evaluate(kT0, nullptr, {point(QStringLiteral("was1"), KpiId::WasLatencyP95, 4.2, kT0)});
    QCOMPARE(out.size(), 1);
    const QString message = out.first().message();
    QVERIFY2(message.startsWith(QLatin1String("firing: latency_p95 was1: 4.2s (limit > 3s)")),
             qPrintable(message));
    QCOMPARE(out.first().alert.valueText(), QStringLiteral("4.2s"));
}

QTEST_APPLESS_MAIN(TestAlertEngine)
#include "tst_alert_engine.moc"
