#pragma once

#include <QMutex>
#include <array>
#include <chrono>

namespace clusterdeck::lab {

// Micrometer's TimeWindowMax: the largest value recorded in the last ~2 minutes (three rotating
// buffers of 40 s each), so a _max gauge decays after a slow spell instead of sticking forever.
class TimeWindowMax {
public:
    using Clock = std::chrono::steady_clock;

    void record(double value, Clock::time_point now = Clock::now());
    double poll(Clock::time_point now = Clock::now());

private:
    void rotate(Clock::time_point now);

    static constexpr std::chrono::seconds kBufferLength{40};
    QMutex m_mutex;
    std::array<double, 3> m_ring{};
    size_t m_current = 0;
    Clock::time_point m_lastRotation = Clock::now();
};

} // namespace clusterdeck::lab
