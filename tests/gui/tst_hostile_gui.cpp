// The console (offscreen) against the hostile test server: every hostile target is shown DOWN with its
// reason, the good one UP, within two rounds of the scrape timeout; the window closes with hostile scrapes in
// flight; credentials never reach the screen; the command line refuses durations a timer cannot take.

#include "cluster/inventory_loader.h"
#include "main_window.h"
#include "models/node_status_model.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

using namespace clusterdeck;

class TestHostileGui : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void showsHostileTargetsDownAndTheGoodOneUp();
    void refusesDurationsATimerCannotTake_data();
    void refusesDurationsATimerCannotTake();

private:
    QString shownText(const MainWindow &window, const QString &target, int column) const
    {
        const QModelIndex index = window.nodeModel()->indexOfTarget(target, column);
        return index.isValid() ? window.nodeView()->model()->data(index).toString()
                               : QStringLiteral("<not shown>");
    }

    QProcess m_server; // a process of its own: building its big answers never stalls this GUI thread
    QString m_base;
    QTemporaryDir m_dir;
};

void TestHostileGui::initTestCase()
{
    m_server.start(QStringLiteral(HOSTILE_SERVER), {QStringLiteral("--address"), QStringLiteral("127.0.99.2"),
                                                    QStringLiteral("--for"), QStringLiteral("600")});
    QVERIFY(m_server.waitForStarted(10000));
    QTRY_VERIFY_WITH_TIMEOUT(m_server.canReadLine(), 10000);
    m_base = QString::fromUtf8(m_server.readLine().trimmed());
    QVERIFY2(m_base.startsWith(QLatin1String("http://127.0.99.2:")), qPrintable(m_base));
    QVERIFY(m_dir.isValid());
}

void TestHostileGui::cleanupTestCase()
{
    m_server.kill();
    m_server.waitForFinished(5000);
}

void TestHostileGui::showsHostileTargetsDownAndTheGoodOneUp()
{
    const QByteArray base = m_base.toUtf8();
    QByteArray yaml = "name: hostile\nscrape_interval: 2s\nscrape_timeout: 1s\nnodes:\n"
                      "  - {name: good, role: was, health: " +
                      base + "/good/health, metrics: " + base + "/good/metrics}\n";
    QStringList hostile;
    for (const char *path : {"gzip-bomb", "labels", "huge-nolength", "badchunk-zz", "gzip-cut",
                             "redirect-loop", "header-flood"}) {
        yaml += "  - {name: m-" + QByteArray(path) + ", role: other, metrics: " + base + '/' + path + "}\n";
        hostile << QStringLiteral("m-") + QLatin1String(path);
    }
    for (const char *path : {"trickle", "health-reset", "health-html", "health-corrupt-gzip", "gzip-bomb"}) {
        yaml += "  - {name: h-" + QByteArray(path) + ", role: other, health: " + base + '/' + path + "}\n";
        hostile << QStringLiteral("h-") + QLatin1String(path);
    }
    yaml += "  - {name: secret, role: other, health: '" +
            QByteArray(base).replace("http://", "http://admin:s3cret@") + "/health-html'}\n";
    hostile << QStringLiteral("secret");
    const InventoryLoader::Outcome outcome = InventoryLoader::loadText(yaml, QStringLiteral("hostile.yaml"));
    QVERIFY2(outcome.problems.isEmpty(),
             qPrintable(formatProblems(QStringLiteral("hostile.yaml"), outcome.problems)));
    Cluster cluster = outcome.cluster;
    cluster.historyDb =
        m_dir.filePath(QStringLiteral("history.sqlite")); // the console records: not into app data

    {
        MainWindow window(cluster);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        // Two rounds of the scrape timeout plus the interval: every deadline has passed by then.
        const int patienceMs = 2 * cluster.scrapeTimeoutMs + cluster.scrapeIntervalMs + 2000;
        QTRY_COMPARE_WITH_TIMEOUT(shownText(window, QStringLiteral("good"), NodeStatusModel::StateColumn),
                                  QStringLiteral("UP"), patienceMs);
        for (const QString &target : std::as_const(hostile)) {
            QTRY_COMPARE_WITH_TIMEOUT(shownText(window, target, NodeStatusModel::StateColumn),
                                      QStringLiteral("DOWN"), patienceMs);
            const QString detail = shownText(window, target, NodeStatusModel::DetailColumn);
            QVERIFY2(!detail.isEmpty(), qPrintable(target));
            QVERIFY2(!detail.contains(QLatin1String("s3cret")), qPrintable(detail));
        }
        QVERIFY(shownText(window, QStringLiteral("h-trickle"), NodeStatusModel::DetailColumn)
                    .contains(QLatin1String("timed out after 1 s")));
        // The window goes while bombs and trickles are in flight: its collector stops (the destructor joins
        // the collector thread; a scrape that ignored its deadline would hang this test).
    }
}

void TestHostileGui::refusesDurationsATimerCannotTake_data()
{
    QTest::addColumn<QString>("after");
    QTest::newRow("nan") << "nan";
    QTest::newRow("inf") << "inf";
    QTest::newRow("negative") << "-1";
    QTest::newRow("too long for a timer") << "3000000";
}

void TestHostileGui::refusesDurationsATimerCannotTake()
{
    QFETCH(QString, after);
    const QString inventory = m_dir.filePath(QStringLiteral("good.yaml"));
    QFile file(inventory);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("name: good\nnodes:\n  - {name: good, role: was, health: " + m_base.toUtf8() +
               "/good/health}\n");
    file.close();
    QProcess gui;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    gui.setProcessEnvironment(env);
    gui.start(qEnvironmentVariable("CLUSTERDECK_GUI", QStringLiteral(CLUSTERDECK_GUI)),
              {QStringLiteral("--cluster"), inventory, QStringLiteral("--screenshot"),
               m_dir.filePath(QStringLiteral("s.png")), QStringLiteral("--after"), after});
    QVERIFY(gui.waitForFinished(60000)); // it used to print a QTimer warning and never exit
    QCOMPARE(gui.exitCode(), 2);
    const QByteArray err = gui.readAllStandardError();
    QVERIFY2(err.contains("--after takes seconds from 0 to 86400, not '" + after.toUtf8() + "'"),
             err.constData());
}

QTEST_MAIN(TestHostileGui)
#include "tst_hostile_gui.moc"
