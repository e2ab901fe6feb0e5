#pragma once

#include "common/result.h"
#include "time_window_max.h"

#include <QMutex>
#include <QString>
#include <QWaitCondition>
#include <chrono>
#include <functional>
#include <memory>
#include <vector>

class QSqlDatabase;

namespace clusterdeck::lab {

struct DbConfig {
    QString host;
    quint16 port = 3306;
    QString user;
    QString password;
    QString database;
    QString endpoint() const { return host + QLatin1Char(':') + QString::number(port); }
};

// A snapshot of the pool in HikariCP's terms (what hikaricp_connections_* report).
struct DbPoolStats {
    int active = 0;  // connections lent out
    int idle = 0;    // open and free
    int pending = 0; // threads waiting for a connection
    int total = 0;   // open connections
    int max = 0;
    int min = 0;
    quint64 timeouts = 0;
    quint64 acquireCount = 0;
    double acquireSeconds = 0;
    double acquireMax = 0;
    quint64 usageCount = 0;
    double usageSeconds = 0;
    double usageMax = 0;
};

// A fixed-size pool of MariaDB connections shaped like HikariCP, so its gauges mean what Spring's
// do: borrowers wait (pending) for a free connection and give up after connectionTimeout.
// QSqlDatabase is bound to the thread that made it, so each connection lives on its own thread
// and a borrower's work runs there while the borrower blocks.
class DbPool {
public:
    using Work = std::function<Status(QSqlDatabase &)>;

    DbPool(DbConfig config, int size, std::chrono::milliseconds connectionTimeout,
           QString name = QStringLiteral("HikariPool-1"));
    ~DbPool();
    DbPool(const DbPool &) = delete;
    DbPool &operator=(const DbPool &) = delete;

    // Opens every connection that is not open yet, in the background (Hikari's minimumIdle).
    void fill();
    // Runs work on a free connection; an Error when none became free in time or it cannot be opened.
    Status run(const Work &work);
    DbPoolStats stats();
    const QString &name() const { return m_name; }
    const DbConfig &config() const { return m_config; }

private:
    struct Slot;

    int borrow();
    void giveBack(int index);
    Status execute(Slot &slot, const Work &work); // on the slot's thread
    Status ensureOpen(Slot &slot);                // on the slot's thread
    void setOpen(Slot &slot, bool open);

    DbConfig m_config;
    QString m_name;
    std::chrono::milliseconds m_timeout;
    std::vector<std::unique_ptr<Slot>> m_slots;

    QMutex m_mutex; // guards the counters below and each slot's busy/open flags
    QWaitCondition m_freed;
    int m_active = 0;
    int m_pending = 0;
    quint64 m_timeouts = 0;
    quint64 m_acquireCount = 0;
    double m_acquireSeconds = 0;
    quint64 m_usageCount = 0;
    double m_usageSeconds = 0;
    TimeWindowMax m_acquireMax;
    TimeWindowMax m_usageMax;
};

} // namespace clusterdeck::lab
