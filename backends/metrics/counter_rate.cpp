#include "metrics/counter_rate.h"

#include <cmath>
#include <functional>
#include <limits>
#include <string_view>

namespace clusterdeck {

namespace {

inline std::uint64_t mix(std::uint64_t h, std::uint64_t v)
{
    // boost::hash_combine's idea with a 64-bit multiplier; order-sensitive, so {a="x",b="y"} !=
    // {a="y",b="x"}.
    h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    return h * 0xff51afd7ed558ccdULL;
}

inline std::uint64_t hashView(std::string_view text)
{
    return std::hash<std::string_view>{}(text);
}

} // namespace

std::uint64_t seriesHash(const SampleView &sample)
{
    std::uint64_t h = hashView(sample.name());
    for (const LabelView label : sample.labels()) {
        h = mix(h, hashView(label.name));
        h = mix(h, hashView(label.value));
    }
    return h;
}

void CounterTracker::begin()
{
    m_current.clear();
    m_cursor = 0;
}

const CounterTracker::Entry *CounterTracker::findPrevious(std::uint64_t series)
{
    if (m_cursor < m_previous.size() && m_previous[m_cursor].series == series)
        return &m_previous[m_cursor++];
    if (!m_indexValid) {
        m_index.clear();
        m_index.reserve(m_previous.size());
        for (std::uint32_t i = 0; i < m_previous.size(); ++i)
            m_index.emplace(m_previous[i].series, i);
        m_indexValid = true;
    }
    const auto it = m_index.find(series);
    if (it == m_index.end())
        return nullptr;
    m_cursor = it->second + 1; // resynchronise the fast path
    return &m_previous[it->second];
}

double CounterTracker::increase(std::uint64_t series, double current, NewSeries whenNew)
{
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    if (std::isnan(current))
        return nan;
    m_current.push_back({series, current});
    if (!m_hasPrevious)
        return nan;
    const Entry *previous = findPrevious(series);
    if (!previous)
        return whenNew == NewSeries::FromZero ? current : nan;
    return counterIncrease(previous->value, current);
}

void CounterTracker::commit()
{
    m_previous.swap(m_current);
    m_current.clear();
    m_index.clear();
    m_indexValid = false;
    m_cursor = 0;
    m_hasPrevious = true;
}

void CounterTracker::abandon()
{
    m_current.clear();
    m_cursor = 0;
}

} // namespace clusterdeck
