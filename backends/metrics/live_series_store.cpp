#include "metrics/live_series_store.h"

#include <QMetaObject>
#include <QMutexLocker>
#include <QTimer>
#include <algorithm>
#include <limits>

namespace clusterdeck {

void LiveSeriesStore::Ring::push(const LiveSample &sample, std::size_t capacity)
{
    if (samples.size() < capacity) {
        samples.push_back(sample);
        size = samples.size();
        return;
    }
    samples[head] = sample;
    head = (head + 1) % capacity;
    size = capacity;
}

const LiveSample &LiveSeriesStore::Ring::at(std::size_t i) const
{
    return samples[(head + i) % samples.size()];
}

void LiveSeriesStore::Ring::resize(std::size_t capacity)
{
    std::vector<LiveSample> ordered;
    const std::size_t keep = std::min(size, capacity);
    ordered.reserve(std::min(capacity, size + 64));
    for (std::size_t i = size - keep; i < size; ++i)
        ordered.push_back(at(i));
    samples = std::move(ordered);
    head = 0;
    size = samples.size();
}

LiveSeriesStore::LiveSeriesStore(qint64 windowMs, int scrapeIntervalMs, QObject *parent)
    : QObject(parent), m_capacity(std::size_t(capacityFor(windowMs, scrapeIntervalMs))),
      m_flushTimer(new QTimer(this))
{
    qRegisterMetaType<KpiPoint>();
    qRegisterMetaType<KpiPoints>();
    qRegisterMetaType<LiveSample>();
    m_flushTimer->setSingleShot(true);
    connect(m_flushTimer, &QTimer::timeout, this, &LiveSeriesStore::flush);
}

LiveSeriesStore::~LiveSeriesStore() = default;

int LiveSeriesStore::capacityFor(qint64 windowMs, int scrapeIntervalMs)
{
    if (scrapeIntervalMs <= 0 || windowMs <= 0)
        return 2;
    return int(std::clamp<qint64>(windowMs / scrapeIntervalMs, 2, 10'000'000));
}

int LiveSeriesStore::capacity() const
{
    QMutexLocker lock(&m_mutex);
    return int(m_capacity);
}

void LiveSeriesStore::setCapacity(int pointsPerSeries)
{
    QMutexLocker lock(&m_mutex);
    m_capacity = std::size_t(std::max(2, pointsPerSeries));
    for (Ring &ring : m_series)
        ring.resize(m_capacity);
}

void LiveSeriesStore::setNotifyInterval(int ms)
{
    m_notifyIntervalMs = std::max(0, ms);
}

void LiveSeriesStore::append(const KpiPoints &points)
{
    if (points.isEmpty())
        return;
    {
        QMutexLocker lock(&m_mutex);
        for (const KpiPoint &point : points) {
            Ring &ring = m_series[point.key];
            if (ring.size > 0 && point.timestampMs < ring.at(ring.size - 1).timestampMs)
                continue;
            ring.push({point.timestampMs, point.value}, m_capacity);
            m_pending.append(point);
            ++m_totalAppended;
        }
    }
    scheduleFlush();
}

void LiveSeriesStore::clear()
{
    QMutexLocker lock(&m_mutex);
    m_series.clear();
    m_pending.clear();
}

void LiveSeriesStore::scheduleFlush()
{
    // Only the first append after a flush posts anything; the rest ride along with that flush.
    if (m_flushQueued.exchange(true))
        return;
    QMetaObject::invokeMethod(
        this,
        [this] {
            const qint64 elapsed = m_sinceLastEmit.isValid() ? m_sinceLastEmit.elapsed() : m_notifyIntervalMs;
            m_flushTimer->start(int(std::max<qint64>(0, m_notifyIntervalMs - elapsed)));
        },
        Qt::QueuedConnection);
}

void LiveSeriesStore::flush()
{
    KpiPoints batch;
    {
        QMutexLocker lock(&m_mutex);
        batch.swap(m_pending);
        // Cleared under the lock: an append that lands after the swap queues the next flush.
        m_flushQueued.store(false);
    }
    if (batch.isEmpty())
        return;
    m_sinceLastEmit.start();
    emit pointsAppended(batch);
}

QList<LiveSample> LiveSeriesStore::series(const KpiKey &key) const
{
    return seriesSince(key, std::numeric_limits<qint64>::min());
}

QList<LiveSample> LiveSeriesStore::seriesSince(const KpiKey &key, qint64 sinceMs) const
{
    QMutexLocker lock(&m_mutex);
    const auto it = m_series.constFind(key);
    if (it == m_series.constEnd())
        return {};
    const Ring &ring = *it;
    // Samples are in time order: find the first one at or after sinceMs by bisection over ring positions.
    std::size_t lo = 0;
    std::size_t hi = ring.size;
    while (lo < hi) {
        const std::size_t mid = (lo + hi) / 2;
        if (ring.at(mid).timestampMs < sinceMs)
            lo = mid + 1;
        else
            hi = mid;
    }
    QList<LiveSample> result;
    result.reserve(qsizetype(ring.size - lo));
    for (std::size_t i = lo; i < ring.size; ++i)
        result.append(ring.at(i));
    return result;
}

std::optional<LiveSample> LiveSeriesStore::latest(const KpiKey &key) const
{
    QMutexLocker lock(&m_mutex);
    const auto it = m_series.constFind(key);
    if (it == m_series.constEnd() || it->size == 0)
        return std::nullopt;
    return it->at(it->size - 1);
}

QList<KpiKey> LiveSeriesStore::keys() const
{
    QMutexLocker lock(&m_mutex);
    return m_series.keys();
}

int LiveSeriesStore::seriesCount() const
{
    QMutexLocker lock(&m_mutex);
    return int(m_series.size());
}

qint64 LiveSeriesStore::totalAppended() const
{
    QMutexLocker lock(&m_mutex);
    return m_totalAppended;
}

} // namespace clusterdeck
