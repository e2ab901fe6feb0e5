#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QString>
#include <QUrl>
#include <memory>
#include <optional>
#include <string>

class QTcpSocket;
class QTimer;

namespace clusterdeck {

class HttpBodyDecoder;

// What to fetch and within which bounds. Every bound holds for the whole exchange, redirects included.
struct HttpFetchRequest {
    QUrl url;
    QList<std::pair<QByteArray, QByteArray>> headers; // Host, Connection and Accept-Encoding are set for you
    int timeoutMs = 10000;                            // deadline: connect, headers, body, every redirect
    qint64 maxBodyBytes = 64LL * 1024 * 1024;         // after decompression; the compressed body too
    int maxHeaderBytes = 64 * 1024;                   // status line and headers of one response
    int maxRedirects = 5;
};

// A complete answer, or the reason there is none.
struct HttpFetchResponse {
    int status = 0; // 0 when no response head arrived
    QByteArray reasonPhrase;
    QString contentType;
    std::string body; // complete and decoded; empty on error (a std::string: the parser reads it in place)
    QUrl url;         // after redirects
    std::optional<QString> error;
    bool timedOut = false;
    bool overCap = false;

    bool ok() const { return !error.has_value(); }
};

// One GET over HTTP/1.1 (http or https), bounded in time and memory, for hostile targets: a deadline for the
// whole exchange (not an inactivity timer), caps on the response head and on the body before and after
// gzip/deflate decompression (decompressed as it arrives), strict chunked framing, and an incomplete body is
// an error, never half a page. Emits finished() exactly once (not from start()), in the object's thread.
class HttpFetch : public QObject {
    Q_OBJECT
public:
    explicit HttpFetch(HttpFetchRequest request, QObject *parent = nullptr);
    ~HttpFetch() override;

    void start();
    // Ends the fetch now with `reason` as its error (finished() is emitted, later, in the event loop).
    void cancel(const QString &reason);
    const HttpFetchRequest &request() const { return m_request; }
    qint64 elapsedUs() const { return m_clock.nsecsElapsed() / 1000; }

signals:
    void finished(const clusterdeck::HttpFetchResponse &response);

private:
    enum class Phase { Connecting, Head, Body, Done };

    void connectTo(const QUrl &url);
    void onReadyRead();
    void onDisconnected();
    void onSocketError();
    bool consume(const char *data, qsizetype size);
    bool parseHead();
    void finish(std::optional<QString> error);
    void dropSocket();
    QString phaseText() const;

    HttpFetchRequest m_request;
    HttpFetchResponse m_response;
    QElapsedTimer m_clock;
    QTimer *m_deadline = nullptr;
    QTcpSocket *m_socket = nullptr;
    Phase m_phase = Phase::Connecting;
    QByteArray m_head;
    std::unique_ptr<HttpBodyDecoder> m_decoder;
    std::string m_body;
    int m_redirects = 0;
    bool m_finished = false;
};

} // namespace clusterdeck

Q_DECLARE_METATYPE(clusterdeck::HttpFetchResponse)
