// The alerts in the window without the lab: synthetic rounds through the window's AlertMonitor make a row on
// the alerts page (coloured by severity once firing, counted in its title) and a marker on the target in the
// sidebar's model, and a round with the target up again removes both; the tray notifier's message for each
// kind of transition, and its silence where the desktop has no tray (offscreen).

#include "alert_notifier.h"
#include "alerts/alert_monitor.h"
#include "alerts_page.h"
#include "cluster/inventory_loader.h"
#include "metrics/collector.h"
#include "models/node_status_model.h"
#include "status_dot.h"
#include "window_alerts.h"

#include <QAbstractItemModelTester>
#include <QLabel>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSystemTrayIcon>
#include <QTableView>
#include <QTest>

using namespace clusterdeck;

class TestAlertsPage : public QObject {
    Q_OBJECT
private slots:
    void roundsMakeAndRemoveRowsAndMarkers();
    void notifierMessages_data();
    void notifierMessages();
    void noTrayNoNotificationNoWarning();
};

namespace {

constexpr qint64 kT0 = 1'700'000'000'000;

Cluster loadCluster()
{
    const QByteArray yaml = "name: shop\n"
                            "alerts:\n  target_down: {for: 10s}\n"
                            "nodes:\n"
                            "  - {name: was1, role: was, health: http://127.0.0.1:1/h}\n"
                            "  - {name: was2, role: was, health: http://127.0.0.1:1/h}\n";
    const auto outcome = InventoryLoader::loadText(yaml, QStringLiteral("shop.yaml"));
    if (!outcome.problems.isEmpty())
        qFatal("%s", qPrintable(formatProblems(QStringLiteral("shop.yaml"), outcome.problems)));
    return outcome.cluster;
}

CollectionRound round(qint64 at, TargetStatus::State was2)
{
    CollectionRound r;
    r.startedMs = at;
    r.finishedMs = at + 5;
    for (const auto &[name, state] : {std::pair{QStringLiteral("was1"), TargetStatus::State::Up},
                                      std::pair{QStringLiteral("was2"), was2}}) {
        TargetStatus status;
        status.name = name;
        status.role = NodeRole::Was;
        status.state = state;
        status.reason = state == TargetStatus::State::Down ? QStringLiteral("health: HTTP 503") : QString();
        status.checkedAtMs = at;
        r.statuses.append(status);
    }
    return r;
}

Alert alert(const QString &rule, AlertState state, AlertSeverity severity)
{
    Alert a;
    a.rule = rule;
    a.target = QStringLiteral("was2");
    a.severity = severity;
    a.state = state;
    a.sinceMs = kT0;
    a.changedMs = kT0 + 30'000;
    if (rule == QLatin1String("latency_p95")) {
        a.kpi = KpiId::WasLatencyP95;
        a.value = 4.2;
        a.threshold = KpiThreshold{KpiThreshold::Direction::Above, 3.0};
    } else {
        a.detail = QStringLiteral("health: HTTP 503");
    }
    return a;
}

} // namespace

void TestAlertsPage::roundsMakeAndRemoveRowsAndMarkers()
{
    const Cluster cluster = loadCluster();
    NodeStatusModel targets;
    targets.setCluster(cluster);
    QAbstractItemModelTester targetsTester(&targets, QAbstractItemModelTester::FailureReportingMode::QtTest);
    WindowAlerts alerts(cluster, &targets);
    AlertsPage page(alerts.monitor()->model());
    QAbstractItemModel *shown = page.view()->model();
    QAbstractItemModelTester shownTester(shown, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy titles(&page, &AlertsPage::titleChanged);
    const auto cell = [&](int column, int role = Qt::DisplayRole) {
        return shown->index(0, column).data(role);
    };
    const auto marker = [&] {
        return targets.indexOfTarget(QStringLiteral("was2"), 0).data(NodeStatusModel::AlertRole).toString();
    };
    QCOMPARE(shown->rowCount(), 0);
    QCOMPARE(page.summaryLabel()->text(), QStringLiteral("No alerts firing or pending"));

    // was2 down: pending first (its `for` is 10 s), no marker yet, nothing counted in the title.
    alerts.monitor()->onRound(round(kT0, TargetStatus::State::Down));
    QCOMPARE(shown->rowCount(), 1);
    QCOMPARE(cell(AlertListModel::RuleColumn).toString(), QStringLiteral("target_down"));
    QCOMPARE(cell(AlertListModel::TargetColumn).toString(), QStringLiteral("was2"));
    QCOMPARE(cell(AlertListModel::StateColumn).toString(), QStringLiteral("pending"));
    QVERIFY(!cell(AlertListModel::SeverityColumn, Qt::ForegroundRole).isValid());
    QCOMPARE(page.title(), QStringLiteral("Alerts"));
    QCOMPARE(page.summaryLabel()->text(), QStringLiteral("0 firing · 1 pending"));
    QCOMPARE(marker(), QString());

    // Still down 10 s later: firing, red (critical), counted, and was2 marked in the sidebar's model.
    alerts.monitor()->onRound(round(kT0 + 10'000, TargetStatus::State::Down));
    QCOMPARE(shown->rowCount(), 1);
    QCOMPARE(cell(AlertListModel::StateColumn).toString(), QStringLiteral("firing"));
    QCOMPARE(cell(AlertListModel::SeverityColumn).toString(), QStringLiteral("critical"));
    QCOMPARE(cell(AlertListModel::SeverityColumn, Qt::ForegroundRole).value<QColor>(),
             StatusDot::downColor());
    QCOMPARE(cell(AlertListModel::SinceColumn).toString(),
             QDateTime::fromMSecsSinceEpoch(kT0).toString(QStringLiteral("HH:mm:ss")));
    QCOMPARE(page.title(), QStringLiteral("Alerts (1)"));
    QCOMPARE(titles.count(), 1);
    QCOMPARE(titles.last().at(0).toString(), QStringLiteral("Alerts (1)"));
    QCOMPARE(page.summaryLabel()->text(), QStringLiteral("1 firing · 0 pending"));
    QVERIFY2(marker().contains(QStringLiteral("target_down")), qPrintable(marker()));
    QVERIFY2(marker().contains(QStringLiteral("503")), qPrintable(marker()));
    QCOMPARE(targets.indexOfTarget(QStringLiteral("was1"), 0).data(NodeStatusModel::AlertRole).toString(),
             QString());

    // Up again: resolved, the row and the marker go.
    alerts.monitor()->onRound(round(kT0 + 15'000, TargetStatus::State::Up));
    QCOMPARE(shown->rowCount(), 0);
    QCOMPARE(marker(), QString());
    QCOMPARE(page.title(), QStringLiteral("Alerts"));
    QCOMPARE(titles.last().at(0).toString(), QStringLiteral("Alerts"));
}

void TestAlertsPage::notifierMessages_data()
{
    QTest::addColumn<Alert>("alert");
    QTest::addColumn<int>("from");
    QTest::addColumn<bool>("shown");
    QTest::addColumn<QString>("title");
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("critical");
    const auto firing = [](const QString &rule, AlertSeverity severity) {
        return alert(rule, AlertState::Firing, severity);
    };
    const QString since =
        QStringLiteral("since ") + QDateTime::fromMSecsSinceEpoch(kT0).toString(QStringLiteral("HH:mm:ss"));
    QTest::newRow("target down fires")
        << firing(QStringLiteral("target_down"), AlertSeverity::Critical) << int(AlertState::Pending) << true
        << "shop: target_down firing on was2" << QStringLiteral("health: HTTP 503\n") + since << true;
    QTest::newRow("latency fires, a warning")
        << firing(QStringLiteral("latency_p95"), AlertSeverity::Warning) << int(AlertState::Pending) << true
        << "shop: latency_p95 firing on was2"
        << formatKpiValue(KpiId::WasLatencyP95, 4.2) + QStringLiteral(" (limit ") +
               formatThreshold(KpiId::WasLatencyP95, KpiThreshold{KpiThreshold::Direction::Above, 3.0}) +
               QStringLiteral(")\n") + since
        << false;
    QTest::newRow("resolves") << alert(QStringLiteral("target_down"), AlertState::Inactive,
                                       AlertSeverity::Critical)
                              << int(AlertState::Firing) << true << "shop: target_down resolved on was2"
                              << QStringLiteral("health: HTTP 503\n") + since << false;
    QTest::newRow("pending stays quiet")
        << alert(QStringLiteral("target_down"), AlertState::Pending, AlertSeverity::Critical)
        << int(AlertState::Inactive) << false << ""
        << "" << false;
    QTest::newRow("cleared stays quiet")
        << alert(QStringLiteral("target_down"), AlertState::Inactive, AlertSeverity::Critical)
        << int(AlertState::Pending) << false << ""
        << "" << false;
}

void TestAlertsPage::notifierMessages()
{
    QFETCH(Alert, alert);
    QFETCH(int, from);
    QFETCH(bool, shown);
    QFETCH(QString, title);
    QFETCH(QString, text);
    QFETCH(bool, critical);
    const AlertNotifier notifier(QStringLiteral("shop"));
    const std::optional<AlertNotifier::Message> message =
        notifier.messageFor(AlertTransition{alert, AlertState(from)});
    QCOMPARE(message.has_value(), shown);
    if (!message)
        return;
    QCOMPARE(message->title, title);
    QCOMPARE(message->text, text);
    QCOMPARE(message->critical, critical);
    QCOMPARE(message->resolved, alert.state == AlertState::Inactive);
}

void TestAlertsPage::noTrayNoNotificationNoWarning()
{
    QVERIFY(!QSystemTrayIcon::isSystemTrayAvailable()); // offscreen
    QTest::failOnWarning(QRegularExpression(QStringLiteral(".*")));
    AlertNotifier notifier(QStringLiteral("shop"));
    notifier.notify(
        AlertTransition{alert(QStringLiteral("target_down"), AlertState::Firing, AlertSeverity::Critical),
                        AlertState::Pending});
    QCOMPARE(notifier.trayIcon(), nullptr);
}

QTEST_MAIN(TestAlertsPage)
#include "tst_alerts_page.moc"
