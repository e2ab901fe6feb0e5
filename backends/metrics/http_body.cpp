#include "metrics/http_body.h"

#include <algorithm>
#include <cstdio>
#include <zlib.h>

namespace clusterdeck {

namespace {

constexpr std::size_t kInflateStep = 64 * 1024; // output produced per inflate() call: the cap trips within it
constexpr std::size_t kMaxChunkLine = 4096;     // a chunk-size line with its extensions
constexpr std::size_t kMaxTrailers = 16 * 1024;

std::string lowerTrimmed(std::string_view text)
{
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    std::string out(text);
    for (char &c : out)
        c = char(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
    return out;
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

std::string printable(char c)
{
    if (c >= 0x20 && c < 0x7f)
        return std::string("'") + c + "'";
    char buffer[8];
    std::snprintf(buffer, sizeof buffer, "0x%02x", unsigned(static_cast<unsigned char>(c)));
    return buffer;
}

// Room for `needed` bytes in a body capped at `cap`. Past 1 MiB the whole cap is reserved at once: untouched
// pages cost no memory, and the doubling copies (old and new buffer alive together, twice the cap at the end)
// never happen.
void reserveFor(std::string &out, std::size_t needed, std::size_t cap)
{
    if (out.capacity() >= needed)
        return;
    if (needed > 1024 * 1024)
        out.reserve(std::max(needed, cap + kInflateStep));
    else
        out.reserve(std::max(needed, 2 * out.capacity()));
}

const char *codingName(ContentCoding coding)
{
    return coding == ContentCoding::Gzip ? "gzip" : "deflate";
}

} // namespace

std::optional<ContentCoding> contentCodingFor(std::string_view contentEncoding)
{
    const std::string coding = lowerTrimmed(contentEncoding);
    if (coding.empty() || coding == "identity")
        return ContentCoding::Identity;
    if (coding == "gzip" || coding == "x-gzip")
        return ContentCoding::Gzip;
    if (coding == "deflate")
        return ContentCoding::Deflate;
    return std::nullopt;
}

std::string formatByteCount(std::uint64_t bytes)
{
    char buffer[64];
    if (bytes >= 1024 * 1024)
        std::snprintf(buffer, sizeof buffer, "%.1f MiB", double(bytes) / (1024.0 * 1024.0));
    else
        std::snprintf(buffer, sizeof buffer, "%llu bytes", static_cast<unsigned long long>(bytes));
    return buffer;
}

// ---- InflateStream ----

struct InflateStream::Zlib {
    z_stream stream{};
    bool initialised = false;
};

InflateStream::InflateStream(ContentCoding coding, std::size_t maxOutput)
    : m_zlib(std::make_unique<Zlib>()), m_coding(coding), m_maxOutput(maxOutput)
{
    // gzip: gzip header only; deflate: the zlib wrapper HTTP asks for, or a gzip header (both auto-detected).
    const int windowBits = coding == ContentCoding::Gzip ? 16 + MAX_WBITS : 32 + MAX_WBITS;
    if (inflateInit2(&m_zlib->stream, windowBits) == Z_OK)
        m_zlib->initialised = true;
    else
        m_error = "cannot start the decompressor (out of memory)";
}

InflateStream::~InflateStream()
{
    if (m_zlib->initialised)
        inflateEnd(&m_zlib->stream);
}

bool InflateStream::feed(const char *data, std::size_t size, std::string &out)
{
    if (!m_error.empty())
        return false;
    return inflateSome(reinterpret_cast<const unsigned char *>(data), size, out);
}

bool InflateStream::inflateSome(const unsigned char *data, std::size_t size, std::string &out)
{
    z_stream &z = m_zlib->stream;
    while (size > 0) {
        if (m_ended) {
            if (m_coding != ContentCoding::Gzip) {
                m_error = "data after the end of the deflate stream";
                return false;
            }
            inflateReset(&z); // another gzip member follows (RFC 1952 allows several)
            m_ended = false;
        }
        const uInt in = uInt(std::min<std::size_t>(size, 1u << 30));
        z.next_in = const_cast<Bytef *>(data);
        z.avail_in = in;
        for (;;) {
            // One step more than the cap allows tells "exactly at the cap" from "over it".
            const std::size_t room = m_maxOutput - m_produced + 1;
            const std::size_t step = std::min(kInflateStep, room);
            const std::size_t before = out.size();
            reserveFor(out, before + step, m_maxOutput);
            out.resize(before + step);
            z.next_out = reinterpret_cast<Bytef *>(out.data() + before);
            z.avail_out = uInt(step);
            const int rc = inflate(&z, Z_NO_FLUSH);
            const std::size_t produced = step - z.avail_out;
            out.resize(before + produced);
            m_produced += produced;
            if (m_produced > m_maxOutput) {
                out.resize(before);
                m_overCap = true;
                m_error = "over the cap";
                return false;
            }
            if (rc == Z_STREAM_END) {
                m_ended = true;
                break;
            }
            if (rc == Z_BUF_ERROR && produced == 0)
                break; // no progress possible: needs more input
            if (rc != Z_OK) {
                m_error = std::string("corrupt ") + codingName(m_coding) + " data (" +
                          (z.msg ? z.msg : (rc == Z_NEED_DICT ? "needs a preset dictionary" : "zlib error")) +
                          ")";
                return false;
            }
            // A full output buffer may leave output pending inside zlib even when all input is in (found by
            // fuzz_transport): only a buffer with room to spare means there is nothing more to take now.
            if (z.avail_in == 0 && z.avail_out != 0)
                break;
        }
        const std::size_t used = in - z.avail_in;
        data += used;
        size -= used;
        if (!m_ended && used < in)
            break; // zlib holds no unconsumed input unless it ended: nothing left to do
    }
    return true;
}

// ---- HttpBodyDecoder ----

HttpBodyDecoder::HttpBodyDecoder(Framing framing, std::uint64_t contentLength, ContentCoding coding,
                                 Limits limits)
    : m_framing(framing), m_length(contentLength), m_coding(coding), m_limits(limits)
{
    if (coding != ContentCoding::Identity)
        m_inflate = std::make_unique<InflateStream>(coding, limits.maxBodyBytes);
    // A compressed body's length is a lower bound of what it decompresses to, except for tiny overheads.
    if (framing == Framing::Length && contentLength > limits.maxWireBytes)
        fail("the page (" + formatByteCount(contentLength) + ") exceeds the body cap of " +
                 formatByteCount(limits.maxWireBytes),
             true);
    else if (framing == Framing::Length && contentLength == 0)
        endOfBody();
}

HttpBodyDecoder::~HttpBodyDecoder() = default;

HttpBodyDecoder::State HttpBodyDecoder::fail(std::string message, bool overCap)
{
    if (m_state == State::NeedMore) {
        m_state = State::Error;
        m_error = std::move(message);
        m_overCap = overCap;
    }
    return m_state;
}

bool HttpBodyDecoder::deliver(const char *data, std::size_t size, std::string &body)
{
    m_payload += size;
    if (!m_inflate) {
        if (m_payload > m_limits.maxBodyBytes) {
            fail("the page exceeds the body cap of " + formatByteCount(m_limits.maxBodyBytes), true);
            return false;
        }
        reserveFor(body, body.size() + size, m_limits.maxBodyBytes);
        body.append(data, size);
        return true;
    }
    if (m_inflate->feed(data, size, body))
        return true;
    if (m_inflate->overCap())
        fail("the page exceeds the body cap of " + formatByteCount(m_limits.maxBodyBytes) + " once " +
                 codingName(m_coding) + "-decompressed (a compression bomb?)",
             true);
    else
        fail("decompression failed: " + m_inflate->error());
    return false;
}

HttpBodyDecoder::State HttpBodyDecoder::endOfBody()
{
    if (m_state != State::NeedMore)
        return m_state;
    if (m_inflate && !m_inflate->complete())
        return fail(std::string("the ") + codingName(m_coding) +
                    " stream is cut short: the body ends before the compressed data does");
    m_state = State::Done;
    return m_state;
}

HttpBodyDecoder::State HttpBodyDecoder::feed(const char *data, std::size_t size, std::string &body)
{
    if (m_state != State::NeedMore)
        return m_state;
    m_wire += size;
    switch (m_framing) {
    case Framing::Length: {
        const std::size_t take = std::size_t(std::min<std::uint64_t>(size, m_length - m_payload));
        if (!deliver(data, take, body))
            return m_state;
        return m_payload == m_length ? endOfBody() : m_state;
    }
    case Framing::UntilClose:
        if (m_wire > m_limits.maxWireBytes)
            return fail("the page exceeds the body cap of " + formatByteCount(m_limits.maxWireBytes), true);
        deliver(data, size, body);
        return m_state;
    case Framing::Chunked:
        return feedChunked(data, size, body);
    }
    return m_state;
}

HttpBodyDecoder::State HttpBodyDecoder::feedChunked(const char *data, std::size_t size, std::string &body)
{
    if (m_wire > m_limits.maxWireBytes + kMaxTrailers + kMaxChunkLine)
        return fail("the page exceeds the body cap of " + formatByteCount(m_limits.maxWireBytes), true);
    const char *p = data;
    const char *end = data + size;
    while (p < end && m_state == State::NeedMore) {
        const char c = *p;
        switch (m_chunk) {
        case Chunk::Size: {
            const int digit = hexValue(c);
            if (digit >= 0) {
                if (++m_sizeDigits > 15)
                    return fail("malformed chunked transfer: a chunk size with more than 15 hex digits");
                m_chunkLeft = m_chunkLeft * 16 + std::uint64_t(digit);
                ++p;
                break;
            }
            if (m_sizeDigits == 0)
                return fail("malformed chunked transfer: expected a hex chunk size, found " + printable(c));
            m_chunk = Chunk::SizeEnd;
            break;
        }
        case Chunk::SizeEnd:
            if (c == ';') {
                m_chunk = Chunk::Extension;
            } else if (c == '\n') {
                if (m_payload + m_chunkLeft > m_limits.maxWireBytes)
                    return fail("the page exceeds the body cap of " + formatByteCount(m_limits.maxWireBytes),
                                true);
                m_lastChunk = m_chunkLeft == 0;
                m_chunk = m_lastChunk ? Chunk::Trailer : Chunk::Data;
                m_sizeDigits = 0;
                m_lineBytes = 0;
                m_trailerLineEmpty = true;
            } else if (c != ' ' && c != '\t' && c != '\r') {
                return fail("malformed chunked transfer: unexpected " + printable(c) +
                            " after the chunk size");
            }
            ++p;
            if (++m_lineBytes > kMaxChunkLine)
                return fail("malformed chunked transfer: a chunk-size line longer than 4096 bytes");
            break;
        case Chunk::Extension:
            if (c == '\n') {
                m_chunk = Chunk::SizeEnd;
                break; // SizeEnd ends the line
            }
            ++p;
            if (++m_lineBytes > kMaxChunkLine)
                return fail("malformed chunked transfer: a chunk-size line longer than 4096 bytes");
            break;
        case Chunk::Data: {
            const std::size_t take =
                std::size_t(std::min<std::uint64_t>(m_chunkLeft, std::uint64_t(end - p)));
            if (!deliver(p, take, body))
                return m_state;
            p += take;
            m_chunkLeft -= take;
            if (m_chunkLeft == 0)
                m_chunk = Chunk::DataCr;
            break;
        }
        case Chunk::DataCr:
            if (c == '\r') {
                m_chunk = Chunk::DataLf;
            } else if (c == '\n') {
                m_chunk = Chunk::Size;
            } else {
                return fail("malformed chunked transfer: a chunk is longer than its declared size (found " +
                            printable(c) + " where the chunk should end)");
            }
            ++p;
            break;
        case Chunk::DataLf:
            if (c != '\n')
                return fail("malformed chunked transfer: expected a line feed after a chunk, found " +
                            printable(c));
            m_chunk = Chunk::Size;
            ++p;
            break;
        case Chunk::Trailer:
        case Chunk::TrailerLf:
            ++p;
            if (c == '\n') {
                if (m_trailerLineEmpty)
                    return endOfBody();
                m_trailerLineEmpty = true;
            } else if (c != '\r') {
                m_trailerLineEmpty = false;
            }
            if (++m_lineBytes > kMaxTrailers)
                return fail("malformed chunked transfer: trailers longer than 16 KiB");
            break;
        }
    }
    return m_state;
}

HttpBodyDecoder::State HttpBodyDecoder::finishAtClose(std::string &body)
{
    (void)body;
    if (m_state != State::NeedMore)
        return m_state;
    switch (m_framing) {
    case Framing::UntilClose:
        return endOfBody();
    case Framing::Length:
        return fail("the server closed the connection before the page was complete (" +
                    std::to_string(m_payload) + " of " + std::to_string(m_length) + " bytes)");
    case Framing::Chunked:
        return fail(std::string("the server closed the connection before the page was complete (") +
                    (m_lastChunk ? "in the trailers" : "no last chunk") + ")");
    }
    return m_state;
}

} // namespace clusterdeck
