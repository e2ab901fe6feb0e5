// The scraper, the health prober and the body decoder against every hostile behaviour of issue 7, served by
// the hostile test server in this thread on 127.0.99.1. Sizes are scaled so the suite stays quick while each
// bomb still expands far beyond its cap.

#include "cluster/cluster.h"
#include "hostile_server.h"
#include "metrics/http_body.h"
#include "metrics/http_fetch.h"
#include "metrics/node_prober.h"
#include "metrics/prometheus_client.h"
#include "metrics/scraper.h"

#include <QSignalSpy>
#include <QTest>

using namespace clusterdeck;
using namespace clusterdeck::hostile;

namespace {

const QHostAddress kAddress(QStringLiteral("127.0.99.1"));

} // namespace

class TestHostileTargets : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void scraperRefusesEveryHostilePage_data();
    void scraperRefusesEveryHostilePage();
    void scraperTakesGoodPages_data();
    void scraperTakesGoodPages();
    void healthIsUpOnlyOnACompleteUpAnswer_data();
    void healthIsUpOnlyOnACompleteUpAnswer();
    void deadlineCoversTheWholeExchange();
    void credentialsAreNotShown();
    void decoderIsIndependentOfHowBytesArrive_data();
    void decoderIsIndependentOfHowBytesArrive();
    void bombStopsAtTheCap();
    void prometheusAnswersAreDecompressedWithinTheCap();

private:
    HostileServer m_server;
};

void TestHostileTargets::initTestCase()
{
    HostileServer::Sizes sizes;
    sizes.bombMiB = 1024;                    // 1 GiB of zeros from ~1 MB: sixteen times the 64 MiB page cap
    sizes.streamBytes = 256LL * 1024 * 1024; // four times the page cap
    sizes.labels = 300'000;
    sizes.trickleIntervalMs = 100;
    sizes.manyTargets = 100;
    m_server.setSizes(sizes);
    m_server.prepare();
    QVERIFY(m_server.listenOn(kAddress));
}

void TestHostileTargets::scraperRefusesEveryHostilePage_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("timeoutMs");
    QTest::addColumn<QString>("reason"); // the start of the error message

    const int t = 10000; // generous: a correct scraper answers long before, the test never waits for it
    QTest::newRow("gzip bomb")
        << "/gzip-bomb" << t
        << "the page exceeds the body cap of 64.0 MiB once gzip-decompressed (a compression bomb?)";
    QTest::newRow("1M labels") << "/labels" << t << "line 1, column 2210: more than 256 labels on one series";
    QTest::newRow("trickle") << "/trickle" << 500 << "timed out after 0.5 s while reading the body";
    QTest::newRow("header flood") << "/header-flood" << t
                                  << "the response headers exceed 64 KiB (a header flood?)";
    QTest::newRow("reset mid-body")
        << "/health-reset" << t
        << "the server closed the connection before the page was complete (15 of 100 bytes)";
    QTest::newRow("short body")
        << "/health-short" << t
        << "the server closed the connection before the page was complete (15 of 100 bytes)";
    QTest::newRow("corrupt gzip") << "/health-corrupt-gzip" << t
                                  << "decompression failed: corrupt gzip data (";
    QTest::newRow("no length, over the cap")
        << "/huge-nolength" << t << "the page exceeds the body cap of 64.0 MiB";
    QTest::newRow("chunk size zz") << "/badchunk-zz" << t
                                   << "malformed chunked transfer: expected a hex chunk size, found 'z'";
    QTest::newRow("chunk size ffff...")
        << "/badchunk-ffff" << t << "malformed chunked transfer: a chunk size with more than 15 hex digits";
    QTest::newRow("over-long chunk")
        << "/badchunk-long" << t << "malformed chunked transfer: a chunk is longer than its declared size";
    QTest::newRow("gzip cut at a flush point")
        << "/gzip-cut" << t << "the gzip stream is cut short: the body ends before the compressed data does";
    QTest::newRow("deflate cut at a flush point")
        << "/deflate-cut" << t
        << "the deflate stream is cut short: the body ends before the compressed data does";
    QTest::newRow("redirect loop") << "/redirect-loop" << t
                                   << "too many redirects (more than 5), the last one to http://127.0.99.1:";
    QTest::newRow("OpenMetrics duplicate")
        << "/om-duplicates" << t
        << "line 3, column 1: duplicate series: \"hostile_dup\" with the same labels as on line 2";
}

void TestHostileTargets::scraperRefusesEveryHostilePage()
{
    QFETCH(QString, path);
    QFETCH(int, timeoutMs);
    QFETCH(QString, reason);

    Scraper scraper;
    QSignalSpy spy(&scraper, &Scraper::finished);
    ScrapeTarget target;
    target.node = QStringLiteral("hostile");
    target.url = m_server.url(path);
    target.timeoutMs = timeoutMs;
    scraper.scrape(target);
    QVERIFY(spy.wait(30000));
    const ScrapeResult result = spy.at(0).at(0).value<ScrapeResult>();
    QVERIFY2(!result.ok(), "a hostile page was accepted");
    QVERIFY(!result.page); // never half a page
    QVERIFY2(result.error->message.startsWith(reason), qPrintable(result.error->message));
    QCOMPARE(scraper.runningCount(), 0);
}

void TestHostileTargets::scraperTakesGoodPages_data()
{
    QTest::addColumn<QString>("path");
    QTest::newRow("plain") << "/good/metrics";
    QTest::newRow("gzip") << "/gzip-good";
}

void TestHostileTargets::scraperTakesGoodPages()
{
    QFETCH(QString, path);
    Scraper scraper;
    QSignalSpy spy(&scraper, &Scraper::finished);
    ScrapeTarget target;
    target.url = m_server.url(path);
    scraper.scrape(target);
    QVERIFY(spy.wait(10000));
    const ScrapeResult result = spy.at(0).at(0).value<ScrapeResult>();
    QVERIFY2(result.ok(), result.error ? qPrintable(result.error->toString()) : "");
    QCOMPARE(result.page->size(), std::size_t(2));
    QCOMPARE(result.bodyBytes, qint64(goodPage().size()));
}

void TestHostileTargets::healthIsUpOnlyOnACompleteUpAnswer_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("reason"); // empty: UP

    QTest::newRow("good") << "/good/health" << QString();
    QTest::newRow("trickle") << "/trickle"
                             << "health: timed out after 0.5 s while reading the body";
    QTest::newRow("reset mid-body")
        << "/health-reset"
        << "health: the server closed the connection before the page was complete";
    QTest::newRow("short body") << "/health-short"
                                << "health: the server closed the connection before the page was complete";
    QTest::newRow("HTML with 200") << "/health-html"
                                   << "health: got an HTML page (Content-Type text/html; charset=utf-8)";
    QTest::newRow("gzip bomb") << "/gzip-bomb"
                               << "health: the page (1.0 MiB) exceeds the body cap of 65536 bytes";
    QTest::newRow("corrupt gzip") << "/health-corrupt-gzip"
                                  << "health: decompression failed: corrupt gzip data";
    QTest::newRow("2 GB body") << "/huge-nolength"
                               << "health: the page exceeds the body cap of 65536 bytes";
    QTest::newRow("header flood") << "/header-flood"
                                  << "health: the response headers exceed 64 KiB";
    QTest::newRow("metrics page, not health")
        << "/good/metrics" << QString(); // plain 2xx text: not Spring's JSON
    QTest::newRow("redirect loop") << "/redirect-loop"
                                   << "health: too many redirects";
    QTest::newRow("404") << "/nothing-here"
                         << "health: HTTP 404 Not Found";
}

void TestHostileTargets::healthIsUpOnlyOnACompleteUpAnswer()
{
    QFETCH(QString, path);
    QFETCH(QString, reason);

    Cluster cluster;
    cluster.name = QStringLiteral("hostile");
    cluster.scrapeTimeoutMs = 500;
    Node node;
    node.name = QStringLiteral("n");
    node.healthUrl = m_server.url(path);
    cluster.nodes.append(node);

    NodeProber prober;
    QSignalSpy spy(&prober, &NodeProber::roundFinished);
    prober.probe(cluster);
    QVERIFY(spy.wait(20000));
    const auto statuses = spy.at(0).at(0).value<QList<TargetStatus>>();
    QCOMPARE(statuses.size(), 1);
    const TargetStatus &status = statuses[0];
    if (reason.isEmpty()) {
        QVERIFY2(status.state == TargetStatus::State::Up, qPrintable(status.reason));
    } else {
        QCOMPARE(stateName(status.state), QStringLiteral("DOWN"));
        QVERIFY2(status.reason.startsWith(reason), qPrintable(status.reason));
    }
}

// The old prober's timeout was an inactivity timer: a byte every 100 ms kept it waiting until the server gave
// up. The deadline ends the exchange at its timeout whatever trickles in; the message names the deadline.
void TestHostileTargets::deadlineCoversTheWholeExchange()
{
    HttpFetchRequest request;
    request.url = m_server.url(QStringLiteral("/trickle"));
    request.timeoutMs = 700;
    HttpFetch fetch(request);
    QSignalSpy spy(&fetch, &HttpFetch::finished);
    fetch.start();
    QVERIFY(spy.wait(20000));
    const auto response = spy.at(0).at(0).value<HttpFetchResponse>();
    QVERIFY(response.timedOut);
    QVERIFY2(response.error->startsWith(QStringLiteral("timed out after 0.7 s while reading the body (")),
             qPrintable(*response.error));
    QVERIFY(response.body.empty());
}

void TestHostileTargets::credentialsAreNotShown()
{
    Scraper scraper;
    QSignalSpy spy(&scraper, &Scraper::finished);
    ScrapeTarget target;
    target.node = QStringLiteral("secret");
    target.url = m_server.url(QStringLiteral("/health-html"));
    target.url.setUserInfo(QStringLiteral("admin:s3cret"));
    scraper.scrape(target);
    QVERIFY(spy.wait(10000));
    const ScrapeResult result = spy.at(0).at(0).value<ScrapeResult>();
    QVERIFY(!result.ok());
    QVERIFY2(!result.error->toString().contains(QLatin1String("s3cret")),
             qPrintable(result.error->toString()));
    QVERIFY(result.error->toString().contains(QLatin1String("admin:xxxxx@127.0.99.1")));
}

void TestHostileTargets::decoderIsIndependentOfHowBytesArrive_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<int>("framing");
    QTest::addColumn<QString>("expected"); // body, or "error: <start of message>"

    const int chunked = int(HttpBodyDecoder::Framing::Chunked);
    QTest::newRow("chunked") << QByteArray("3\r\nabc\r\n2;ext=1\r\nde\r\n0\r\nTrailer: x\r\n\r\n") << chunked
                             << "abcde";
    QTest::newRow("chunked, bare LF") << QByteArray("3\nabc\n0\n\n") << chunked << "abc";
    QTest::newRow("chunked, upper-case hex")
        << QByteArray("A\r\n0123456789\r\n0\r\n\r\n") << chunked << "0123456789";
    QTest::newRow("no last chunk")
        << QByteArray("3\r\nabc\r\n") << chunked
        << "error: the server closed the connection before the page was complete (no last chunk)";
    QTest::newRow("negative size")
        << QByteArray("-1\r\nabc\r\n0\r\n\r\n") << chunked
        << "error: malformed chunked transfer: expected a hex chunk size, found '-'";
    QTest::newRow("space in size")
        << QByteArray("1 2\r\nab\r\n0\r\n\r\n") << chunked
        << "error: malformed chunked transfer: unexpected '2' after the chunk size";
    QTest::newRow("short chunk")
        << QByteArray("5\r\nabc\r\n0\r\n\r\n") << chunked
        << "error: malformed chunked transfer: a chunk is longer than its declared size";
}

void TestHostileTargets::decoderIsIndependentOfHowBytesArrive()
{
    QFETCH(QByteArray, wire);
    QFETCH(int, framing);
    QFETCH(QString, expected);
    for (const qsizetype step : {qsizetype(1), qsizetype(2), qsizetype(7), wire.size()}) {
        HttpBodyDecoder decoder(HttpBodyDecoder::Framing(framing), 0, ContentCoding::Identity, {});
        std::string body;
        for (qsizetype at = 0; at < wire.size() && decoder.state() == HttpBodyDecoder::State::NeedMore;
             at += step)
            decoder.feed(wire.constData() + at, std::size_t(std::min(step, wire.size() - at)), body);
        decoder.finishAtClose(body);
        const QString got = decoder.state() == HttpBodyDecoder::State::Done
                                ? QString::fromStdString(body)
                                : QStringLiteral("error: ") + QString::fromStdString(decoder.error());
        QVERIFY2(got.startsWith(expected), qPrintable(QStringLiteral("step %1: %2").arg(step).arg(got)));
    }
}

// 1 GiB of zeros behind 1 MB: the decoder stops at the cap instead of inflating the rest.
void TestHostileTargets::bombStopsAtTheCap()
{
    const QByteArray bomb = zeroBomb(1024, true, true);
    HttpBodyDecoder::Limits limits;
    limits.maxBodyBytes = 1024 * 1024;
    limits.maxWireBytes = std::size_t(bomb.size());
    HttpBodyDecoder decoder(HttpBodyDecoder::Framing::Length, quint64(bomb.size()), ContentCoding::Gzip,
                            limits);
    std::string body;
    QCOMPARE(decoder.feed(bomb.constData(), std::size_t(bomb.size()), body), HttpBodyDecoder::State::Error);
    QVERIFY(decoder.overCap());
    QVERIFY(body.size() <= limits.maxBodyBytes);

    // The same construction, small and complete, decodes to exactly its zeros: the bomb is a valid stream.
    const QByteArray small = zeroBomb(3, true, true);
    HttpBodyDecoder whole(HttpBodyDecoder::Framing::UntilClose, 0, ContentCoding::Gzip, {});
    std::string zeros;
    whole.feed(small.constData(), std::size_t(small.size()), zeros);
    QCOMPARE(whole.finishAtClose(zeros), HttpBodyDecoder::State::Done);
    QCOMPARE(zeros.size(), std::size_t(3 * 1024 * 1024));
    QCOMPARE(zeros.find_first_not_of('\0'), std::string::npos);
}

// The Prometheus client asks for gzip and inflates the answer itself, as it arrives, within its cap.
void TestHostileTargets::prometheusAnswersAreDecompressedWithinTheCap()
{
    PrometheusClient gzipped(m_server.url(QStringLiteral("/gz")));
    std::optional<Result<QList<PromTarget>>> good;
    gzipped.targets([&good](Result<QList<PromTarget>> result) { good = std::move(result); });
    QTRY_VERIFY_WITH_TIMEOUT(good.has_value(), 10000);
    QVERIFY2(good->ok(), good->ok() ? "" : qPrintable(good->error().toString()));
    QCOMPARE((*good)->size(), 100);

    PrometheusClient bombed(m_server.url(QStringLiteral("/bomb")));
    bombed.setMaxBodyBytes(4 * 1024 * 1024);
    std::optional<Result<QList<PromTarget>>> bomb;
    bombed.targets([&bomb](Result<QList<PromTarget>> result) { bomb = std::move(result); });
    QTRY_VERIFY_WITH_TIMEOUT(bomb.has_value(), 10000);
    QVERIFY(!bomb->ok());
    QCOMPARE(bomb->error().message,
             QStringLiteral("the answer is larger than 4.0 MB: narrow the query or the time range"));
}

QTEST_GUILESS_MAIN(TestHostileTargets)
#include "tst_hostile_targets.moc"
