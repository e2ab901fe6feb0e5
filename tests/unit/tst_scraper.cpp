#include "metrics/exposition_parser.h"
#include "metrics/exposition_writer.h"
#include "metrics/scraper.h"

#include <QFile>
#include <QHash>
#include <QList>
#include <QPointer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QThread>
#include <zlib.h>

using namespace clusterdeck;

namespace {

QByteArray gzip(const QByteArray &data)
{
    z_stream stream{};
    deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
    QByteArray out(qsizetype(deflateBound(&stream, uLong(data.size()))), Qt::Uninitialized);
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.constData()));
    stream.avail_in = uInt(data.size());
    stream.next_out = reinterpret_cast<Bytef *>(out.data());
    stream.avail_out = uInt(out.size());
    deflate(&stream, Z_FINISH);
    out.resize(qsizetype(stream.total_out));
    deflateEnd(&stream);
    return out;
}

QByteArray tsv(const MetricPage &page)
{
    std::string out;
    appendTsv(out, page);
    return QByteArray::fromStdString(out);
}

// A real HTTP/1.1 server on 127.0.0.1 whose paths misbehave in the ways exporters and proxies do.
class PageServer : public QTcpServer {
public:
    QByteArray textPage;
    QByteArray openMetricsPage;
    int holdUntil = 0;                             // /hold answers once this many /hold requests are waiting
    QList<QHash<QByteArray, QByteArray>> requests; // headers (lower-case names) of every request

    explicit PageServer(QObject *parent = nullptr) : QTcpServer(parent)
    {
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = nextPendingConnection()) {
                socket->setParent(this);
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
            }
        });
    }

    QUrl url(const QString &path) const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(serverPort()).arg(path));
    }

private:
    QHash<QTcpSocket *, QByteArray> m_buffers;
    QList<QPointer<QTcpSocket>> m_held;

    static void respond(QTcpSocket *socket, const QByteArray &status, const QByteArray &contentType,
                        const QByteArray &body, const QByteArray &extraHeaders = {})
    {
        socket->write("HTTP/1.1 " + status + "\r\nContent-Type: " + contentType +
                      "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\nConnection: close\r\n" +
                      extraHeaders + "\r\n" + body);
        socket->disconnectFromHost();
    }

    void onReadyRead(QTcpSocket *socket)
    {
        QByteArray &buffer = m_buffers[socket];
        buffer += socket->readAll();
        const qsizetype end = buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        const QList<QByteArray> lines = buffer.left(end).split('\n');
        buffer.clear();
        QHash<QByteArray, QByteArray> headers;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines[i].indexOf(':');
            if (colon > 0)
                headers.insert(lines[i].left(colon).trimmed().toLower(), lines[i].mid(colon + 1).trimmed());
        }
        requests.append(headers);
        const QByteArray path = lines.value(0).split(' ').value(1);
        const QByteArray text = "text/plain; version=0.0.4; charset=utf-8";

        if (path == "/metrics") {
            respond(socket, "200 OK", text, textPage);
        } else if (path == "/om") {
            respond(socket, "200 OK", "application/openmetrics-text; version=1.0.0; charset=utf-8",
                    openMetricsPage);
        } else if (path == "/gzip") {
            if (!headers.value("accept-encoding").contains("gzip"))
                respond(socket, "406 Not Acceptable", text, "gzip only\n");
            else
                respond(socket, "200 OK", text, gzip(textPage), "Content-Encoding: gzip\r\n");
        } else if (path == "/slow") {
            // Never answers: the scrape has to time out.
        } else if (path == "/big") {
            QByteArray big;
            for (int i = 0; big.size() < 2 * 1024 * 1024; ++i)
                big += "filler_metric{i=\"" + QByteArray::number(i) + "\"} 1\n";
            respond(socket, "200 OK", text, big);
        } else if (path == "/big-chunked") {
            // No Content-Length: the cap has to trip while the body streams in.
            socket->write("HTTP/1.1 200 OK\r\nContent-Type: " + text +
                          "\r\nTransfer-Encoding: chunked\r\n"
                          "Connection: close\r\n\r\n");
            const QByteArray chunk = QByteArray("filler_metric 1\n").repeated(4096);
            for (int i = 0; i < 64; ++i)
                socket->write(QByteArray::number(chunk.size(), 16) + "\r\n" + chunk + "\r\n");
            socket->write("0\r\n\r\n");
            socket->disconnectFromHost();
        } else if (path == "/html") {
            respond(socket, "200 OK", "text/html; charset=utf-8",
                    "<html><body>Login required</body></html>\n");
        } else if (path == "/503") {
            respond(socket, "503 Service Unavailable", text, "down for maintenance\n");
        } else if (path == "/bad") {
            respond(socket, "200 OK", text, "ok 1\nok 2\nbad{a=\"1\" 3\n");
        } else if (path == "/truncated") {
            socket->write("HTTP/1.1 200 OK\r\nContent-Type: " + text + "\r\nContent-Length: 1000\r\n\r\n" +
                          textPage.left(100));
            socket->flush();
            socket->abort();
        } else if (path == "/hold") {
            m_held.append(socket);
            if (m_held.size() >= holdUntil) {
                for (const QPointer<QTcpSocket> &held : std::as_const(m_held)) {
                    if (held)
                        respond(held, "200 OK", text, textPage);
                }
                m_held.clear();
            }
        } else {
            respond(socket, "404 Not Found", text, "no such page\n");
        }
    }
};

ScrapeResult resultOf(const QSignalSpy &spy, qsizetype i = 0)
{
    return spy.at(i).at(0).value<ScrapeResult>();
}

} // namespace

class TestScraper : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void scrapesTextPage();
    void openMetricsByContentType();
    void gzipIsDecompressed();
    void failures_data();
    void failures();
    void connectionRefused();
    void targetsRunConcurrently();
    void worksInAWorkerThread();
    void abortAllEndsEveryScrape();

private:
    ScrapeTarget target(const QString &path) const
    {
        ScrapeTarget t;
        t.node = QStringLiteral("was1");
        t.role = QStringLiteral("was");
        t.url = m_server->url(path);
        t.timeoutMs = 5000;
        return t;
    }

    QByteArray m_textPage;
    QByteArray m_openMetricsPage;
    PageServer *m_server = nullptr;
};

void TestScraper::initTestCase()
{
    QFile text(QFINDTESTDATA("../fixtures/pages/haproxy_2.6.prom"));
    QVERIFY(text.open(QIODevice::ReadOnly));
    m_textPage = text.readAll();
    QFile om(QFINDTESTDATA("../fixtures/pages/python_client_0.16.om"));
    QVERIFY(om.open(QIODevice::ReadOnly));
    m_openMetricsPage = om.readAll();
}

void TestScraper::init()
{
    m_server = new PageServer(this);
    m_server->textPage = m_textPage;
    m_server->openMetricsPage = m_openMetricsPage;
    QVERIFY(m_server->listen(QHostAddress::LocalHost));
}

void TestScraper::cleanup()
{
    delete m_server;
    m_server = nullptr;
}

void TestScraper::scrapesTextPage()
{
    Scraper scraper;
    QSignalSpy spy(&scraper, &Scraper::finished);
    const quint64 id = scraper.scrape(target(QStringLiteral("/metrics")));
    QVERIFY(spy.wait(10000));
    const ScrapeResult result = resultOf(spy);
    QVERIFY2(result.ok(), result.error ? qPrintable(result.error->toString()) : "");
    QCOMPARE(result.id, id);
    QCOMPARE(result.target.node, QStringLiteral("was1"));
    QCOMPARE(result.target.role, QStringLiteral("was"));
    QCOMPARE(result.httpStatus, 200);
    QCOMPARE(result.bodyBytes, m_textPage.size());
    QVERIFY(result.startedAt.isValid());
    QVERIFY(result.durationUs >= 0);
    QCOMPARE(result.page->format(), ExpositionFormat::PrometheusText);

    ExpositionParser parser;
    MetricPage direct;
    QVERIFY(!parser.parse(std::string_view(m_textPage.constData(), std::size_t(m_textPage.size())),
                          ExpositionFormat::PrometheusText, direct));
    QCOMPARE(tsv(*result.page), tsv(direct));

    QCOMPARE(m_server->requests.size(), 1);
    QCOMPARE(m_server->requests[0].value("accept"), QByteArray(Scraper::kAcceptHeader));
    QVERIFY(m_server->requests[0].value("user-agent").startsWith("ClusterDeck/"));
    QCOMPARE(m_server->requests[0].value("x-prometheus-scrape-timeout-seconds"), QByteArray("5"));
    QCOMPARE(scraper.runningCount(), 0);
}

void TestScraper::openMetricsByContentType()
{
    Scraper scraper;
    QSignalSpy spy(&scraper, &Scraper::finished);
    scraper.scrape(target(QStringLiteral("/om")));
    QVERIFY(spy.wait(10000));
    const ScrapeResult result = resultOf(spy);
    QVERIFY2(result.ok(), result.error ? qPrintable(result.error->toString()) : "");
    QCOMPARE(result.page->format(), ExpositionFormat::OpenMetrics);
    QCOMPARE(result.page->familyOf("app_requests_total")->type, MetricType::Counter);
}

// QNAM asks for gzip itself and decompresses (it would not if we set Accept-Encoding ourselves).
void TestScraper::gzipIsDecompressed()
{
    Scraper scraper;
    QSignalSpy spy(&scraper, &Scraper::finished);
    scraper.scrape(target(QStringLiteral("/gzip")));
    QVERIFY(spy.wait(10000));
    const ScrapeResult result = resultOf(spy);
    QVERIFY2(result.ok(), result.error ? qPrintable(result.error->toString()) : "");
    QVERIFY(m_server->requests[0].value("accept-encoding").contains("gzip"));
    QCOMPARE(result.bodyBytes, m_textPage.size());
    QCOMPARE(result.page->size(), std::size_t(353));
}

void TestScraper::failures_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("timeoutMs");
    QTest::addColumn<qint64>("maxBodyBytes");
    QTest::addColumn<int>("maxSamples");
    QTest::addColumn<QString>("reason");

    const qint64 mb = 1024 * 1024;
    QTest::newRow("timeout") << "/slow" << 300 << 64 * mb << 100000
                             << "timed out after 0.3 s waiting for the response";
    QTest::newRow("body cap, Content-Length")
        << "/big" << 10000 << mb << 100000 << "the page (2.0 MiB) exceeds the body cap of 1.0 MiB";
    QTest::newRow("body cap, chunked")
        << "/big-chunked" << 10000 << mb << 100000 << "the page exceeds the body cap of 1.0 MiB";
    QTest::newRow("body cap after gzip")
        << "/gzip" << 10000 << qint64(20000) << 100000
        << "the page exceeds the body cap of 20000 bytes once gzip-decompressed (a compression bomb?)";
    QTest::newRow("sample cap")
        << "/metrics" << 10000 << 64 * mb << 100
        << "line 251, column 1: more than 100 samples: the page exceeds the sample cap";
    QTest::newRow("HTML page") << "/html" << 10000 << 64 * mb << 100000
                               << "got an HTML page (Content-Type text/html; charset=utf-8), not metrics";
    QTest::newRow("HTTP error") << "/503" << 10000 << 64 * mb << 100000 << "HTTP 503 Service Unavailable";
    QTest::newRow("not found") << "/nope" << 10000 << 64 * mb << 100000 << "HTTP 404 Not Found";
    QTest::newRow("parse error") << "/bad" << 10000 << 64 * mb << 100000
                                 << "line 3, column 11: expected ',' or '}' after label value, found '3'";
    QTest::newRow("truncated body")
        << "/truncated" << 10000 << 64 * mb << 100000
        << "the server closed the connection before the page was complete (100 of 1000 bytes)";
}

void TestScraper::failures()
{
    QFETCH(QString, path);
    QFETCH(int, timeoutMs);
    QFETCH(qint64, maxBodyBytes);
    QFETCH(int, maxSamples);
    QFETCH(QString, reason);

    Scraper scraper;
    QSignalSpy spy(&scraper, &Scraper::finished);
    ScrapeTarget t = target(path);
    t.timeoutMs = timeoutMs;
    t.maxBodyBytes = maxBodyBytes;
    t.maxSamples = maxSamples;
    scraper.scrape(t);
    QVERIFY(spy.wait(15000));
    const ScrapeResult result = resultOf(spy);
    QVERIFY(!result.ok());
    QVERIFY(!result.page); // never half a page
    QVERIFY(result.error);
    QCOMPARE(result.error->message, reason);
    // The error names the target, so the UI and the event log can say which one.
    QCOMPARE(result.error->where, QStringLiteral("was1 (was) ") + m_server->url(path).toString());
    QVERIFY(result.error->toString().startsWith(QStringLiteral("was1 (was) http://127.0.0.1:")));
    QCOMPARE(scraper.runningCount(), 0);
}

void TestScraper::connectionRefused()
{
    QTcpServer closed;
    QVERIFY(closed.listen(QHostAddress::LocalHost));
    const quint16 port = closed.serverPort();
    closed.close();

    Scraper scraper;
    QSignalSpy spy(&scraper, &Scraper::finished);
    ScrapeTarget t;
    t.node = QStringLiteral("redis");
    t.role = QStringLiteral("redis");
    t.url = QUrl(QStringLiteral("http://127.0.0.1:%1/metrics").arg(port));
    scraper.scrape(t);
    QVERIFY(spy.wait(10000));
    const ScrapeResult result = resultOf(spy);
    QVERIFY(!result.ok());
    QCOMPARE(result.error->message, QStringLiteral("connection refused"));
    QCOMPARE(result.error->where, QStringLiteral("redis (redis) http://127.0.0.1:%1/metrics").arg(port));
    QCOMPARE(result.httpStatus, 0);
}

// The server answers /hold only once all three requests are waiting: scraped one after the other, they would
// all time out instead.
void TestScraper::targetsRunConcurrently()
{
    m_server->holdUntil = 3;
    Scraper scraper;
    QSignalSpy spy(&scraper, &Scraper::finished);
    QList<quint64> ids;
    for (const char *node : {"was1", "was2", "was3"}) {
        ScrapeTarget t = target(QStringLiteral("/hold"));
        t.node = QString::fromLatin1(node);
        ids.append(scraper.scrape(t));
    }
    QCOMPARE(scraper.runningCount(), 3);
    QTRY_COMPARE_WITH_TIMEOUT(spy.size(), 3, 15000);
    QStringList nodes;
    for (qsizetype i = 0; i < spy.size(); ++i) {
        const ScrapeResult result = resultOf(spy, i);
        QVERIFY2(result.ok(), result.error ? qPrintable(result.error->toString()) : "");
        QVERIFY(ids.contains(result.id));
        nodes.append(result.target.node);
    }
    nodes.sort();
    QCOMPARE(nodes, QStringList({QStringLiteral("was1"), QStringLiteral("was2"), QStringLiteral("was3")}));
}

// The collector owns the scraper in its own thread: requests, parsing and the finished() signal happen there.
void TestScraper::worksInAWorkerThread()
{
    QThread worker;
    auto *scraper = new Scraper;
    scraper->moveToThread(&worker);
    connect(&worker, &QThread::finished, scraper, &QObject::deleteLater);
    worker.start();

    QThread *emittedIn = nullptr;
    connect(
        scraper, &Scraper::finished, scraper, [&emittedIn] { emittedIn = QThread::currentThread(); },
        Qt::DirectConnection);
    QSignalSpy spy(scraper, &Scraper::finished);
    const ScrapeTarget t = target(QStringLiteral("/metrics"));
    QVERIFY(QMetaObject::invokeMethod(
        scraper, [scraper, t] { scraper->scrape(t); }, Qt::QueuedConnection));
    QTRY_COMPARE_WITH_TIMEOUT(spy.size(), 1, 10000);
    QVERIFY(resultOf(spy).ok());
    QCOMPARE(emittedIn, &worker);
    worker.quit();
    QVERIFY(worker.wait(5000));
}

void TestScraper::abortAllEndsEveryScrape()
{
    Scraper scraper;
    QSignalSpy spy(&scraper, &Scraper::finished);
    scraper.scrape(target(QStringLiteral("/slow")));
    scraper.scrape(target(QStringLiteral("/slow")));
    QTRY_COMPARE_WITH_TIMEOUT(m_server->requests.size(), 2, 10000);
    scraper.abortAll();
    QTRY_COMPARE_WITH_TIMEOUT(spy.size(), 2, 10000);
    QCOMPARE(resultOf(spy, 0).error->message, QStringLiteral("aborted"));
    QCOMPARE(resultOf(spy, 1).error->message, QStringLiteral("aborted"));
    QCOMPARE(scraper.runningCount(), 0);
}

QTEST_GUILESS_MAIN(TestScraper)
#include "tst_scraper.moc"
