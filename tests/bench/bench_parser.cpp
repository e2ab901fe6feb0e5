// Parser throughput on one page, printed exactly like tests/bench/expfmt_bench.go so the two compare:
//   bench_parser [--fresh-page] FILE [ITERATIONS] → samples=N bytes=B seconds=S MBps=X
// FILE ending in .om is parsed as OpenMetrics, anything else as text 0.0.4. The parser is reused across
// iterations, as the scraper reuses its parser; labels are fully decoded and sorted each time. The page is
// reused too, unless --fresh-page: then every parse fills a new shared MetricPage, as the scraper does (its
// pages outlive the parse), so page allocation is part of the figure.

#include "metrics/exposition_parser.h"
#include "metrics/exposition_writer.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

int main(int argc, char **argv)
{
    const bool freshPage = argc > 1 && std::strcmp(argv[1], "--fresh-page") == 0;
    if (freshPage) {
        --argc;
        ++argv;
    }
    if (argc < 2 || argc > 3) {
        std::fprintf(stderr, "usage: bench_parser [--fresh-page] FILE [ITERATIONS]\n");
        return 2;
    }
    const std::string path = argv[1];
    const long iterations = argc == 3 ? std::strtol(argv[2], nullptr, 10) : 100;
    if (iterations <= 0) {
        std::fprintf(stderr, "bench_parser: ITERATIONS must be a positive number\n");
        return 2;
    }
    std::FILE *file = std::fopen(path.c_str(), "rb");
    if (!file) {
        std::perror(path.c_str());
        return 1;
    }
    std::string text;
    char buffer[1 << 16];
    std::size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0)
        text.append(buffer, n);
    std::fclose(file);

    const auto format = path.size() > 3 && path.compare(path.size() - 3, 3, ".om") == 0
                            ? clusterdeck::ExpositionFormat::OpenMetrics
                            : clusterdeck::ExpositionFormat::PrometheusText;
    clusterdeck::ExpositionParser parser;
    auto page = std::make_shared<clusterdeck::MetricPage>();
    const auto start = std::chrono::steady_clock::now();
    for (long i = 0; i < iterations; ++i) {
        if (freshPage)
            page = std::make_shared<clusterdeck::MetricPage>(); // the previous one is freed here, as a
                                                                // round's are
        if (auto error = parser.parse(text, format, *page)) {
            std::fprintf(stderr, "%s:%u:%u: %s\n", path.c_str(), error->line, error->column,
                         error->message.c_str());
            return 1;
        }
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("samples=%zu bytes=%zu seconds=%.3f MBps=%.1f\n", clusterdeck::expfmtSampleCount(*page),
                text.size(), seconds, double(text.size()) * double(iterations) / seconds / 1e6);
    return 0;
}
