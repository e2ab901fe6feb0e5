#include "log_forwarding.h"
#include "models/event_log_model.h"

#include <QAbstractItemModelTester>
#include <QLoggingCategory>
#include <QMutex>
#include <QSignalSpy>
#include <QTest>
#include <QThread>
#include <memory>

using namespace clusterdeck;

Q_LOGGING_CATEGORY(lcTestForwarded, "clusterdeck.test")
Q_LOGGING_CATEGORY(lcTestOther, "other.test")

namespace {

// What reached the message handler that was installed before the forwarding: it must keep getting everything.
QMutex g_seenMutex;
QStringList g_seen;
QtMessageHandler g_qtTestHandler = nullptr;

void recordingHandler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    {
        QMutexLocker lock(&g_seenMutex);
        g_seen.append(QStringLiteral("%1: %2").arg(QString::fromLatin1(context.category), message));
    }
    if (g_qtTestHandler)
        g_qtTestHandler(type, context, message);
}

QStringList seen()
{
    QMutexLocker lock(&g_seenMutex);
    return g_seen;
}

QStringList messages(const EventLogModel &model)
{
    QStringList result;
    for (int row = 0; row < model.rowCount(); ++row)
        result.append(model.index(row, EventLogModel::MessageColumn).data().toString());
    return result;
}

} // namespace

// The console's bounded event log: newest first, never more than its capacity, counting what it dropped; fed
// from any thread through the message handler.
class TestEventLogModel : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void keepsTheNewestUpToItsCapacity_data();
    void keepsTheNewestUpToItsCapacity();
    void shrinkingDropsTheOldest();
    void showsTimeSeveritySourceAndMessage();
    void forwardsClusterdeckWarningsFromAnyThread();
    void stopsForwardingWhenDestroyed();
};

void TestEventLogModel::initTestCase()
{
    g_qtTestHandler = qInstallMessageHandler(recordingHandler);
}

void TestEventLogModel::keepsTheNewestUpToItsCapacity_data()
{
    QTest::addColumn<int>("capacity");
    QTest::addColumn<int>("appended");
    QTest::newRow("below the cap") << 5 << 3;
    QTest::newRow("at the cap") << 5 << 5;
    QTest::newRow("past the cap") << 5 << 12;
    QTest::newRow("cap of one") << 1 << 4;
    QTest::newRow("cap below one means one") << 0 << 3;
}

void TestEventLogModel::keepsTheNewestUpToItsCapacity()
{
    QFETCH(int, capacity);
    QFETCH(int, appended);
    EventLogModel model(capacity);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy dropped(&model, &EventLogModel::droppedCountChanged);
    for (int i = 0; i < appended; ++i)
        model.append(LogEvent::Severity::Info, QStringLiteral("test"), QString::number(i));

    const int cap = std::max(1, capacity);
    const int kept = std::min(appended, cap);
    QCOMPARE(model.rowCount(), kept);
    QCOMPARE(model.droppedCount(), qint64(appended - kept));
    QCOMPARE(dropped.count(), appended - kept);
    QStringList newestFirst;
    for (int i = appended - 1; i >= appended - kept; --i)
        newestFirst.append(QString::number(i));
    QCOMPARE(messages(model), newestFirst);
}

void TestEventLogModel::shrinkingDropsTheOldest()
{
    EventLogModel model(10);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    for (int i = 0; i < 6; ++i)
        model.append(LogEvent::Severity::Info, QStringLiteral("test"), QString::number(i));
    model.setCapacity(2);
    QCOMPARE(messages(model), (QStringList{QStringLiteral("5"), QStringLiteral("4")}));
    QCOMPARE(model.droppedCount(), qint64(4));
    model.setCapacity(4);
    model.append(LogEvent::Severity::Info, QStringLiteral("test"), QStringLiteral("6"));
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.droppedCount(), qint64(4));
}

void TestEventLogModel::showsTimeSeveritySourceAndMessage()
{
    EventLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QDateTime at(QDate(2026, 11, 30), QTime(12, 34, 56));
    model.append(
        LogEvent{at, LogEvent::Severity::Error, QStringLiteral("was2"), QStringLiteral("UP → DOWN")});
    QCOMPARE(model.columnCount(), int(EventLogModel::ColumnCount));
    QCOMPARE(model.index(0, EventLogModel::TimeColumn).data().toString(), QStringLiteral("12:34:56"));
    QCOMPARE(model.index(0, EventLogModel::SeverityColumn).data().toString(), QStringLiteral("error"));
    QVERIFY(model.index(0, EventLogModel::SeverityColumn).data(Qt::DecorationRole).isValid());
    QCOMPARE(model.index(0, EventLogModel::SourceColumn).data().toString(), QStringLiteral("was2"));
    QCOMPARE(model.index(0, EventLogModel::MessageColumn).data().toString(), QStringLiteral("UP → DOWN"));
    QCOMPARE(model.index(0, 0).data(EventLogModel::SeverityRole).toInt(), int(LogEvent::Severity::Error));
    QCOMPARE(model.index(0, 0).data(EventLogModel::TimestampRole).toDateTime(), at);
    QCOMPARE(model.headerData(EventLogModel::SourceColumn, Qt::Horizontal).toString(),
             QStringLiteral("Source"));
}

void TestEventLogModel::forwardsClusterdeckWarningsFromAnyThread()
{
    EventLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    LogForwarding forwarding(&model);
    std::unique_ptr<QThread> logger(QThread::create([] {
        qCWarning(lcTestOther) << "not ours";
        qCDebug(lcTestForwarded) << "only a debug line";
        qCInfo(lcTestForwarded) << "only an info line";
        qCCritical(lcTestForwarded) << "critical from a thread";
        qCWarning(lcTestForwarded) << "warning from a thread";
    }));
    logger->start();
    QVERIFY(logger->wait(10'000));
    // Calls posted by one thread arrive in order: once the last one is here, nothing else is on its way.
    QTRY_COMPARE(model.rowCount(), 2);
    QCOMPARE(messages(model), (QStringList{QStringLiteral("warning from a thread"),
                                           QStringLiteral("critical from a thread")}));
    QCOMPARE(model.event(0).severity, LogEvent::Severity::Warning);
    QCOMPARE(model.event(1).severity, LogEvent::Severity::Error);
    QCOMPARE(model.event(0).source, QStringLiteral("clusterdeck.test"));

    // The handler installed before still saw every line.
    const QStringList before = seen();
    QVERIFY2(before.contains(QStringLiteral("other.test: not ours")),
             qPrintable(before.join(QLatin1Char('\n'))));
    QVERIFY(before.contains(QStringLiteral("clusterdeck.test: warning from a thread")));
    QVERIFY(before.contains(QStringLiteral("clusterdeck.test: only an info line")));
}

void TestEventLogModel::stopsForwardingWhenDestroyed()
{
    EventLogModel kept;
    LogForwarding keptForwarding(&kept);
    auto gone = std::make_unique<EventLogModel>();
    {
        LogForwarding goneForwarding(gone.get());
        qCWarning(lcTestForwarded) << "to both";
    }
    gone.reset(); // with a call to it still queued: it goes with the model
    qCWarning(lcTestForwarded) << "to the one left";
    QTRY_COMPARE(kept.rowCount(), 2);
    QCOMPARE(messages(kept), (QStringList{QStringLiteral("to the one left"), QStringLiteral("to both")}));
}

QTEST_MAIN(TestEventLogModel)
#include "tst_event_log_model.moc"
