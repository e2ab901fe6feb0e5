#include "metrics/exposition_parser.h"
#include "metrics/exposition_writer.h"

#include <QDir>
#include <QFile>
#include <QTest>
#include <cmath>
#include <memory>
#include <zlib.h>

using namespace clusterdeck;

Q_DECLARE_METATYPE(clusterdeck::ExpositionFormat)

namespace {

constexpr auto Text = ExpositionFormat::PrometheusText;
constexpr auto OM = ExpositionFormat::OpenMetrics;

QByteArray gunzip(const QByteArray &compressed)
{
    z_stream stream{};
    if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK)
        return {};
    QByteArray out;
    char buffer[1 << 16];
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(compressed.constData()));
    stream.avail_in = uInt(compressed.size());
    int status = Z_OK;
    while (status == Z_OK) {
        stream.next_out = reinterpret_cast<Bytef *>(buffer);
        stream.avail_out = sizeof buffer;
        status = inflate(&stream, Z_NO_FLUSH);
        out.append(buffer, qsizetype(sizeof buffer - stream.avail_out));
    }
    inflateEnd(&stream);
    return status == Z_STREAM_END ? out : QByteArray();
}

QByteArray readFixture(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray data = file.readAll();
    return path.endsWith(QLatin1String(".gz")) ? gunzip(data) : data;
}

std::string_view view(const QByteArray &bytes)
{
    return {bytes.constData(), std::size_t(bytes.size())};
}

QByteArray tsv(const MetricPage &page)
{
    std::string out;
    appendTsv(out, page);
    return QByteArray::fromStdString(out);
}

// Parses `input` and returns the tsv, or "ERROR line:column: message".
QByteArray parseToTsv(const QByteArray &input, ExpositionFormat format)
{
    ExpositionParser parser;
    MetricPage page;
    if (auto error = parser.parse(view(input), format, page))
        return QByteArray("ERROR ") + QByteArray::number(error->line) + ':' +
               QByteArray::number(error->column) + ": " + QByteArray::fromStdString(error->message);
    return tsv(page);
}

// The first line where two texts differ, for a readable failure instead of two whole pages.
QString firstDifference(const QByteArray &actual, const QByteArray &expected)
{
    const QList<QByteArray> a = actual.split('\n');
    const QList<QByteArray> e = expected.split('\n');
    for (qsizetype i = 0; i < std::max(a.size(), e.size()); ++i) {
        const QByteArray al = i < a.size() ? a[i] : QByteArray("<missing>");
        const QByteArray el = i < e.size() ? e[i] : QByteArray("<missing>");
        if (al != el)
            return QStringLiteral("line %1:\n  actual:   %2\n  expected: %3")
                .arg(i + 1)
                .arg(QString::fromUtf8(al), QString::fromUtf8(el));
    }
    return {};
}

} // namespace

class TestExpositionParser : public QObject {
    Q_OBJECT
private slots:
    void goldenPages_data();
    void goldenPages();
    void goldenPageFamilies();
    void openMetricsGoldenPage();
    void edgeCases_data();
    void edgeCases();
    void malformed_data();
    void malformed();
    void helpAndUnit();
    void labelLookupAndFamilies();
    void samplesNamedCoversSplitGroups();
    void sampleCap();
    void longLabelSetsAreSortedAndChecked();
    void labelCap();
    void openMetricsDuplicateSeries_data();
    void openMetricsDuplicateSeries();
    void pageOutlivesAndIgnoresParserReuse();
    void errorLeavesPageEmpty();
    void contentTypeSelectsFormat_data();
    void contentTypeSelectsFormat();
    void jsonOutput();
    void expfmtSampleCount();
};

// Real pages captured from HAProxy 2.6 (also one backend of 250 servers), Caddy 2.6, redis_exporter 1.45,
// mysqld_exporter 0.14, Prometheus 2.42, the demo WAS node and the Python client (text and OpenMetrics);
// their .tsv was written by python3-prometheus-client's parser (make_expected.py), not by ours.
void TestExpositionParser::goldenPages_data()
{
    QTest::addColumn<QString>("page");
    const QString dir = QFINDTESTDATA("../fixtures/pages");
    QVERIFY(!dir.isEmpty());
    const QStringList pages = QDir(dir).entryList(
        {QStringLiteral("*.prom"), QStringLiteral("*.om"), QStringLiteral("*.prom.gz")}, QDir::Files);
    QVERIFY(pages.size() >= 9);
    for (const QString &page : pages)
        QTest::newRow(qPrintable(page)) << dir + QLatin1Char('/') + page;
}

void TestExpositionParser::goldenPages()
{
    QFETCH(QString, page);
    const QByteArray text = readFixture(page);
    QVERIFY2(!text.isEmpty(), qPrintable(page));
    const QString base = page.endsWith(QLatin1String(".gz")) ? page.chopped(3) : page;
    const QByteArray expected =
        readFixture(base + QStringLiteral(".tsv") +
                    (page.endsWith(QLatin1String(".gz")) ? QStringLiteral(".gz") : QString()));
    QVERIFY2(!expected.isEmpty(), "expected tsv missing: run tests/fixtures/pages/make_expected.py");

    ExpositionParser parser;
    MetricPage parsed;
    const auto format = base.endsWith(QLatin1String(".om")) ? OM : Text;
    const auto error = parser.parse(view(text), format, parsed);
    QVERIFY2(!error, error ? error->toString().c_str() : "");
    const QByteArray actual = tsv(parsed);
    QVERIFY2(actual == expected, qPrintable(firstDifference(actual, expected)));

    // Every sample is reachable the ways the KPI engine looks it up, and its labels are sorted.
    for (const SampleView sample : parsed) {
        const auto family = parsed.familyOf(sample.name());
        QVERIFY2(family, sample.name().data());
        QCOMPARE(family->name, sample.family().name);
        bool found = false;
        for (const SampleView same : parsed.samplesNamed(sample.name()))
            found = found || same.index() == sample.index();
        QVERIFY(found);
        const LabelSet labels = sample.labels();
        for (std::size_t i = 1; i < labels.size(); ++i)
            QVERIFY(labels[i - 1].name < labels[i].name);
    }
}

void TestExpositionParser::goldenPageFamilies()
{
    ExpositionParser parser;
    MetricPage page;

    const QByteArray haproxy = readFixture(QFINDTESTDATA("../fixtures/pages/haproxy_2.6.prom"));
    QVERIFY(!parser.parse(view(haproxy), Text, page));
    QCOMPARE(page.size(), std::size_t(353));
    const auto responses = page.familyOf("haproxy_server_http_responses_total");
    QVERIFY(responses);
    QCOMPARE(responses->type, MetricType::Counter);
    const SampleRange perServer = page.samplesNamed("haproxy_server_http_responses_total");
    QCOMPARE(perServer.size(), std::size_t(12)); // 2 servers × 1xx..5xx + other
    double fiveXx = 0;
    for (const SampleView s : perServer) {
        QCOMPARE(s.label("proxy").value_or(""), std::string_view("app"));
        if (s.label("code") == std::string_view("5xx"))
            fiveXx += s.value();
    }
    QVERIFY(fiveXx > 0);
    const auto status = page.samplesNamed("haproxy_server_status");
    QVERIFY(!status.empty());
    QVERIFY(status[0].label("state"));

    const QByteArray caddy = readFixture(QFINDTESTDATA("../fixtures/pages/caddy_2.6.prom"));
    QVERIFY(!parser.parse(view(caddy), Text, page));
    const auto histogram = page.familyOf("caddy_http_request_duration_seconds_bucket");
    QVERIFY(histogram);
    QCOMPARE(histogram->type, MetricType::Histogram);
    QCOMPARE(histogram->name, std::string_view("caddy_http_request_duration_seconds"));
    const SampleRange buckets = page.samplesNamed("caddy_http_request_duration_seconds_bucket");
    QVERIFY(!buckets.empty());
    QCOMPARE(buckets[0].kind(), SampleKind::Bucket);
    QCOMPARE(page.samplesNamed("caddy_http_request_duration_seconds_count")[0].kind(), SampleKind::Count);

    const QByteArray prometheus = readFixture(QFINDTESTDATA("../fixtures/pages/prometheus_2.42.prom"));
    QVERIFY(!parser.parse(view(prometheus), Text, page));
    const SampleRange gc = page.samplesNamed("go_gc_duration_seconds");
    QCOMPARE(gc.size(), std::size_t(5));
    QCOMPARE(gc[0].kind(), SampleKind::Quantile);
    QCOMPARE(gc[0].family().type, MetricType::Summary);
    QCOMPARE(page.familyOf("go_gc_duration_seconds_sum")->type, MetricType::Summary);

    const QByteArray mysql = readFixture(QFINDTESTDATA("../fixtures/pages/mysqld_exporter_0.14.prom"));
    QVERIFY(!parser.parse(view(mysql), Text, page));
    // mysqld_exporter's global status series are untyped: the KPI engine treats them by name.
    QCOMPARE(page.familyOf("mysql_global_status_queries")->type, MetricType::Untyped);
    QCOMPARE(page.samplesNamed("mysql_up")[0].value(), 1.0);

    // The demo WAS node, in Micrometer's naming.
    const QByteArray was = readFixture(QFINDTESTDATA("../fixtures/pages/was_demo_micrometer.prom"));
    QVERIFY(!parser.parse(view(was), Text, page));
    QCOMPARE(page.familyOf("http_server_requests_seconds_bucket")->type, MetricType::Histogram);
    QCOMPARE(page.familyOf("http_server_requests_seconds_max")->type, MetricType::Gauge);
    double reviews = 0;
    double serverErrors = 0;
    for (const SampleView s : page.samplesNamed("http_server_requests_seconds_count")) {
        QCOMPARE(s.kind(), SampleKind::Count);
        if (s.label("uri") == std::string_view("/api/reviews")) {
            reviews += s.value();
            if (s.label("status").value_or("").starts_with('5'))
                serverErrors += s.value();
        }
    }
    QCOMPARE(reviews, 1701.0);
    QCOMPARE(serverErrors, 40.0);
    // Micrometer's timers without percentiles are summaries with only _sum and _count.
    QCOMPARE(page.familyOf("hikaricp_connections_acquire_seconds_count")->type, MetricType::Summary);
    QCOMPARE(page.samplesNamed("hikaricp_connections_active").size(), std::size_t(1));

    const QByteArray redis = readFixture(QFINDTESTDATA("../fixtures/pages/redis_exporter_1.45.prom"));
    QVERIFY(!parser.parse(view(redis), Text, page));
    QCOMPARE(page.samplesNamed("redis_up")[0].value(), 1.0);
    QCOMPARE(page.familyOf("redis_commands_processed_total")->type, MetricType::Counter);
}

// The Python client serves OpenMetrics with every family type, _created, exemplars and timestamps.
void TestExpositionParser::openMetricsGoldenPage()
{
    const QByteArray text = readFixture(QFINDTESTDATA("../fixtures/pages/python_client_0.16.om"));
    ExpositionParser parser;
    MetricPage page;
    const auto error = parser.parse(view(text), OM, page);
    QVERIFY2(!error, error ? error->toString().c_str() : "");
    QCOMPARE(page.format(), OM);

    const auto requests = page.familyOf("app_requests_total");
    QVERIFY(requests);
    QCOMPARE(requests->name, std::string_view("app_requests"));
    QCOMPARE(requests->type, MetricType::Counter);
    for (const SampleView s : page.samplesNamed("app_requests_total"))
        QCOMPARE(s.kind(), SampleKind::Total);
    QCOMPARE(page.samplesNamed("app_requests_created")[0].kind(), SampleKind::Created);
    QCOMPARE(page.familyOf("app_build_info")->type, MetricType::Info);
    QCOMPARE(page.samplesNamed("app_build_info")[0].label("note").value_or(""),
             std::string_view("ünïcödé \"q\" \\ \n"));
    QCOMPARE(page.familyOf("app_state")->type, MetricType::StateSet);
    QCOMPARE(page.samplesNamed("app_state").size(), std::size_t(3));
    QCOMPARE(page.familyOf("app_queue_wait_seconds_gsum")->type, MetricType::GaugeHistogram);
    QCOMPARE(page.samplesNamed("app_queue_wait_seconds_gcount")[0].kind(), SampleKind::GCount);
    QCOMPARE(page.familyOf("app_request_duration_seconds_bucket")->type, MetricType::Histogram);
    const SampleRange bytes = page.samplesNamed("app_bytes_total");
    QCOMPARE(bytes.size(), std::size_t(2));
    QCOMPARE(bytes[0].timestampMs(), std::optional<std::int64_t>(1795311600250));
    QVERIFY(std::isnan(page.samplesNamed("app_temperature_celsius")[0].value()));
}

void TestExpositionParser::edgeCases_data()
{
    QTest::addColumn<ExpositionFormat>("format");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("expected");

    // --- Prometheus text 0.0.4
    QTest::newRow("label escapes") << Text << QByteArray("m{a=\"x\\\\y\",b=\"q\\\"q\",c=\"l\\nl\"} 1\n")
                                   << QByteArray("m\ta=\"x\\\\y\",b=\"q\\\"q\",c=\"l\\nl\"\t1\n");
    QTest::newRow("special values")
        << Text << QByteArray("a NaN\nb +Inf\nc -Inf\nd Inf\ne inf\nf -infinity\ng nan\nh +INF\n")
        << QByteArray(
               "a\t\tNaN\nb\t\t+Inf\nc\t\t-Inf\nd\t\t+Inf\ne\t\t+Inf\nf\t\t-Inf\ng\t\tNaN\nh\t\t+Inf\n");
    QTest::newRow("number forms")
        << Text
        << QByteArray("a -0\nb +5\nc .5\nd 5.\ne 1E3\nf 1e-400\ng 0.1000000000000000055511151231257827\n"
                      "h 12345678901234567890123\ni 1.7976931348623157e308\nj 0.30000000000000004\nk 1e6\n")
        << QByteArray(
               "a\t\t-0\nb\t\t5\nc\t\t0.5\nd\t\t5\ne\t\t1000\nf\t\t0\ng\t\t0.1\nh\t\t1.2345678901234568e+22\n"
               "i\t\t1.7976931348623157e+308\nj\t\t0.30000000000000004\nk\t\t1e+06\n");
    QTest::newRow("timestamps in ms")
        << Text << QByteArray("m 1 1700000000123\nm2{a=\"b\"} 2 -5\nm3 3 +7\n")
        << QByteArray("m\t\t1\t1700000000123\nm2\ta=\"b\"\t2\t-5\nm3\t\t3\t7\n");
    QTest::newRow("CRLF") << Text
                          << QByteArray("# HELP m x\r\n# TYPE m gauge\r\nm{a=\"b\"} 3\r\n\r\nn 4 5\r\n")
                          << QByteArray("m\ta=\"b\"\t3\nn\t\t4\t5\n");
    QTest::newRow("comments, blanks, indentation")
        << Text
        << QByteArray("\n# just a comment\n#\n# HELP\n# TYPE\n#HELP m spaced out\n  \t m 1\n\n   \n# other\n")
        << QByteArray("m\t\t1\n");
    QTest::newRow("blanks after the last line") << Text << QByteArray("m 1\n   ") << QByteArray("m\t\t1\n");
    QTest::newRow("labels sorted by name") << Text << QByteArray("m{z=\"1\",a=\"2\",m=\"3\"} 1\n")
                                           << QByteArray("m\ta=\"2\",m=\"3\",z=\"1\"\t1\n");
    QTest::newRow("blanks in labels, trailing comma")
        << Text << QByteArray("m { a = \"1\" ,\tb=\"2\", } 1\n") << QByteArray("m\ta=\"1\",b=\"2\"\t1\n");
    QTest::newRow("empty label set and value")
        << Text << QByteArray("m{} 1\nn{a=\"\"} 2\n") << QByteArray("m\t\t1\nn\ta=\"\"\t2\n");
    QTest::newRow("UTF-8 label value")
        << Text << QByteArray("m{a=\"ünï 東京\"} 1\n") << QByteArray("m\ta=\"ünï 東京\"\t1\n");
    QTest::newRow("histogram and summary")
        << Text
        << QByteArray(
               "# TYPE h histogram\nh_bucket{le=\"0.1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_sum 0.3\nh_count 2\n"
               "# TYPE s summary\ns{quantile=\"0.5\"} 0.2\ns_sum 1\ns_count 4\n")
        << QByteArray("h_bucket\tle=\"0.1\"\t1\nh_bucket\tle=\"+Inf\"\t2\nh_sum\t\t0.3\nh_count\t\t2\n"
                      "s\tquantile=\"0.5\"\t0.2\ns_sum\t\t1\ns_count\t\t4\n");
    QTest::newRow("empty page") << Text << QByteArray() << QByteArray();
    QTest::newRow("only metadata") << Text << QByteArray("# HELP m x\n# TYPE m gauge\n") << QByteArray();
    QTest::newRow("typed name with another name's samples")
        << Text << QByteArray("# TYPE m counter\nm_total 1\nm 2\n") << QByteArray("m_total\t\t1\nm\t\t2\n");

    // --- OpenMetrics 1.0
    QTest::newRow("om counter, _created, EOF")
        << OM
        << QByteArray(
               "# TYPE c counter\n# HELP c Requests.\nc_total{a=\"b\"} 1\nc_created{a=\"b\"} 1.7e9\n# EOF\n")
        << QByteArray("c_total\ta=\"b\"\t1\nc_created\ta=\"b\"\t1.7e+09\n");
    QTest::newRow("om exemplars skipped")
        << OM
        << QByteArray("# TYPE c counter\nc_total 5 # {trace_id=\"a\\\"b\"} 1 1700000000.5\n"
                      "# TYPE h histogram\nh_bucket{le=\"1\"} 2 # {t=\"x\"} 0.5\nh_bucket{le=\"+Inf\"} 3\n"
                      "h_count 3\nh_sum 2.5\n# EOF\n")
        << QByteArray(
               "c_total\t\t5\nh_bucket\tle=\"1\"\t2\nh_bucket\tle=\"+Inf\"\t3\nh_count\t\t3\nh_sum\t\t2.5\n");
    QTest::newRow("om timestamps are seconds")
        << OM
        << QByteArray("a 1 1700000000.5\nb 2 1700000000\nc 3 1.7e9\nd 4 -1.5\ne 5 1700000000.123999\n# EOF\n")
        << QByteArray("a\t\t1\t1700000000500\nb\t\t2\t1700000000000\nc\t\t3\t1700000000000\nd\t\t4\t-1500\n"
                      "e\t\t5\t1700000000123\n");
    QTest::newRow("om timestamp and exemplar")
        << OM << QByteArray("# TYPE c counter\nc_total 5 123 # {a=\"b\"} 1\n# EOF\n")
        << QByteArray("c_total\t\t5\t123000\n");
    QTest::newRow("om EOF without newline") << OM << QByteArray("m 1\n# EOF") << QByteArray("m\t\t1\n");
    QTest::newRow("om empty page") << OM << QByteArray("# EOF\n") << QByteArray();
    QTest::newRow("om stateset, info, gaugehistogram, unit")
        << OM
        << QByteArray("# TYPE s stateset\ns{s=\"a\"} 1\ns{s=\"b\"} 0\n# TYPE i info\ni_info{v=\"1\"} 1\n"
                      "# TYPE g gaugehistogram\n# UNIT g \ng_bucket{le=\"+Inf\"} 3\ng_gcount 3\ng_gsum 1\n"
                      "# TYPE t_seconds gauge\n# UNIT t_seconds seconds\nt_seconds 2\n# TYPE u unknown\nu "
                      "1\n# EOF\n")
        << QByteArray(
               "s\ts=\"a\"\t1\ns\ts=\"b\"\t0\ni_info\tv=\"1\"\t1\ng_bucket\tle=\"+Inf\"\t3\ng_gcount\t\t3\n"
               "g_gsum\t\t1\nt_seconds\t\t2\nu\t\t1\n");
    QTest::newRow("om CRLF") << OM << QByteArray("# TYPE g gauge\r\ng 1\r\n# EOF\r\n")
                             << QByteArray("g\t\t1\n");
    QTest::newRow("om summary") << OM
                                << QByteArray("# TYPE s summary\ns{quantile=\"0.9\"} 3\ns_sum 10\ns_count 4\n"
                                              "s_created 1\n# EOF\n")
                                << QByteArray(
                                       "s\tquantile=\"0.9\"\t3\ns_sum\t\t10\ns_count\t\t4\ns_created\t\t1\n");
}

void TestExpositionParser::edgeCases()
{
    QFETCH(ExpositionFormat, format);
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, expected);
    const QByteArray actual = parseToTsv(input, format);
    QCOMPARE(actual, expected);
}

void TestExpositionParser::malformed_data()
{
    QTest::addColumn<ExpositionFormat>("format");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::addColumn<QByteArray>("reason");

    // --- Prometheus text 0.0.4
    QTest::newRow("missing comma") << Text << QByteArray("m{a=\"b\" b=\"c\"} 1\n") << 1 << 9
                                   << QByteArray("expected ',' or '}' after label value, found 'b'");
    QTest::newRow("missing =") << Text << QByteArray("ok 1\nm{a \"b\"} 1\n") << 2 << 5
                               << QByteArray("expected '=' after label name, found '\"'");
    QTest::newRow("unquoted value") << Text << QByteArray("m{a=b} 1\n") << 1 << 5
                                    << QByteArray("expected '\"' at start of label value, found 'b'");
    QTest::newRow("unterminated value")
        << Text << QByteArray("m{a=\"b} 1\nn 2\n") << 1 << 10 << QByteArray("unescaped new-line");
    QTest::newRow("bad escape") << Text << QByteArray("m{a=\"x\\ty\"} 1\n") << 1 << 7
                                << QByteArray("invalid escape sequence \"\\\\t\"");
    QTest::newRow("value not a number")
        << Text << QByteArray("m abc\n") << 1 << 3 << QByteArray("expected float as value, got \"abc\"");
    QTest::newRow("signed NaN") << Text << QByteArray("m +NaN\n") << 1 << 3
                                << QByteArray("expected float as value");
    QTest::newRow("hex float") << Text << QByteArray("m 0x1p3\n") << 1 << 3
                               << QByteArray("expected float as value");
    QTest::newRow("value overflows") << Text << QByteArray("m 1e400\n") << 1 << 3
                                     << QByteArray("expected float as value");
    QTest::newRow("no value") << Text << QByteArray("m{a=\"b\"}\n") << 1 << 9
                              << QByteArray("expected a value");
    QTest::newRow("no value after name")
        << Text << QByteArray("m\n") << 1 << 2 << QByteArray("expected a value after the metric name");
    QTest::newRow("float timestamp") << Text << QByteArray("m 1 1.5\n") << 1 << 5
                                     << QByteArray(
                                            "expected integer as timestamp (milliseconds), got \"1.5\"");
    QTest::newRow("timestamp overflows") << Text << QByteArray("m 1 9223372036854775808\n") << 1 << 5
                                         << QByteArray("expected integer as timestamp");
    QTest::newRow("spurious after timestamp")
        << Text << QByteArray("m 1 2 3\n") << 1 << 7 << QByteArray("spurious string after timestamp: \"3\"");
    QTest::newRow("no final newline")
        << Text << QByteArray("m 1\nn 2") << 2 << 4 << QByteArray("the last line has no newline");
    QTest::newRow("duplicate label") << Text << QByteArray("m{a=\"1\",b=\"2\",a=\"3\"} 1\n") << 1 << 15
                                     << QByteArray("duplicate label name \"a\"");
    QTest::newRow("duplicate label, sorted")
        << Text << QByteArray("m{a=\"1\",a=\"2\"} 1\n") << 1 << 9 << QByteArray("duplicate label name \"a\"");
    QTest::newRow("second TYPE") << Text << QByteArray("# TYPE m gauge\n# TYPE m counter\n") << 2 << 3
                                 << QByteArray("second TYPE line for metric name \"m\"");
    QTest::newRow("TYPE after samples")
        << Text << QByteArray("m 1\n# TYPE m gauge\n") << 2 << 3 << QByteArray("after its samples");
    QTest::newRow("second HELP") << Text << QByteArray("# HELP m a\n# HELP m b\n") << 2 << 3
                                 << QByteArray("second HELP line");
    QTest::newRow("unknown type") << Text << QByteArray("# TYPE m gaug\n") << 1 << 10
                                  << QByteArray("unknown metric type \"gaug\"");
    QTest::newRow("bad HELP escape") << Text << QByteArray("# HELP m a \\t b\n") << 1 << 12
                                     << QByteArray("invalid escape sequence");
    QTest::newRow("bucket without le") << Text << QByteArray("# TYPE h histogram\nh_bucket{a=\"b\"} 1\n") << 2
                                       << 1 << QByteArray("histogram bucket \"h_bucket\" has no 'le' label");
    QTest::newRow("le not a number") << Text
                                     << QByteArray("# TYPE h histogram\nh_bucket{a=\"x\",le=\"y\"} 1\n") << 2
                                     << 16 << QByteArray("expected float as value for 'le' label, got \"y\"");
    QTest::newRow("quantile missing")
        << Text << QByteArray("# TYPE s summary\ns 1\n") << 2 << 1 << QByteArray("has no 'quantile' label");
    QTest::newRow("histogram without suffix") << Text << QByteArray("# TYPE h histogram\nh 1\n") << 2 << 1
                                              << QByteArray("needs a _bucket, _sum or _count suffix");
    QTest::newRow("name starts with digit")
        << Text << QByteArray("1m 1\n") << 1 << 1 << QByteArray("expected a metric name, found '1'");
    QTest::newRow("bad character in name")
        << Text << QByteArray("m-x 1\n") << 1 << 2 << QByteArray("unexpected '-' after the metric name");
    QTest::newRow("reserved label") << Text << QByteArray("m{__name__=\"x\"} 1\n") << 1 << 3
                                    << QByteArray("reserved");
    QTest::newRow("bad label name") << Text << QByteArray("m{1a=\"x\"} 1\n") << 1 << 3
                                    << QByteArray("invalid label name: unexpected '1'");
    QTest::newRow("unclosed label set")
        << Text << QByteArray("m{a=\"1\"\n") << 1 << 8
        << QByteArray("expected ',' or '}' after label value, found end of line");
    QTest::newRow("invalid UTF-8") << Text << QByteArray("m{a=\"\xff\"} 1\n") << 1 << 6
                                   << QByteArray("not valid UTF-8");
    QTest::newRow("error on line 7")
        << Text
        << QByteArray(
               "# HELP m x\n# TYPE m gauge\nm{a=\"1\"} 1\n\nm{a=\"2\"} 2\n# c\nm{a=\"3\",bbbbbb \"4\"} 3\n")
        << 7 << 16 << QByteArray("expected '=' after label name, found '\"'");
    QTest::newRow("NUL byte") << Text << QByteArray("m 1\0\n", 5) << 1 << 4 << QByteArray("byte 0x00");

    // --- OpenMetrics 1.0
    QTest::newRow("om missing EOF") << OM << QByteArray("m 1\n") << 2 << 1 << QByteArray("missing '# EOF'");
    QTest::newRow("om truncated line")
        << OM << QByteArray("m 1\nm 2") << 2 << 4 << QByteArray("unexpected end of input");
    QTest::newRow("om content after EOF")
        << OM << QByteArray("# EOF\nm 1\n") << 2 << 1 << QByteArray("unexpected content after # EOF");
    QTest::newRow("om blank line") << OM << QByteArray("m 1\n\n# EOF\n") << 2 << 1
                                   << QByteArray("blank line");
    QTest::newRow("om comment") << OM << QByteArray("# hello\n# EOF\n") << 1 << 3
                                << QByteArray("unknown metadata line");
    QTest::newRow("om double space") << OM << QByteArray("m  1\n# EOF\n") << 1 << 3
                                     << QByteArray("expected a value, found ' '");
    QTest::newRow("om blank in labels") << OM << QByteArray("m{a=\"1\", b=\"2\"} 1\n# EOF\n") << 1 << 9
                                        << QByteArray("expected a label name, found ' '");
    QTest::newRow("om trailing comma") << OM << QByteArray("m{a=\"1\",} 1\n# EOF\n") << 1 << 9
                                       << QByteArray("expected a label name, found '}'");
    QTest::newRow("om counter without _total") << OM << QByteArray("# TYPE c counter\nc 1\n# EOF\n") << 2 << 1
                                               << QByteArray("does not fit counter family \"c\"");
    QTest::newRow("om interleaved families")
        << OM << QByteArray("# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\na 2\n# EOF\n") << 5 << 1
        << QByteArray("samples of metric family \"a\" (first seen on line 1) appear again");
    QTest::newRow("om metadata after samples")
        << OM << QByteArray("# TYPE a gauge\na 1\n# HELP a x\n# EOF\n") << 3 << 3
        << QByteArray("HELP line for \"a\" after its samples");
    QTest::newRow("om duplicate family")
        << OM << QByteArray("# TYPE a gauge\n# TYPE b gauge\n# TYPE a gauge\n# EOF\n") << 3 << 8
        << QByteArray("clashes with family \"a\" from line 1");
    QTest::newRow("om exemplar on gauge") << OM << QByteArray("# TYPE g gauge\ng 1 # {a=\"b\"} 1\n# EOF\n")
                                          << 2 << 5 << QByteArray("exemplars are only allowed");
    QTest::newRow("om exemplar without value")
        << OM << QByteArray("# TYPE c counter\nc_total 1 # {a=\"b\"}\n# EOF\n") << 2 << 20
        << QByteArray("expected ' ' and the exemplar value, found end of line");
    QTest::newRow("om exemplar too long")
        << OM << QByteArray("# TYPE c counter\nc_total 1 # {a=\"" + QByteArray(128, 'x') + "\"} 1\n# EOF\n")
        << 2 << 13 << QByteArray("longer than 128 characters");
    QTest::newRow("om untyped is not a type") << OM << QByteArray("# TYPE a untyped\n# EOF\n") << 1 << 10
                                              << QByteArray("unknown metric type \"untyped\"");
    QTest::newRow("om unit mismatch") << OM << QByteArray("# UNIT m_seconds bytes\n# EOF\n") << 1 << 18
                                      << QByteArray("does not match metric name");
    QTest::newRow("om le NaN") << OM << QByteArray("# TYPE h histogram\nh_bucket{le=\"NaN\"} 1\n# EOF\n") << 2
                               << 10 << QByteArray("'le' label must not be NaN");
    QTest::newRow("om quantile out of range")
        << OM << QByteArray("# TYPE s summary\ns{quantile=\"1.5\"} 1\n# EOF\n") << 2 << 3
        << QByteArray("between 0 and 1");
    QTest::newRow("om bad timestamp") << OM << QByteArray("m 1 1.2.3\n# EOF\n") << 1 << 5
                                      << QByteArray("expected timestamp (seconds), got \"1.2.3\"");
    QTest::newRow("om stateset without its label")
        << OM << QByteArray("# TYPE s stateset\ns{x=\"a\"} 1\n# EOF\n") << 2 << 1
        << QByteArray("no label named after its family");
    QTest::newRow("om quote escape in HELP is fine, \\t is not")
        << OM << QByteArray("# HELP m a \\\" b \\t\n# EOF\n") << 1 << 17
        << QByteArray("invalid escape sequence");
}

void TestExpositionParser::malformed()
{
    QFETCH(ExpositionFormat, format);
    QFETCH(QByteArray, input);
    QFETCH(int, line);
    QFETCH(int, column);
    QFETCH(QByteArray, reason);

    ExpositionParser parser;
    MetricPage page;
    const auto error = parser.parse(view(input), format, page);
    QVERIFY2(error, "parsed without an error");
    QVERIFY2(error->message.find(reason.toStdString()) != std::string::npos, error->message.c_str());
    QCOMPARE(int(error->line), line);
    QCOMPARE(int(error->column), column);
    QVERIFY(page.empty());
    QCOMPARE(error->toString(),
             "line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + error->message);
}

void TestExpositionParser::helpAndUnit()
{
    ExpositionParser parser;
    MetricPage page;
    QVERIFY(!parser.parse("# HELP m a \\\\ b\\nc\n# TYPE m gauge\nm 1\n# HELP n plain text  \nn 2\n", Text,
                          page));
    QCOMPARE(page.familyOf("m")->help, std::string_view("a \\ b\nc"));
    QCOMPARE(page.familyOf("m")->type, MetricType::Gauge);
    QCOMPARE(page.familyOf("n")->help, std::string_view("plain text  "));
    QCOMPARE(page.familyOf("n")->type, MetricType::Untyped);

    QVERIFY(
        !parser.parse("# TYPE t_seconds gauge\n# UNIT t_seconds seconds\n# HELP t_seconds say \\\"hi\\\"\n"
                      "t_seconds 1\n# EOF\n",
                      OM, page));
    QCOMPARE(page.familyOf("t_seconds")->unit, std::string_view("seconds"));
    QCOMPARE(page.familyOf("t_seconds")->help, std::string_view("say \"hi\""));
}

void TestExpositionParser::labelLookupAndFamilies()
{
    ExpositionParser parser;
    MetricPage page;
    QVERIFY(!parser.parse(
        "# TYPE h histogram\nh_bucket{le=\"0.5\",code=\"200\",z=\"\\\"\"} 3\nh_sum{code=\"200\"} 1\n"
        "h_count{code=\"200\"} 3\nplain 7\n",
        Text, page));
    QCOMPARE(page.size(), std::size_t(4));
    const SampleView bucket = page[0];
    QCOMPARE(bucket.name(), std::string_view("h_bucket"));
    QCOMPARE(bucket.labels().size(), std::size_t(3));
    QCOMPARE(bucket.labels()[0].name, std::string_view("code"));
    QCOMPARE(bucket.label("le"), std::optional<std::string_view>("0.5"));
    QCOMPARE(bucket.label("z"), std::optional<std::string_view>("\""));
    QVERIFY(!bucket.label("nope"));
    QCOMPARE(bucket.kind(), SampleKind::Bucket);
    QCOMPARE(bucket.family().name, std::string_view("h"));
    QCOMPARE(page[1].kind(), SampleKind::Sum);
    QCOMPARE(page[2].kind(), SampleKind::Count);
    QCOMPARE(page[3].family().type, MetricType::Untyped);
    QCOMPARE(page.familyOf("h_sum")->name, std::string_view("h"));
    QVERIFY(!page.familyOf("h_total"));
    QVERIFY(!page.familyOf("missing"));
    QCOMPARE(page.familyCount(), std::size_t(2));
    QVERIFY(!(page[1].labels() == page[0].labels()));
    QVERIFY(page[1].labels() == page[2].labels());
}

// The text format does not forbid splitting a name's lines; samplesNamed still finds all, in order.
void TestExpositionParser::samplesNamedCoversSplitGroups()
{
    ExpositionParser parser;
    MetricPage page;
    QVERIFY(!parser.parse("a{i=\"1\"} 1\nb 2\na{i=\"2\"} 3\nc 4\na{i=\"3\"} 5\n", Text, page));
    const SampleRange as = page.samplesNamed("a");
    QCOMPARE(as.size(), std::size_t(3));
    QCOMPARE(as[0].value(), 1.0);
    QCOMPARE(as[1].value(), 3.0);
    QCOMPARE(as[2].value(), 5.0);
    QCOMPARE(page.samplesNamed("c").size(), std::size_t(1));
    QVERIFY(page.samplesNamed("d").empty());
    QVERIFY(page.samplesNamed("").empty());
    QCOMPARE(page.familyCount(), std::size_t(3)); // a is one family

    // Two families may claim one series name in the text format (found by the fuzzer): gauge h_count, then
    // the summary h's h_count. samplesNamed() returns both.
    QVERIFY(
        !parser.parse("# TYPE h_count gauge\nh_count 5\n# TYPE h summary\nh_count 3\nh_sum 1\n", Text, page));
    QCOMPARE(page[0].family().name, std::string_view("h_count"));
    QCOMPARE(page[1].family().name, std::string_view("h"));
    QCOMPARE(page[1].kind(), SampleKind::Count);
    const SampleRange counts = page.samplesNamed("h_count");
    QCOMPARE(counts.size(), std::size_t(2));
    QCOMPARE(counts[0].value(), 5.0);
    QCOMPARE(counts[1].value(), 3.0);
    QCOMPARE(page.samplesNamed("h_sum").size(), std::size_t(1));
}

void TestExpositionParser::sampleCap()
{
    ExpositionParser parser;
    MetricPage page;
    parser.setMaxSamples(2);
    QVERIFY(!parser.parse("a 1\nb 2\n", Text, page));
    const auto error = parser.parse("a 1\nb 2\nc 3\n", Text, page);
    QVERIFY(error);
    QCOMPARE(error->line, 3u);
    QVERIFY(error->message.find("more than 2 samples") != std::string::npos);
    QVERIFY(page.empty());
}

// Issue 7: one line of 1M labels hung the parser (insertion sort). 200k labels in reverse order took minutes
// that way; sorted in O(n log n) they take a fraction of a second, so this test is bounded by ctest's
// timeout.
void TestExpositionParser::longLabelSetsAreSortedAndChecked()
{
    const int n = 200000;
    QByteArray line = "wide{";
    for (int i = n - 1; i >= 0; --i)
        line += "l" + QByteArray::number(i).rightJustified(6, '0') + "=\"" + QByteArray::number(i) + "\"" +
                (i ? "," : "");
    line += "} 1\n";
    ExpositionParser parser;
    MetricPage page;
    const auto error = parser.parse(view(line), Text, page);
    QVERIFY2(!error, error ? error->toString().c_str() : "");
    QCOMPARE(page.size(), std::size_t(1));
    std::string previous;
    int count = 0;
    for (const LabelView label : page[0].labels()) {
        QVERIFY(previous < std::string(label.name));
        previous = std::string(label.name);
        ++count;
    }
    QCOMPARE(count, n);
    QCOMPARE(page[0].label("l000007").value_or(""), std::string_view("7"));

    // A duplicate far apart in a long set is still found, at the later of the two.
    QByteArray duplicate = "wide{";
    for (int i = 0; i < 1000; ++i)
        duplicate += "l" + QByteArray::number(i) + "=\"x\",";
    duplicate += "l3=\"again\"} 1\n";
    const auto dupError = parser.parse(view(duplicate), Text, page);
    QVERIFY(dupError);
    QCOMPARE(dupError->message, std::string("duplicate label name \"l3\""));
    QCOMPARE(dupError->column, unsigned(duplicate.lastIndexOf("l3=") + 1));
}

void TestExpositionParser::labelCap()
{
    ExpositionParser parser;
    parser.setMaxLabelsPerSeries(3);
    MetricPage page;
    QVERIFY(!parser.parse("a{x=\"1\",y=\"2\",z=\"3\"} 1\n", Text, page));
    for (const ExpositionFormat format : {Text, OM}) {
        const auto error = parser.parse("a{w=\"0\",x=\"1\",y=\"2\",z=\"3\"} 1\n# EOF\n", format, page);
        QVERIFY(error);
        QCOMPARE(
            error->toString(),
            std::string(
                "line 1, column 21: more than 3 labels on one series: the series exceeds the label cap"));
        QVERIFY(page.empty());
    }
}

void TestExpositionParser::openMetricsDuplicateSeries_data()
{
    QTest::addColumn<QByteArray>("page");
    QTest::addColumn<QString>("error"); // empty: accepted

    QTest::newRow("same labels twice")
        << QByteArray("# TYPE a gauge\na{x=\"1\"} 1\na{x=\"1\"} 2\n# EOF\n")
        << "line 3, column 1: duplicate series: \"a\" with the same labels as on line 2";
    QTest::newRow("label order does not matter")
        << QByteArray("# TYPE a gauge\na{x=\"1\",y=\"2\"} 1\na{y=\"2\",x=\"1\"} 2\n# EOF\n")
        << "line 3, column 1: duplicate series: \"a\" with the same labels as on line 2";
    QTest::newRow("no labels twice")
        << QByteArray("# TYPE a gauge\na 1\na 2\n# EOF\n")
        << "line 3, column 1: duplicate series: \"a\" with the same labels as on line 2";
    QTest::newRow("escaped values compare decoded")
        << QByteArray("# TYPE a gauge\na{x=\"\\n\"} 1\na{x=\"\\n\"} 2\n# EOF\n")
        << "line 3, column 1: duplicate series: \"a\" with the same labels as on line 2";
    QTest::newRow("different values")
        << QByteArray("# TYPE a gauge\na{x=\"1\"} 1\na{x=\"2\"} 2\n# EOF\n") << QString();
    QTest::newRow("counter total and created")
        << QByteArray("# TYPE c counter\nc_total 1\nc_created 2\n# EOF\n") << QString();
}

void TestExpositionParser::openMetricsDuplicateSeries()
{
    QFETCH(QByteArray, page);
    QFETCH(QString, error);
    ExpositionParser parser;
    MetricPage parsed;
    const auto result = parser.parse(view(page), OM, parsed);
    if (error.isEmpty()) {
        QVERIFY2(!result, result ? result->toString().c_str() : "");
    } else {
        QVERIFY(result);
        QCOMPARE(QString::fromStdString(result->toString()), error);
        QVERIFY(parsed.empty());
    }
}

void TestExpositionParser::pageOutlivesAndIgnoresParserReuse()
{
    MetricPage first;
    {
        ExpositionParser parser;
        QVERIFY(!parser.parse("x{a=\"esc\\\\aped\"} 1\n", Text, first));
        MetricPage second;
        QVERIFY(!parser.parse("y{b=\"other\"} 2\nz 3\n", Text, second));
        QCOMPARE(second.size(), std::size_t(2));
    } // parser gone
    QCOMPARE(first.size(), std::size_t(1));
    QCOMPARE(first[0].label("a"), std::optional<std::string_view>("esc\\aped"));
    const MetricPage copy = first;
    first.clear();
    QCOMPARE(copy[0].name(), std::string_view("x"));
    QCOMPARE(copy[0].label("a"), std::optional<std::string_view>("esc\\aped"));
    const auto shared = std::make_shared<const MetricPage>(copy);
    QCOMPARE(shared->samplesNamed("x").size(), std::size_t(1));
}

void TestExpositionParser::errorLeavesPageEmpty()
{
    ExpositionParser parser;
    MetricPage page;
    QVERIFY(!parser.parse("a 1\nb 2\n", Text, page));
    QCOMPARE(page.size(), std::size_t(2));
    QVERIFY(parser.parse("a 1\nb 2\nc oops\n", Text, page));
    QVERIFY(page.empty());
    QCOMPARE(page.familyCount(), std::size_t(0));
    QVERIFY(!page.familyOf("a"));
    QVERIFY(page.samplesNamed("a").empty());
    // ...and the same parser and page work again afterwards.
    QVERIFY(!parser.parse("c 3\n", Text, page));
    QCOMPARE(tsv(page), QByteArray("c\t\t3\n"));
}

void TestExpositionParser::contentTypeSelectsFormat_data()
{
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<ExpositionFormat>("format");
    QTest::newRow("om") << QByteArray("application/openmetrics-text; version=1.0.0; charset=utf-8") << OM;
    QTest::newRow("om, python client")
        << QByteArray("application/openmetrics-text; version=0.0.1; charset=utf-8") << OM;
    QTest::newRow("om, case") << QByteArray("Application/OpenMetrics-Text") << OM;
    QTest::newRow("text") << QByteArray("text/plain; version=0.0.4; charset=utf-8") << Text;
    QTest::newRow("none") << QByteArray() << Text;
    QTest::newRow("other") << QByteArray("application/octet-stream") << Text;
}

void TestExpositionParser::contentTypeSelectsFormat()
{
    QFETCH(QByteArray, contentType);
    QFETCH(ExpositionFormat, format);
    QCOMPARE(expositionFormatForContentType(view(contentType)), format);
}

void TestExpositionParser::jsonOutput()
{
    ExpositionParser parser;
    MetricPage page;
    QVERIFY(!parser.parse("m{b=\"q\\\"\\n\",a=\"\xc3\xbc\"} 1.5 1700000000000\nn NaN\no -Inf\n", Text, page));
    std::string json;
    appendJson(json, page);
    QCOMPARE(
        QByteArray::fromStdString(json),
        QByteArray("[\n{\"name\":\"m\",\"labels\":{\"a\":\"\xc3\xbc\",\"b\":\"q\\\"\\n\"},\"value\":1.5,"
                   "\"timestamp_ms\":1700000000000},\n{\"name\":\"n\",\"labels\":{},\"value\":\"NaN\"},\n"
                   "{\"name\":\"o\",\"labels\":{},\"value\":\"-Inf\"}\n]\n"));
    MetricPage empty;
    QVERIFY(!parser.parse("", Text, empty));
    json.clear();
    appendJson(json, empty);
    QCOMPARE(json, std::string("[]\n"));
}

// Counted like tests/bench/expfmt_bench.go: a histogram or summary series is its buckets/quantiles + 2.
void TestExpositionParser::expfmtSampleCount()
{
    ExpositionParser parser;
    MetricPage page;
    QVERIFY(
        !parser.parse("# TYPE h histogram\nh_bucket{a=\"1\",le=\"1\"} 1\nh_bucket{a=\"1\",le=\"+Inf\"} 1\n"
                      "h_sum{a=\"1\"} 1\nh_count{a=\"1\"} 1\nh_bucket{a=\"2\",le=\"+Inf\"} 1\n"
                      "# TYPE s summary\ns{quantile=\"0.5\"} 1\ng 1\ng 2\n",
                      Text, page));
    // a="1": 2 buckets + 2; a="2": 1 bucket + 2 (expfmt counts _sum/_count even when absent); s: 1 + 2; g: 2
    QCOMPARE(clusterdeck::expfmtSampleCount(page), std::size_t(12));
}

QTEST_GUILESS_MAIN(TestExpositionParser)
#include "tst_exposition_parser.moc"
