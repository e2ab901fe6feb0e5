#pragma once

// Prometheus text 0.0.4 and OpenMetrics 1.0 text parser (no Qt: the fuzzer builds it with plain clang).
//
//   ExpositionParser parser;                      // keep one per thread; it keeps its scratch capacity
//   MetricPage page;                              // reuse it too when the previous page is no longer needed
//   if (auto error = parser.parse(body, expositionFormatForContentType(contentType), page))
//       report(error->toString()); // "line 7, column 23: expected '=' after label name, found ' '"
//
// The result is all or nothing: on success `page` holds the complete page, on error `page` is left empty.

#include "metrics/metric_page.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace clusterdeck {

struct ParseError {
    std::uint32_t line = 0;   // 1-based
    std::uint32_t column = 0; // 1-based, counted in bytes
    std::string message;

    std::string toString() const; // "line L, column C: message"
};

// "application/openmetrics-text; version=1.0.0; charset=utf-8" → OpenMetrics; anything else → text 0.0.4.
ExpositionFormat expositionFormatForContentType(std::string_view contentType);

// Parses exposition text into a MetricPage, labels decoded and sorted; metric_page.h describes the page API.
class ExpositionParser {
public:
    // 0 = no cap. A page with more samples fails with an error rather than being cut short.
    void setMaxSamples(std::size_t maxSamples) { m_maxSamples = maxSamples; }
    std::size_t maxSamples() const { return m_maxSamples; }
    // 0 = no cap. A series with more labels fails the page (Prometheus' label_limit).
    void setMaxLabelsPerSeries(std::size_t maxLabels) { m_maxLabels = maxLabels; }

    // Replaces the content of `page` (keeping its allocated capacity) with the parsed page and returns
    // std::nullopt, or returns the first error and leaves `page` empty.
    std::optional<ParseError> parse(std::string_view text, ExpositionFormat format, MetricPage &page);

private:
    friend class ParseRun;

    std::size_t m_maxSamples = 0;
    std::size_t m_maxLabels = 0;
    // Scratch reused from page to page so that a steady stream of scrapes stops allocating.
    std::string m_decoded;                     // escape-decoded label values / HELP texts of the current page
    std::vector<std::uint32_t> m_familyOffset; // where each family was first seen, for error messages
    std::vector<std::uint32_t> m_labelColumns; // columns of the current sample's label names, for errors
    std::vector<std::uint32_t> m_order;        // label sort scratch for long label sets
    std::size_t m_lastSamples = 0;             // size hints from the previous page
    std::size_t m_lastLabels = 0;
};

} // namespace clusterdeck
