#pragma once

#include <QElapsedTimer>
#include <QtGlobal>
#include <functional>
#include <vector>

namespace clusterdeck {

// How long chart updates took in this process (the axes re-fitted and the plot repainted, in ms), for
// `clusterdeck --report-stats`: every LiveChart records into global(). Keeps the newest kCapacity samples.
// GUI thread only, like the charts.
class ChartUpdateStats {
public:
    static constexpr std::size_t kCapacity = 8192;

    static ChartUpdateStats &global();

    void record(double ms);
    // The p-th percentile (0..100, nearest rank) of the kept samples; NaN when there are none.
    double percentile(double p) const;
    qint64 count() const { return m_count; }
    void clear();

    // Start-up: from startClock() (first thing in main()) to the first chart paint that shows data.
    void startClock() { m_clock.start(); }
    // Every LiveChart paint says whether it drew any point.
    void notePaint(bool withData);
    // ms from startClock() to the first paint with data; -1 before it (or without startClock()).
    double startupMs() const { return m_startupMs; }
    // Called after the first chart paint (the window's first frame) and after the first one with data: where
    // start-up ends, for what measures the running window.
    std::function<void()> onStartupPaint;

private:
    std::vector<double> m_samples; // ring once full
    std::size_t m_next = 0;
    qint64 m_count = 0;
    QElapsedTimer m_clock;
    double m_startupMs = -1;
    bool m_painted = false;
};

} // namespace clusterdeck
