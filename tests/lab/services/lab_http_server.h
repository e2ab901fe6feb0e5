#pragma once

#include "common/result.h"
#include "http_types.h"

#include <QAbstractHttpServer>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QHostAddress>
#include <QHttpServerResponder>
#include <QPointer>
#include <QRegularExpression>
#include <QTimer>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

class QTcpServer;
class QTcpSocket;
class QThreadPool;

namespace clusterdeck::lab {

// HTTP front of the lab services: a route table whose handlers run on a thread pool, so slow
// requests never block each other, plus Spring-style graceful shutdown.
class LabHttpServer final : public QAbstractHttpServer {
    Q_OBJECT

public:
    using Handler = std::function<HttpReply(const HttpCall &)>;

    // Decided on the server thread before a request is dispatched: wait `delay`, then send `reply`
    // instead of running the handler when it is set.
    struct Admission {
        std::chrono::milliseconds delay{0};
        std::optional<HttpReply> reply;
    };
    using AdmissionFn = std::function<Admission(const HttpCall &, const QString &uriTemplate)>;
    // Called on the server thread once per answered request (also for 404/405), for metrics.
    using ObserverFn =
        std::function<void(const HttpCall &, const QString &uriTemplate, int status, double seconds)>;

    // uri template used for requests that match no route (Micrometer's tag value)
    static inline const QString kUnknownUri = QStringLiteral("UNKNOWN");

    explicit LabHttpServer(QThreadPool *pool, QObject *parent = nullptr);
    ~LabHttpServer() override;

    // pattern: "/api/coupons/{id}/issue"; each {name} captures one path segment.
    void addRoute(const QByteArray &method, const QString &pattern, Handler handler);
    void setAdmission(AdmissionFn admission) { m_admission = std::move(admission); }
    void setObserver(ObserverFn observer) { m_observer = std::move(observer); }

    Status listenOn(const QHostAddress &address, quint16 port);
    // Stops accepting connections at once and lets requests in flight finish, for at most `grace`;
    // emits shutdownFinished(true) when all finished in time.
    void beginShutdown(std::chrono::milliseconds grace);
    int inFlight() const { return static_cast<int>(m_pending.size()); }

signals:
    void shutdownFinished(bool clean);

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    struct Route {
        QByteArray method;
        QString pattern;
        QRegularExpression regex;
        Handler handler;
    };
    struct Pending {
        explicit Pending(QHttpServerResponder &&r) : responder(std::move(r)) {}
        QHttpServerResponder responder;
        QPointer<QTcpSocket> socket;
        HttpCall call;
        QString uri;
        QElapsedTimer timer;
        bool keepAlive = true;          // HTTP/1.1 default; HTTP/1.0 only when asked for
        bool announceKeepAlive = false; // HTTP/1.0 clients need "Connection: keep-alive" back
    };

    void run(quint64 id, const Handler &handler);
    void finish(quint64 id, const HttpReply &reply);
    void checkShutdown();

    static constexpr int kFlushMs = 2000; // bound on writing out the last responses at shutdown

    QThreadPool *m_pool;
    QTcpServer *m_tcpServer = nullptr;
    std::vector<Route> m_routes;
    AdmissionFn m_admission;
    ObserverFn m_observer;
    std::unordered_map<quint64, std::unique_ptr<Pending>> m_pending;
    quint64 m_nextId = 1;
    bool m_shuttingDown = false;
    bool m_shutdownReported = false;
    bool m_flushing = false;
    QDeadlineTimer m_shutdownDeadline;
    QDeadlineTimer m_flushDeadline;
    QTimer m_shutdownPoll;
};

} // namespace clusterdeck::lab
