#include "cluster/inventory_loader.h"
#include "cluster/inventory_watcher.h"
#include "console_session.h"
#include "console_settings.h"
#include "main_window.h"
#include "models/node_status_model.h"
#include "welcome_page.h"

#include <QDir>
#include <QFile>
#include <QHttpServer>
#include <QHttpServerResponse>
#include <QListWidget>
#include <QSettings>
#include <QSignalSpy>
#include <QSplitter>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace clusterdeck;

namespace {

// Nodes on a port nothing listens on: the console shows them down at once, no lab needed.
QByteArray inventory(const QString &name, int nodes)
{
    QByteArray yaml = "name: " + name.toUtf8() + "\nscrape_interval: 60s\nnodes:\n";
    for (int i = 1; i <= nodes; ++i)
        yaml +=
            QStringLiteral("  - {name: was%1, role: was, metrics: http://127.0.0.1:1/actuator/prometheus}\n")
                .arg(i)
                .toUtf8();
    return yaml;
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(bytes) == bytes.size();
}

bool replaceFile(const QString &path, const QByteArray &bytes)
{
    const QString temporary = path + QStringLiteral(".new");
    return writeFile(temporary, bytes) && QFile::remove(path) && QFile::rename(temporary, path);
}

// Screenshots for the report and the README go next to the test's binary directory.
void saveScreenshot(QWidget &widget, const QString &name)
{
    const QString dir = qEnvironmentVariable("CLUSTERDECK_BUILD_DIR") + QStringLiteral("/tests/gui");
    QDir().mkpath(dir);
    QVERIFY(widget.grab().save(dir + QLatin1Char('/') + name));
}

} // namespace

// First run without a cluster (the welcome page) and an open cluster's session: settings kept between runs,
// reload on save, positioned problems of an invalid edit.
class TestWelcomePage : public QObject {
    Q_OBJECT
private slots:
    void init();
    void staleLabIsNotOffered();
    void recentFilesComeFirstAndMissingOnesAreSkipped();
    void invalidFileShowsPositionedProblems();
    void discoversFromPrometheus();
    void recentListKeepsTheLastFirst();
    void sessionReloadsOnSave();
    void invalidEditShowsProblemsAndKeepsWatching();
    void geometryAndSplittersAreKept();
    void timeWindowIsKept();
    void themeAndLanguageChoicesAreKept();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString path(const QString &name) const { return m_dir->filePath(name); }
};

void TestWelcomePage::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    QVERIFY(QDir(m_dir->path()).mkpath(QStringLiteral("lab/run")));
    qputenv("CLUSTERDECK_LAB_DIR", path(QStringLiteral("lab")).toUtf8());
    qputenv("XDG_DATA_HOME", path(QStringLiteral("data")).toUtf8());
}

void TestWelcomePage::staleLabIsNotOffered()
{
    const QString labCluster = path(QStringLiteral("lab/cluster-haproxy.yaml"));
    QVERIFY(writeFile(labCluster, inventory(QStringLiteral("lab"), 1)));
    // What `lab down` leaves: cluster files, and a pid file whose process is gone (above any pid_max).
    QVERIFY(writeFile(path(QStringLiteral("lab/run/haproxy.pid")), "4194305 12345\n"));
    {
        WelcomePage page({});
        QCOMPARE(page.choices()->count(), 0);
        QVERIFY(page.labNote().contains(QStringLiteral("not running")));
        saveScreenshot(page, QStringLiteral("welcome-no-lab.png"));
    }
    // A live process (this one) recorded by the lab: its clusters are offered.
    QVERIFY(writeFile(path(QStringLiteral("lab/run/haproxy.pid")),
                      QByteArray::number(QCoreApplication::applicationPid()) + " 1\n"));
    WelcomePage page({});
    QCOMPARE(page.choices()->count(), 1);
    QCOMPARE(page.choices()->item(0)->data(Qt::UserRole).toString(), labCluster);
    QVERIFY(page.labNote().contains(QStringLiteral("is running")));
}

void TestWelcomePage::recentFilesComeFirstAndMissingOnesAreSkipped()
{
    const QString last = path(QStringLiteral("last.yaml"));
    const QString older = path(QStringLiteral("older.yaml"));
    QVERIFY(writeFile(last, inventory(QStringLiteral("last"), 1)));
    QVERIFY(writeFile(older, inventory(QStringLiteral("older"), 1)));
    WelcomePage page({last, path(QStringLiteral("gone.yaml")), older});
    QCOMPARE(page.choices()->count(), 2);
    QCOMPARE(page.choices()->item(0)->data(Qt::UserRole).toString(), last);
    QCOMPARE(page.choices()->currentRow(), 0);
    QCOMPARE(page.choices()->item(1)->data(Qt::UserRole).toString(), older);

    QSignalSpy chosen(&page, &WelcomePage::clusterChosen);
    emit page.choices()->itemActivated(page.choices()->item(0));
    QCOMPARE(chosen.size(), 1);
    QCOMPARE(chosen.at(0).at(0).toString(), last);
    saveScreenshot(page, QStringLiteral("welcome-recent.png"));
}

void TestWelcomePage::invalidFileShowsPositionedProblems()
{
    const QString bad = path(QStringLiteral("bad.yaml"));
    QVERIFY(writeFile(bad, "name: bad\nnodes:\n  - {name: was1, role: was}\n"));
    WelcomePage page({bad});
    QSignalSpy chosen(&page, &WelcomePage::clusterChosen);
    QVERIFY(!page.choose(bad));
    QCOMPARE(chosen.size(), 0);
    QVERIFY2(page.errorText().contains(QStringLiteral("bad.yaml:3:")), qPrintable(page.errorText()));
}

void TestWelcomePage::discoversFromPrometheus()
{
    QFile targets(QFINDTESTDATA("../fixtures/prometheus/targets_lab.json"));
    QVERIFY(targets.open(QIODevice::ReadOnly));
    const QByteArray body = targets.readAll();
    QHttpServer server;
    server.route(QStringLiteral("/api/v1/targets"),
                 [body] { return QHttpServerResponse("application/json", body); });
    auto *tcp = new QTcpServer(&server);
    QVERIFY(tcp->listen(QHostAddress::LocalHost));
    server.bind(tcp);

    WelcomePage page({});
    QSignalSpy finished(&page, &WelcomePage::discoveryFinished);
    QSignalSpy chosen(&page, &WelcomePage::clusterChosen);
    page.discover(QStringLiteral("http://127.0.0.1:%1").arg(tcp->serverPort()));
    QTRY_COMPARE(finished.size(), 1);
    QVERIFY2(finished.at(0).at(0).toBool(), qPrintable(page.errorText()));
    QCOMPARE(chosen.size(), 1);
    const QString written = chosen.at(0).at(0).toString();
    QVERIFY(written.startsWith(path(QStringLiteral("data/clusterdeck/clusters/"))));
    const auto outcome = InventoryLoader::loadFile(written);
    QVERIFY(outcome.problems.isEmpty());
    QVERIFY(!outcome.cluster.nodes.isEmpty());

    // A second discovery does not overwrite the first file, which may have been edited.
    page.discover(QStringLiteral("http://127.0.0.1:%1").arg(tcp->serverPort()));
    QTRY_COMPARE(finished.size(), 2);
    QCOMPARE(chosen.size(), 2);
    QVERIFY(chosen.at(1).at(0).toString() != written);

    page.discover(QStringLiteral("ftp://nowhere"));
    QCOMPARE(finished.size(), 3);
    QVERIFY(!finished.at(2).at(0).toBool());
    QVERIFY(page.errorText().contains(QStringLiteral("not an http(s) URL")));
}

void TestWelcomePage::recentListKeepsTheLastFirst()
{
    QSettings settings(path(QStringLiteral("settings.ini")), QSettings::IniFormat);
    for (int i = 0; i < ConsoleSettings::kMaxRecentClusters + 3; ++i)
        ConsoleSettings::noteOpened(settings, path(QStringLiteral("c%1.yaml").arg(i)));
    ConsoleSettings::noteOpened(settings, path(QStringLiteral("c4.yaml")));
    const QStringList recent = ConsoleSettings::recentClusters(settings);
    QCOMPARE(recent.size(), ConsoleSettings::kMaxRecentClusters);
    QCOMPARE(recent.first(), path(QStringLiteral("c4.yaml")));
    QCOMPARE(recent.count(path(QStringLiteral("c4.yaml"))), 1);
    QCOMPARE(recent.at(1), path(QStringLiteral("c10.yaml")));
    QCOMPARE(ConsoleSettings::lastCluster(settings), path(QStringLiteral("c4.yaml")));
}

void TestWelcomePage::sessionReloadsOnSave()
{
    const QString file = path(QStringLiteral("cluster.yaml"));
    QVERIFY(writeFile(file, inventory(QStringLiteral("before"), 2)));
    QSettings settings(path(QStringLiteral("settings.ini")), QSettings::IniFormat);
    ConsoleSession session(file, InventoryLoader::loadFile(file).cluster, settings);
    session.watcher()->setSettleMs(20);
    session.window()->show();
    QCOMPARE(ConsoleSettings::lastCluster(settings), file);

    QSignalSpy replaced(&session, &ConsoleSession::windowReplaced);
    QVERIFY(replaceFile(file, inventory(QStringLiteral("after"), 3)));
    QTRY_COMPARE(replaced.size(), 1);
    QVERIFY(session.window()->windowTitle().startsWith(QStringLiteral("after")));
    QVERIFY(session.window()->isVisible());
    QCOMPARE(session.window()->nodeModel()->targetCount(), 3);
    QVERIFY(!session.problemsShown());
}

void TestWelcomePage::invalidEditShowsProblemsAndKeepsWatching()
{
    const QString file = path(QStringLiteral("cluster.yaml"));
    QVERIFY(writeFile(file, inventory(QStringLiteral("good"), 2)));
    QSettings settings(path(QStringLiteral("settings.ini")), QSettings::IniFormat);
    ConsoleSession session(file, InventoryLoader::loadFile(file).cluster, settings);
    session.watcher()->setSettleMs(20);
    session.window()->show();
    MainWindow *const window = session.window();

    QVERIFY(replaceFile(file, "name: good\nnodes:\n  - {name: was1, role: was}\n"));
    QTRY_VERIFY(session.problemsShown());
    QVERIFY2(session.problemsText().contains(QStringLiteral("cluster.yaml:3:")),
             qPrintable(session.problemsText()));
    QVERIFY(session.problemsText().contains(QStringLiteral("last good inventory (good)")));
    QCOMPARE(session.window(), window); // the console goes on with the last good cluster
    saveScreenshot(*window, QStringLiteral("inventory-problems.png"));

    QSignalSpy replaced(&session, &ConsoleSession::windowReplaced);
    QVERIFY(replaceFile(file, inventory(QStringLiteral("good"), 1)));
    QTRY_COMPARE(replaced.size(), 1);
    QVERIFY(!session.problemsShown());
    QCOMPARE(session.window()->nodeModel()->targetCount(), 1);
}

void TestWelcomePage::geometryAndSplittersAreKept()
{
    const QString file = path(QStringLiteral("cluster.yaml"));
    QVERIFY(writeFile(file, inventory(QStringLiteral("kept"), 2)));
    const Cluster cluster = InventoryLoader::loadFile(file).cluster;
    QSettings settings(path(QStringLiteral("settings.ini")), QSettings::IniFormat);
    QList<int> sizes;
    {
        ConsoleSession session(file, cluster, settings);
        session.window()->show();
        session.window()->resize(1111, 777);
        QSplitter *splitter = session.window()->findChildren<QSplitter *>().first();
        const int total = splitter->sizes().value(0) + splitter->sizes().value(1);
        splitter->setSizes({total / 4, total - total / 4});
        sizes = splitter->sizes();
    } // saved when the session ends
    ConsoleSession session(file, cluster, settings);
    session.window()->show();
    QCOMPARE(session.window()->size(), QSize(1111, 777));
    QCOMPARE(session.window()->findChildren<QSplitter *>().first()->sizes(), sizes);
}

void TestWelcomePage::timeWindowIsKept()
{
    const QString file = path(QStringLiteral("cluster.yaml"));
    QVERIFY(writeFile(file, inventory(QStringLiteral("kept"), 2)));
    const Cluster cluster = InventoryLoader::loadFile(file).cluster;
    QSettings settings(path(QStringLiteral("settings.ini")), QSettings::IniFormat);
    const qint64 hour = 60 * 60 * 1000;
    {
        ConsoleSession session(file, cluster, settings);
        QVERIFY(session.window()->timeWindowMs() != hour);
        session.window()->setTimeWindowMs(hour);
    } // saved when the session ends
    ConsoleSession session(file, cluster, settings);
    QCOMPARE(session.window()->timeWindowMs(), hour);
}

void TestWelcomePage::themeAndLanguageChoicesAreKept()
{
    QSettings settings(path(QStringLiteral("settings.ini")), QSettings::IniFormat);
    // Nothing chosen yet: the system's palette and locale.
    QCOMPARE(ConsoleSettings::chosen(settings, QStringLiteral("theme"), QString()), QString());
    // A command-line choice applies and is kept for the runs without one ...
    QCOMPARE(ConsoleSettings::chosen(settings, QStringLiteral("theme"), QStringLiteral("dark")),
             QStringLiteral("dark"));
    QCOMPARE(ConsoleSettings::chosen(settings, QStringLiteral("language"), QStringLiteral("ko")),
             QStringLiteral("ko"));
    QCOMPARE(ConsoleSettings::chosen(settings, QStringLiteral("theme"), QString()), QStringLiteral("dark"));
    QCOMPARE(ConsoleSettings::chosen(settings, QStringLiteral("language"), QString()), QStringLiteral("ko"));
    // ... until another one replaces it.
    QCOMPARE(ConsoleSettings::chosen(settings, QStringLiteral("theme"), QStringLiteral("light")),
             QStringLiteral("light"));
    QCOMPARE(ConsoleSettings::chosen(settings, QStringLiteral("theme"), QString()), QStringLiteral("light"));
}

QTEST_MAIN(TestWelcomePage)
#include "tst_welcome_page.moc"
