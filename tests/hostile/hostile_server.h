#pragma once

// A deliberately misbehaving HTTP server for tests: each path is one hostile behaviour an exporter, a proxy
// or a half-dead node shows (tests/hostile/README.md lists them). Loopback only (127.0.99.x), and every loop
// is bounded: streams stop after their byte budget, trickles after a fixed number of ticks, and everything
// stops when the client goes away.
//
//   HostileServer server;                        // in the test's thread; serves while its event loop runs
//   QVERIFY(server.listen(QHostAddress("127.0.99.1")));
//   server.url("/gzip-bomb")                     // http://127.0.99.1:PORT/gzip-bomb

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTcpServer>
#include <QUrl>

class QTcpSocket;
class QTimer;

namespace clusterdeck::hostile {

struct Behaviour {
    const char *path;
    const char *what; // one line, for the README and the measurement table
};

// Every path the server answers, in the order of issue 7.
const QList<Behaviour> &behaviours();

// A gzip (or zlib) stream of `megabytes` MiB of zeros, built from repeated full-flush blocks so that a
// 4 GiB bomb costs no compression time; `complete` false cuts it at a flush point (no end, no trailer).
QByteArray zeroBomb(qint64 megabytes, bool gzip, bool complete);

// A valid Prometheus page (the "good" target).
QByteArray goodPage();

class HostileServer : public QTcpServer {
    Q_OBJECT
public:
    explicit HostileServer(QObject *parent = nullptr);
    ~HostileServer() override;

    // Scales the size bombs: the defaults are issue 7's figures (4 GiB bomb, 2 GB bodies, 1M labels).
    struct Sizes {
        qint64 bombMiB = 4096;
        qint64 streamBytes = 2'000'000'000;
        int labels = 1'000'000;
        int headers = 100'000;
        int trickleTicks = 600; // one byte a second → ten minutes at most
        int trickleIntervalMs = 1000;
        int manyTargets = 28'000;
    };
    void setSizes(const Sizes &sizes) { m_sizes = sizes; }
    const Sizes &sizes() const { return m_sizes; }

    // Builds the big answers once, before serving: a slow first answer would delay the good target's too.
    void prepare();
    bool listenOn(const QHostAddress &address, quint16 port = 0);
    QUrl url(const QString &path) const;
    int requestCount() const { return m_requests; }

private:
    struct Stream {
        QByteArray unit; // repeated until `left` bytes were written
        qint64 left = 0;
        bool chunked = false;
    };

    void onReadyRead(QTcpSocket *socket);
    void respond(QTcpSocket *socket, const QByteArray &path);
    void startStream(QTcpSocket *socket, const QByteArray &head, const QByteArray &unit, qint64 bytes);
    void pump(QTcpSocket *socket);
    void startTrickle(QTcpSocket *socket, const QByteArray &head, const QByteArray &body);
    const QByteArray &bomb(bool complete);

    Sizes m_sizes;
    QHash<QTcpSocket *, QByteArray> m_buffers;
    QHash<QTcpSocket *, Stream> m_streams;
    QByteArray m_bomb;
    QByteArray m_cutBomb;
    QByteArray m_labels;
    QByteArray m_flood;
    int m_requests = 0;
};

} // namespace clusterdeck::hostile
