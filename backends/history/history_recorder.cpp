#include "history/history_recorder.h"

#include "history/history_log.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QFileInfo>
#include <chrono>
#include <future>

namespace clusterdeck {

HistoryRecorder::HistoryRecorder(QObject *parent) : QObject(parent)
{
    qRegisterMetaType<HistoryEvent>();
}

HistoryRecorder::~HistoryRecorder()
{
    if (Status s = stop(); !s)
        qCWarning(lcHistory).noquote() << s.error().toString();
}

Status HistoryRecorder::start(const QString &path, const Options &options)
{
    if (m_thread.joinable())
        return Error{QStringLiteral("already recording into %1").arg(m_path), QString()};
    m_options = options;
    m_options.store.requireWriter = true;
    Result<std::unique_ptr<HistoryStore>> store =
        HistoryStore::open(path, HistoryStore::Access::ReadWrite, m_options.store);
    if (!store)
        return store.error();
    m_store = std::move(store).value();
    m_path = path;
    {
        std::lock_guard lock(m_mutex);
        m_stopping = false;
        m_counters = Counters{};
        m_counters.fileBytes = QFileInfo(path).size();
    }
    m_thread = std::thread([this] { run(); });
    qCDebug(lcHistory).noquote() << "recording into" << path;
    return {};
}

Status HistoryRecorder::stop()
{
    if (!m_thread.joinable())
        return {};
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
        m_wake.notify_all();
    }
    m_thread.join();
    Status closed = m_store->close();
    m_store.reset();
    std::lock_guard lock(m_mutex);
    m_counters.fileBytes = QFileInfo(m_path).size();
    if (!closed)
        return closed;
    return m_lastError;
}

void HistoryRecorder::enqueue(Item item)
{
    std::lock_guard lock(m_mutex);
    m_queue.push_back(std::move(item));
    m_wake.notify_all();
}

void HistoryRecorder::recordRound(const CollectionRound &round)
{
    enqueue(round);
}

void HistoryRecorder::recordKpis(const KpiPoints &points)
{
    enqueue(points);
}

quint64 HistoryRecorder::recordEvent(const HistoryEvent &event)
{
    const quint64 ticket = m_nextTicket++;
    enqueue(EventItem{ticket, event, {}});
    return ticket;
}

Result<qint64> HistoryRecorder::recordEventAndWait(const HistoryEvent &event)
{
    if (!m_thread.joinable())
        return Error{QStringLiteral("not recording"), QString()};
    auto promise = std::make_shared<std::promise<Result<qint64>>>();
    std::future<Result<qint64>> future = promise->get_future();
    enqueue(
        EventItem{m_nextTicket++, event, [promise](Result<qint64> r) { promise->set_value(std::move(r)); }});
    return future.get();
}

Status HistoryRecorder::flush()
{
    if (!m_thread.joinable())
        return Error{QStringLiteral("not recording"), QString()};
    auto promise = std::make_shared<std::promise<Status>>();
    std::future<Status> future = promise->get_future();
    enqueue(FlushItem{[promise](Status s) { promise->set_value(std::move(s)); }, {}});
    return future.get();
}

Status HistoryRecorder::setMaxPageCount(int pages)
{
    if (!m_thread.joinable())
        return Error{QStringLiteral("not recording"), QString()};
    auto promise = std::make_shared<std::promise<Status>>();
    std::future<Status> future = promise->get_future();
    enqueue(FlushItem{[promise](Status s) { promise->set_value(std::move(s)); },
                      [pages](HistoryStore &store) { return store.setMaxPageCount(pages); }});
    return future.get();
}

HistoryRecorder::Counters HistoryRecorder::counters() const
{
    std::lock_guard lock(m_mutex);
    return m_counters;
}

void HistoryRecorder::noteStatus(const Status &status)
{
    bool changed = false;
    QString message;
    {
        std::lock_guard lock(m_mutex);
        const bool paused = !status.ok();
        message = paused ? status.error().toString() : QString();
        changed = paused != m_counters.paused || (paused && message != m_counters.error);
        m_counters.paused = paused;
        m_counters.error = message;
        if (paused)
            m_lastError = status;
        else
            m_lastError = Status{};
    }
    if (changed) {
        if (message.isEmpty())
            qCInfo(lcHistory).noquote() << "recording into" << m_path << "again";
        else
            qCWarning(lcHistory).noquote() << "recording paused:" << message;
        // Signals are emitted in the recorder's own thread (where its owner lives), never the writer's.
        QMetaObject::invokeMethod(
            this, [this, message] { emit statusChanged(message); }, Qt::QueuedConnection);
    }
}

void HistoryRecorder::handleRound(const CollectionRound &round)
{
    if (m_store->pendingRows() >= m_options.maxPendingRows) {
        std::lock_guard lock(m_mutex);
        ++m_counters.droppedRounds; // a full disk must not fill the memory too
        return;
    }
    for (const ScrapedPage &page : round.pages) {
        if (page.page)
            m_store->appendPage(page.target, page.timestampMs, *page.page);
    }
    m_store->appendKpis(round.points);
    if (!m_options.healthEvents)
        return;
    for (const TargetStatus &status : round.statuses) {
        const int state = int(status.state);
        const auto it = m_lastState.find(status.name);
        const bool flipped =
            it != m_lastState.end() && it.value() != state && status.state != TargetStatus::State::Unknown;
        m_lastState.insert(status.name, state);
        if (!flipped)
            continue;
        HistoryEvent event;
        event.timestampMs = status.checkedAtMs ? status.checkedAtMs : round.finishedMs;
        event.kind = QStringLiteral("health");
        event.target = status.name;
        event.severity =
            status.state == TargetStatus::State::Down ? EventSeverity::Warning : EventSeverity::Info;
        event.actor = QStringLiteral("recorder");
        event.message = QStringLiteral("%1 is %2").arg(status.name, stateName(status.state)) +
                        (status.reason.isEmpty() ? QString() : QStringLiteral(": ") + status.reason);
        event.details = QJsonObject{{QStringLiteral("endpoint"), status.endpoint},
                                    {QStringLiteral("from"), stateName(TargetStatus::State(it.value()))},
                                    {QStringLiteral("to"), stateName(status.state)}};
        const Result<qint64> id = m_store->recordEvent(event);
        noteStatus(id ? Status{} : Status(id.error()));
        if (id) {
            std::lock_guard lock(m_mutex);
            ++m_counters.events;
        }
    }
}

void HistoryRecorder::run()
{
    using SteadyClock = std::chrono::steady_clock;
    auto commitDue = SteadyClock::now() + std::chrono::milliseconds(m_options.commitIntervalMs);
    QDeadlineTimer nextPrune(m_options.pruneIntervalMs);
    qint64 appendedAtLastCommit = m_store->samplesAppended();
    for (;;) {
        std::deque<Item> items;
        bool stopping = false;
        {
            std::unique_lock lock(m_mutex);
            if (m_queue.empty() && !m_stopping)
                m_wake.wait_until(lock, commitDue);
            items.swap(m_queue);
            stopping = m_stopping;
        }
        std::vector<std::function<void()>> afterCommit;
        for (Item &item : items) {
            if (auto *round = std::get_if<CollectionRound>(&item)) {
                handleRound(*round);
                std::lock_guard lock(m_mutex);
                ++m_counters.rounds;
            } else if (auto *points = std::get_if<KpiPoints>(&item)) {
                m_store->appendKpis(*points);
            } else if (auto *event = std::get_if<EventItem>(&item)) {
                // Committed with everything before it, then reported.
                Result<qint64> id = m_store->recordEvent(event->event);
                noteStatus(id ? Status{} : Status(id.error()));
                if (id) {
                    std::lock_guard lock(m_mutex);
                    ++m_counters.events;
                    m_counters.lastCommitMs = QDateTime::currentMSecsSinceEpoch();
                }
                if (event->done)
                    event->done(id);
                else if (id)
                    QMetaObject::invokeMethod(
                        this,
                        [this, ticket = event->ticket, value = *id] { emit eventRecorded(ticket, value); },
                        Qt::QueuedConnection);
                else
                    QMetaObject::invokeMethod(
                        this,
                        [this, ticket = event->ticket, error = id.error().toString()] {
                            emit eventFailed(ticket, error);
                        },
                        Qt::QueuedConnection);
            } else if (auto *flush = std::get_if<FlushItem>(&item)) {
                if (flush->action) {
                    flush->done(flush->action(*m_store));
                } else {
                    Status s = m_store->commit();
                    noteStatus(s);
                    flush->done(s);
                }
            }
        }
        {
            std::lock_guard lock(m_mutex);
            m_counters.samples = m_store->samplesAppended();
        }
        if (stopping)
            break; // stop() seals and closes with the store's close()
        if (SteadyClock::now() >= commitDue) {
            if (m_store->samplesAppended() != appendedAtLastCommit || m_store->pendingRows() > 0) {
                Status s = m_store->commit();
                noteStatus(s);
                if (s) {
                    appendedAtLastCommit = m_store->samplesAppended();
                    std::lock_guard lock(m_mutex);
                    ++m_counters.commits;
                    m_counters.lastCommitMs = QDateTime::currentMSecsSinceEpoch();
                    m_counters.fileBytes =
                        QFileInfo(m_path).size() + QFileInfo(m_path + QStringLiteral("-wal")).size();
                }
            }
            commitDue = SteadyClock::now() + std::chrono::milliseconds(m_options.commitIntervalMs);
        }
        if (nextPrune.hasExpired()) {
            const Result<int> pruned = m_store->prune(QDateTime::currentMSecsSinceEpoch(), 2000);
            if (!pruned)
                qCWarning(lcHistory).noquote() << pruned.error().toString();
            // Catch up in small steps while there is old data left, without holding the file for long.
            nextPrune.setRemainingTime(pruned && *pruned >= 2000 ? 1000 : m_options.pruneIntervalMs);
        }
    }
}

} // namespace clusterdeck
