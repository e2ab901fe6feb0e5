#pragma once

// Counter bookkeeping between successive scrapes of one target: the increase of each counter series since the
// previous successful scrape, with counter resets handled as Prometheus' rate() does.

#include "metrics/metric_page.h"

#include <cstdint>
#include <unordered_map>
#include <vector>

namespace clusterdeck {

// A 64-bit identity of a series (name and every label) computed from the page's string_views without
// allocating. Collisions are possible in theory (2^-64 per pair); one would mix two series' previous values.
std::uint64_t seriesHash(const SampleView &sample);

// The increase of a counter from `previous` to `current`: a lower current value means the counter was reset
// (a process restart, an HAProxy reload) and counted `current` since, as Prometheus assumes.
inline double counterIncrease(double previous, double current)
{
    return current < previous ? current : current - previous;
}

// Previous values of the counter series of one target. A scrape is begin(), increase() per series, then
// commit() when the page was used (or abandon()): only series seen in the committed scrape are remembered.
class CounterTracker {
public:
    // What increase() returns for a series the previous scrape did not have.
    enum class NewSeries {
        Skip,     // NaN, as Prometheus' rate() (it needs two samples of a series): for counters that do not
                  // start at 0 when they first appear (Kafka offsets) and for always-present series
        FromZero, // the value itself: counters that are born at 0 with their first event (a first 5xx, a new
                  // URI, a server added to an HAProxy backend), so the first events are not lost
    };

    void begin();
    // Increase of `series` since the previous committed scrape; NaN when `current` is NaN or per `whenNew`.
    double increase(std::uint64_t series, double current, NewSeries whenNew);
    void commit();
    void abandon();

    bool hasPrevious() const { return m_hasPrevious; }
    std::size_t previousSize() const { return m_previous.size(); }

private:
    struct Entry {
        std::uint64_t series;
        double value;
    };
    const Entry *findPrevious(std::uint64_t series);

    std::vector<Entry> m_previous;
    std::vector<Entry> m_current;
    // Built only when a page changed its series order; pages of one exporter are normally in the same order,
    // so the positional fast path (m_cursor) finds almost every series without hashing into a map.
    std::unordered_map<std::uint64_t, std::uint32_t> m_index;
    bool m_indexValid = false;
    std::size_t m_cursor = 0;
    bool m_hasPrevious = false;
};

} // namespace clusterdeck
