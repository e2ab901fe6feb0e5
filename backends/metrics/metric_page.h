#pragma once

// One parsed /metrics page, laid out for the KPI engine (no Qt here: the fuzzer builds it with plain clang).
//
//   MetricPage page;                          // filled by ExpositionParser::parse(text, format, page)
//   for (SampleView s : page) {               // page order
//       s.name();  s.value();  s.timestampMs();           // std::string_view, double, std::optional<int64_t>
//       for (LabelView l : s.labels()) ...                // sorted by name, escapes decoded
//       s.label("code");                                  // std::optional<std::string_view>, binary search
//       s.kind();  s.family().type;                       // Bucket/Sum/Count/...; Counter/Histogram/...
//   }
//   page.samplesNamed("http_server_requests_seconds_bucket"); // every sample of one series name, page order
//   page.familyOf("haproxy_server_http_responses_total");     // family of a series or family name
// Both lookups probe hash tables built once per page (by index, so a copied or moved page has working ones).
//
// A page owns all its bytes (a copy of the exposition plus decoded escapes), so it stays valid after the
// parser is gone or reused and can be shared read-only between threads. SampleView, LabelView, the
// string_views and the ranges borrow from that page object: keep it alive (and unmoved) while you use them.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace clusterdeck {

enum class ExpositionFormat : std::uint8_t {
    PrometheusText, // text/plain; version=0.0.4
    OpenMetrics,    // application/openmetrics-text; version=1.0.0
};

// OpenMetrics "unknown" and text-format "untyped" are the same thing: Untyped.
enum class MetricType : std::uint8_t {
    Untyped,
    Counter,
    Gauge,
    Histogram,
    Summary,
    Info,
    StateSet,
    GaugeHistogram
};

// What a sample is within its family, from its name suffix and the family type.
enum class SampleKind : std::uint8_t {
    Value,    // plain: gauge, untyped, stateset, and text-format counters (their family name has the _total)
    Total,    // OpenMetrics counter foo_total
    Created,  // OpenMetrics foo_created (counter, histogram, summary)
    Bucket,   // histogram/gaugehistogram foo_bucket{le=...}
    Sum,      // histogram/summary foo_sum
    Count,    // histogram/summary foo_count
    Quantile, // summary foo{quantile=...}
    GSum,     // gaugehistogram foo_gsum
    GCount,   // gaugehistogram foo_gcount
    Info,     // OpenMetrics info foo_info
};

const char *metricTypeName(MetricType type);
const char *sampleKindName(SampleKind kind);

struct LabelView {
    std::string_view name;
    std::string_view value;
};

struct MetricFamily {
    std::string_view name; // "foo" for foo_bucket/foo_sum/foo_count, "foo" for OpenMetrics' foo_total
    MetricType type = MetricType::Untyped;
    std::string_view help; // escapes decoded; empty without HELP
    std::string_view unit; // OpenMetrics UNIT; empty otherwise
};

class MetricPage;

namespace detail {
// Hash of a metric name for the page's open-addressing tables (families, series names).
inline std::uint32_t nameHash(std::string_view name)
{
    const char *p = name.data();
    std::size_t n = name.size();
    std::uint64_t h = 0x9E3779B97F4A7C15ull ^ (std::uint64_t(n) * 0xff51afd7ed558ccdull);
    for (; n >= 8; p += 8, n -= 8) {
        std::uint64_t word;
        std::memcpy(&word, p, 8);
        h = (h ^ word) * 0xbf58476d1ce4e5b9ull;
        h ^= h >> 32;
    }
    std::uint64_t tail = 0;
    for (std::size_t i = 0; i < n; ++i)
        tail |= std::uint64_t(static_cast<unsigned char>(p[i])) << (8 * i);
    h = (h ^ tail) * 0x94d049bb133111ebull;
    h ^= h >> 31;
    h *= 0xbf58476d1ce4e5b9ull;
    h ^= h >> 29;
    return std::uint32_t(h);
}

struct StrRef {
    std::uint32_t offset = 0;
    std::uint32_t size = 0;
};
struct LabelRec {
    StrRef name;
    StrRef value;
};
struct SampleRec {
    StrRef name;
    std::uint32_t firstLabel = 0;
    std::uint32_t labelCount = 0;
    std::uint32_t family = 0;
    SampleKind kind = SampleKind::Value;
    bool hasTimestamp = false;
    double value = 0;
    std::int64_t timestampMs = 0;
};
struct FamilyRec {
    StrRef name;
    std::uint32_t hash = 0; // nameHash(name)
    StrRef help;
    StrRef unit;
    MetricType type = MetricType::Untyped;
    bool hasType = false;
    bool hasHelp = false;
    bool hasUnit = false;
    std::uint32_t sampleCount = 0;
};
// One (family, kind) of a page. Within a family, the kind decides the series name, which is how the index is
// built without comparing strings; a name two families claim (a text page may declare both histogram foo and
// gauge foo_sum) has one entry per family, merged into the first (`canonical`) for lookups.
struct NameIndexEntry {
    StrRef name;
    std::uint32_t hash = 0;
    std::uint32_t family = 0;
    SampleKind kind = SampleKind::Value;
    std::uint32_t nextOfFamily = 0; // index + 1 of the family's next entry, while building
    std::uint32_t canonical = 0;    // the entry that holds this name's samples
    std::uint32_t begin = 0;        // into MetricPage::m_byName
    std::uint32_t end = 0;
};
} // namespace detail

// The labels of one sample, sorted by name; random access.
class LabelSet {
public:
    class iterator {
    public:
        using iterator_category = std::forward_iterator_tag;
        using value_type = LabelView;
        using difference_type = std::ptrdiff_t;
        using pointer = void;
        using reference = LabelView;
        iterator() = default;
        iterator(const MetricPage *page, const detail::LabelRec *rec) : m_page(page), m_rec(rec) {}
        LabelView operator*() const;
        iterator &operator++()
        {
            ++m_rec;
            return *this;
        }
        iterator operator++(int)
        {
            iterator t = *this;
            ++m_rec;
            return t;
        }
        bool operator==(const iterator &o) const { return m_rec == o.m_rec; }
        bool operator!=(const iterator &o) const { return m_rec != o.m_rec; }

    private:
        const MetricPage *m_page = nullptr;
        const detail::LabelRec *m_rec = nullptr;
    };

    LabelSet(const MetricPage *page, const detail::LabelRec *recs, std::uint32_t count)
        : m_page(page), m_recs(recs), m_count(count)
    {}
    std::size_t size() const { return m_count; }
    bool empty() const { return m_count == 0; }
    LabelView operator[](std::size_t i) const;
    iterator begin() const { return {m_page, m_recs}; }
    iterator end() const { return {m_page, m_recs + m_count}; }
    std::optional<std::string_view> value(std::string_view name) const;
    // Same names and values; both sets are sorted, so this is a linear walk.
    bool operator==(const LabelSet &other) const;

private:
    const MetricPage *m_page;
    const detail::LabelRec *m_recs;
    std::uint32_t m_count;
};

// A cheap handle to one sample of a page.
class SampleView {
public:
    SampleView(const MetricPage *page, std::uint32_t index) : m_page(page), m_index(index) {}
    std::uint32_t index() const { return m_index; }
    std::string_view name() const;
    LabelSet labels() const;
    std::optional<std::string_view> label(std::string_view name) const { return labels().value(name); }
    double value() const;
    std::optional<std::int64_t> timestampMs() const;
    SampleKind kind() const;
    MetricFamily family() const;
    std::uint32_t familyIndex() const;

private:
    const detail::SampleRec &rec() const;
    const MetricPage *m_page;
    std::uint32_t m_index;
};

// Iterates samples of a page by index list (samplesNamed) or contiguously (the whole page).
class SampleRange {
public:
    class iterator {
    public:
        using iterator_category = std::forward_iterator_tag;
        using value_type = SampleView;
        using difference_type = std::ptrdiff_t;
        using pointer = void;
        using reference = SampleView;
        iterator() = default;
        iterator(const MetricPage *page, const std::uint32_t *indices, std::uint32_t pos)
            : m_page(page), m_indices(indices), m_pos(pos)
        {}
        SampleView operator*() const { return {m_page, m_indices ? m_indices[m_pos] : m_pos}; }
        iterator &operator++()
        {
            ++m_pos;
            return *this;
        }
        iterator operator++(int)
        {
            iterator t = *this;
            ++m_pos;
            return t;
        }
        bool operator==(const iterator &o) const { return m_pos == o.m_pos; }
        bool operator!=(const iterator &o) const { return m_pos != o.m_pos; }

    private:
        const MetricPage *m_page = nullptr;
        const std::uint32_t *m_indices = nullptr;
        std::uint32_t m_pos = 0;
    };

    SampleRange() = default;
    SampleRange(const MetricPage *page, const std::uint32_t *indices, std::uint32_t begin, std::uint32_t end)
        : m_page(page), m_indices(indices), m_begin(begin), m_end(end)
    {}
    iterator begin() const { return {m_page, m_indices, m_begin}; }
    iterator end() const { return {m_page, m_indices, m_end}; }
    std::size_t size() const { return m_end - m_begin; }
    bool empty() const { return m_end == m_begin; }
    SampleView operator[](std::size_t i) const
    {
        const std::uint32_t pos = m_begin + std::uint32_t(i);
        return {m_page, m_indices ? m_indices[pos] : pos};
    }

private:
    const MetricPage *m_page = nullptr;
    const std::uint32_t *m_indices = nullptr;
    std::uint32_t m_begin = 0;
    std::uint32_t m_end = 0;
};

// A complete parsed page (never a partial one: the parser clears it on error).
class MetricPage {
public:
    ExpositionFormat format() const { return m_format; }
    std::size_t byteSize() const { return m_textSize; } // size of the exposition text it was parsed from

    std::size_t size() const { return m_samples.size(); }
    bool empty() const { return m_samples.empty(); }
    SampleView sample(std::size_t i) const { return {this, std::uint32_t(i)}; }
    SampleView operator[](std::size_t i) const { return sample(i); }
    SampleRange samples() const { return {this, nullptr, 0, std::uint32_t(m_samples.size())}; }
    SampleRange::iterator begin() const { return {this, nullptr, 0}; }
    SampleRange::iterator end() const { return {this, nullptr, std::uint32_t(m_samples.size())}; }

    // All samples whose series name is exactly `name`, in page order; empty when there are none.
    SampleRange samplesNamed(std::string_view name) const;

    std::size_t familyCount() const { return m_families.size(); }
    MetricFamily family(std::size_t i) const;
    // The family of a series name (foo_bucket → histogram foo, foo_total → OpenMetrics counter foo) or of a
    // family name; std::nullopt when the page has neither.
    std::optional<MetricFamily> familyOf(std::string_view seriesName) const;

    void clear();
    // Ask for room up front so that parsing a page of a known size allocates nothing more.
    void reserve(std::size_t textBytes, std::size_t samples, std::size_t labels);

private:
    friend class ExpositionParser;
    friend class ParseRun;
    friend class LabelSet;
    friend class LabelSet::iterator;
    friend class SampleView;

    std::string_view str(detail::StrRef ref) const { return {m_arena.data() + ref.offset, ref.size}; }
    std::optional<std::uint32_t> findFamily(std::string_view name) const;
    void buildIndexes(); // called by the parser once a page is complete

    ExpositionFormat m_format = ExpositionFormat::PrometheusText;
    std::size_t m_textSize = 0;
    std::string m_arena; // exposition text copied verbatim, then decoded label values and HELP texts
    std::vector<detail::SampleRec> m_samples;
    std::vector<detail::LabelRec> m_labels;
    std::vector<detail::FamilyRec> m_families;
    std::vector<std::uint32_t> m_familySlots;    // open addressing by nameHash: family index + 1 (0 = empty)
    std::vector<detail::NameIndexEntry> m_names; // distinct series names, in order of first appearance
    std::vector<std::uint32_t> m_nameSlots;      // open addressing by nameHash: m_names index + 1
    std::vector<std::uint32_t> m_byName;         // sample indices grouped by name, page order within a name
    std::vector<std::uint32_t> m_scratch;        // buildIndexes() working space (kept for its capacity)
};

// ---- inline accessors (the hot path of every consumer) ----

inline LabelView LabelSet::operator[](std::size_t i) const
{
    return {m_page->str(m_recs[i].name), m_page->str(m_recs[i].value)};
}

inline LabelView LabelSet::iterator::operator*() const
{
    return {m_page->str(m_rec->name), m_page->str(m_rec->value)};
}

inline const detail::SampleRec &SampleView::rec() const
{
    return m_page->m_samples[m_index];
}
inline std::string_view SampleView::name() const
{
    return m_page->str(rec().name);
}
inline LabelSet SampleView::labels() const
{
    const detail::SampleRec &r = rec();
    return {m_page, m_page->m_labels.data() + r.firstLabel, r.labelCount};
}
inline double SampleView::value() const
{
    return rec().value;
}
inline std::optional<std::int64_t> SampleView::timestampMs() const
{
    const detail::SampleRec &r = rec();
    return r.hasTimestamp ? std::optional<std::int64_t>(r.timestampMs) : std::nullopt;
}
inline SampleKind SampleView::kind() const
{
    return rec().kind;
}
inline std::uint32_t SampleView::familyIndex() const
{
    return rec().family;
}
inline MetricFamily SampleView::family() const
{
    return m_page->family(rec().family);
}

} // namespace clusterdeck
