#include "process_metrics.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <sys/resource.h>
#include <thread>
#include <unistd.h>

namespace clusterdeck::lab {
namespace {

double processCpuSeconds()
{
    rusage usage{};
    if (getrusage(RUSAGE_SELF, &usage) != 0)
        return 0;
    auto seconds = [](const timeval &tv) {
        return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
    };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// Seconds since the kernel started this process (field 22 of /proc/self/stat, in clock ticks).
double processAgeSeconds()
{
    QFile stat(QStringLiteral("/proc/self/stat"));
    QFile uptime(QStringLiteral("/proc/uptime"));
    if (!stat.open(QIODevice::ReadOnly) || !uptime.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray line = stat.readAll();
    // The command name may contain spaces; fields are counted after its closing parenthesis.
    const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
    const double startTicks = fields.value(19).toDouble(); // field 22 overall
    const double systemUptime = uptime.readAll().split(' ').value(0).toDouble();
    const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
    return ticks > 0 ? std::max(0.0, systemUptime - startTicks / ticks) : 0;
}

int liveThreads()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("Threads:"))
            return line.mid(8).trimmed().toInt();
    }
    return 0;
}

// busy and total jiffies of all CPUs from the first line of /proc/stat
bool systemCpu(unsigned long long &busy, unsigned long long &total)
{
    QFile stat(QStringLiteral("/proc/stat"));
    if (!stat.open(QIODevice::ReadOnly))
        return false;
    const QList<QByteArray> fields = stat.readLine().simplified().split(' ');
    if (fields.size() < 5 || fields[0] != "cpu")
        return false;
    total = 0;
    for (qsizetype i = 1; i < fields.size(); ++i)
        total += fields[i].toULongLong();
    const unsigned long long idle = fields[4].toULongLong() + fields.value(5).toULongLong(); // idle + iowait
    busy = total - idle;
    return true;
}

} // namespace

ProcessMetrics::ProcessMetrics(QByteArray mainClass)
    : m_mainClass(std::move(mainClass)), m_started(Clock::now())
{
    const double age = processAgeSeconds();
    m_startEpochSeconds = static_cast<double>(QDateTime::currentMSecsSinceEpoch()) / 1000.0 - age;
    m_startedSeconds = age;
    m_lastCpuSample = m_started;
    m_lastProcessCpuSeconds = processCpuSeconds();
    systemCpu(m_lastSystemBusy, m_lastSystemTotal);
}

void ProcessMetrics::markReady()
{
    m_readySeconds = m_startedSeconds + std::chrono::duration<double>(Clock::now() - m_started).count();
}

void ProcessMetrics::render(ExpositionWriter &out)
{
    const Labels mainClass{{"main_application_class", m_mainClass}};
    out.family("application_ready_time_seconds",
               "Time taken for the application to be ready to service requests", "gauge");
    out.sample("application_ready_time_seconds", mainClass, m_readySeconds);
    out.family("application_started_time_seconds", "Time taken to start the application", "gauge");
    out.sample("application_started_time_seconds", mainClass, m_startedSeconds);

    out.family("jvm_threads_live_threads",
               "The current number of live threads (OS threads of this process; there is no JVM)", "gauge");
    out.sample("jvm_threads_live_threads", liveThreads());

    const int cpus = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    double processUsage = 0;
    double systemUsage = 0;
    {
        QMutexLocker lock(&m_mutex);
        const Clock::time_point now = Clock::now();
        const double wall = std::chrono::duration<double>(now - m_lastCpuSample).count();
        const double cpu = processCpuSeconds();
        if (wall > 0)
            processUsage = std::clamp((cpu - m_lastProcessCpuSeconds) / (wall * cpus), 0.0, 1.0);
        m_lastCpuSample = now;
        m_lastProcessCpuSeconds = cpu;
        unsigned long long busy = 0;
        unsigned long long total = 0;
        if (systemCpu(busy, total) && total > m_lastSystemTotal) {
            systemUsage = static_cast<double>(busy - std::min(busy, m_lastSystemBusy)) /
                          static_cast<double>(total - m_lastSystemTotal);
            m_lastSystemBusy = busy;
            m_lastSystemTotal = total;
        }
    }
    out.family("process_cpu_usage",
               "The \"recent cpu usage\" for the process (share of all CPUs since the last scrape)", "gauge");
    out.sample("process_cpu_usage", processUsage);

    out.family("process_files_max_files", "The maximum file descriptor count", "gauge");
    rlimit files{};
    getrlimit(RLIMIT_NOFILE, &files);
    out.sample("process_files_max_files", static_cast<double>(files.rlim_cur));
    out.family("process_files_open_files", "The open file descriptor count", "gauge");
    out.sample("process_files_open_files",
               static_cast<double>(
                   QDir(QStringLiteral("/proc/self/fd"))
                       .entryList(QDir::AllEntries | QDir::System | QDir::Hidden | QDir::NoDotAndDotDot)
                       .size()));

    out.family("process_start_time_seconds", "Start time of the process since unix epoch.", "gauge");
    out.sample("process_start_time_seconds", m_startEpochSeconds);
    out.family("process_uptime_seconds", "The uptime of the process", "gauge");
    out.sample("process_uptime_seconds",
               m_startedSeconds + std::chrono::duration<double>(Clock::now() - m_started).count());

    out.family("system_cpu_count", "The number of processors available to the process", "gauge");
    out.sample("system_cpu_count", cpus);
    out.family("system_cpu_usage", "The \"recent cpu usage\" of the system the application is running in",
               "gauge");
    out.sample("system_cpu_usage", systemUsage);
    QFile loadavg(QStringLiteral("/proc/loadavg"));
    if (loadavg.open(QIODevice::ReadOnly)) {
        out.family(
            "system_load_average_1m",
            "The sum of the number of runnable entities queued to available processors and the number of "
            "runnable entities running on the available processors averaged over a period of time",
            "gauge");
        out.sample("system_load_average_1m", loadavg.readAll().split(' ').value(0).toDouble());
    }
}

} // namespace clusterdeck::lab
