// Cost of keeping a LiveChart up to date at the size a review chart reaches: 20 series of 3600 points (an
// hour at 1 s), with and without gaps. Prints the time of a back-fill of the whole hour in one batch, of a
// live tick (one point per series, the window full so each tick also trims) and of a repaint, offscreen.
//
//   bench_live_chart [--series N] [--points N] [--ticks N]

#include "live_chart.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QPixmap>
#include <cmath>
#include <cstdio>
#include <limits>

using namespace clusterdeck;

namespace {

void run(int seriesCount, int points, int ticks, int gapEvery)
{
    constexpr qint64 kStartMs = 1'700'000'000'000;
    constexpr qint64 kStepMs = 1000;
    LiveChart chart(QStringLiteral("bench"), QStringLiteral("req/s"));
    chart.resize(800, 300);
    chart.setWindowMs(points * kStepMs);
    chart.show();
    QStringList names;
    for (int s = 0; s < seriesCount; ++s)
        names.append(QStringLiteral("s%1").arg(s));
    const auto value = [&](int s, int i) {
        if (gapEvery > 0 && i % gapEvery == gapEvery / 2)
            return std::numeric_limits<double>::quiet_NaN();
        return 100 + s + 10 * std::sin(i / 10.0);
    };

    QElapsedTimer timer;
    timer.start();
    for (int s = 0; s < seriesCount; ++s) {
        for (int i = 0; i < points; ++i)
            chart.appendPoint(names[s], kStartMs + i * kStepMs, value(s, i));
    }
    chart.refresh(kStartMs + points * kStepMs);
    const double backfillMs = double(timer.nsecsElapsed()) / 1e6;
    QApplication::processEvents();

    timer.restart();
    for (int k = 0; k < ticks; ++k) {
        const int i = points + k;
        for (int s = 0; s < seriesCount; ++s)
            chart.appendPoint(names[s], kStartMs + i * kStepMs, value(s, i));
        chart.refresh(kStartMs + i * kStepMs);
    }
    const double tickMs = double(timer.nsecsElapsed()) / 1e6 / ticks;

    timer.restart();
    for (int k = 0; k < ticks; ++k)
        chart.grab();
    const double paintMs = double(timer.nsecsElapsed()) / 1e6 / ticks;
    std::printf("%2d series x %d points, %-16s back-fill %8.1f ms  live tick %6.2f ms  repaint %6.2f ms\n",
                seriesCount, points,
                gapEvery > 0 ? qPrintable(QStringLiteral("gap every %1:").arg(gapEvery)) : "no gaps:",
                backfillMs, tickMs, paintMs);
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption seriesOption(QStringLiteral("series"), QStringLiteral("Series (default 20)."),
                                          QStringLiteral("N"), QStringLiteral("20"));
    const QCommandLineOption pointsOption(QStringLiteral("points"),
                                          QStringLiteral("Points per series (default 3600)."),
                                          QStringLiteral("N"), QStringLiteral("3600"));
    const QCommandLineOption ticksOption(QStringLiteral("ticks"),
                                         QStringLiteral("Live ticks to average (default 20)."),
                                         QStringLiteral("N"), QStringLiteral("20"));
    parser.addOptions({seriesOption, pointsOption, ticksOption});
    parser.process(app);
    const int series = std::max(1, parser.value(seriesOption).toInt());
    const int points = std::max(2, parser.value(pointsOption).toInt());
    const int ticks = std::max(1, parser.value(ticksOption).toInt());
    for (int gapEvery : {0, 100, 10})
        run(series, points, ticks, gapEvery);
    return 0;
}
