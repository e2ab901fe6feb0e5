#pragma once

#include <QByteArray>
#include <QString>
#include <memory>
#include <optional>
#include <string>

class QNetworkReply;
class QNetworkRequest;

namespace clusterdeck {

class HttpBodyDecoder;

// The body of a QNetworkReply read as it arrives, gzip/deflate decompressed by us within a cap (QNAM's own
// decompression inflates a whole bomb before anyone can look at the size).
//
//   BoundedReplyBody::prepare(request);            // before get()/post(): asks for gzip, QNAM then leaves it
//   on readyRead: if (!body.read(reply)) { reply->abort(); → body.error() }
//   on finished:  if (auto error = body.finish(reply)) ... else use body.take()
class BoundedReplyBody {
public:
    static void prepare(QNetworkRequest &request);

    explicit BoundedReplyBody(qint64 maxBytes);
    ~BoundedReplyBody();

    // Reads what the reply has; false once the body is over the cap or cannot be decoded.
    bool read(QNetworkReply *reply);
    // After finished(): reads the rest and says why the body is unusable, if it is.
    std::optional<QString> finish(QNetworkReply *reply);
    QByteArray take();
    bool overCap() const;
    QString error() const;

private:
    qint64 m_maxBytes;
    std::unique_ptr<HttpBodyDecoder> m_decoder; // created when the headers are known
    std::string m_body;
    QString m_unsupported; // a Content-Encoding we cannot decode
};

} // namespace clusterdeck
