#include "metrics/metric_page.h"

#include <algorithm>

namespace clusterdeck {

const char *metricTypeName(MetricType type)
{
    switch (type) {
    case MetricType::Untyped:
        return "untyped";
    case MetricType::Counter:
        return "counter";
    case MetricType::Gauge:
        return "gauge";
    case MetricType::Histogram:
        return "histogram";
    case MetricType::Summary:
        return "summary";
    case MetricType::Info:
        return "info";
    case MetricType::StateSet:
        return "stateset";
    case MetricType::GaugeHistogram:
        return "gaugehistogram";
    }
    return "untyped";
}

const char *sampleKindName(SampleKind kind)
{
    switch (kind) {
    case SampleKind::Value:
        return "value";
    case SampleKind::Total:
        return "total";
    case SampleKind::Created:
        return "created";
    case SampleKind::Bucket:
        return "bucket";
    case SampleKind::Sum:
        return "sum";
    case SampleKind::Count:
        return "count";
    case SampleKind::Quantile:
        return "quantile";
    case SampleKind::GSum:
        return "gsum";
    case SampleKind::GCount:
        return "gcount";
    case SampleKind::Info:
        return "info";
    }
    return "value";
}

std::optional<std::string_view> LabelSet::value(std::string_view name) const
{
    // Label sets are small and sorted; a binary search beats a hash for these sizes.
    std::uint32_t lo = 0;
    std::uint32_t hi = m_count;
    while (lo < hi) {
        const std::uint32_t mid = (lo + hi) / 2;
        const std::string_view n = m_page->str(m_recs[mid].name);
        if (n < name)
            lo = mid + 1;
        else if (name < n)
            hi = mid;
        else
            return m_page->str(m_recs[mid].value);
    }
    return std::nullopt;
}

bool LabelSet::operator==(const LabelSet &other) const
{
    if (m_count != other.m_count)
        return false;
    for (std::uint32_t i = 0; i < m_count; ++i) {
        if (m_page->str(m_recs[i].name) != other.m_page->str(other.m_recs[i].name) ||
            m_page->str(m_recs[i].value) != other.m_page->str(other.m_recs[i].value))
            return false;
    }
    return true;
}

MetricFamily MetricPage::family(std::size_t i) const
{
    const detail::FamilyRec &f = m_families[i];
    return {str(f.name), f.type, str(f.help), str(f.unit)};
}

std::optional<std::uint32_t> MetricPage::findFamily(std::string_view name) const
{
    if (m_familySlots.empty())
        return std::nullopt;
    const std::uint32_t hash = detail::nameHash(name);
    const std::size_t mask = m_familySlots.size() - 1;
    for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
        const std::uint32_t slot = m_familySlots[i];
        if (slot == 0)
            return std::nullopt;
        const detail::FamilyRec &f = m_families[slot - 1];
        if (f.hash == hash && str(f.name) == name)
            return slot - 1;
    }
}

std::optional<MetricFamily> MetricPage::familyOf(std::string_view seriesName) const
{
    if (auto exact = findFamily(seriesName))
        return family(*exact);

    struct Suffix {
        std::string_view text;
        unsigned types; // bit per MetricType allowed to own this suffix
    };
    constexpr auto bit = [](MetricType t) { return 1u << unsigned(t); };
    const Suffix suffixes[] = {
        {"_bucket", bit(MetricType::Histogram) | bit(MetricType::GaugeHistogram)},
        {"_sum", bit(MetricType::Histogram) | bit(MetricType::Summary)},
        {"_count", bit(MetricType::Histogram) | bit(MetricType::Summary)},
        {"_total", bit(MetricType::Counter)},
        {"_created", bit(MetricType::Counter) | bit(MetricType::Histogram) | bit(MetricType::Summary)},
        {"_gsum", bit(MetricType::GaugeHistogram)},
        {"_gcount", bit(MetricType::GaugeHistogram)},
        {"_info", bit(MetricType::Info)},
    };
    for (const Suffix &suffix : suffixes) {
        if (seriesName.size() <= suffix.text.size() || !seriesName.ends_with(suffix.text))
            continue;
        const auto base = findFamily(seriesName.substr(0, seriesName.size() - suffix.text.size()));
        if (base && (suffix.types & bit(m_families[*base].type)))
            return family(*base);
    }
    return std::nullopt;
}

SampleRange MetricPage::samplesNamed(std::string_view name) const
{
    if (m_nameSlots.empty())
        return {};
    const std::uint32_t hash = detail::nameHash(name);
    const std::size_t mask = m_nameSlots.size() - 1;
    for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
        const std::uint32_t slot = m_nameSlots[i];
        if (slot == 0)
            return {};
        const detail::NameIndexEntry &e = m_names[slot - 1];
        if (e.hash == hash && str(e.name) == name)
            return {this, m_byName.data(), e.begin, e.end};
    }
}

void MetricPage::clear()
{
    m_textSize = 0;
    m_arena.clear();
    m_samples.clear();
    m_labels.clear();
    m_families.clear();
    m_familySlots.clear();
    m_names.clear();
    m_nameSlots.clear();
    m_byName.clear();
}

void MetricPage::reserve(std::size_t textBytes, std::size_t samples, std::size_t labels)
{
    m_arena.reserve(textBytes + textBytes / 16);
    m_samples.reserve(samples);
    m_labels.reserve(labels);
    m_byName.reserve(samples);
}

void MetricPage::buildIndexes()
{
    // A series name is a function of (family, kind), so distinct names are found by walking each family's few
    // entries instead of comparing or sorting strings; only the name table for lookups hashes each name once.
    m_names.clear();
    std::vector<std::uint32_t> &firstOfFamily = m_scratch;
    firstOfFamily.assign(m_families.size(), 0);
    const std::uint32_t n = std::uint32_t(m_samples.size());
    std::uint32_t previous = 0; // entry index + 1 of the previous sample
    for (std::uint32_t i = 0; i < n; ++i) {
        const detail::SampleRec &sample = m_samples[i];
        std::uint32_t entry = previous;
        if (entry == 0 || m_names[entry - 1].family != sample.family ||
            m_names[entry - 1].kind != sample.kind) {
            entry = firstOfFamily[sample.family];
            while (entry != 0 && m_names[entry - 1].kind != sample.kind)
                entry = m_names[entry - 1].nextOfFamily;
            if (entry == 0) {
                detail::NameIndexEntry e;
                e.name = sample.name;
                e.family = sample.family;
                e.kind = sample.kind;
                e.nextOfFamily = firstOfFamily[sample.family];
                m_names.push_back(e);
                entry = std::uint32_t(m_names.size());
                firstOfFamily[sample.family] = entry;
            }
        }
        ++m_names[entry - 1].end; // a count for now
        previous = entry;
    }

    std::size_t size = 16;
    while (size < m_names.size() * 2)
        size *= 2;
    m_nameSlots.assign(size, 0);
    const std::size_t mask = size - 1;
    for (std::uint32_t e = 0; e < m_names.size(); ++e) {
        detail::NameIndexEntry &entry = m_names[e];
        entry.hash = detail::nameHash(str(entry.name));
        entry.canonical = e;
        std::size_t i = entry.hash & mask;
        for (; m_nameSlots[i] != 0; i = (i + 1) & mask) {
            detail::NameIndexEntry &other = m_names[m_nameSlots[i] - 1];
            if (other.hash == entry.hash && str(other.name) == str(entry.name)) {
                entry.canonical = m_nameSlots[i] - 1;
                other.end += entry.end;
                entry.end = 0;
                break;
            }
        }
        if (entry.canonical == e)
            m_nameSlots[i] = e + 1;
    }
    std::uint32_t position = 0;
    for (std::uint32_t e = 0; e < m_names.size(); ++e) {
        detail::NameIndexEntry &entry = m_names[e];
        if (entry.canonical != e)
            continue;
        const std::uint32_t count = entry.end;
        entry.begin = entry.end = position; // end is the fill cursor below
        position += count;
    }

    m_byName.resize(n);
    previous = 0;
    for (std::uint32_t i = 0; i < n; ++i) {
        const detail::SampleRec &sample = m_samples[i];
        std::uint32_t entry = previous;
        if (entry == 0 || m_names[entry - 1].family != sample.family ||
            m_names[entry - 1].kind != sample.kind) {
            entry = firstOfFamily[sample.family];
            while (m_names[entry - 1].kind != sample.kind)
                entry = m_names[entry - 1].nextOfFamily;
        }
        m_byName[m_names[m_names[entry - 1].canonical].end++] = i;
        previous = entry;
    }
}

} // namespace clusterdeck
