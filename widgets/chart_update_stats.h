#pragma once

#include <QtGlobal>
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

private:
    std::vector<double> m_samples; // ring once full
    std::size_t m_next = 0;
    qint64 m_count = 0;
};

} // namespace clusterdeck
