#pragma once

// The chunk encodings of the history store (format: ARCHITECTURE.md §8). No Qt and no SQLite here, so the
// codecs are tested and benchmarked on their own.
//
// Timestamp column (one per stream and chunk): varint count, zigzag varint first timestamp, zigzag varint
// first delta, then zigzag varint delta-of-delta per further timestamp. Scrapes at a steady interval cost
// one byte each; ±50 ms of jitter costs two.
//
// Value column (one per series and chunk, aligned with its stream's timestamp column): a scale e (values
// are integers m·10^-e; exporters print few significant digits) and a token stream of varints:
//   0, n    the previous value repeats n more times     (most series hold still between scrapes)
//   1, n    the series is absent from n scrapes          (it appeared later or vanished)
//   2, f64  a literal double (NaN, ±Inf, or a value the scale cannot hold exactly); it becomes "previous"
//   k ≥ 3   zigzag(m − previous m) = k − 3               (counters and gauges move by small steps)
// Both columns are then compressed with zstd when that makes them smaller (flag byte first).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace clusterdeck::history {

// A value absent from a scrape: a NaN payload no exporter writes (exporters' NaN is the canonical one), so
// absent and "NaN on the page" stay apart in memory; never stored as a double.
inline constexpr std::uint64_t kAbsentBits = 0x7ff8dead0000a55eull;
double absentValue();
bool isAbsent(double value);

void putVarint(std::string &out, std::uint64_t v);
// False at the end of the input or on a malformed varint.
bool getVarint(std::string_view &in, std::uint64_t &v);
inline std::uint64_t zigzag(std::int64_t v)
{
    return (std::uint64_t(v) << 1) ^ std::uint64_t(v >> 63);
}
inline std::int64_t unzigzag(std::uint64_t v)
{
    return std::int64_t(v >> 1) ^ -std::int64_t(v & 1);
}

std::string encodeTimestamps(const std::vector<std::int64_t> &timestamps);
bool decodeTimestamps(std::string_view blob, std::vector<std::int64_t> &out);

// `values` has one entry per timestamp of the chunk; absentValue() where the series was not scraped.
std::string encodeValues(const std::vector<double> &values);
// Appends exactly `count` values (absentValue() for absent ones); false on a malformed blob.
bool decodeValues(std::string_view blob, std::size_t count, std::vector<double> &out);

// zstd framing: a flag byte (0 stored, 1 zstd) then the payload. Decompression is bounded by `maxBytes`.
std::string compressBlob(std::string_view raw, int level = 3);
bool decompressBlob(std::string_view blob, std::string &out, std::size_t maxBytes = 64u << 20);

} // namespace clusterdeck::history
