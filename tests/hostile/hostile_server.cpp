#include "hostile_server.h"

#include <QTcpSocket>
#include <QTimer>
#include <zlib.h>

namespace clusterdeck::hostile {

namespace {

constexpr qint64 kStreamUnit = 64 * 1024;
constexpr qint64 kMaxBuffered = 1024 * 1024; // per connection: the server's own memory stays small

QByteArray deflateRaw(const QByteArray &data, int flush, z_stream &stream)
{
    QByteArray out;
    char buffer[64 * 1024];
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.constData()));
    stream.avail_in = uInt(data.size());
    do {
        stream.next_out = reinterpret_cast<Bytef *>(buffer);
        stream.avail_out = sizeof buffer;
        deflate(&stream, flush);
        out.append(buffer, qsizetype(sizeof buffer - stream.avail_out));
    } while (stream.avail_out == 0);
    return out;
}

void appendLe32(QByteArray &out, quint32 value)
{
    for (int i = 0; i < 4; ++i)
        out.append(char((value >> (8 * i)) & 0xff));
}

void appendBe32(QByteArray &out, quint32 value)
{
    for (int i = 3; i >= 0; --i)
        out.append(char((value >> (8 * i)) & 0xff));
}

QByteArray gzipWhole(const QByteArray &data)
{
    z_stream stream{};
    deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
    const QByteArray out = deflateRaw(data, Z_FINISH, stream);
    deflateEnd(&stream);
    return out;
}

// The first half of `data`, gzip'd, cut right after a full flush: a decoder sees a clean end of input.
QByteArray gzipCut(const QByteArray &data, bool gzip)
{
    z_stream stream{};
    deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, gzip ? 16 + MAX_WBITS : MAX_WBITS, 8,
                 Z_DEFAULT_STRATEGY);
    // At a line end, so that what a lenient reader gets is a valid half page.
    const QByteArray half = data.left(data.lastIndexOf('\n', data.size() / 2) + 1);
    const QByteArray out = deflateRaw(half, Z_FULL_FLUSH, stream);
    deflateEnd(&stream);
    return out;
}

QByteArray head(const QByteArray &status, const QByteArray &contentType, const QByteArray &extra = {})
{
    return "HTTP/1.1 " + status + "\r\nContent-Type: " + contentType + "\r\n" + extra +
           "Connection: close\r\n\r\n";
}

QByteArray withLength(const QByteArray &status, const QByteArray &contentType, const QByteArray &body,
                      const QByteArray &extra = {})
{
    return head(status, contentType, extra + "Content-Length: " + QByteArray::number(body.size()) + "\r\n") +
           body;
}

const QByteArray kText = "text/plain; version=0.0.4; charset=utf-8";
const QByteArray kJson = "application/json";

} // namespace

const QList<Behaviour> &behaviours()
{
    static const QList<Behaviour> list = {
        {"/gzip-bomb", "gzip bomb: 4 MiB on the wire, 4 GiB of zeros inflated"},
        {"/labels", "one series with 1M distinct labels (10.9 MB)"},
        {"/trickle", "200 OK, then the body one byte a second"},
        {"/header-flood", "100k response headers"},
        {"/health-reset", "health: connection reset in the middle of the body"},
        {"/health-short", "health: body shorter than its Content-Length, then a clean close"},
        {"/health-html", "health: an HTML page with 200"},
        {"/health-corrupt-gzip", "health: Content-Encoding gzip over garbage"},
        {"/huge-nolength", "2 GB body, neither Content-Length nor chunked"},
        {"/badchunk-zz", "chunked: one good chunk, then chunk size 'zz'"},
        {"/badchunk-ffff", "chunked: chunk size ffffffffffffffff"},
        {"/badchunk-long", "chunked: a chunk longer than its declared size"},
        {"/gzip-cut", "gzip page cut at a flush point (half a page)"},
        {"/deflate-cut", "deflate page cut at a flush point (half a page)"},
        {"/redirect-loop", "302 to itself, for ever"},
        {"/om-duplicates", "OpenMetrics page with the same series twice"},
        {"/bomb/api/v1/targets", "Prometheus targets API answering with the gzip bomb"},
        {"/many/api/v1/targets", "Prometheus targets API listing 28,000 targets (a valid answer)"},
        {"/gz/api/v1/targets", "the same, gzip'd (a valid answer)"},
    };
    return list;
}

QByteArray goodPage()
{
    return "# HELP hostile_good_requests_total Requests.\n"
           "# TYPE hostile_good_requests_total counter\n"
           "hostile_good_requests_total{code=\"200\"} 42\n"
           "# TYPE hostile_good_up gauge\n"
           "hostile_good_up 1\n";
}

QByteArray zeroBomb(qint64 megabytes, bool gzip, bool complete)
{
    const QByteArray zeros(1024 * 1024, '\0');
    z_stream stream{};
    deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 9, Z_DEFAULT_STRATEGY);
    // After a full flush the compressor starts afresh: every further MiB of zeros compresses to the same
    // bytes.
    const QByteArray block = deflateRaw(zeros, Z_FULL_FLUSH, stream);
    const QByteArray end = deflateRaw({}, Z_FINISH, stream);
    deflateEnd(&stream);

    QByteArray out;
    out.reserve(qsizetype(block.size() * megabytes + 64));
    out += gzip ? QByteArray::fromHex("1f8b0800000000000203") : QByteArray::fromHex("78da");
    for (qint64 i = 0; i < megabytes; ++i)
        out += block;
    if (!complete)
        return out;
    out += end;
    const uLong blockCrc = crc32(0, reinterpret_cast<const Bytef *>(zeros.constData()), uInt(zeros.size()));
    const uLong blockAdler =
        adler32(1, reinterpret_cast<const Bytef *>(zeros.constData()), uInt(zeros.size()));
    uLong crc = crc32(0, nullptr, 0);
    uLong adler = adler32(0, nullptr, 0);
    for (qint64 i = 0; i < megabytes; ++i) {
        crc = crc32_combine(crc, blockCrc, zeros.size());
        adler = adler32_combine(adler, blockAdler, zeros.size());
    }
    if (gzip) {
        appendLe32(out, quint32(crc));
        appendLe32(out, quint32(quint64(megabytes) * 1024 * 1024));
    } else {
        appendBe32(out, quint32(adler));
    }
    return out;
}

HostileServer::HostileServer(QObject *parent) : QTcpServer(parent)
{
    connect(this, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket *socket = nextPendingConnection()) {
            socket->setParent(this);
            connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
            connect(socket, &QTcpSocket::bytesWritten, this, [this, socket] { pump(socket); });
            connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
                m_buffers.remove(socket);
                m_streams.remove(socket);
                socket->deleteLater();
            });
        }
    });
}

HostileServer::~HostileServer() = default;

bool HostileServer::listenOn(const QHostAddress &address, quint16 port)
{
    // Loopback only, whatever the caller asks for.
    if (!address.isLoopback())
        return false;
    return listen(address, port);
}

QUrl HostileServer::url(const QString &path) const
{
    return QUrl(QStringLiteral("http://%1:%2%3").arg(serverAddress().toString()).arg(serverPort()).arg(path));
}

void HostileServer::prepare()
{
    bomb(true);
    if (m_labels.isEmpty()) {
        QByteArray line = "hostile_labels{";
        line.reserve(qsizetype(m_sizes.labels) * 11 + 32);
        for (int i = 0; i < m_sizes.labels; ++i) {
            if (i)
                line += ',';
            line += 'l' + QByteArray::number(i) + "=\"v\"";
        }
        line += "} 1\n";
        m_labels = withLength("200 OK", kText, line);
    }
    if (m_flood.isEmpty()) {
        const QByteArray good = goodPage();
        QByteArray flood = "HTTP/1.1 200 OK\r\nContent-Type: " + kText + "\r\n";
        flood.reserve(qsizetype(m_sizes.headers) * 24);
        for (int i = 0; i < m_sizes.headers; ++i)
            flood += "X-Flood-" + QByteArray::number(i) + ": x\r\n";
        m_flood = flood + "Content-Length: " + QByteArray::number(good.size()) +
                  "\r\nConnection: close\r\n\r\n" + good;
    }
}

const QByteArray &HostileServer::bomb(bool complete)
{
    QByteArray &cached = complete ? m_bomb : m_cutBomb;
    if (cached.isEmpty())
        cached = zeroBomb(m_sizes.bombMiB, true, complete);
    return cached;
}

void HostileServer::onReadyRead(QTcpSocket *socket)
{
    QByteArray &buffer = m_buffers[socket];
    buffer += socket->readAll();
    if (buffer.size() > 64 * 1024) {
        socket->abort();
        return;
    }
    const qsizetype end = buffer.indexOf("\r\n\r\n");
    if (end < 0)
        return;
    const QByteArray requestLine = buffer.left(buffer.indexOf("\r\n"));
    buffer.clear();
    ++m_requests;
    QByteArray path = requestLine.split(' ').value(1);
    path = path.left(path.indexOf('?') < 0 ? path.size() : path.indexOf('?'));
    respond(socket, path);
}

void HostileServer::respond(QTcpSocket *socket, const QByteArray &path)
{
    const QByteArray good = goodPage();
    const auto send = [socket](const QByteArray &bytes) {
        socket->write(bytes);
        socket->disconnectFromHost();
    };
    if (path == "/good/metrics" || path == "/metrics") {
        send(withLength("200 OK", kText, good));
    } else if (path == "/good/health") {
        send(withLength("200 OK", kJson, R"({"status":"UP","components":{"ping":{"status":"UP"}}})"));
    } else if (path == "/gzip-bomb" || path == "/bomb/api/v1/targets") {
        const QByteArray &body = bomb(true);
        send(withLength("200 OK", path.startsWith("/bomb") ? kJson : kText, body,
                        "Content-Encoding: gzip\r\n"));
    } else if (path == "/many/api/v1/targets" || path == "/gz/api/v1/targets") {
        QByteArray json = R"({"status":"success","data":{"droppedTargets":[],"activeTargets":[)";
        const char *jobs[] = {"was", "redis", "node", "mysql", "haproxy-edge"};
        for (int i = 0; i < m_sizes.manyTargets; ++i) {
            const QByteArray job = jobs[i % 5];
            const QByteArray instance =
                "127.1." + QByteArray::number(i / 250) + '.' + QByteArray::number(i % 250 + 1) + ":9100";
            if (i)
                json += ',';
            json +=
                R"({"discoveredLabels":{"__address__":")" + instance + R"("},"labels":{"instance":")" +
                instance + R"(","job":")" + job + R"("},"scrapePool":")" + job + R"(","scrapeUrl":"http://)" +
                instance + R"(/metrics","globalUrl":"http://)" + instance +
                R"(/metrics","lastError":"","lastScrape":"2026-11-30T12:00:00Z","lastScrapeDuration":0.01,"health":"up","scrapeInterval":"15s","scrapeTimeout":"10s"})";
        }
        json += "]}}";
        if (path.startsWith("/gz"))
            send(withLength("200 OK", kJson, gzipWhole(json), "Content-Encoding: gzip\r\n"));
        else
            send(withLength("200 OK", kJson, json));
    } else if (path == "/labels") {
        prepare();
        send(m_labels);
    } else if (path == "/trickle") {
        startTrickle(socket, head("200 OK", kJson, "Content-Length: 1000\r\n"), "{\"status\":\"UP\"}");
    } else if (path == "/header-flood") {
        prepare();
        send(m_flood);
    } else if (path == "/health-reset") {
        socket->write(head("200 OK", kJson, "Content-Length: 100\r\n") + R"({"status":"UP",)");
        socket->flush();
        socket->abort(); // RST: the rest never comes
    } else if (path == "/health-short") {
        send(head("200 OK", kJson, "Content-Length: 100\r\n") + R"({"status":"UP"})");
    } else if (path == "/health-html") {
        send(withLength("200 OK", "text/html; charset=utf-8",
                        "<html><body><h1>It works!</h1></body></html>\n"));
    } else if (path == "/health-corrupt-gzip") {
        send(withLength("200 OK", kJson,
                        QByteArray::fromHex("1f8b08000000000000ff") + "this is not deflate data",
                        "Content-Encoding: gzip\r\n"));
    } else if (path == "/huge-nolength") {
        startStream(socket, head("200 OK", kText), QByteArray("hostile_filler 1\n").repeated(4096),
                    m_sizes.streamBytes);
    } else if (path == "/badchunk-zz" || path == "/badchunk-ffff" || path == "/badchunk-long") {
        QByteArray body = head("200 OK", kText, "Transfer-Encoding: chunked\r\n");
        const QByteArray first = "hostile_badchunk 1\n";
        body += QByteArray::number(first.size(), 16) + "\r\n" + first + "\r\n";
        if (path == "/badchunk-zz")
            body += "zz\r\nhostile_after_zz 2\n\r\n0\r\n\r\n";
        else if (path == "/badchunk-ffff")
            body += "ffffffffffffffff\r\nhostile_after_ffff 2\n\r\n0\r\n\r\n";
        else
            body += "5\r\nhostile_long_chunk 3\n\r\n0\r\n\r\n";
        send(body);
    } else if (path == "/gzip-cut" || path == "/deflate-cut") {
        const bool gzip = path == "/gzip-cut";
        QByteArray page = good;
        for (int i = 0; i < 50; ++i)
            page += "hostile_cut_series{i=\"" + QByteArray::number(i) + "\"} 1\n";
        send(withLength("200 OK", kText, gzipCut(page, gzip),
                        gzip ? "Content-Encoding: gzip\r\n" : "Content-Encoding: deflate\r\n"));
    } else if (path == "/redirect-loop") {
        send(withLength("302 Found", kText, "see elsewhere\n", "Location: /redirect-loop\r\n"));
    } else if (path == "/om-duplicates") {
        send(withLength("200 OK", "application/openmetrics-text; version=1.0.0; charset=utf-8",
                        "# TYPE hostile_dup gauge\nhostile_dup{a=\"1\"} 1\nhostile_dup{a=\"1\"} 2\n# EOF\n"));
    } else if (path == "/gzip-good") {
        send(withLength("200 OK", kText, gzipWhole(good), "Content-Encoding: gzip\r\n"));
    } else {
        send(withLength("404 Not Found", kText, "no such hostile behaviour\n"));
    }
}

void HostileServer::startStream(QTcpSocket *socket, const QByteArray &head, const QByteArray &unit,
                                qint64 bytes)
{
    socket->write(head);
    m_streams.insert(socket, Stream{unit, bytes, false});
    pump(socket);
}

void HostileServer::pump(QTcpSocket *socket)
{
    const auto it = m_streams.find(socket);
    if (it == m_streams.end())
        return;
    // Bounded twice: by the stream's byte budget, and by what may sit in the socket's buffer at once.
    while (it->left > 0 && socket->bytesToWrite() < kMaxBuffered) {
        const qint64 n = std::min<qint64>(it->left, it->unit.size());
        socket->write(it->unit.constData(), n);
        it->left -= n;
    }
    if (it->left == 0) {
        m_streams.erase(it);
        socket->disconnectFromHost();
    }
}

void HostileServer::startTrickle(QTcpSocket *socket, const QByteArray &head, const QByteArray &body)
{
    socket->write(head);
    auto *timer = new QTimer(socket);
    auto ticks = std::make_shared<int>(0);
    connect(timer, &QTimer::timeout, socket, [this, socket, timer, ticks, body] {
        if (*ticks >= m_sizes.trickleTicks || socket->state() != QAbstractSocket::ConnectedState) {
            timer->stop();
            socket->disconnectFromHost();
            return;
        }
        socket->write(body.mid(*ticks % body.size(), 1));
        ++*ticks;
    });
    timer->start(m_sizes.trickleIntervalMs);
}

} // namespace clusterdeck::hostile
