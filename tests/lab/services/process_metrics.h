#pragma once

#include "exposition_writer.h"

#include <QByteArray>
#include <QMutex>
#include <chrono>

namespace clusterdeck::lab {

// The process basics a Spring Boot app exposes (uptime, start/ready time, CPU, threads, files),
// measured for this process from /proc and getrusage. Names are Micrometer's even where they say
// "jvm": the console's default KPI mapping expects them.
class ProcessMetrics {
public:
    explicit ProcessMetrics(QByteArray mainClass);

    // Call once the service accepts requests (application_ready_time_seconds).
    void markReady();
    void render(ExpositionWriter &out);

private:
    using Clock = std::chrono::steady_clock;

    QByteArray m_mainClass;
    Clock::time_point m_started;
    double m_startEpochSeconds;
    double m_startedSeconds = 0; // process start -> main() reached service set-up
    double m_readySeconds = 0;

    QMutex m_mutex; // CPU usage is a delta between two renders
    Clock::time_point m_lastCpuSample;
    double m_lastProcessCpuSeconds = 0;
    unsigned long long m_lastSystemBusy = 0;
    unsigned long long m_lastSystemTotal = 0;
};

} // namespace clusterdeck::lab
