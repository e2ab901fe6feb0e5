#include "metrics/http_fetch.h"

#include "metrics/http_body.h"
#include "metrics/http_response.h"

#include <QSslSocket>
#include <QTcpSocket>
#include <QTimer>

namespace clusterdeck {

namespace {

constexpr qint64 kReadStep = 64 * 1024;
constexpr qint64 kSocketBuffer = 256 * 1024; // what the socket buffers before we read: no more than this

bool isRedirect(int status)
{
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

QString seconds(int ms)
{
    return QString::number(double(ms) / 1000.0, 'g', 6);
}

} // namespace

HttpFetch::HttpFetch(HttpFetchRequest request, QObject *parent)
    : QObject(parent), m_request(std::move(request))
{
    qRegisterMetaType<HttpFetchResponse>();
}

HttpFetch::~HttpFetch()
{
    dropSocket();
}

void HttpFetch::start()
{
    m_clock.start();
    m_response.url = m_request.url;
    m_deadline = new QTimer(this);
    m_deadline->setSingleShot(true);
    connect(m_deadline, &QTimer::timeout, this, [this] {
        m_response.timedOut = true;
        finish(QStringLiteral("timed out after %1 s %2").arg(seconds(m_request.timeoutMs), phaseText()));
    });
    m_deadline->start(std::max(1, m_request.timeoutMs));
    connectTo(m_request.url);
}

void HttpFetch::cancel(const QString &reason)
{
    finish(reason);
}

QString HttpFetch::phaseText() const
{
    switch (m_phase) {
    case Phase::Connecting:
        return QStringLiteral("while connecting");
    case Phase::Head:
        return m_head.isEmpty() ? QStringLiteral("waiting for the response")
                                : QStringLiteral("while reading the response headers (%1 bytes so far)")
                                      .arg(m_head.size());
    case Phase::Body:
        return QStringLiteral("while reading the body (%1 so far)")
            .arg(QString::fromStdString(formatByteCount(m_decoder ? m_decoder->wireBytes() : 0)));
    case Phase::Done:
        break;
    }
    return {};
}

void HttpFetch::connectTo(const QUrl &url)
{
    m_response.url = url;
    m_phase = Phase::Connecting;
    m_head.clear();
    m_decoder.reset();
    m_body.clear();
    const bool tls = url.scheme() == QLatin1String("https");
    if (!url.isValid() || url.host().isEmpty() || (!tls && url.scheme() != QLatin1String("http"))) {
        // Reported from the event loop like every other outcome.
        QTimer::singleShot(0, this, [this, url] {
            finish(QStringLiteral("not an http(s) URL: '%1'").arg(url.toString(QUrl::RemoveUserInfo)));
        });
        return;
    }
    if (tls && !QSslSocket::supportsSsl()) {
        QTimer::singleShot(0, this,
                           [this] { finish(QStringLiteral("https is not available (no TLS library)")); });
        return;
    }
    m_socket = tls ? new QSslSocket(this) : new QTcpSocket(this);
    m_socket->setReadBufferSize(kSocketBuffer);
    connect(m_socket, &QTcpSocket::connected, this, [this, url] {
        QByteArray target = url.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority | QUrl::RemoveFragment);
        if (target.isEmpty())
            target = "/";
        QByteArray host = url.host(QUrl::FullyEncoded).toLatin1();
        if (host.contains(':'))
            host = '[' + host + ']';
        if (url.port() != -1)
            host += ':' + QByteArray::number(url.port());
        QByteArray head = "GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\n";
        for (const auto &[name, value] : std::as_const(m_request.headers))
            head += name + ": " + value + "\r\n";
        if (!url.userName().isEmpty())
            head += "Authorization: Basic " +
                    (url.userName().toUtf8() + ':' + url.password().toUtf8()).toBase64() + "\r\n";
        head += "Accept-Encoding: gzip, deflate\r\nConnection: close\r\n\r\n";
        m_socket->write(head);
        m_phase = Phase::Head;
    });
    connect(m_socket, &QTcpSocket::readyRead, this, &HttpFetch::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, &HttpFetch::onDisconnected);
    connect(m_socket, &QTcpSocket::errorOccurred, this, &HttpFetch::onSocketError);
    const quint16 port = quint16(url.port(tls ? 443 : 80));
    if (tls)
        static_cast<QSslSocket *>(m_socket)->connectToHostEncrypted(url.host(), port);
    else
        m_socket->connectToHost(url.host(), port);
}

void HttpFetch::dropSocket()
{
    if (!m_socket)
        return;
    m_socket->disconnect(this);
    m_socket->abort();
    m_socket->deleteLater();
    m_socket = nullptr;
}

void HttpFetch::onReadyRead()
{
    char buffer[kReadStep];
    // Bounded by the socket's read buffer: the deadline gets its turn between two readyRead()s.
    while (m_socket && !m_finished && m_socket->bytesAvailable() > 0) {
        const qint64 n = m_socket->read(buffer, sizeof buffer);
        if (n <= 0)
            break;
        if (!consume(buffer, qsizetype(n)))
            break;
    }
}

// False once the bytes of this connection are no longer wanted (finished, or a redirect replaced it).
bool HttpFetch::consume(const char *data, qsizetype size)
{
    while (size > 0 && !m_finished) {
        if (m_phase == Phase::Head) {
            const qsizetype searchFrom = std::max<qsizetype>(0, m_head.size() - 3);
            const qsizetype room = m_request.maxHeaderBytes - m_head.size();
            const qsizetype take = std::min(size, room + 1);
            m_head.append(data, take);
            qsizetype end = m_head.indexOf("\r\n\r\n", searchFrom);
            qsizetype endLength = 4;
            if (end < 0) {
                end = m_head.indexOf("\n\n", std::max<qsizetype>(0, searchFrom - 1));
                endLength = 2;
            }
            if (end < 0) {
                if (m_head.size() > m_request.maxHeaderBytes) {
                    finish(QStringLiteral("the response headers exceed %1 KiB (a header flood?)")
                               .arg(m_request.maxHeaderBytes / 1024));
                    return false;
                }
                data += take;
                size -= take;
                continue;
            }
            const qsizetype used = take - (m_head.size() - (end + endLength));
            m_head.truncate(end);
            data += used;
            size -= used;
            if (!parseHead())
                return false;
            continue;
        }
        if (m_phase != Phase::Body)
            return false;
        const HttpBodyDecoder::State state = m_decoder->feed(data, std::size_t(size), m_body);
        if (state == HttpBodyDecoder::State::Error) {
            m_response.overCap = m_decoder->overCap();
            finish(QString::fromStdString(m_decoder->error()));
            return false;
        }
        if (state == HttpBodyDecoder::State::Done) {
            finish(std::nullopt);
            return false;
        }
        return true;
    }
    return !m_finished;
}

// The response head is in m_head (without its blank line). False when this connection is done with.
bool HttpFetch::parseHead()
{
    const Result<HttpResponseHead> head = parseHttpResponseHead(m_head);
    if (!head) {
        finish(head.error().message);
        return false;
    }
    const int status = head->status;
    m_head.clear();
    if (status < 200) {
        if (status == 101) {
            finish(QStringLiteral("the server switched protocols (HTTP 101)"));
            return false;
        }
        return true; // 100 Continue and friends: the real answer follows
    }

    const QByteArray &location = head->location;
    if (isRedirect(status) && !location.isEmpty() && m_request.maxRedirects > 0) {
        if (m_redirects >= m_request.maxRedirects) {
            finish(
                QStringLiteral("too many redirects (more than %1), the last one to %2")
                    .arg(m_request.maxRedirects)
                    .arg(
                        m_response.url.resolved(QUrl::fromEncoded(location)).toString(QUrl::RemoveUserInfo)));
            return false;
        }
        ++m_redirects;
        const QUrl next = m_response.url.resolved(QUrl::fromEncoded(location));
        dropSocket();
        connectTo(next);
        return false;
    }

    m_response.status = status;
    m_response.reasonPhrase = head->reasonPhrase;
    m_response.contentType = head->contentType;

    const Result<HttpBodyFraming> framing = httpBodyFraming(*head);
    if (!framing) {
        finish(framing.error().message);
        return false;
    }
    HttpBodyDecoder::Limits limits;
    limits.maxBodyBytes = std::size_t(std::max<qint64>(0, m_request.maxBodyBytes));
    limits.maxWireBytes = limits.maxBodyBytes;
    m_decoder = std::make_unique<HttpBodyDecoder>(framing->framing, framing->length, framing->coding, limits);
    m_phase = Phase::Body;
    if (m_decoder->state() == HttpBodyDecoder::State::Error) {
        m_response.overCap = m_decoder->overCap();
        finish(QString::fromStdString(m_decoder->error()));
        return false;
    }
    if (m_decoder->state() == HttpBodyDecoder::State::Done) {
        finish(std::nullopt);
        return false;
    }
    return true;
}

void HttpFetch::onDisconnected()
{
    if (m_finished || !m_socket)
        return;
    const QTcpSocket *closed = m_socket;
    onReadyRead(); // what arrived before the close
    if (m_finished || m_socket != closed)
        return; // done, or that last read was a redirect and a new connection is on its way
    switch (m_phase) {
    case Phase::Connecting:
        finish(QStringLiteral("the server closed the connection before it was established"));
        break;
    case Phase::Head:
        finish(
            m_head.isEmpty()
                ? QStringLiteral("the server closed the connection without an answer")
                : QStringLiteral("the server closed the connection in the middle of the response headers"));
        break;
    case Phase::Body:
        if (m_decoder->finishAtClose(m_body) == HttpBodyDecoder::State::Done)
            finish(std::nullopt);
        else
            finish(QString::fromStdString(m_decoder->error()));
        break;
    case Phase::Done:
        break;
    }
}

void HttpFetch::onSocketError()
{
    if (m_finished || !m_socket)
        return;
    const QAbstractSocket::SocketError error = m_socket->error();
    if (error == QAbstractSocket::RemoteHostClosedError) {
        onDisconnected();
        return;
    }
    switch (error) {
    case QAbstractSocket::ConnectionRefusedError:
        finish(QStringLiteral("connection refused"));
        break;
    case QAbstractSocket::HostNotFoundError:
        finish(QStringLiteral("host not found: %1").arg(m_response.url.host()));
        break;
    case QAbstractSocket::SslHandshakeFailedError:
        finish(QStringLiteral("TLS handshake failed: %1").arg(m_socket->errorString()));
        break;
    default:
        finish(m_socket->errorString());
        break;
    }
}

void HttpFetch::finish(std::optional<QString> error)
{
    if (m_finished)
        return;
    m_finished = true;
    m_phase = Phase::Done;
    if (m_deadline)
        m_deadline->stop();
    dropSocket();
    if (error)
        m_response.error = std::move(error);
    else
        m_response.body = std::move(m_body);
    m_body = std::string();
    m_decoder.reset();
    m_head.clear();
    // Always from the event loop, so the owner may delete us from its slot and never sees a call re-enter.
    QMetaObject::invokeMethod(
        this, [this] { emit finished(m_response); }, Qt::QueuedConnection);
}

} // namespace clusterdeck
