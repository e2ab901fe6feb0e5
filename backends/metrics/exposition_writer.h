#pragma once

// Writes parsed pages back out: the tsv and json of `clusterdeckctl parse`, and plain exposition text
// (no Qt here, like the parser, so the fuzzer can round-trip pages with it).
//
// tsv: one sample a line, `name<TAB>labels<TAB>value[<TAB>timestamp_ms]`; labels are `k="v"` pairs sorted by
// name joined by ',', values escaped as in the exposition format (\\ \" \n); value is the shortest text that
// reads back to the same double (std::to_chars), or NaN, +Inf, -Inf.
// json: an array of {"name", "labels": {...}, "value", "timestamp_ms"?}; value is a JSON number, or the
// string "NaN", "+Inf" or "-Inf", which JSON numbers cannot express.

#include "metrics/metric_page.h"

#include <cstddef>
#include <string>
#include <string_view>

namespace clusterdeck {

void appendDouble(std::string &out, double value);
// A label value escaped as the exposition format wants it (\\ \" \n), without the quotes.
void appendEscapedLabelValue(std::string &out, std::string_view value);
void appendLabelsText(std::string &out, const LabelSet &labels); // k="v",k2="v2"
void appendTsv(std::string &out, const MetricPage &page);
void appendJson(std::string &out, const MetricPage &page);
// Text format 0.0.4 without HELP/TYPE lines: `name{labels} value [timestamp_ms]`.
void appendExpositionText(std::string &out, const MetricPage &page);

// Samples counted the way tests/bench/expfmt_bench.go counts them (a histogram or summary series counts
// its buckets or quantiles plus 2 for _sum and _count), so the two benchmarks print comparable lines.
std::size_t expfmtSampleCount(const MetricPage &page);

} // namespace clusterdeck
