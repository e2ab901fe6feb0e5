#pragma once

#include "metrics/kpi.h"

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QMutex>
#include <QObject>
#include <atomic>
#include <optional>
#include <vector>

class QTimer;

namespace clusterdeck {

// One point of a live series.
struct LiveSample {
    qint64 timestampMs = 0;
    double value = 0; // NaN = gap
};

// The recent past of every KPI series for charts and tables: a ring buffer per KpiKey holding a fixed window
// (default 1 h at the scrape interval). append() may be called from any thread (the collector's); the store's
// own thread (the GUI thread, where it was created) is told about new points by pointsAppended(), coalesced
// to at most one signal per notify interval however many append() calls came in. Reads are thread-safe
// snapshots.
class LiveSeriesStore : public QObject {
    Q_OBJECT
public:
    static constexpr qint64 kDefaultWindowMs = 60 * 60 * 1000;
    static constexpr int kDefaultNotifyIntervalMs = 250;

    // Capacity per series = windowMs / intervalMs (at least 2).
    explicit LiveSeriesStore(qint64 windowMs = kDefaultWindowMs, int scrapeIntervalMs = 5000,
                             QObject *parent = nullptr);
    ~LiveSeriesStore() override;

    static int capacityFor(qint64 windowMs, int scrapeIntervalMs);
    int capacity() const;
    // Changes the window of every series; existing series keep their newest points.
    void setCapacity(int pointsPerSeries);
    void setNotifyInterval(int ms);

    // Thread-safe. Points of a series are expected in time order; one older than the newest is dropped.
    void append(const KpiPoints &points);
    void clear();

    // Thread-safe snapshots, oldest first.
    QList<LiveSample> series(const KpiKey &key) const;
    // Only points with timestampMs >= sinceMs (for charts that append incrementally).
    QList<LiveSample> seriesSince(const KpiKey &key, qint64 sinceMs) const;
    std::optional<LiveSample> latest(const KpiKey &key) const;
    QList<KpiKey> keys() const;
    int seriesCount() const;
    // Points accepted since construction (for tests and diagnostics).
    qint64 totalAppended() const;

signals:
    // Every point accepted since the previous signal, in append order; emitted on the store's thread.
    void pointsAppended(const clusterdeck::KpiPoints &batch);

private:
    struct Ring {
        std::vector<LiveSample> samples; // capacity-sized once full
        std::size_t head = 0;            // index of the oldest sample once full
        std::size_t size = 0;
        void push(const LiveSample &sample, std::size_t capacity);
        const LiveSample &at(std::size_t i) const; // 0 = oldest
        void resize(std::size_t capacity);
    };

    void scheduleFlush();
    void flush();

    mutable QMutex m_mutex;
    QHash<KpiKey, Ring> m_series;
    std::size_t m_capacity;
    KpiPoints m_pending;
    qint64 m_totalAppended = 0;

    std::atomic<bool> m_flushQueued{false}; // a flush is posted or its timer runs
    int m_notifyIntervalMs = kDefaultNotifyIntervalMs;
    QTimer *m_flushTimer;
    QElapsedTimer m_sinceLastEmit;
};

} // namespace clusterdeck

Q_DECLARE_METATYPE(clusterdeck::LiveSample)
