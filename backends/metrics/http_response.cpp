#include "metrics/http_response.h"

#include <QList>

namespace clusterdeck {

Result<HttpResponseHead> parseHttpResponseHead(const QByteArray &head)
{
    const QList<QByteArray> lines = head.split('\n');
    const QByteArray statusLine = lines.first().trimmed();
    const QList<QByteArray> parts = statusLine.split(' ');
    bool ok = false;
    const int status = parts.value(1).size() == 3 ? parts.value(1).toInt(&ok) : 0;
    if (!statusLine.startsWith("HTTP/1.") || !ok || status < 100)
        return Error{QStringLiteral("not an HTTP response (it starts with '%1')")
                         .arg(QString::fromLatin1(statusLine.left(40)).toHtmlEscaped()),
                     {}};
    HttpResponseHead result;
    result.status = status;
    result.reasonPhrase = parts.mid(2).join(' ');
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray &line = lines[i];
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArray name = line.left(colon).trimmed().toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        if (name == "content-length") {
            if (result.contentLength && *result.contentLength != value)
                return Error{QStringLiteral("the response has two different Content-Length headers"), {}};
            result.contentLength = value;
        } else if (name == "transfer-encoding") {
            result.transferEncoding += (result.transferEncoding.isEmpty() ? "" : ",") + value.toLower();
        } else if (name == "content-encoding") {
            result.contentEncoding += (result.contentEncoding.isEmpty() ? "" : ",") + value;
        } else if (name == "content-type") {
            result.contentType = QString::fromLatin1(value);
        } else if (name == "location") {
            result.location = value;
        }
    }
    return result;
}

Result<HttpBodyFraming> httpBodyFraming(const HttpResponseHead &head)
{
    HttpBodyFraming result;
    const std::optional<ContentCoding> coding = contentCodingFor(head.contentEncoding.toStdString());
    if (!coding)
        return Error{QStringLiteral("unsupported Content-Encoding '%1'")
                         .arg(QString::fromLatin1(head.contentEncoding)),
                     {}};
    result.coding = *coding;
    if (!head.transferEncoding.isEmpty()) {
        if (head.transferEncoding != "chunked")
            return Error{QStringLiteral("unsupported Transfer-Encoding '%1'")
                             .arg(QString::fromLatin1(head.transferEncoding)),
                         {}};
        result.framing = HttpBodyDecoder::Framing::Chunked;
    } else if (head.contentLength) {
        bool valid = !head.contentLength->isEmpty() && head.contentLength->size() <= 18;
        for (const char c : *head.contentLength)
            valid = valid && c >= '0' && c <= '9';
        if (!valid)
            return Error{QStringLiteral("invalid Content-Length '%1'")
                             .arg(QString::fromLatin1(head.contentLength->left(40))),
                         {}};
        result.length = head.contentLength->toULongLong();
        result.framing = HttpBodyDecoder::Framing::Length;
    }
    if (head.status == 204 || head.status == 304) {
        result.framing = HttpBodyDecoder::Framing::Length;
        result.length = 0;
    }
    return result;
}

Result<HttpResponse> parseHttpResponse(const QByteArray &wire, std::size_t maxBodyBytes)
{
    qsizetype offset = 0;
    for (;;) {
        qsizetype end = wire.indexOf("\r\n\r\n", offset);
        qsizetype skip = 4;
        const qsizetype bare = wire.indexOf("\n\n", offset);
        if (bare >= 0 && (end < 0 || bare < end)) {
            end = bare;
            skip = 2;
        }
        if (end < 0)
            return Error{wire.size() == offset
                             ? QStringLiteral("the connection closed without an answer")
                             : QStringLiteral("the connection closed inside the response head"),
                         {}};
        const Result<HttpResponseHead> head = parseHttpResponseHead(wire.mid(offset, end - offset));
        if (!head)
            return head.error();
        offset = end + skip;
        if (head->status < 200) {
            if (head->status == 101)
                return Error{QStringLiteral("the server switched protocols (HTTP 101)"), {}};
            continue; // 100 Continue and friends: the real answer follows
        }
        const Result<HttpBodyFraming> framing = httpBodyFraming(*head);
        if (!framing)
            return framing.error();
        HttpBodyDecoder::Limits limits;
        limits.maxBodyBytes = maxBodyBytes;
        limits.maxWireBytes = maxBodyBytes;
        HttpBodyDecoder decoder(framing->framing, framing->length, framing->coding, limits);
        HttpResponse response;
        response.status = head->status;
        response.reasonPhrase = head->reasonPhrase;
        response.contentType = head->contentType;
        HttpBodyDecoder::State state = decoder.state();
        if (state == HttpBodyDecoder::State::NeedMore)
            state = decoder.feed(wire.constData() + offset, std::size_t(wire.size() - offset), response.body);
        if (state == HttpBodyDecoder::State::NeedMore)
            state = decoder.finishAtClose(response.body);
        if (state == HttpBodyDecoder::State::Error)
            return Error{QString::fromStdString(decoder.error()), {}};
        return response;
    }
}

} // namespace clusterdeck
