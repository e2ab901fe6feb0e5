#include "metrics/exposition_writer.h"

#include <charconv>
#include <cmath>
#include <set>
#include <vector>

namespace clusterdeck {

void appendDouble(std::string &out, double value)
{
    if (std::isnan(value)) {
        out += "NaN";
        return;
    }
    if (std::isinf(value)) {
        out += value > 0 ? "+Inf" : "-Inf";
        return;
    }
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, result.ptr);
}

static void appendInt(std::string &out, std::int64_t value)
{
    char buffer[24];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, result.ptr);
}

void appendEscapedLabelValue(std::string &out, std::string_view value)
{
    for (const char c : value) {
        switch (c) {
        case '\\':
            out += "\\\\";
            break;
        case '"':
            out += "\\\"";
            break;
        case '\n':
            out += "\\n";
            break;
        default:
            out += c;
        }
    }
}

void appendLabelsText(std::string &out, const LabelSet &labels)
{
    bool first = true;
    for (const LabelView label : labels) {
        if (!first)
            out += ',';
        first = false;
        out += label.name;
        out += "=\"";
        appendEscapedLabelValue(out, label.value);
        out += '"';
    }
}

void appendTsv(std::string &out, const MetricPage &page)
{
    for (const SampleView sample : page) {
        out += sample.name();
        out += '\t';
        appendLabelsText(out, sample.labels());
        out += '\t';
        appendDouble(out, sample.value());
        if (const auto ts = sample.timestampMs()) {
            out += '\t';
            appendInt(out, *ts);
        }
        out += '\n';
    }
}

static void appendJsonString(std::string &out, std::string_view s)
{
    static const char hex[] = "0123456789abcdef";
    out += '"';
    for (const char ch : s) {
        const unsigned char c = static_cast<unsigned char>(ch);
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        default:
            if (c < 0x20) {
                out += "\\u00";
                out += hex[c >> 4];
                out += hex[c & 15];
            } else {
                out += ch;
            }
        }
    }
    out += '"';
}

void appendJson(std::string &out, const MetricPage &page)
{
    out += '[';
    bool firstSample = true;
    for (const SampleView sample : page) {
        out += firstSample ? "\n" : ",\n";
        firstSample = false;
        out += "{\"name\":";
        appendJsonString(out, sample.name());
        out += ",\"labels\":{";
        bool firstLabel = true;
        for (const LabelView label : sample.labels()) {
            if (!firstLabel)
                out += ',';
            firstLabel = false;
            appendJsonString(out, label.name);
            out += ':';
            appendJsonString(out, label.value);
        }
        out += "},\"value\":";
        const double v = sample.value();
        if (std::isfinite(v)) {
            appendDouble(out, v);
        } else {
            out += '"';
            appendDouble(out, v);
            out += '"';
        }
        if (const auto ts = sample.timestampMs()) {
            out += ",\"timestamp_ms\":";
            appendInt(out, *ts);
        }
        out += '}';
    }
    out += firstSample ? "]\n" : "\n]\n";
}

void appendExpositionText(std::string &out, const MetricPage &page)
{
    for (const SampleView sample : page) {
        out += sample.name();
        if (!sample.labels().empty()) {
            out += '{';
            appendLabelsText(out, sample.labels());
            out += '}';
        }
        out += ' ';
        appendDouble(out, sample.value());
        if (const auto ts = sample.timestampMs()) {
            out += ' ';
            appendInt(out, *ts);
        }
        out += '\n';
    }
}

std::size_t expfmtSampleCount(const MetricPage &page)
{
    // expfmt folds a histogram's or summary's lines into one metric per label set (without le / quantile).
    std::size_t count = 0;
    std::vector<std::set<std::string>> seriesPerFamily(page.familyCount());
    std::string key;
    for (const SampleView sample : page) {
        const MetricType type = sample.family().type;
        if (type != MetricType::Histogram && type != MetricType::Summary) {
            ++count;
            continue;
        }
        if (sample.kind() == SampleKind::Bucket || sample.kind() == SampleKind::Quantile)
            ++count;
        key.clear();
        for (const LabelView label : sample.labels()) {
            if (label.name == "le" || label.name == "quantile")
                continue;
            key += label.name;
            key += '\0';
            key += label.value;
            key += '\0';
        }
        if (seriesPerFamily[sample.familyIndex()].insert(key).second)
            count += 2;
    }
    return count;
}

} // namespace clusterdeck
