// libFuzzer target: the exposition parser with HTTP transport in front of it, as the scraper reads a page —
// chunked / Content-Length / until-close framing and gzip / deflate coding (HttpBodyDecoder), then the
// parser.
//
// Input: byte 0 = options (bits 0-1: framing length|chunked|until close; bits 2-3: coding
// identity|gzip|deflate; bit 4: OpenMetrics), byte 1 = the split size for the second pass (1..256), the rest
// = the body on the wire. Checks besides "no crash, no sanitizer report":
//   - caps hold: the decoded body never exceeds its cap, and an over-cap error says so;
//   - the outcome does not depend on how the bytes arrive (whole, or in pieces of byte 1's size);
//   - never half a page: a body is handed to the parser only when the decoder says Done.

#include "metrics/exposition_parser.h"
#include "metrics/http_body.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

using namespace clusterdeck;

namespace {

[[noreturn]] void failure(const char *what)
{
    std::fprintf(stderr, "fuzz_transport: invariant broken: %s\n", what);
    __builtin_trap();
}

constexpr std::size_t kMaxBody = 256 * 1024; // small, so that a bomb in the corpus trips it quickly

struct Outcome {
    HttpBodyDecoder::State state;
    std::string error;
    std::string body;
};

Outcome decode(const std::uint8_t options, const char *wire, std::size_t size, std::size_t step)
{
    static const HttpBodyDecoder::Framing framings[] = {
        HttpBodyDecoder::Framing::Length, HttpBodyDecoder::Framing::Chunked,
        HttpBodyDecoder::Framing::UntilClose, HttpBodyDecoder::Framing::Chunked};
    static const ContentCoding codings[] = {ContentCoding::Identity, ContentCoding::Gzip,
                                            ContentCoding::Deflate, ContentCoding::Gzip};
    HttpBodyDecoder::Limits limits;
    limits.maxBodyBytes = kMaxBody;
    limits.maxWireBytes = kMaxBody;
    // Length framing: the body claims all but its last 3 bytes, so short and long bodies both occur.
    const std::uint64_t length = size > 3 ? size - 3 : size;
    HttpBodyDecoder decoder(framings[options & 3], length, codings[(options >> 2) & 3], limits);
    Outcome outcome;
    for (std::size_t at = 0; at < size && decoder.state() == HttpBodyDecoder::State::NeedMore; at += step) {
        decoder.feed(wire + at, std::min(step, size - at), outcome.body);
        if (outcome.body.size() > kMaxBody)
            failure("decoded body over its cap");
    }
    outcome.state = decoder.finishAtClose(outcome.body);
    outcome.error = decoder.error();
    if (decoder.overCap() && outcome.error.find("cap") == std::string::npos)
        failure("an over-cap error does not say so");
    return outcome;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size < 2)
        return 0;
    const std::uint8_t options = data[0];
    const std::size_t step = std::size_t(data[1]) + 1;
    const char *wire = reinterpret_cast<const char *>(data + 2);
    const std::size_t wireSize = size - 2;

    const Outcome whole = decode(options, wire, wireSize, wireSize ? wireSize : 1);
    const Outcome pieces = decode(options, wire, wireSize, step);
    if (whole.state != pieces.state || whole.error != pieces.error)
        failure("the outcome depends on how the bytes arrive");
    if (whole.state == HttpBodyDecoder::State::Done && whole.body != pieces.body)
        failure("the body depends on how the bytes arrive");
    if (whole.state == HttpBodyDecoder::State::NeedMore)
        failure("finishAtClose() left the decoder undecided");
    if (whole.state != HttpBodyDecoder::State::Done)
        return 0;

    static ExpositionParser parser;
    static MetricPage page;
    parser.setMaxSamples(10000);
    parser.setMaxLabelsPerSeries(64);
    const ExpositionFormat format =
        (options & 16) ? ExpositionFormat::OpenMetrics : ExpositionFormat::PrometheusText;
    if (parser.parse(whole.body, format, page) && !page.empty())
        failure("a failed parse left samples in the page");
    return 0;
}
