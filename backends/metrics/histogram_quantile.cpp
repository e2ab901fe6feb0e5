#include "metrics/histogram_quantile.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace clusterdeck {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// Merges neighbours with the same bound; returns the new size.
std::size_t coalesce(std::span<HistogramBucket> buckets)
{
    std::size_t out = 0;
    for (std::size_t i = 1; i < buckets.size(); ++i) {
        if (buckets[i].upperBound == buckets[out].upperBound)
            buckets[out].count += buckets[i].count;
        else
            buckets[++out] = buckets[i];
    }
    return out + 1;
}

// Rounding in summed rates can make a higher bucket a hair smaller than a lower one; treat that as equal.
void correctPrecisionErrors(std::span<HistogramBucket> buckets, double tolerance)
{
    double previous = buckets[0].count;
    for (std::size_t i = 1; i < buckets.size(); ++i) {
        const double current = buckets[i].count;
        const double delta = std::abs(current - previous);
        if (delta == 0)
            continue;
        if (delta / current <= tolerance)
            buckets[i].count = previous;
        else
            previous = current;
    }
}

void ensureMonotonic(std::span<HistogramBucket> buckets)
{
    double max = buckets[0].count;
    for (std::size_t i = 1; i < buckets.size(); ++i) {
        if (buckets[i].count > max)
            max = buckets[i].count;
        else if (buckets[i].count < max)
            buckets[i].count = max;
    }
}

} // namespace

double histogramQuantile(double q, std::span<HistogramBucket> buckets)
{
    if (std::isnan(q))
        return kNaN;
    if (q < 0)
        return -kInf;
    if (q > 1)
        return kInf;
    if (buckets.empty())
        return kNaN;
    std::sort(buckets.begin(), buckets.end(),
              [](const HistogramBucket &a, const HistogramBucket &b) { return a.upperBound < b.upperBound; });
    if (!(std::isinf(buckets.back().upperBound) && buckets.back().upperBound > 0))
        return kNaN;

    buckets = buckets.first(coalesce(buckets));
    correctPrecisionErrors(buckets, 1e-12);
    ensureMonotonic(buckets);
    if (buckets.size() < 2)
        return kNaN;
    const double observations = buckets.back().count;
    if (observations == 0 || std::isnan(observations))
        return kNaN;

    double rank = q * observations;
    // First bucket (excluding +Inf) whose count reaches the rank; the +Inf bucket when none does.
    const std::size_t last = buckets.size() - 1;
    std::size_t b =
        std::size_t(std::partition_point(buckets.begin(), buckets.begin() + std::ptrdiff_t(last),
                                         [rank](const HistogramBucket &x) { return x.count < rank; }) -
                    buckets.begin());
    if (b == last)
        return buckets[last - 1].upperBound;
    if (b == 0 && buckets[0].upperBound <= 0)
        return buckets[0].upperBound;
    double bucketStart = 0;
    const double bucketEnd = buckets[b].upperBound;
    double count = buckets[b].count;
    if (b > 0) {
        bucketStart = buckets[b - 1].upperBound;
        count -= buckets[b - 1].count;
        rank -= buckets[b - 1].count;
    }
    return bucketStart + (bucketEnd - bucketStart) * (rank / count);
}

} // namespace clusterdeck
