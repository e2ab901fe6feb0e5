// The reference for `clusterdeck --report-stats`' stall_ms_max: the same GuiStallMonitor (a 10 ms precise
// heartbeat) in an event loop that does nothing else, run alongside the console for the same time. What it
// reports is what the machine (other processes, the scheduler) adds to any event loop; the console's stall is
// its own only beyond that.
//
//   bench_idle_loop [--seconds S]    prints   reference=idle_event_loop seconds=S stall_ms_max=X

#include "gui_stall_monitor.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTimer>
#include <algorithm>
#include <cstdio>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption secondsOption(QStringLiteral("seconds"),
                                           QStringLiteral("How long to measure (default 60)."),
                                           QStringLiteral("S"), QStringLiteral("60"));
    parser.addOption(secondsOption);
    parser.process(app);
    const int seconds = std::clamp(parser.value(secondsOption).toInt(), 1, 86400);
    clusterdeck::GuiStallMonitor monitor;
    QTimer::singleShot(0, &monitor, [&monitor] { monitor.start(); });
    QTimer::singleShot(seconds * 1000, &app, [&] {
        monitor.stop();
        std::printf("reference=idle_event_loop seconds=%d stall_ms_max=%.1f\n", seconds,
                    monitor.worstStallMs());
        std::fflush(stdout);
        QCoreApplication::quit();
    });
    return QCoreApplication::exec();
}
