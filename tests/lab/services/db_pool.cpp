#include "db_pool.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <atomic>
#include <cstdio>

namespace clusterdeck::lab {
namespace {

std::atomic<int> g_poolSerial{0};

// Hikari re-validates a connection that sat idle longer than this before lending it out.
constexpr qint64 kAliveBypassMs = 500;

bool alive(QSqlDatabase &db)
{
    QSqlQuery ping(db);
    return ping.exec(QStringLiteral("SELECT 1"));
}

} // namespace

struct DbPool::Slot {
    QString connectionName;
    QThread thread;
    QObject anchor; // lives on `thread`; work is queued to it
    bool busy = false;
    bool open = false;
    QElapsedTimer lastUsed;  // slot thread only
    bool everFailed = false; // slot thread only: log a failing connection once, not per request
};

DbPool::DbPool(DbConfig config, int size, std::chrono::milliseconds connectionTimeout, QString name)
    : m_config(std::move(config)), m_name(std::move(name)), m_timeout(connectionTimeout)
{
    const int serial = ++g_poolSerial;
    for (int i = 0; i < size; ++i) {
        auto slot = std::make_unique<Slot>();
        slot->connectionName = QStringLiteral("%1-%2-conn-%3").arg(m_name).arg(serial).arg(i);
        slot->thread.setObjectName(QStringLiteral("db-%1").arg(i));
        slot->anchor.moveToThread(&slot->thread);
        slot->thread.start();
        m_slots.push_back(std::move(slot));
    }
}

DbPool::~DbPool()
{
    for (const auto &slot : m_slots) {
        const QString name = slot->connectionName;
        QMetaObject::invokeMethod(
            &slot->anchor,
            [name] {
                if (QSqlDatabase::contains(name)) {
                    {
                        QSqlDatabase db = QSqlDatabase::database(name, false);
                        db.close();
                    }
                    QSqlDatabase::removeDatabase(name);
                }
            },
            Qt::BlockingQueuedConnection);
        slot->thread.quit();
        slot->thread.wait();
    }
}

void DbPool::fill()
{
    for (const auto &slot : m_slots) {
        Slot *raw = slot.get();
        QMetaObject::invokeMethod(
            &raw->anchor, [this, raw] { ensureOpen(*raw); }, Qt::QueuedConnection);
    }
}

Status DbPool::run(const Work &work)
{
    QElapsedTimer waited;
    waited.start();
    const int index = borrow();
    const double acquireSeconds = static_cast<double>(waited.nsecsElapsed()) / 1e9;
    if (index < 0) {
        return Error{QStringLiteral("%1 - Connection is not available, request timed out after %2ms.")
                         .arg(m_name)
                         .arg(m_timeout.count()),
                     m_config.endpoint()};
    }
    m_acquireMax.record(acquireSeconds);

    Slot &slot = *m_slots[static_cast<size_t>(index)];
    QElapsedTimer used;
    used.start();
    Status result;
    QMetaObject::invokeMethod(
        &slot.anchor, [&] { result = execute(slot, work); }, Qt::BlockingQueuedConnection);
    const double usageSeconds = static_cast<double>(used.nsecsElapsed()) / 1e9;
    m_usageMax.record(usageSeconds);
    {
        QMutexLocker lock(&m_mutex);
        ++m_acquireCount;
        m_acquireSeconds += acquireSeconds;
        ++m_usageCount;
        m_usageSeconds += usageSeconds;
    }
    giveBack(index);
    return result;
}

int DbPool::borrow()
{
    QMutexLocker lock(&m_mutex);
    const QDeadlineTimer deadline(m_timeout);
    ++m_pending;
    for (;;) {
        // Prefer an open connection, like Hikari handing out an idle one.
        int pick = -1;
        for (size_t i = 0; i < m_slots.size(); ++i) {
            if (m_slots[i]->busy)
                continue;
            if (m_slots[i]->open) {
                pick = static_cast<int>(i);
                break;
            }
            if (pick < 0)
                pick = static_cast<int>(i);
        }
        if (pick >= 0) {
            m_slots[static_cast<size_t>(pick)]->busy = true;
            --m_pending;
            ++m_active;
            return pick;
        }
        if (!m_freed.wait(&m_mutex, deadline)) {
            --m_pending;
            ++m_timeouts;
            return -1;
        }
    }
}

void DbPool::giveBack(int index)
{
    QMutexLocker lock(&m_mutex);
    m_slots[static_cast<size_t>(index)]->busy = false;
    --m_active;
    m_freed.wakeOne();
}

void DbPool::setOpen(Slot &slot, bool open)
{
    QMutexLocker lock(&m_mutex);
    slot.open = open;
}

Status DbPool::ensureOpen(Slot &slot)
{
    if (!QSqlDatabase::contains(slot.connectionName)) {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QMARIADB"), slot.connectionName);
        db.setHostName(m_config.host);
        db.setPort(m_config.port);
        db.setUserName(m_config.user);
        db.setPassword(m_config.password);
        db.setDatabaseName(m_config.database);
        // Bounded waits: an unreachable database must fail a request, not hang a thread.
        db.setConnectOptions(QStringLiteral(
            "MYSQL_OPT_CONNECT_TIMEOUT=2;MYSQL_OPT_READ_TIMEOUT=10;MYSQL_OPT_WRITE_TIMEOUT=10"));
    }
    QSqlDatabase db = QSqlDatabase::database(slot.connectionName, false);
    if (db.isOpen() && slot.lastUsed.isValid() && slot.lastUsed.elapsed() > kAliveBypassMs && !alive(db))
        db.close();
    if (db.isOpen())
        return Status::success();
    if (!db.open()) {
        setOpen(slot, false);
        const Error error{QStringLiteral("cannot connect to MariaDB: %1").arg(db.lastError().text()),
                          m_config.endpoint()};
        if (!slot.everFailed)
            std::fprintf(stderr, "%s: %s\n", qPrintable(m_name), qPrintable(error.toString()));
        slot.everFailed = true;
        return error;
    }
    if (slot.everFailed)
        std::fprintf(stderr, "%s: connection to %s restored\n", qPrintable(m_name),
                     qPrintable(m_config.endpoint()));
    slot.everFailed = false;
    slot.lastUsed.start();
    setOpen(slot, true);
    return Status::success();
}

Status DbPool::execute(Slot &slot, const Work &work)
{
    if (const Status opened = ensureOpen(slot); !opened)
        return opened;
    QSqlDatabase db = QSqlDatabase::database(slot.connectionName, false);
    const Status result = work(db);
    // A failure may mean the server went away: evict the connection so the next borrower reopens it.
    if (!result && !alive(db)) {
        db.close();
        setOpen(slot, false);
    }
    slot.lastUsed.start();
    return result;
}

DbPoolStats DbPool::stats()
{
    DbPoolStats out;
    {
        QMutexLocker lock(&m_mutex);
        for (const auto &slot : m_slots) {
            if (slot->open && !slot->busy)
                ++out.idle;
        }
        out.active = m_active;
        out.pending = m_pending;
        out.max = static_cast<int>(m_slots.size());
        out.min = out.max;
        out.timeouts = m_timeouts;
        out.acquireCount = m_acquireCount;
        out.acquireSeconds = m_acquireSeconds;
        out.usageCount = m_usageCount;
        out.usageSeconds = m_usageSeconds;
    }
    // Hikari's invariant total = active + idle (a lent connection still being opened counts as active).
    out.total = out.active + out.idle;
    out.acquireMax = m_acquireMax.poll();
    out.usageMax = m_usageMax.poll();
    return out;
}

} // namespace clusterdeck::lab
