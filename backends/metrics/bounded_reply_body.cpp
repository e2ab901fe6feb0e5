#include "metrics/bounded_reply_body.h"

#include "metrics/http_body.h"

#include <QNetworkReply>
#include <QNetworkRequest>

namespace clusterdeck {

void BoundedReplyBody::prepare(QNetworkRequest &request)
{
    // Setting Accept-Encoding ourselves turns QNAM's transparent decompression off.
    request.setRawHeader("Accept-Encoding", "gzip, deflate");
}

BoundedReplyBody::BoundedReplyBody(qint64 maxBytes) : m_maxBytes(std::max<qint64>(0, maxBytes)) {}

BoundedReplyBody::~BoundedReplyBody() = default;

bool BoundedReplyBody::read(QNetworkReply *reply)
{
    if (!m_decoder) {
        const std::optional<ContentCoding> coding =
            contentCodingFor(reply->rawHeader("Content-Encoding").toStdString());
        HttpBodyDecoder::Limits limits;
        limits.maxBodyBytes = std::size_t(m_maxBytes);
        limits.maxWireBytes = std::size_t(m_maxBytes);
        // QNAM has done the transfer framing: what it hands on ends when the reply does.
        m_decoder = std::make_unique<HttpBodyDecoder>(HttpBodyDecoder::Framing::UntilClose, 0,
                                                      coding.value_or(ContentCoding::Identity), limits);
        if (!coding)
            m_unsupported = QStringLiteral("unsupported Content-Encoding '%1'")
                                .arg(QString::fromLatin1(reply->rawHeader("Content-Encoding").left(40)));
    }
    if (!m_unsupported.isEmpty())
        return false;
    if (m_decoder->state() != HttpBodyDecoder::State::NeedMore)
        return m_decoder->state() != HttpBodyDecoder::State::Error;
    char buffer[64 * 1024];
    for (;;) {
        const qint64 n = reply->read(buffer, sizeof buffer);
        if (n <= 0)
            break;
        if (m_decoder->feed(buffer, std::size_t(n), m_body) == HttpBodyDecoder::State::Error)
            return false;
    }
    return true;
}

std::optional<QString> BoundedReplyBody::finish(QNetworkReply *reply)
{
    if (!read(reply))
        return error();
    if (m_decoder->finishAtClose(m_body) == HttpBodyDecoder::State::Error)
        return error();
    return std::nullopt;
}

QByteArray BoundedReplyBody::take()
{
    QByteArray body = QByteArray::fromStdString(m_body);
    m_body = std::string();
    return body;
}

bool BoundedReplyBody::overCap() const
{
    return m_decoder && m_decoder->overCap();
}

QString BoundedReplyBody::error() const
{
    if (!m_unsupported.isEmpty())
        return m_unsupported;
    return m_decoder ? QString::fromStdString(m_decoder->error()) : QString();
}

} // namespace clusterdeck
