// PrometheusClient against a real Prometheus 2.42 started here on 127.0.96.1 (under a /prom path prefix),
// scraping a small Python target every second, plus in-process servers that misbehave in the ways proxies and
// dead hosts do.

#include "metrics/prometheus_client.h"

#include <QDateTime>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>
#include <memory>
#include <optional>

using namespace clusterdeck;

namespace {

const QHostAddress kHost(QStringLiteral("127.0.96.1"));

// A target whose counter grows at exactly 7/s of wall time, so rate() has a known answer whatever the scrape
// jitter.
const char kTargetScript[] = R"PY(
import http.server, sys, time
start = time.time()
class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path != "/metrics":
            self.send_error(404)
            return
        elapsed = time.time() - start
        body = ("# HELP fixture_requests_total Requests served.\n"
                "# TYPE fixture_requests_total counter\n"
                'fixture_requests_total{path="/a"} %.6f\n'
                "# TYPE fixture_temperature_celsius gauge\n"
                "fixture_temperature_celsius 21.5\n"
                "# TYPE fixture_special gauge\n"
                'fixture_special{kind="nan"} NaN\n'
                'fixture_special{kind="inf"} +Inf\n'
                'fixture_special{kind="neginf"} -Inf\n') % (7.0 * elapsed)
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; version=0.0.4")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
    def log_message(self, *args):
        pass
server = http.server.ThreadingHTTPServer((sys.argv[1], 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
)PY";

quint16 freePort()
{
    QTcpServer probe;
    if (!probe.listen(kHost, 0))
        return 0;
    return probe.serverPort();
}

// Answers every connection with one canned HTTP response (or never answers, for timeouts).
class CannedServer : public QTcpServer {
public:
    explicit CannedServer(QByteArray response) : m_response(std::move(response))
    {
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = nextPendingConnection()) {
                if (m_response.isEmpty())
                    continue; // keep it open, say nothing
                connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
                    m_request += socket->readAll();
                    if (m_request.contains("\r\n\r\n")) {
                        socket->write(m_response);
                        socket->disconnectFromHost();
                    }
                });
            }
        });
    }
    QUrl url() const { return QUrl(QStringLiteral("http://127.0.96.1:%1").arg(serverPort())); }
    QByteArray request() const { return m_request; }

private:
    QByteArray m_response;
    QByteArray m_request;
};

QByteArray httpResponse(int status, const QByteArray &reason, const QByteArray &contentType,
                        const QByteArray &body)
{
    return "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason + "\r\nContent-Type: " + contentType +
           "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

} // namespace

class TestPrometheusClient : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void parsesValueSpellings_data();
    void parsesValueSpellings();
    void buildsApiUrlsUnderAPrefix_data();
    void buildsApiUrlsUnderAPrefix();

    void instantVector();
    void specialValuesSurviveTheRoundTrip();
    void scalarAndString();
    void rateOfAKnownCounter();
    void rangeQueryReturnsAMatrix();
    void targetsListsUpAndDownTargets();
    void worksWithAndWithoutTrailingSlash();

    void badPromqlGivesPrometheusError();
    void executionErrorGives422();
    void tooManyPointsIsRejectedByTheServer();
    void invalidRangeIsRejectedBeforeSending();
    void wrongPrefixGives404NotJson();
    void connectionRefusedNamesTheServer();
    void timeoutNamesTheServer();
    void htmlPageIsNamedAsSuch_data();
    void htmlPageIsNamedAsSuch();
    void nonJsonBodies_data();
    void nonJsonBodies();
    void plusSignIsSentEncoded();
    void abortedRequestNeverCallsBack();
    void destroyingTheClientWithPendingRequests();
    void blockingHelpers();

private:
    Result<PromQueryResult> query(const QString &promql, QUrl server = {});
    QUrl m_server;
    QTemporaryDir m_dir;
    QProcess m_target;
    QProcess m_prometheus;
    quint16 m_targetPort = 0;
    quint16 m_deadPort = 0;
};

Result<PromQueryResult> TestPrometheusClient::query(const QString &promql, QUrl server)
{
    PrometheusClient client(server.isEmpty() ? m_server : server);
    std::optional<Result<PromQueryResult>> outcome;
    client.query(promql, {}, [&outcome](Result<PromQueryResult> result) { outcome = std::move(result); });
    // A bounded wait: the client's own timeout (10 s) fires first if the server hangs.
    if (!QTest::qWaitFor([&outcome] { return outcome.has_value(); }, 15000))
        return Error{QStringLiteral("test: no callback within 15 s"), QString()};
    return std::move(*outcome);
}

void TestPrometheusClient::initTestCase()
{
    const QString prometheus = QStandardPaths::findExecutable(QStringLiteral("prometheus"));
    const QString python = QStandardPaths::findExecutable(QStringLiteral("python3"));
    if (prometheus.isEmpty() || python.isEmpty())
        QFAIL("needs prometheus (Debian package 'prometheus') and python3 on PATH");
    QVERIFY(m_dir.isValid());

    QFile script(m_dir.filePath(QStringLiteral("target.py")));
    QVERIFY(script.open(QIODevice::WriteOnly));
    script.write(kTargetScript);
    script.close();
    m_target.start(python, {script.fileName(), kHost.toString()});
    QVERIFY2(m_target.waitForReadyRead(10000), "the Python target did not print its port");
    m_targetPort = quint16(m_target.readLine().trimmed().toUInt());
    QVERIFY(m_targetPort > 0);

    const quint16 promPort = freePort();
    m_deadPort = freePort(); // nothing listens here: a down target, and a refused connection
    QVERIFY(promPort > 0 && m_deadPort > 0 && promPort != m_deadPort);
    const QString config =
        QStringLiteral("global:\n  scrape_interval: 1s\n  scrape_timeout: 900ms\n"
                       "scrape_configs:\n"
                       "  - job_name: fixture\n    static_configs:\n"
                       "      - targets: ['127.0.96.1:%1']\n        labels: {node: fixture1}\n"
                       "  - job_name: dead\n    static_configs:\n      - targets: ['127.0.96.1:%2']\n")
            .arg(m_targetPort)
            .arg(m_deadPort);
    QFile configFile(m_dir.filePath(QStringLiteral("prometheus.yml")));
    QVERIFY(configFile.open(QIODevice::WriteOnly));
    configFile.write(config.toUtf8());
    configFile.close();

    m_server = QUrl(QStringLiteral("http://127.0.96.1:%1/prom").arg(promPort));
    m_prometheus.setProcessChannelMode(QProcess::MergedChannels);
    m_prometheus.setStandardOutputFile(m_dir.filePath(QStringLiteral("prometheus.log")));
    m_prometheus.start(prometheus,
                       {QStringLiteral("--config.file=") + configFile.fileName(),
                        QStringLiteral("--web.listen-address=127.0.96.1:%1").arg(promPort),
                        QStringLiteral("--web.external-url=http://127.0.96.1:%1/prom/").arg(promPort),
                        QStringLiteral("--storage.tsdb.path=") + m_dir.filePath(QStringLiteral("data"))});
    QVERIFY2(m_prometheus.waitForStarted(10000), qPrintable(m_prometheus.errorString()));

    // Ready once five scrapes of the target are stored: enough for rate() and for a 5-point range query.
    const bool ready = QTest::qWaitFor(
        [this] {
            if (m_prometheus.state() != QProcess::Running)
                return true; // reported below
            const Result<PromQueryResult> r =
                query(QStringLiteral("count_over_time(fixture_temperature_celsius[1m]) >= 5"));
            return r.ok() && r->series.size() == 1;
        },
        60000);
    QVERIFY2(m_prometheus.state() == QProcess::Running,
             "prometheus exited: see prometheus.log in the test's temp dir");
    if (!ready) {
        QFile log(m_dir.filePath(QStringLiteral("prometheus.log")));
        log.open(QIODevice::ReadOnly);
        qWarning().noquote() << log.readAll().right(3000);
        QFAIL("Prometheus did not store five scrapes of the fixture target within 60 s");
    }
}

void TestPrometheusClient::cleanupTestCase()
{
    for (QProcess *process : {&m_prometheus, &m_target}) {
        if (process->state() == QProcess::NotRunning)
            continue;
        process->terminate();
        if (!process->waitForFinished(15000))
            process->kill();
        process->waitForFinished(5000);
    }
}

void TestPrometheusClient::parsesValueSpellings_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<double>("value");
    QTest::newRow("integer") << "42" << true << 42.0;
    QTest::newRow("fraction") << "0.25" << true << 0.25;
    QTest::newRow("exponent") << "1.5e-7" << true << 1.5e-7;
    QTest::newRow("negative") << "-3" << true << -3.0;
    QTest::newRow("+Inf") << "+Inf" << true << qInf();
    QTest::newRow("-Inf") << "-Inf" << true << -qInf();
    QTest::newRow("NaN") << "NaN" << true << qQNaN();
    QTest::newRow("empty") << "" << false << 0.0;
    QTest::newRow("word") << "twelve" << false << 0.0;
    QTest::newRow("trailing junk") << "1.5x" << false << 0.0;
}

void TestPrometheusClient::parsesValueSpellings()
{
    QFETCH(QString, text);
    QFETCH(bool, ok);
    QFETCH(double, value);
    const std::optional<double> parsed = parsePromValue(text);
    QCOMPARE(parsed.has_value(), ok);
    if (!ok)
        return;
    if (std::isnan(value))
        QVERIFY(std::isnan(*parsed));
    else
        QCOMPARE(*parsed, value);
}

void TestPrometheusClient::buildsApiUrlsUnderAPrefix_data()
{
    QTest::addColumn<QString>("server");
    QTest::addColumn<QString>("expected");
    QTest::newRow("root") << "http://h:9090"
                          << "http://h:9090/api/v1/query";
    QTest::newRow("root slash") << "http://h:9090/"
                                << "http://h:9090/api/v1/query";
    QTest::newRow("prefix") << "http://h/prometheus"
                            << "http://h/prometheus/api/v1/query";
    QTest::newRow("prefix slash") << "https://h/prometheus/"
                                  << "https://h/prometheus/api/v1/query";
    QTest::newRow("query dropped") << "http://h:9090/?x=1"
                                   << "http://h:9090/api/v1/query";
}

void TestPrometheusClient::buildsApiUrlsUnderAPrefix()
{
    QFETCH(QString, server);
    QFETCH(QString, expected);
    QCOMPARE(promApiUrl(QUrl(server), QStringLiteral("api/v1/query")).toString(), expected);
}

void TestPrometheusClient::instantVector()
{
    const Result<PromQueryResult> r = query(QStringLiteral("up"));
    QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
    QCOMPARE(r->type, PromQueryResult::Type::Vector);
    QCOMPARE(r->series.size(), 2);
    QMap<QString, double> upByJob;
    for (const PromSeries &s : r->series) {
        QCOMPARE(s.points.size(), 1);
        QCOMPARE(s.labels.value(QStringLiteral("__name__")), QStringLiteral("up"));
        upByJob.insert(s.labels.value(QStringLiteral("job")), s.points.first().value);
        // The answer is "now" on the server: within a minute of our clock, not a zero or seconds-as-ms
        // mix-up.
        QVERIFY(qAbs(s.points.first().timestampMs - QDateTime::currentMSecsSinceEpoch()) < 60000);
    }
    QCOMPARE(upByJob.value(QStringLiteral("fixture")), 1.0);
    QCOMPARE(upByJob.value(QStringLiteral("dead")), 0.0);
    const PromSeries fixture =
        r->series.first().labels.value(QStringLiteral("job")) == QLatin1String("fixture") ? r->series.first()
                                                                                          : r->series.last();
    QCOMPARE(fixture.labels.value(QStringLiteral("node")), QStringLiteral("fixture1"));
    QCOMPARE(fixture.labels.value(QStringLiteral("instance")),
             QStringLiteral("127.0.96.1:%1").arg(m_targetPort));
}

void TestPrometheusClient::specialValuesSurviveTheRoundTrip()
{
    const Result<PromQueryResult> r = query(QStringLiteral("fixture_special"));
    QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
    QCOMPARE(r->series.size(), 3);
    QMap<QString, double> byKind;
    for (const PromSeries &s : r->series)
        byKind.insert(s.labels.value(QStringLiteral("kind")), s.points.first().value);
    QVERIFY(std::isnan(byKind.value(QStringLiteral("nan"))));
    QCOMPARE(byKind.value(QStringLiteral("inf")), qInf());
    QCOMPARE(byKind.value(QStringLiteral("neginf")), -qInf());
}

void TestPrometheusClient::scalarAndString()
{
    const Result<PromQueryResult> scalar = query(QStringLiteral("scalar(fixture_temperature_celsius) * 2"));
    QVERIFY2(scalar.ok(), qPrintable(scalar.ok() ? QString() : scalar.error().toString()));
    QCOMPARE(scalar->type, PromQueryResult::Type::Scalar);
    QCOMPARE(scalar->scalar.value, 43.0);

    const Result<PromQueryResult> inf = query(QStringLiteral("1/0"));
    QVERIFY(inf.ok());
    QCOMPARE(inf->type, PromQueryResult::Type::Scalar);
    QCOMPARE(inf->scalar.value, qInf());

    const Result<PromQueryResult> text = query(QStringLiteral("\"a string\""));
    QVERIFY2(text.ok(), qPrintable(text.ok() ? QString() : text.error().toString()));
    QCOMPARE(text->type, PromQueryResult::Type::String);
    QCOMPARE(text->string, QStringLiteral("a string"));
}

void TestPrometheusClient::rateOfAKnownCounter()
{
    const Result<PromQueryResult> r = query(QStringLiteral("rate(fixture_requests_total[4s])"));
    QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
    QCOMPARE(r->series.size(), 1);
    QCOMPARE(r->series.first().labels.value(QStringLiteral("path")), QStringLiteral("/a"));
    const double rate = r->series.first().points.first().value;
    // 7/s exactly on the target; scrape timestamps and the target's clock differ by milliseconds.
    QVERIFY2(qAbs(rate - 7.0) < 0.35, qPrintable(QStringLiteral("rate %1, expected 7").arg(rate)));
}

void TestPrometheusClient::rangeQueryReturnsAMatrix()
{
    // Make sure the 5 s range lies wholly after the first scrape (seven scrapes at 1 s intervals are stored).
    const auto sevenScrapes = [this] {
        const Result<PromQueryResult> count =
            query(QStringLiteral("count_over_time(fixture_temperature_celsius[1m]) >= 7"));
        return count.ok() && count->series.size() == 1;
    };
    QTRY_VERIFY_WITH_TIMEOUT(sevenScrapes(), 20000);
    PrometheusClient client(m_server);
    const qint64 now = QDateTime::currentMSecsSinceEpoch() / 1000 * 1000;
    const QDateTime start = QDateTime::fromMSecsSinceEpoch(now - 4000);
    const QDateTime end = QDateTime::fromMSecsSinceEpoch(now);
    std::optional<Result<PromQueryResult>> outcome;
    client.queryRange(QStringLiteral("fixture_temperature_celsius + on() group_left() vector(0)"), start, end,
                      1000, [&outcome](Result<PromQueryResult> result) { outcome = std::move(result); });
    QTRY_VERIFY_WITH_TIMEOUT(outcome.has_value(), 15000);
    QVERIFY2(outcome->ok(), qPrintable(outcome->ok() ? QString() : outcome->error().toString()));
    const PromQueryResult &r = outcome->value();
    QCOMPARE(r.type, PromQueryResult::Type::Matrix);
    QCOMPARE(r.series.size(), 1);
    const QList<PromPoint> &points = r.series.first().points;
    QCOMPARE(points.size(), 5);
    for (int i = 0; i < points.size(); ++i) {
        QCOMPARE(points[i].timestampMs, start.toMSecsSinceEpoch() + i * 1000);
        QCOMPARE(points[i].value, 21.5);
    }
}

void TestPrometheusClient::targetsListsUpAndDownTargets()
{
    PrometheusClient client(m_server);
    std::optional<Result<QList<PromTarget>>> outcome;
    client.targets([&outcome](Result<QList<PromTarget>> result) { outcome = std::move(result); });
    QTRY_VERIFY_WITH_TIMEOUT(outcome.has_value(), 15000);
    QVERIFY2(outcome->ok(), qPrintable(outcome->ok() ? QString() : outcome->error().toString()));
    const QList<PromTarget> &targets = outcome->value();
    QCOMPARE(targets.size(), 2);
    const PromTarget *fixture = nullptr;
    const PromTarget *dead = nullptr;
    for (const PromTarget &t : targets)
        (t.job() == QLatin1String("fixture") ? fixture : dead) = &t;
    QVERIFY(fixture && dead);
    QCOMPARE(fixture->health, QStringLiteral("up"));
    QCOMPARE(fixture->scrapeUrl, QUrl(QStringLiteral("http://127.0.96.1:%1/metrics").arg(m_targetPort)));
    QCOMPARE(fixture->instance(), QStringLiteral("127.0.96.1:%1").arg(m_targetPort));
    QCOMPARE(fixture->labels.value(QStringLiteral("node")), QStringLiteral("fixture1"));
    QCOMPARE(fixture->scrapePool, QStringLiteral("fixture"));
    QCOMPARE(fixture->scrapeInterval, QStringLiteral("1s"));
    QCOMPARE(fixture->discoveredLabels.value(QStringLiteral("__address__")), fixture->instance());
    QVERIFY(fixture->lastScrape.isValid());
    QVERIFY(fixture->lastError.isEmpty());
    QCOMPARE(dead->job(), QStringLiteral("dead"));
    QCOMPARE(dead->health, QStringLiteral("down"));
    QVERIFY2(dead->lastError.contains(QLatin1String("connection refused")), qPrintable(dead->lastError));
}

void TestPrometheusClient::worksWithAndWithoutTrailingSlash()
{
    QUrl slash = m_server;
    slash.setPath(m_server.path() + QLatin1Char('/'));
    const Result<PromQueryResult> r = query(QStringLiteral("vector(1)"), slash);
    QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
    QCOMPARE(r->series.size(), 1);
    QCOMPARE(r->series.first().points.first().value, 1.0);
}

void TestPrometheusClient::badPromqlGivesPrometheusError()
{
    const Result<PromQueryResult> r = query(QStringLiteral("sum(up"));
    QVERIFY(!r.ok());
    const QString message = r.error().message;
    QVERIFY2(message.startsWith(QLatin1String("HTTP 400: bad_data: ")), qPrintable(message));
    QVERIFY2(message.contains(QLatin1String("parse error")), qPrintable(message));
    QVERIFY2(message.contains(QRegularExpression(QStringLiteral(R"(\d+:\d+)"))),
             qPrintable(message)); // line:column
    QCOMPARE(r.error().where, m_server.toString() + QStringLiteral("/api/v1/query"));
}

void TestPrometheusClient::executionErrorGives422()
{
    // Every series gets the same labels: Prometheus refuses the vector while evaluating, not while parsing.
    const Result<PromQueryResult> r =
        query(QStringLiteral(R"(label_replace(fixture_special, "kind", "same", "", ""))"));
    QVERIFY(!r.ok());
    QVERIFY2(r.error().message.startsWith(QLatin1String("HTTP 422: execution: ")),
             qPrintable(r.error().message));
    QVERIFY2(r.error().message.contains(QLatin1String("same labelset")), qPrintable(r.error().message));
}

void TestPrometheusClient::tooManyPointsIsRejectedByTheServer()
{
    PrometheusClient client(m_server);
    const QDateTime end = QDateTime::currentDateTimeUtc();
    std::optional<Result<PromQueryResult>> outcome;
    client.queryRange(QStringLiteral("up"), end.addSecs(-3600), end,
                      100, // 36,000 points > Prometheus' 11,000
                      [&outcome](Result<PromQueryResult> result) { outcome = std::move(result); });
    QTRY_VERIFY_WITH_TIMEOUT(outcome.has_value(), 15000);
    QVERIFY(!outcome->ok());
    QVERIFY2(outcome->error().message.startsWith(QLatin1String("HTTP 400: bad_data: ")),
             qPrintable(outcome->error().message));
    QVERIFY2(outcome->error().message.contains(QLatin1String("11,000")),
             qPrintable(outcome->error().message));
}

void TestPrometheusClient::invalidRangeIsRejectedBeforeSending()
{
    PrometheusClient client(m_server);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    std::optional<Result<PromQueryResult>> outcome;
    client.queryRange(QStringLiteral("up"), now, now.addSecs(-60), 1000,
                      [&outcome](Result<PromQueryResult> result) { outcome = std::move(result); });
    QVERIFY(!outcome.has_value()); // never synchronously, even for errors found up front
    QTRY_VERIFY(outcome.has_value());
    QVERIFY(!outcome->ok());
    QVERIFY2(outcome->error().message.contains(QLatin1String("start <= end")),
             qPrintable(outcome->error().message));
}

void TestPrometheusClient::wrongPrefixGives404NotJson()
{
    QUrl noPrefix = m_server;
    noPrefix.setPath(QString());
    const Result<PromQueryResult> r = query(QStringLiteral("up"), noPrefix);
    QVERIFY(!r.ok());
    QVERIFY2(r.error().message.startsWith(QLatin1String("HTTP 404: the answer is not Prometheus API JSON")),
             qPrintable(r.error().message));
}

void TestPrometheusClient::connectionRefusedNamesTheServer()
{
    const QUrl dead(QStringLiteral("http://127.0.96.1:%1").arg(m_deadPort));
    const Result<PromQueryResult> r = query(QStringLiteral("up"), dead);
    QVERIFY(!r.ok());
    QVERIFY2(
        r.error().message.startsWith(QStringLiteral("connection refused by 127.0.96.1:%1").arg(m_deadPort)),
        qPrintable(r.error().message));
    QCOMPARE(r.error().where, dead.toString() + QStringLiteral("/api/v1/query"));
}

void TestPrometheusClient::timeoutNamesTheServer()
{
    CannedServer silent{QByteArray()};
    QVERIFY(silent.listen(kHost, 0));
    PrometheusClient client(silent.url());
    client.setTimeoutMs(300);
    std::optional<Result<QList<PromTarget>>> outcome;
    client.targets([&outcome](Result<QList<PromTarget>> result) { outcome = std::move(result); });
    QTRY_VERIFY_WITH_TIMEOUT(outcome.has_value(), 10000);
    QVERIFY(!outcome->ok());
    QCOMPARE(
        outcome->error().message,
        QStringLiteral("no answer from 127.0.96.1:%1 within 300 ms (timed out)").arg(silent.serverPort()));
    QCOMPARE(outcome->error().where, silent.url().toString() + QStringLiteral("/api/v1/targets"));
    QCOMPARE(client.pendingCount(), 0);
}

void TestPrometheusClient::htmlPageIsNamedAsSuch_data()
{
    QTest::addColumn<QByteArray>("response");
    QTest::addColumn<QString>("expected");
    QTest::newRow("proxy 502")
        << httpResponse(502, "Bad Gateway", "text/html",
                        "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>")
        << "HTTP 502: the server answered with an HTML page (\"502 Bad Gateway\"), not Prometheus API JSON";
    QTest::newRow("login page 200")
        << httpResponse(200, "OK", "text/html; charset=utf-8",
                        "<!DOCTYPE html>\n<html><title>Sign in</title><form></form></html>")
        << "HTTP 200: the server answered with an HTML page (\"Sign in\"), not Prometheus API JSON";
    QTest::newRow("html without content type")
        << httpResponse(200, "OK", "application/octet-stream", "<html><body>hi</body></html>")
        << "HTTP 200: the server answered with an HTML page, not Prometheus API JSON";
}

void TestPrometheusClient::htmlPageIsNamedAsSuch()
{
    QFETCH(QByteArray, response);
    QFETCH(QString, expected);
    CannedServer server(response);
    QVERIFY(server.listen(kHost, 0));
    const Result<PromQueryResult> r = query(QStringLiteral("up"), server.url());
    QVERIFY(!r.ok());
    QVERIFY2(r.error().message.startsWith(expected), qPrintable(r.error().message));
}

void TestPrometheusClient::nonJsonBodies_data()
{
    QTest::addColumn<QByteArray>("response");
    QTest::addColumn<QString>("expected");
    QTest::newRow("plain text") << httpResponse(200, "OK", "text/plain", "up 1\n")
                                << "HTTP 200: the answer is not Prometheus API JSON (";
    QTest::newRow("truncated json") << httpResponse(200, "OK", "application/json",
                                                    R"({"status":"success","data":{)")
                                    << "HTTP 200: the answer is not Prometheus API JSON (";
    QTest::newRow("json array")
        << httpResponse(200, "OK", "application/json", "[1,2]")
        << "HTTP 200: the answer is not Prometheus API JSON (a JSON value that is not an object";
    QTest::newRow("other json") << httpResponse(200, "OK", "application/json", R"({"hello":"world"})")
                                << "HTTP 200: JSON without the Prometheus API's \"status\"";
    QTest::newRow("empty 503") << httpResponse(503, "Service Unavailable", "text/plain", "")
                               << "HTTP 503: empty answer";
    QTest::newRow("error json 503")
        << httpResponse(503, "Service Unavailable", "application/json",
                        R"({"status":"error","errorType":"unavailable","error":"store is starting"})")
        << "HTTP 503: unavailable: store is starting";
    QTest::newRow("bad value")
        << httpResponse(
               200, "OK", "application/json",
               R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"x"]}]}})")
        << "malformed query answer: sample value [1,\"x\"]";
    QTest::newRow("unknown type") << httpResponse(
                                         200, "OK", "application/json",
                                         R"({"status":"success","data":{"resultType":"tensor","result":[]}})")
                                  << "malformed query answer: unknown resultType \"tensor\"";
}

void TestPrometheusClient::nonJsonBodies()
{
    QFETCH(QByteArray, response);
    QFETCH(QString, expected);
    CannedServer server(response);
    QVERIFY(server.listen(kHost, 0));
    const Result<PromQueryResult> r = query(QStringLiteral("up"), server.url());
    QVERIFY(!r.ok());
    QVERIFY2(r.error().message.startsWith(expected), qPrintable(r.error().message));
}

void TestPrometheusClient::plusSignIsSentEncoded()
{
    // Against the real server: "1 + 1" would arrive as "1   1" (a parse error) if '+' were sent unencoded.
    const Result<PromQueryResult> r = query(QStringLiteral("1 + 1"));
    QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
    QCOMPARE(r->scalar.value, 2.0);

    CannedServer server(
        httpResponse(200, "OK", "application/json",
                     R"({"status":"success","data":{"resultType":"scalar","result":[1.5,"2"]}})"));
    QVERIFY(server.listen(kHost, 0));
    const Result<PromQueryResult> canned = query(QStringLiteral("a+b & c=d"), server.url());
    QVERIFY(canned.ok());
    QCOMPARE(canned->scalar.timestampMs, 1500);
    QVERIFY2(server.request().startsWith("POST /api/v1/query HTTP/1.1"), server.request().constData());
    QVERIFY2(server.request().endsWith("query=a%2Bb%20%26%20c%3Dd"), server.request().constData());
}

void TestPrometheusClient::abortedRequestNeverCallsBack()
{
    CannedServer silent{QByteArray()};
    QVERIFY(silent.listen(kHost, 0));
    PrometheusClient client(silent.url());
    client.setTimeoutMs(200);
    int calls = 0;
    const quint64 id = client.query(QStringLiteral("up"), {}, [&calls](Result<PromQueryResult>) { ++calls; });
    QCOMPARE(client.pendingCount(), 1);
    client.abort(id);
    QCOMPARE(client.pendingCount(), 0);
    // A second request, sent after the aborted one with the same timeout, times out after it would have: once
    // it has, a leftover timer of the first would have called back.
    std::optional<Result<PromQueryResult>> later;
    client.query(QStringLiteral("up"), {}, [&later](Result<PromQueryResult> r) { later = std::move(r); });
    QTRY_VERIFY(later.has_value());
    QVERIFY(!later->ok());
    QCOMPARE(calls, 0);
}

void TestPrometheusClient::destroyingTheClientWithPendingRequests()
{
    int calls = 0;
    {
        PrometheusClient client(m_server);
        client.query(QStringLiteral("up"), {}, [&calls](Result<PromQueryResult>) { ++calls; });
        client.targets([&calls](Result<QList<PromTarget>>) { ++calls; });
    }
    // The same two requests from a live client, sent after them: once both are answered, the destroyed
    // client's would have been too.
    PrometheusClient witness(m_server);
    int answered = 0;
    witness.query(QStringLiteral("up"), {}, [&answered](Result<PromQueryResult>) { ++answered; });
    witness.targets([&answered](Result<QList<PromTarget>>) { ++answered; });
    QTRY_COMPARE_WITH_TIMEOUT(answered, 2, 15000);
    QCOMPARE(calls, 0);
}

void TestPrometheusClient::blockingHelpers()
{
    const Result<QList<PromTarget>> targets = fetchPromTargetsBlocking(m_server, 5000);
    QVERIFY(targets.ok());
    QCOMPARE(targets->size(), 2);
    const Result<PromQueryResult> r =
        queryPromBlocking(m_server, QStringLiteral("fixture_temperature_celsius"), 5000);
    QVERIFY(r.ok());
    QCOMPARE(r->series.first().points.first().value, 21.5);
    const Result<PromQueryResult> refused = queryPromBlocking(
        QUrl(QStringLiteral("http://127.0.96.1:%1").arg(m_deadPort)), QStringLiteral("up"), 5000);
    QVERIFY(!refused.ok());
    const Result<PromQueryResult> notHttp =
        queryPromBlocking(QUrl(QStringLiteral("ftp://127.0.96.1/")), QStringLiteral("up"), 5000);
    QVERIFY(!notHttp.ok());
    QVERIFY2(notHttp.error().message.startsWith(QLatin1String("not an http(s) URL")),
             qPrintable(notHttp.error().message));
}

QTEST_GUILESS_MAIN(TestPrometheusClient)
#include "tst_prometheus_client.moc"
