#include "cluster/inventory_loader.h"
#include "cluster/inventory_watcher.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace clusterdeck;

namespace {

QByteArray inventory(const QString &name, int nodes)
{
    QByteArray yaml = "name: " + name.toUtf8() + "\nnodes:\n";
    for (int i = 1; i <= nodes; ++i)
        yaml += QStringLiteral(
                    "  - {name: was%1, role: was, metrics: http://10.0.0.%1:8080/actuator/prometheus}\n")
                    .arg(i)
                    .toUtf8();
    return yaml;
}

bool writeInPlace(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(bytes) == bytes.size();
}

// What vim, gedit and most IDEs do: write a new file next to it and rename it over the old one.
bool writeByRename(const QString &path, const QByteArray &bytes)
{
    const QString temporary = path + QStringLiteral(".tmp");
    return writeInPlace(temporary, bytes) && QFile::remove(path) && QFile::rename(temporary, path);
}

} // namespace

class TestInventoryWatcher : public QObject {
    Q_OBJECT
private slots:
    void init();
    void savedFileIsReloaded_data();
    void savedFileIsReloaded();
    void invalidEditKeepsLastGoodAndReportsPositions();
    void unchangedSaveIsNotAReload();
    void deletedFileIsAProblemUntilItComesBack();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
    std::unique_ptr<InventoryWatcher> m_watcher;
};

void TestInventoryWatcher::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_path = m_dir->filePath(QStringLiteral("cluster.yaml"));
    QVERIFY(writeInPlace(m_path, inventory(QStringLiteral("first"), 2)));
    const auto outcome = InventoryLoader::loadFile(m_path);
    QVERIFY(outcome.problems.isEmpty());
    m_watcher = std::make_unique<InventoryWatcher>(m_path, outcome.cluster);
    m_watcher->setSettleMs(20);
}

void TestInventoryWatcher::savedFileIsReloaded_data()
{
    QTest::addColumn<bool>("byRename");
    QTest::newRow("written in place") << false;
    QTest::newRow("renamed over") << true;
}

void TestInventoryWatcher::savedFileIsReloaded()
{
    QFETCH(bool, byRename);
    QSignalSpy reloaded(m_watcher.get(), &InventoryWatcher::reloaded);
    const QByteArray next = inventory(QStringLiteral("second"), 3);
    QVERIFY(byRename ? writeByRename(m_path, next) : writeInPlace(m_path, next));
    QTRY_COMPARE(reloaded.size(), 1);
    QCOMPARE(reloaded.at(0).at(0).value<Cluster>().name, QStringLiteral("second"));
    QCOMPARE(m_watcher->lastGood().nodes.size(), 3);

    // The watch survives the save: the next one is seen too.
    const QByteArray third = inventory(QStringLiteral("third"), 1);
    QVERIFY(byRename ? writeByRename(m_path, third) : writeInPlace(m_path, third));
    QTRY_COMPARE(reloaded.size(), 2);
    QCOMPARE(m_watcher->lastGood().name, QStringLiteral("third"));
}

void TestInventoryWatcher::invalidEditKeepsLastGoodAndReportsPositions()
{
    QSignalSpy reloaded(m_watcher.get(), &InventoryWatcher::reloaded);
    QSignalSpy problems(m_watcher.get(), &InventoryWatcher::problemsChanged);
    // Line 3: a node without metrics; line 4: an unknown role.
    QVERIFY(writeByRename(m_path, "name: broken\nnodes:\n  - {name: was1, role: was}\n"
                                  "  - {name: x, role: mainframe, metrics: http://10.0.0.9/metrics}\n"));
    QTRY_COMPARE(problems.size(), 1);
    const auto reported = problems.at(0).at(0).value<QList<InventoryProblem>>();
    QVERIFY(reported.size() >= 2);
    QCOMPARE(reported.at(0).line, 3);
    QVERIFY(reported.at(0).column > 0);
    QCOMPARE(reported.last().line, 4);
    QCOMPARE(reloaded.size(), 0);
    QCOMPARE(m_watcher->lastGood().name, QStringLiteral("first"));
    QCOMPARE(m_watcher->problems().size(), reported.size());

    // Fixed: reloaded, and the problems are gone.
    QVERIFY(writeByRename(m_path, inventory(QStringLiteral("fixed"), 2)));
    QTRY_COMPARE(reloaded.size(), 1);
    QCOMPARE(problems.size(), 2);
    QVERIFY(problems.at(1).at(0).value<QList<InventoryProblem>>().isEmpty());
    QCOMPARE(m_watcher->lastGood().name, QStringLiteral("fixed"));
}

void TestInventoryWatcher::unchangedSaveIsNotAReload()
{
    QSignalSpy reloaded(m_watcher.get(), &InventoryWatcher::reloaded);
    QSignalSpy problems(m_watcher.get(), &InventoryWatcher::problemsChanged);
    QVERIFY(writeInPlace(m_path, inventory(QStringLiteral("first"), 2)));
    m_watcher->reload(); // what the settled notification does, without waiting for a non-event
    QCOMPARE(reloaded.size(), 0);
    QCOMPARE(problems.size(), 0);
    // A real change after it still counts: the file is still watched.
    QVERIFY(writeInPlace(m_path, inventory(QStringLiteral("changed"), 2)));
    QTRY_COMPARE(reloaded.size(), 1);
}

void TestInventoryWatcher::deletedFileIsAProblemUntilItComesBack()
{
    QSignalSpy reloaded(m_watcher.get(), &InventoryWatcher::reloaded);
    QSignalSpy problems(m_watcher.get(), &InventoryWatcher::problemsChanged);
    QVERIFY(QFile::remove(m_path));
    QTRY_COMPARE(problems.size(), 1);
    QCOMPARE(m_watcher->problems().size(), 1);
    QVERIFY(m_watcher->problems().first().message.contains(QStringLiteral("cannot read")));
    QVERIFY(writeInPlace(m_path, inventory(QStringLiteral("back"), 1)));
    QTRY_COMPARE(reloaded.size(), 1);
    QTRY_COMPARE(problems.size(), 2);
    QVERIFY(m_watcher->problems().isEmpty());
}

QTEST_GUILESS_MAIN(TestInventoryWatcher)
#include "tst_inventory_watcher.moc"
