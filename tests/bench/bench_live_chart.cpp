// Cost of one live update of a chart at the size a review chart reaches: 20 series of 3600 points (an hour at
// 1 s). One update = one new point per series (the window full, so each also drops the oldest), the axes
// re-fitted and the chart repainted offscreen. Prints LiveChart's figures, then the same updates of the same
// data in plain Qt Charts (a QLineSeries per series, every point handed to Qt Charts), measured in the same
// run as the reference. On a shared machine the wall-clock figures include the time the scheduler gave to
// other processes, so the same updates are also timed in this thread's CPU time, and each one is followed by
// a repaint of an empty QWidget of the chart's size (the same grab()) and by exactly 1 ms of this thread's
// CPU time spent spinning, both timed as references for what the machine adds to anything that runs that
// long:
//
//   series=20 points=3600 update_ms_median=X update_ms_p99=Y
//   cpu series=20 points=3600 update_cpu_ms_median=X update_cpu_ms_p99=Y
//   reference=empty_widget update_ms_median=X update_ms_p99=Y update_cpu_ms_median=X update_cpu_ms_p99=Y
//   reference=cpu_1ms update_ms_median=X update_ms_p99=Y
//   reference=qlineseries series=20 points=3600 update_ms_median=X update_ms_p99=Y
//
//   QT_QPA_PLATFORM=offscreen bench_live_chart [--series N] [--points N] [--updates N] [--reference-updates
//   N]

#include "chart_update_stats.h"
#include "live_chart.h"

#include <QApplication>
#include <QChart>
#include <QChartView>
#include <QCommandLineParser>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QElapsedTimer>
#include <QLineSeries>
#include <QValueAxis>
#include <QWidget>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <functional>
#include <vector>

using namespace clusterdeck;

namespace {

constexpr qint64 kStartMs = 1'700'000'000'000;
constexpr qint64 kStepMs = 1000;

double value(int series, int i)
{
    // A wave with a one-sample spike now and then: what decimation must keep.
    return 100 + series + 10 * std::sin(i / 10.0) + (i % 997 == 0 ? 80 : 0);
}

struct Figures {
    double median = 0;
    double p99 = 0;
    double cpuMedian = 0;
    double cpuP99 = 0;
};

double threadCpuMs()
{
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return double(now.tv_sec) * 1e3 + double(now.tv_nsec) / 1e6;
}

// Nearest-rank median and p99 of the wall-clock and CPU times of each call.
class Samples {
public:
    template <typename F> void time(F &&call)
    {
        QElapsedTimer timer;
        const double cpu = threadCpuMs();
        timer.start();
        call();
        m_wall.push_back(double(timer.nsecsElapsed()) / 1e6);
        m_cpu.push_back(threadCpuMs() - cpu);
    }
    Figures figures() { return {rank(m_wall, 0.5), rank(m_wall, 0.99), rank(m_cpu, 0.5), rank(m_cpu, 0.99)}; }

private:
    static double rank(std::vector<double> &ms, double p)
    {
        if (ms.empty())
            return 0;
        std::sort(ms.begin(), ms.end());
        return ms[std::size_t(std::max(1.0, std::ceil(p * double(ms.size())))) - 1];
    }
    std::vector<double> m_wall;
    std::vector<double> m_cpu;
};

Figures measure(int updates, const std::function<void(int)> &update)
{
    Samples samples;
    for (int k = 0; k < updates; ++k)
        samples.time([&] { update(k); });
    return samples.figures();
}

Figures liveChart(int seriesCount, int points, int updates, Figures &emptyWidget, Figures &cpu1ms)
{
    Samples spin;
    QWidget empty;
    empty.resize(800, 300);
    empty.show();
    empty.grab();
    Samples reference;
    LiveChart chart(QStringLiteral("bench"), QStringLiteral("req/s"));
    chart.resize(800, 300);
    chart.setWindowMs(qint64(points) * kStepMs);
    chart.setMinUpdateIntervalMs(0); // the cost of one update, not how often they come
    chart.show();
    QStringList names;
    for (int s = 0; s < seriesCount; ++s)
        names.append(QStringLiteral("s%1").arg(s));
    for (int s = 0; s < seriesCount; ++s) {
        for (int i = 0; i < points; ++i)
            chart.appendPoint(names[s], kStartMs + i * kStepMs, value(s, i));
    }
    chart.refresh(kStartMs + (points - 1) * kStepMs);
    chart.grab(); // paints the whole widget, offscreen too
    ChartUpdateStats::global().clear();
    Samples samples;
    for (int k = 0; k < updates; ++k) {
        const int i = points + k;
        samples.time([&] {
            for (int s = 0; s < seriesCount; ++s)
                chart.appendPoint(names[s], kStartMs + i * kStepMs, value(s, i));
            chart.refresh(kStartMs + i * kStepMs);
            chart.grab(); // paints the whole widget, offscreen too
        });
        reference.time([&] { empty.grab(); }); // after each update, outside its timing: the same conditions
        spin.time([] {
            const double until = threadCpuMs() + 1.0;
            while (threadCpuMs() < until) {
            }
        });
    }
    emptyWidget = reference.figures();
    cpu1ms = spin.figures();
    const Figures figures = samples.figures();
    // Each timed update must have repainted the chart, or the figures would leave the drawing out.
    if (ChartUpdateStats::global().count() != updates)
        std::fprintf(stderr, "bench_live_chart: %lld of %d updates painted\n",
                     static_cast<long long>(ChartUpdateStats::global().count()), updates);
    return figures;
}

Figures qLineSeries(int seriesCount, int points, int updates)
{
    auto *chart = new QChart;
    auto *timeAxis = new QDateTimeAxis;
    auto *valueAxis = new QValueAxis;
    chart->addAxis(timeAxis, Qt::AlignBottom);
    chart->addAxis(valueAxis, Qt::AlignLeft);
    QList<QLineSeries *> series;
    for (int s = 0; s < seriesCount; ++s) {
        auto *line = new QLineSeries;
        QList<QPointF> initial;
        for (int i = 0; i < points; ++i)
            initial.append(QPointF(double(kStartMs + i * kStepMs), value(s, i)));
        line->replace(initial);
        chart->addSeries(line);
        line->attachAxis(timeAxis);
        line->attachAxis(valueAxis);
        series.append(line);
    }
    valueAxis->setRange(0, 250);
    QChartView view(chart);
    view.resize(800, 300);
    view.setRenderHint(QPainter::Antialiasing);
    view.show();
    view.grab();
    return measure(updates, [&](int k) {
        const int i = points + k;
        for (int s = 0; s < seriesCount; ++s) {
            series[s]->remove(0);
            series[s]->append(double(kStartMs + i * kStepMs), value(s, i));
        }
        timeAxis->setRange(QDateTime::fromMSecsSinceEpoch(kStartMs + (i - points + 1) * kStepMs),
                           QDateTime::fromMSecsSinceEpoch(kStartMs + i * kStepMs));
        view.grab();
    });
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
    const QCommandLineOption updatesOption(QStringLiteral("updates"),
                                           QStringLiteral("LiveChart updates to time (default 200)."),
                                           QStringLiteral("N"), QStringLiteral("200"));
    const QCommandLineOption referenceOption(
        QStringLiteral("reference-updates"),
        QStringLiteral("Qt Charts QLineSeries updates to time (default 30; 0 skips the reference)."),
        QStringLiteral("N"), QStringLiteral("30"));
    parser.addOptions({seriesOption, pointsOption, updatesOption, referenceOption});
    parser.process(app);
    const int series = std::clamp(parser.value(seriesOption).toInt(), 1, 1000);
    const int points = std::clamp(parser.value(pointsOption).toInt(), 2, 1'000'000);
    const int updates = std::clamp(parser.value(updatesOption).toInt(), 1, 100'000);
    const int referenceUpdates = std::clamp(parser.value(referenceOption).toInt(), 0, 100'000);

    Figures empty;
    Figures spin;
    const Figures ours = liveChart(series, points, updates, empty, spin);
    std::printf("series=%d points=%d update_ms_median=%.2f update_ms_p99=%.2f\n", series, points, ours.median,
                ours.p99);
    std::printf("cpu series=%d points=%d update_cpu_ms_median=%.2f update_cpu_ms_p99=%.2f\n", series, points,
                ours.cpuMedian, ours.cpuP99);
    std::printf("reference=empty_widget update_ms_median=%.2f update_ms_p99=%.2f update_cpu_ms_median=%.2f "
                "update_cpu_ms_p99=%.2f\n",
                empty.median, empty.p99, empty.cpuMedian, empty.cpuP99);
    std::printf("reference=cpu_1ms update_ms_median=%.2f update_ms_p99=%.2f\n", spin.median, spin.p99);
    if (referenceUpdates > 0) {
        const Figures reference = qLineSeries(series, points, referenceUpdates);
        std::printf("reference=qlineseries series=%d points=%d update_ms_median=%.2f update_ms_p99=%.2f\n",
                    series, points, reference.median, reference.p99);
    }
    return 0;
}
