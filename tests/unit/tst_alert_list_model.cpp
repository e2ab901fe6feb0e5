// The alert list the alerts page shows, under QAbstractItemModelTester, fed through AlertMonitor as the
// window would feed it (the collector's rounds), with the transition signal the tray notification connects
// to.
#include "alerts/alert_list_model.h"
#include "alerts/alert_monitor.h"
#include "cluster/inventory_loader.h"
#include "metrics/collector.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace clusterdeck;

class TestAlertListModel : public QObject {
    Q_OBJECT
private slots:
    void followsTheRounds();
    void syncKeepsTheEnginesOrder();
};

namespace {

constexpr qint64 kT0 = 1'700'000'000'000;

Cluster cluster()
{
    const QByteArray yaml = "name: t\n"
                            "alerts:\n  target_down: {for: 5s}\n  error_ratio: {for: 0s}\n"
                            "nodes:\n"
                            "  - {name: was1, role: was, metrics: http://127.0.0.1:1/actuator/prometheus}\n"
                            "  - {name: was2, role: was, metrics: http://127.0.0.1:2/actuator/prometheus}\n";
    const auto outcome = InventoryLoader::loadText(yaml, QStringLiteral("t.yaml"));
    Q_ASSERT(outcome.problems.isEmpty());
    return outcome.cluster;
}

CollectionRound round(qint64 at, bool was2Down, double was1Errors)
{
    CollectionRound r;
    r.startedMs = at;
    for (const char *name : {"was1", "was2"}) {
        TargetStatus status;
        status.name = QLatin1String(name);
        status.role = NodeRole::Was;
        status.state = was2Down && status.name == QLatin1String("was2") ? TargetStatus::State::Down
                                                                        : TargetStatus::State::Up;
        r.statuses << status;
    }
    r.points << KpiPoint{KpiKey{QStringLiteral("was1"), kpiName(KpiId::WasErrorRatio), QString()}, at,
                         was1Errors};
    return r;
}

QString row(const QAbstractItemModel &model, int r)
{
    QStringList cells;
    for (int c = 0; c < model.columnCount(); ++c)
        cells << model.index(r, c).data().toString();
    return cells.mid(0, 6).join(QLatin1Char('|'));
}

} // namespace

void TestAlertListModel::followsTheRounds()
{
    AlertMonitor monitor(cluster());
    AlertListModel *model = monitor.model();
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy transitions(&monitor, &AlertMonitor::transitioned);

    monitor.onRound(round(kT0, true, 0.5));
    QCOMPARE(transitions.count(), 2);
    QCOMPARE(model->rowCount(), 2);
    QCOMPARE(row(*model, 0), QStringLiteral("critical|pending|target_down|was2||"));
    QCOMPARE(row(*model, 1), QStringLiteral("critical|firing|error_ratio|was1|50.00%|> 1.00%"));
    QCOMPARE(model->firingCount(), 1);

    QSignalSpy changed(model, &QAbstractItemModel::dataChanged);
    monitor.onRound(round(kT0 + 5000, true, 0.25));
    QCOMPARE(transitions.count(), 3); // was2 fires
    const auto fired = transitions.last().first().value<AlertTransition>();
    QCOMPARE(fired.name(), QStringLiteral("firing"));
    QCOMPARE(fired.alert.target, QStringLiteral("was2"));
    QCOMPARE(row(*model, 0), QStringLiteral("critical|firing|target_down|was2||"));
    QCOMPARE(row(*model, 1), QStringLiteral("critical|firing|error_ratio|was1|25.00%|> 1.00%"));
    QCOMPARE(changed.count(), 2);
    QCOMPARE(model->data(model->index(0, 0), AlertListModel::StateRole).toInt(), int(AlertState::Firing));

    monitor.onRound(round(kT0 + 10000, false, 0.0));
    QCOMPARE(transitions.count(), 5);
    QCOMPARE(transitions.last().first().value<AlertTransition>().name(), QStringLiteral("resolved"));
    QCOMPARE(model->rowCount(), 0);
}

void TestAlertListModel::syncKeepsTheEnginesOrder()
{
    AlertListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const auto alert = [](const char *rule, const char *target, AlertState state) {
        Alert a;
        a.rule = QLatin1String(rule);
        a.target = QLatin1String(target);
        a.state = state;
        return a;
    };
    const Alert a = alert("target_down", "a", AlertState::Firing);
    const Alert b = alert("target_down", "b", AlertState::Pending);
    const Alert c = alert("db_down", "c", AlertState::Firing);
    model.sync({a, c});
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    model.sync({a, b, c}); // b goes between them
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted.first().at(1).toInt(), 1);
    QCOMPARE(model.alertAt(1).target, QStringLiteral("b"));
    model.sync({b}); // a and c go, b stays without a reset
    QCOMPARE(removed.count(), 2);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.alertAt(0).target, QStringLiteral("b"));
    QCOMPARE(model.headerData(AlertListModel::RuleColumn, Qt::Horizontal).toString(), QStringLiteral("Rule"));
}

QTEST_MAIN(TestAlertListModel)
#include "tst_alert_list_model.moc"
