#pragma once

#include "common/result.h"
#include "history/history_store.h"
#include "history/history_types.h"
#include "metrics/collector.h"

#include <QHash>
#include <QObject>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <variant>

namespace clusterdeck {

// Records a cluster into its history file on a writer thread of its own: collection rounds (KPI points and,
// when kept, every scraped page) and events go into a queue from any thread; the writer commits at least
// every commitIntervalMs (so a killed process loses at most that much), and an event is committed before it
// is reported recorded. A failing file (disk full, read-only) pauses recording with statusChanged() and the
// writer keeps what it has in memory and tries again; the caller keeps running.
class HistoryRecorder : public QObject {
    Q_OBJECT
public:
    struct Options {
        HistoryStore::Options store;
        int commitIntervalMs = 500;
        int pruneIntervalMs = 60 * 1000;
        // While paused (disk full), rounds are dropped once this many rows wait unwritten in memory.
        qint64 maxPendingRows = 20000;
        // Raise an event when a target's health flips (from the rounds' statuses).
        bool healthEvents = true;
    };

    struct Counters {
        qint64 rounds = 0;
        qint64 samples = 0; // samples handed to the store (raw + KPI)
        qint64 events = 0;
        qint64 commits = 0;
        qint64 lastCommitMs = 0;
        qint64 fileBytes = 0;
        qint64 droppedRounds = 0; // rounds dropped while paused with too much unwritten
        bool paused = false;
        QString error; // why it is paused
    };

    explicit HistoryRecorder(QObject *parent = nullptr);
    ~HistoryRecorder() override; // stop()

    // Opens the file (see HistoryStore::open) and starts the writer thread. A file another process records
    // into is an error here: a recorder needs to write.
    Status start(const QString &path, const Options &options);
    Status start(const QString &path) { return start(path, Options{}); }
    // Writes everything queued, seals open chunks and closes the file; returns the last error, if any.
    Status stop();
    bool isRunning() const { return m_thread.joinable(); }
    const QString &path() const { return m_path; }

    // Thread-safe.
    void recordRound(const clusterdeck::CollectionRound &round);
    void recordKpis(const clusterdeck::KpiPoints &points);
    // Queues an event; eventRecorded(ticket, id) once it is durable, or eventFailed(ticket, error).
    quint64 recordEvent(const clusterdeck::HistoryEvent &event);
    // Blocks until the event is durable (or failed). Not from the writer thread.
    Result<qint64> recordEventAndWait(const HistoryEvent &event);
    // Blocks until everything queued so far is committed.
    Status flush();
    // The file's size limit in pages, set on the writer's connection (tests: a full disk and space again).
    Status setMaxPageCount(int pages);
    Counters counters() const;

signals:
    // All emitted in the thread the recorder was created in (queued from the writer thread).
    void eventRecorded(quint64 ticket, qint64 id);
    void eventFailed(quint64 ticket, const QString &error);
    // Non-empty: recording paused for that reason; empty: recording (again).
    void statusChanged(const QString &error);

private:
    struct EventItem {
        quint64 ticket;
        HistoryEvent event;
        std::function<void(Result<qint64>)> done;
    };
    struct FlushItem {
        std::function<void(Status)> done;
        std::function<Status(HistoryStore &)> action; // instead of a commit when set
    };
    using Item = std::variant<CollectionRound, KpiPoints, EventItem, FlushItem>;

    void run();
    void enqueue(Item item);
    void handleRound(const CollectionRound &round);
    void noteStatus(const Status &status);

    QString m_path;
    Options m_options;
    std::unique_ptr<HistoryStore> m_store; // used by the writer thread only once it runs
    std::thread m_thread; // std::thread: its join() is visible to ThreadSanitizer, QThread::wait() is not

    // std primitives rather than QMutex/QWaitCondition: ThreadSanitizer sees through them (Qt is not
    // instrumented).
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Item> m_queue;
    bool m_stopping = false;
    Status m_lastError;
    Counters m_counters;
    std::atomic<quint64> m_nextTicket{1};
    QHash<QString, int> m_lastState; // writer thread: target → TargetStatus::State
};

} // namespace clusterdeck
