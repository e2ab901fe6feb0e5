#pragma once

#include "common/result.h"
#include "metrics/http_body.h"

#include <QByteArray>
#include <QString>
#include <optional>
#include <string>

namespace clusterdeck {

// The status line and the headers of an HTTP/1.x response that decide how to read what follows.
struct HttpResponseHead {
    int status = 0;
    QByteArray reasonPhrase;
    QString contentType;
    QByteArray location;
    QByteArray contentEncoding;              // every Content-Encoding header, comma-joined
    QByteArray transferEncoding;             // every Transfer-Encoding header, lower case, comma-joined
    std::optional<QByteArray> contentLength; // as sent (two different ones are an error)
};

// How the body of a response is framed and coded.
struct HttpBodyFraming {
    HttpBodyDecoder::Framing framing = HttpBodyDecoder::Framing::UntilClose;
    quint64 length = 0;
    ContentCoding coding = ContentCoding::Identity;
};

// Parses a response head (status line and header lines, '\n' or "\r\n", without the blank line).
Result<HttpResponseHead> parseHttpResponseHead(const QByteArray &head);
// The body framing `head` announces: unsupported codings and invalid lengths are errors; 204 and 304 have
// none.
Result<HttpBodyFraming> httpBodyFraming(const HttpResponseHead &head);

// A complete response read from a stream the server closed after it (HTTP/1.1 with "Connection: close"):
// interim 1xx answers skipped, the body framed and decoded by HttpBodyDecoder, an incomplete one an error.
struct HttpResponse {
    int status = 0;
    QByteArray reasonPhrase;
    QString contentType;
    std::string body;
};
Result<HttpResponse> parseHttpResponse(const QByteArray &wire, std::size_t maxBodyBytes);

} // namespace clusterdeck
