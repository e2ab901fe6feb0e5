#pragma once

// histogram_quantile() as Prometheus computes it for classic (le-bucketed) histograms, so that direct-scrape
// KPIs and PromQL KPIs agree.

#include <span>

namespace clusterdeck {

struct HistogramBucket {
    double upperBound; // the le label; +Inf for the last bucket
    double count;      // cumulative: observations <= upperBound (typically a rate or an increase)
};

// The q-quantile of cumulative buckets, interpolated linearly within the bucket the rank falls into, with 0
// as the lower bound of the first bucket (if its bound is > 0). Special cases as in bucketQuantile():
//   q is NaN → NaN;  q < 0 → -Inf;  q > 1 → +Inf;
//   no +Inf bucket, fewer than 2 distinct bounds, or 0 observations → NaN;
//   rank in the +Inf bucket → the highest finite bound;
//   rank in a first bucket whose bound is <= 0 → that bound.
// Buckets with the same bound are merged, tiny float noise (1e-12 relative) is smoothed, and counts that
// decrease with a rising bound are raised to the running maximum (Prometheus' ensureMonotonic).
// `buckets` is sorted and modified in place (no allocation); empty input → NaN.
double histogramQuantile(double q, std::span<HistogramBucket> buckets);

} // namespace clusterdeck
