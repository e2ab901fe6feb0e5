// parseHttpResponse: a whole response read until the server closed, as the gateway drivers get it.
#include "metrics/http_response.h"

#include <QTest>

using namespace clusterdeck;

class TestHttpResponse : public QObject {
    Q_OBJECT
private slots:
    void parse_data();
    void parse();
};

void TestHttpResponse::parse_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("error"); // empty: parses

    QTest::newRow("content-length") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n[]") << 200
                                    << QByteArray("[]") << QString();
    QTest::newRow("chunked")
        << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n") << 200
        << QByteArray("abc") << QString();
    QTest::newRow("until close") << QByteArray("HTTP/1.1 200 OK\r\n\r\n{\"a\":1}") << 200
                                 << QByteArray("{\"a\":1}") << QString();
    QTest::newRow("100 continue first") << QByteArray("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 400 Bad "
                                                      "Request\r\nContent-Length: 11\r\n\r\n{\"error\":1}")
                                        << 400 << QByteArray("{\"error\":1}") << QString();
    QTest::newRow("bare newlines") << QByteArray("HTTP/1.0 204 No Content\n\n") << 204 << QByteArray()
                                   << QString();
    QTest::newRow("short body") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc") << 0
                                << QByteArray() << "";
    QTest::newRow("cut chunked") << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nab")
                                 << 0 << QByteArray() << "";
    QTest::newRow("nothing") << QByteArray() << 0 << QByteArray() << "without an answer";
    QTest::newRow("cut head") << QByteArray("HTTP/1.1 200 OK\r\nContent-") << 0 << QByteArray()
                              << "inside the response head";
    QTest::newRow("not http") << QByteArray("SSH-2.0-OpenSSH_9.2\r\n\r\n") << 0 << QByteArray()
                              << "not an HTTP response";
    QTest::newRow("two lengths") << QByteArray(
                                        "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab")
                                 << 0 << QByteArray() << "two different Content-Length";
    QTest::newRow("brotli") << QByteArray("HTTP/1.1 200 OK\r\nContent-Encoding: br\r\n\r\nxx") << 0
                            << QByteArray() << "unsupported Content-Encoding 'br'";
}

void TestHttpResponse::parse()
{
    QFETCH(QByteArray, wire);
    QFETCH(QString, error);
    const Result<HttpResponse> response = parseHttpResponse(wire, 1024);
    if (!error.isNull()) {
        QVERIFY2(!response.ok(), "an incomplete or foreign answer must be an error");
        QVERIFY2(response.error().message.contains(error), qPrintable(response.error().message));
        return;
    }
    QVERIFY2(response.ok(), qPrintable(response.ok() ? QString() : response.error().message));
    QTEST(response->status, "status");
    QTEST(QByteArray::fromStdString(response->body), "body");
}

QTEST_GUILESS_MAIN(TestHttpResponse)
#include "tst_http_response.moc"
