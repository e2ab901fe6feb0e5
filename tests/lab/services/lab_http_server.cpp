#include "lab_http_server.h"

#include <QHttpServerRequest>
#include <QSet>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThreadPool>
#include <QUrlQuery>
#include <exception>

namespace clusterdeck::lab {
namespace {

QByteArray methodName(QHttpServerRequest::Method method)
{
    switch (method) {
    case QHttpServerRequest::Method::Get:
        return "GET";
    case QHttpServerRequest::Method::Put:
        return "PUT";
    case QHttpServerRequest::Method::Delete:
        return "DELETE";
    case QHttpServerRequest::Method::Post:
        return "POST";
    case QHttpServerRequest::Method::Head:
        return "HEAD";
    case QHttpServerRequest::Method::Options:
        return "OPTIONS";
    case QHttpServerRequest::Method::Patch:
        return "PATCH";
    case QHttpServerRequest::Method::Connect:
        return "CONNECT";
    case QHttpServerRequest::Method::Trace:
        return "TRACE";
    default:
        return "UNKNOWN";
    }
}

// QHttpServerRequest (Qt 6.4) does not tell the HTTP version, but HTTP/1.0 clients such as ab
// wait for the connection to close unless told "keep-alive". The first readyRead handler of a
// socket runs before QAbstractHttpServer's (connected later), so it can peek the request line.
class VersionSniffingTcpServer final : public QTcpServer {
public:
    using QTcpServer::QTcpServer;
    static constexpr const char *kHttp10 = "clusterdeckHttp10";

protected:
    void incomingConnection(qintptr descriptor) override
    {
        auto *socket = new QTcpSocket(this);
        if (!socket->setSocketDescriptor(descriptor)) {
            delete socket;
            return;
        }
        connect(socket, &QTcpSocket::readyRead, socket, [socket] {
            // Re-checked per read: a keep-alive HTTP/1.0 client sends every request line the same way.
            const QByteArray head = socket->peek(256);
            const qsizetype end = head.indexOf("\r\n");
            if (end > 0)
                socket->setProperty(kHttp10, head.left(end).endsWith("HTTP/1.0"));
        });
        addPendingConnection(socket);
    }
};

QByteArray headerValue(const QHttpServerRequest &request, const QByteArray &name)
{
    for (const auto &[key, value] : request.headers()) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value.trimmed().toLower();
    }
    return {};
}

QRegularExpression compilePattern(const QString &pattern)
{
    // A "{name}" segment captures one path segment; every other segment is literal.
    QStringList parts = pattern.split(QLatin1Char('/'));
    for (QString &part : parts) {
        if (part.startsWith(QLatin1Char('{')) && part.endsWith(QLatin1Char('}')))
            part = QStringLiteral("([^/]+)");
        else
            part = QRegularExpression::escape(part);
    }
    return QRegularExpression(QLatin1Char('^') + parts.join(QLatin1Char('/')) + QLatin1Char('$'));
}

} // namespace

LabHttpServer::LabHttpServer(QThreadPool *pool, QObject *parent) : QAbstractHttpServer(parent), m_pool(pool)
{
    m_shutdownPoll.setInterval(20);
    connect(&m_shutdownPoll, &QTimer::timeout, this, &LabHttpServer::checkShutdown);
}

LabHttpServer::~LabHttpServer() = default;

void LabHttpServer::addRoute(const QByteArray &method, const QString &pattern, Handler handler)
{
    m_routes.push_back(Route{method, pattern, compilePattern(pattern), std::move(handler)});
}

Status LabHttpServer::listenOn(const QHostAddress &address, quint16 port)
{
    auto *server = new VersionSniffingTcpServer(this);
    // The gateway opens ~60 connections at once; Qt's default backlog of 50 would drop SYNs.
    server->setListenBacklogSize(1024);
    if (!server->listen(address, port)) {
        const QString why = server->errorString();
        delete server;
        return Error{QStringLiteral("cannot listen: %1").arg(why),
                     QStringLiteral("%1:%2").arg(address.toString()).arg(port)};
    }
    bind(server);
    m_tcpServer = server;
    return Status::success();
}

bool LabHttpServer::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    auto pending = std::make_unique<Pending>(makeResponder(request, socket));
    pending->timer.start();
    pending->socket = socket;
    const QByteArray connection = headerValue(request, "Connection");
    if (socket->property(VersionSniffingTcpServer::kHttp10).toBool()) {
        pending->keepAlive = connection == "keep-alive";
        pending->announceKeepAlive = pending->keepAlive;
    } else {
        pending->keepAlive = connection != "close";
    }

    HttpCall &call = pending->call;
    call.method = methodName(request.method());
    call.path = request.url().path();
    const auto items = request.query().queryItems(QUrl::FullyDecoded);
    for (const auto &[key, value] : items)
        call.query.insert(key, value);

    const Route *matched = nullptr;
    bool pathKnown = false;
    pending->uri = kUnknownUri;
    for (const Route &route : m_routes) {
        const QRegularExpressionMatch match = route.regex.match(call.path);
        if (!match.hasMatch())
            continue;
        pathKnown = true;
        pending->uri = route.pattern;
        if (route.method != call.method)
            continue;
        matched = &route;
        call.captures = match.capturedTexts().mid(1);
        break;
    }

    const quint64 id = m_nextId++;
    const HttpCall callCopy = call;
    const QString uri = pending->uri;
    m_pending.emplace(id, std::move(pending));

    if (!matched) {
        finish(id, pathKnown ? HttpReply::error(405,
                                                QStringLiteral("Request method '%1' is not supported")
                                                    .arg(QString::fromLatin1(callCopy.method)),
                                                callCopy.path)
                             : HttpReply::error(404,
                                                QStringLiteral("No endpoint %1 %2")
                                                    .arg(QString::fromLatin1(callCopy.method), callCopy.path),
                                                callCopy.path));
        return true;
    }

    const Admission admission = m_admission ? m_admission(callCopy, uri) : Admission{};
    auto proceed = [this, id, handler = matched->handler, reply = admission.reply] {
        if (reply)
            finish(id, *reply);
        else
            run(id, handler);
    };
    // A timer, not a sleeping worker: injected latency must not use up pool threads.
    if (admission.delay.count() > 0)
        QTimer::singleShot(admission.delay, this, proceed);
    else
        proceed();
    return true;
}

void LabHttpServer::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    // handleRequest() answers every request itself; this only satisfies the interface.
    makeResponder(request, socket).write(QHttpServerResponder::StatusCode::NotFound);
}

void LabHttpServer::run(quint64 id, const Handler &handler)
{
    const auto it = m_pending.find(id);
    if (it == m_pending.end())
        return;
    m_pool->start([this, id, handler, call = it->second->call] {
        HttpReply reply;
        try {
            reply = handler(call);
        } catch (const std::exception &e) {
            reply = HttpReply::error(500, QString::fromUtf8(e.what()), call.path);
        } catch (...) {
            reply = HttpReply::error(500, QStringLiteral("unexpected exception"), call.path);
        }
        QMetaObject::invokeMethod(
            this, [this, id, reply] { finish(id, reply); }, Qt::QueuedConnection);
    });
}

void LabHttpServer::finish(quint64 id, const HttpReply &reply)
{
    const auto it = m_pending.find(id);
    if (it == m_pending.end())
        return;
    const std::unique_ptr<Pending> pending = std::move(it->second);
    m_pending.erase(it);
    const double seconds = static_cast<double>(pending->timer.nsecsElapsed()) / 1e9;

    // The client may have gone away while the handler ran (gateway timeout): then there is
    // nobody to answer, but the request still counts.
    if (pending->socket && pending->socket->state() == QAbstractSocket::ConnectedState) {
        QHttpServerResponder &out = pending->responder;
        out.writeStatusLine(static_cast<QHttpServerResponder::StatusCode>(reply.status));
        out.writeHeader("Content-Type", reply.contentType);
        out.writeHeader("Content-Length", QByteArray::number(reply.body.size()));
        for (const auto &[name, value] : reply.headers)
            out.writeHeader(name, value);
        const bool close = m_shuttingDown || !pending->keepAlive;
        if (close)
            out.writeHeader("Connection", "close");
        else if (pending->announceKeepAlive)
            out.writeHeader("Connection", "keep-alive");
        out.writeBody(reply.body);
        if (close)
            pending->socket->disconnectFromHost();
    }
    if (m_observer)
        m_observer(pending->call, pending->uri, reply.status, seconds);
    if (m_shuttingDown)
        checkShutdown();
}

void LabHttpServer::beginShutdown(std::chrono::milliseconds grace)
{
    if (m_shuttingDown)
        return;
    m_shuttingDown = true;
    if (m_tcpServer)
        m_tcpServer->close();
    m_shutdownDeadline.setRemainingTime(grace);

    // Idle keep-alive connections would otherwise carry new requests in; busy ones close after
    // their response (finish() adds "Connection: close").
    QSet<QTcpSocket *> busy;
    for (const auto &[id, pending] : m_pending) {
        Q_UNUSED(id)
        if (pending->socket)
            busy.insert(pending->socket.data());
    }
    for (QTcpSocket *socket : findChildren<QTcpSocket *>()) {
        if (!busy.contains(socket))
            socket->disconnectFromHost();
    }
    m_shutdownPoll.start();
    checkShutdown();
}

void LabHttpServer::checkShutdown()
{
    if (m_shutdownReported)
        return;
    if (!m_pending.empty() && !m_shutdownDeadline.hasExpired())
        return;
    // Let responses already handed to sockets reach the wire before the process exits.
    if (!m_flushing) {
        m_flushing = true;
        m_flushDeadline.setRemainingTime(kFlushMs);
        for (QTcpSocket *socket : findChildren<QTcpSocket *>())
            socket->disconnectFromHost();
    }
    bool flushed = true;
    for (QTcpSocket *socket : findChildren<QTcpSocket *>()) {
        if (socket->state() != QAbstractSocket::UnconnectedState && socket->bytesToWrite() > 0)
            flushed = false;
    }
    if (!flushed && !m_flushDeadline.hasExpired())
        return;
    m_shutdownReported = true;
    m_shutdownPoll.stop();
    emit shutdownFinished(m_pending.empty());
}

} // namespace clusterdeck::lab
