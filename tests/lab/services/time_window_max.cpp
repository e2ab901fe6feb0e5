#include "time_window_max.h"

#include <algorithm>

namespace clusterdeck::lab {

void TimeWindowMax::record(double value, Clock::time_point now)
{
    QMutexLocker lock(&m_mutex);
    rotate(now);
    for (double &slot : m_ring)
        slot = std::max(slot, value);
}

double TimeWindowMax::poll(Clock::time_point now)
{
    QMutexLocker lock(&m_mutex);
    rotate(now);
    return m_ring[m_current];
}

void TimeWindowMax::rotate(Clock::time_point now)
{
    if (now - m_lastRotation < kBufferLength)
        return;
    // After a long quiet spell every buffer is stale: clear them all at once.
    if (now - m_lastRotation >= kBufferLength * static_cast<int>(m_ring.size())) {
        m_ring.fill(0.0);
        m_lastRotation = now;
        return;
    }
    while (now - m_lastRotation >= kBufferLength) {
        m_ring[m_current] = 0.0;
        m_current = (m_current + 1) % m_ring.size();
        m_lastRotation += kBufferLength;
    }
}

} // namespace clusterdeck::lab
