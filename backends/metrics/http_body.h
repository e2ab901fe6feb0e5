#pragma once

// Streaming decoding of an HTTP/1.1 response body: transfer framing (Content-Length, chunked, or until the
// connection closes) and content coding (identity, gzip, deflate), within caps on what arrives and on what it
// decodes to. No Qt: the transport fuzzer (tests/fuzz) builds it with plain clang.
//
//   HttpBodyDecoder decoder(HttpBodyDecoder::Framing::Chunked, 0, ContentCoding::Gzip, limits);
//   std::string body;
//   while (data arrives)
//       if (decoder.feed(data, size, body) == HttpBodyDecoder::State::Error) → decoder.error()
//   on close: decoder.finishAtClose(body) → Done only for a complete body
//
// A body is complete only when its framing says so and its compressed stream reached its end: a stream cut at
// a flush point, a short Content-Length body or a chunked body without its last chunk is an error, never half
// a page.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace clusterdeck {

enum class ContentCoding { Identity, Gzip, Deflate };

// "gzip", "x-gzip", "deflate", "identity" or empty; nullopt for anything else (br, zstd, "gzip, gzip", ...).
std::optional<ContentCoding> contentCodingFor(std::string_view contentEncoding);

// "12.0 MiB" or "20000 bytes".
std::string formatByteCount(std::uint64_t bytes);

// Inflates gzip or zlib-wrapped deflate incrementally, never producing more than maxOutput bytes in total.
class InflateStream {
public:
    InflateStream(ContentCoding coding, std::size_t maxOutput);
    ~InflateStream();
    InflateStream(const InflateStream &) = delete;
    InflateStream &operator=(const InflateStream &) = delete;

    // Appends what `data` decodes to; false on corrupt data or when the output would pass the cap.
    bool feed(const char *data, std::size_t size, std::string &out);
    // True when the stream's last member ended exactly at the end of the input so far.
    bool complete() const { return m_ended; }
    bool overCap() const { return m_overCap; }
    const std::string &error() const { return m_error; }

private:
    bool inflateSome(const unsigned char *data, std::size_t size, std::string &out);

    struct Zlib;
    std::unique_ptr<Zlib> m_zlib;
    ContentCoding m_coding;
    std::size_t m_maxOutput;
    std::size_t m_produced = 0;
    bool m_ended = false; // the current gzip member (or the deflate stream) ended
    bool m_overCap = false;
    std::string m_error;
};

class HttpBodyDecoder {
public:
    enum class Framing { Length, Chunked, UntilClose };
    enum class State { NeedMore, Done, Error };
    struct Limits {
        std::size_t maxWireBytes =
            64 * 1024 * 1024; // body bytes as sent (compressed, chunk framing included)
        std::size_t maxBodyBytes = 64 * 1024 * 1024; // after decoding
    };

    HttpBodyDecoder(Framing framing, std::uint64_t contentLength, ContentCoding coding, Limits limits);
    ~HttpBodyDecoder();

    // Appends the decoded bytes of `data` to `body`. Bytes after the end of a complete body are ignored.
    State feed(const char *data, std::size_t size, std::string &body);
    // The connection ended: Done when the body is complete, Error (with the reason) otherwise.
    State finishAtClose(std::string &body);
    State state() const { return m_state; }
    const std::string &error() const { return m_error; }
    // The error was a cap (wire or decoded size), not a broken transfer.
    bool overCap() const { return m_overCap; }
    std::uint64_t wireBytes() const { return m_wire; }

private:
    State fail(std::string message, bool overCap = false);
    bool deliver(const char *data, std::size_t size, std::string &body);
    State feedChunked(const char *data, std::size_t size, std::string &body);
    State endOfBody();

    enum class Chunk { Size, Extension, SizeEnd, Data, DataCr, DataLf, Trailer, TrailerLf };

    Framing m_framing;
    std::uint64_t m_length;
    ContentCoding m_coding;
    Limits m_limits;
    std::unique_ptr<InflateStream> m_inflate;
    State m_state = State::NeedMore;
    std::string m_error;
    bool m_overCap = false;
    std::uint64_t m_wire = 0;
    std::uint64_t m_payload = 0; // body bytes before content decoding (chunk framing excluded)

    Chunk m_chunk = Chunk::Size;
    std::uint64_t m_chunkLeft = 0;
    int m_sizeDigits = 0;
    std::size_t m_lineBytes = 0; // of the current chunk-size or trailer line
    bool m_lastChunk = false;
    bool m_trailerLineEmpty = true;
};

} // namespace clusterdeck
