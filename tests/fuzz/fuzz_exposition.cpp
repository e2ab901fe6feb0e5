// libFuzzer target for the exposition parser (Qt-free core: built with clang, see CMakeLists.txt).
//
// Input: first byte = options (bit 0: OpenMetrics instead of text 0.0.4, bit 1: a sample cap of 50), the rest
// is the page. Besides "no crash, no sanitizer report", it checks what callers rely on:
//   - all or nothing: an error leaves the page empty and has a 1-based position inside the input;
//   - every sample is found again through samplesNamed() (and only samples of that name) and familyOf();
//     labels are strictly sorted;
//   - round trip: printing the page as text 0.0.4 and parsing that gives the same samples (tsv), so values,
//     escapes and timestamps survive exactly.

#include "metrics/exposition_parser.h"
#include "metrics/exposition_writer.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

using namespace clusterdeck;

namespace {

[[noreturn]] void failure(const char *what)
{
    std::fprintf(stderr, "fuzz_exposition: invariant broken: %s\n", what);
    __builtin_trap();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size == 0)
        return 0;
    const std::uint8_t options = data[0];
    const std::string_view text(reinterpret_cast<const char *>(data + 1), size - 1);
    const ExpositionFormat format =
        (options & 1) ? ExpositionFormat::OpenMetrics : ExpositionFormat::PrometheusText;

    // Reused across inputs, as the scraper reuses them: nothing of a previous page may leak into the next.
    static ExpositionParser parser;
    static MetricPage page;
    parser.setMaxSamples((options & 2) ? 50 : 0);

    if (const auto error = parser.parse(text, format, page)) {
        if (!page.empty() || page.familyCount() != 0)
            failure("a failed parse left samples in the page");
        const std::size_t lines = std::size_t(std::count(text.begin(), text.end(), '\n')) + 1;
        if (error->line == 0 || error->column == 0 || error->line > lines || error->message.empty())
            failure("error position outside the input");
        return 0;
    }
    if ((options & 2) && page.size() > 50)
        failure("sample cap ignored");

    for (const SampleView sample : page) {
        const LabelSet labels = sample.labels();
        for (std::size_t i = 1; i < labels.size(); ++i) {
            if (!(labels[i - 1].name < labels[i].name))
                failure("labels not strictly sorted");
        }
        if (!page.familyOf(sample.name()))
            failure("familyOf() misses a sample's series name");
        bool found = false;
        for (const SampleView same : page.samplesNamed(sample.name())) {
            if (same.name() != sample.name())
                failure("samplesNamed() returns a sample of another name");
            found = found || same.index() == sample.index();
        }
        if (!found)
            failure("samplesNamed() misses a sample");
        (void)sample.family();
        (void)sample.timestampMs();
    }

    std::string printed;
    appendExpositionText(printed, page);
    static ExpositionParser again;
    static MetricPage reparsed;
    again.setMaxSamples(0);
    if (const auto error = again.parse(printed, ExpositionFormat::PrometheusText, reparsed)) {
        std::fprintf(stderr, "%s\n--- printed page:\n%s\n", error->toString().c_str(), printed.c_str());
        failure("printed page does not parse");
    }
    std::string before;
    std::string after;
    appendTsv(before, page);
    appendTsv(after, reparsed);
    if (before != after)
        failure("round trip changed the samples");

    std::string json;
    appendJson(json, page);
    (void)expfmtSampleCount(page);
    return 0;
}
