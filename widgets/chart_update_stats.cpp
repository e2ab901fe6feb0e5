#include "chart_update_stats.h"

#include <algorithm>
#include <cmath>

namespace clusterdeck {

ChartUpdateStats &ChartUpdateStats::global()
{
    static ChartUpdateStats stats;
    return stats;
}

void ChartUpdateStats::record(double ms)
{
    if (m_samples.size() < kCapacity)
        m_samples.push_back(ms);
    else
        m_samples[m_next] = ms;
    m_next = (m_next + 1) % kCapacity;
    ++m_count;
}

double ChartUpdateStats::percentile(double p) const
{
    if (m_samples.empty())
        return std::nan("");
    std::vector<double> sorted = m_samples;
    std::sort(sorted.begin(), sorted.end());
    const double rank = std::ceil(std::clamp(p, 0.0, 100.0) / 100.0 * double(sorted.size()));
    return sorted[std::size_t(std::max(1.0, rank)) - 1];
}

void ChartUpdateStats::notePaint(bool withData)
{
    const bool first = !m_painted;
    m_painted = true;
    const bool firstWithData = withData && m_startupMs < 0 && m_clock.isValid();
    if (firstWithData)
        m_startupMs = double(m_clock.nsecsElapsed()) / 1e6;
    if ((first || firstWithData) && onStartupPaint)
        onStartupPaint();
}

void ChartUpdateStats::clear()
{
    m_samples.clear();
    m_next = 0;
    m_count = 0;
}

} // namespace clusterdeck
