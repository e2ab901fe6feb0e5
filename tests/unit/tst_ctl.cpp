// clusterdeckctl as a script sees it: the built binary run with QProcess. Every command parses its arguments
// with QCommandLineParser (usage errors exit 2, --help per command), --verbose turns on the clusterdeck.*
// debug output, and `parse --format json` writes JSON that reads back to the same samples as the tsv.

#include "drain_json.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>

namespace {

struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run ctl(const QStringList &args, const QByteArray &input = {}, const QProcessEnvironment &env = {})
{
    QProcess process;
    QProcessEnvironment environment = env.isEmpty() ? QProcessEnvironment::systemEnvironment() : env;
    environment.remove(QStringLiteral("QT_LOGGING_RULES")); // the test decides what is logged
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(CLUSTERDECKCTL_PATH), args);
    if (!process.waitForStarted())
        return {};
    process.write(input);
    process.closeWriteChannel();
    if (!process.waitForFinished(60'000))
        return {};
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            process.readAllStandardOutput(), process.readAllStandardError()};
}

QString fixture(const char *relative)
{
    return QStringLiteral(CLUSTERDECK_SOURCE_DIR "/") + QLatin1String(relative);
}

} // namespace

class TestCtl : public QObject {
    Q_OBJECT
private slots:
    void usageErrors_data();
    void usageErrors();
    void helpPerCommand_data();
    void helpPerCommand();
    void verboseTurnsOnDebugOutput_data();
    void verboseTurnsOnDebugOutput();
    void jsonMatchesTsv();
    void jsonSaysWhatNumbersCannot();
    void historyOfABenchFile();
    void configPrintsTheEditedFile_data();
    void configPrintsTheEditedFile();
    void drainJsonWithoutALab_data();
    void drainJsonWithoutALab();
};

void TestCtl::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message"); // on stderr

    const QString inventory = fixture("resources/clusters/coupon-service.yaml");
    const QString page = fixture("tests/fixtures/pages/caddy_2.6.prom");
    QTest::newRow("no command") << QStringList{} << "Usage: clusterdeckctl COMMAND";
    QTest::newRow("unknown command") << QStringList{"frobnicate"} << "unknown command 'frobnicate'";
    QTest::newRow("unknown top option") << QStringList{"--frobnicate"} << "unknown option '--frobnicate'";
    QTest::newRow("version extra") << QStringList{"--version", "x"} << "unexpected argument 'x'";
    QTest::newRow("check nothing") << QStringList{"check"} << "usage: clusterdeckctl check FILE";
    QTest::newRow("check two") << QStringList{"check", inventory, "x"} << "unexpected argument 'x'";
    QTest::newRow("check option") << QStringList{"check", "--strict", inventory} << "Unknown option 'strict'";
    QTest::newRow("status no cluster") << QStringList{"status"} << "--cluster FILE is required";
    QTest::newRow("status missing value")
        << QStringList{"status", "--cluster"} << "Missing value after '--cluster'";
    QTest::newRow("status extra") << QStringList{"status", "--cluster", inventory, "x"}
                                  << "unexpected argument 'x'";
    QTest::newRow("status option") << QStringList{"status", "--cluster", inventory, "--yaml"}
                                   << "Unknown option 'yaml'";
    QTest::newRow("status source") << QStringList{"status", "--cluster", inventory, "--source", "graphite"}
                                   << "--source takes direct or prometheus, not 'graphite'";
    QTest::newRow("status prometheus without url")
        << QStringList{"status", "--cluster", fixture("resources/clusters/course-reviews-caddy.yaml"),
                       "--source", "prometheus"}
        << "--source prometheus needs 'prometheus:'";
    QTest::newRow("alerts no cluster") << QStringList{"alerts"} << "--cluster FILE is required";
    QTest::newRow("alerts extra") << QStringList{"alerts", "--cluster", inventory, "x"}
                                  << "unexpected argument 'x'";
    QTest::newRow("alerts option") << QStringList{"alerts", "--cluster", inventory, "--yaml"}
                                   << "Unknown option 'yaml'";
    QTest::newRow("alerts span") << QStringList{"alerts", "--cluster", inventory, "--span", "1h"}
                                 << "--span takes a duration from 100ms to 10m, not '1h'";
    QTest::newRow("alerts source") << QStringList{"alerts", "--cluster", inventory, "--source", "x"}
                                   << "--source takes direct or prometheus, not 'x'";
    QTest::newRow("discover nothing") << QStringList{"discover"} << "usage: clusterdeckctl discover";
    QTest::newRow("discover two") << QStringList{"discover", "http://127.0.0.1:1", "x"}
                                  << "unexpected argument 'x'";
    QTest::newRow("discover option") << QStringList{"discover", "--jobrole", "a=was", "http://127.0.0.1:1"}
                                     << "Unknown option 'jobrole'";
    QTest::newRow("parse nothing") << QStringList{"parse"} << "usage: clusterdeckctl parse FILE|-";
    QTest::newRow("parse two") << QStringList{"parse", page, page} << "unexpected argument";
    QTest::newRow("parse short option") << QStringList{"parse", "-x", page} << "Unknown option 'x'";
    QTest::newRow("parse format") << QStringList{"parse", "--format", "xml", page}
                                  << "--format takes tsv or json";
    QTest::newRow("scrape nothing") << QStringList{"scrape"} << "usage: clusterdeckctl scrape URL";
    QTest::newRow("scrape two") << QStringList{"scrape", "http://127.0.0.1:1/a", "http://127.0.0.1:1/b"}
                                << "unexpected argument 'http://127.0.0.1:1/b'";
    QTest::newRow("scrape timeout") << QStringList{"scrape", "--timeout", "0", "http://127.0.0.1:1/"}
                                    << "--timeout takes seconds";
    QTest::newRow("bench nothing") << QStringList{"bench"} << "usage: clusterdeckctl bench parse FILE";
    QTest::newRow("bench no file") << QStringList{"bench", "parse"} << "missing argument";
    QTest::newRow("bench extra") << QStringList{"bench", "parse", page, "x"} << "unexpected argument 'x'";
    QTest::newRow("bench what") << QStringList{"bench", "scrape", page}
                                << "can time 'parse', 'ingest' or 'query'";
    QTest::newRow("bench ingest extra") << QStringList{"bench", "ingest", "x"} << "unexpected argument 'x'";
    QTest::newRow("record no cluster") << QStringList{"record"} << "--cluster FILE is required";
    QTest::newRow("record duration") << QStringList{"record", "--cluster", inventory, "--duration", "-1"}
                                     << "--duration takes seconds > 0";
    QTest::newRow("drain no cluster")
        << QStringList{"drain", "--node", "was2"} << "--cluster FILE is required";
    QTest::newRow("drain no node") << QStringList{"drain", "--cluster", inventory}
                                   << "--node NAME is required";
    QTest::newRow("drain timeout") << QStringList{"drain", "--cluster", inventory, "--node",
                                                  "a",     "--timeout", "0"}
                                   << "--timeout";
    QTest::newRow("drain extra") << QStringList{"drain", "--cluster", inventory, "--node", "a", "x"}
                                 << "unexpected argument 'x'";
    QTest::newRow("readmit option") << QStringList{"readmit", "--cluster", inventory, "--node", "a", "--yes"}
                                    << "Unknown option 'yes'";
    QTest::newRow("history nothing") << QStringList{"history"} << "which one: stats, export or events?";
    QTest::newRow("history unknown") << QStringList{"history", "vacuum"} << "unknown 'vacuum'";
    QTest::newRow("history stats no db") << QStringList{"history", "stats"} << "--db PATH is required";
    QTest::newRow("history export time")
        << QStringList{"history", "export", "--db", "x", "--from", "yesterday"}
        << "'yesterday' is not a time";
    QTest::newRow("history export both")
        << QStringList{"history", "export", "--db", "x", "--kpi", "a", "--metric", "b"}
        << "--kpi and --metric exclude each other";
    QTest::newRow("history export selector")
        << QStringList{"history", "export", "--db", "x", "--metric", "a{b=c}"}
        << "expected a \"quoted\" value";
    QTest::newRow("history events severity")
        << QStringList{"history", "events", "--db", "x", "--severity", "loud"}
        << "--severity is info, warning or critical";
    QTest::newRow("ssh nothing") << QStringList{"ssh"} << "usage: clusterdeckctl ssh --cluster FILE";
    QTest::newRow("ssh no cluster") << QStringList{"ssh", "--gateway", "g", "--", "true"}
                                    << "--cluster FILE is required";
    QTest::newRow("ssh no gateway") << QStringList{"ssh", "--cluster", inventory, "--", "true"}
                                    << "--gateway NAME is required";
    QTest::newRow("ssh bad timeout") << QStringList{"ssh",       "--cluster", inventory, "--gateway", "g",
                                                    "--timeout", "0",         "--",      "true"}
                                     << "--timeout must be whole seconds";
    QTest::newRow("ssh option") << QStringList{"ssh", "--cluster", inventory, "--gateway",
                                               "g",   "--yes",     "--",      "true"}
                                << "Unknown option 'yes'";
    QTest::newRow("kpis extra") << QStringList{"kpis", "x"} << "unexpected argument 'x'";
    QTest::newRow("kpis per-kpi alone") << QStringList{"kpis", "--per-kpi"} << "--per-kpi needs --promql";
    const QString haproxyCfg = fixture("tests/fixtures/gateway/lab.haproxy.cfg");
    QTest::newRow("config nothing") << QStringList{"config"} << "usage: clusterdeckctl config drain|readmit";
    QTest::newRow("config action") << QStringList{"config", "remove",   "--kind",   "haproxy",
                                                  "--file", haproxyCfg, "--server", "was2"}
                                   << "the action is drain or readmit, not 'remove'";
    QTest::newRow("config no kind") << QStringList{"config",   "drain",    "--file",
                                                   haproxyCfg, "--server", "was2"}
                                    << "--kind haproxy|caddy is required";
    QTest::newRow("config kind") << QStringList{"config", "drain",    "--kind",   "nginx",
                                                "--file", haproxyCfg, "--server", "was2"}
                                 << "--kind takes haproxy or caddy, not 'nginx'";
    QTest::newRow("config no file") << QStringList{"config", "drain", "--kind", "haproxy", "--server", "was2"}
                                    << "--file PATH is required";
    QTest::newRow("config no server")
        << QStringList{"config", "drain", "--kind", "haproxy", "--file", haproxyCfg}
        << "--server NAME|ADDRESS is required";
    QTest::newRow("config extra") << QStringList{"config", "drain",    "x",        "--kind", "haproxy",
                                                 "--file", haproxyCfg, "--server", "was2"}
                                  << "unexpected argument 'x'";
    QTest::newRow("config option") << QStringList{"config",   "drain",    "--kind", "haproxy", "--file",
                                                  haproxyCfg, "--server", "was2",   "--write"}
                                   << "Unknown option 'write'";
    QTest::newRow("bench iterations") << QStringList{"bench", "--iterations", "0", "parse", page}
                                      << "--iterations takes a whole number from 1 to 1000000000";
}

void TestCtl::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const Run run = ctl(args);
    QVERIFY2(run.exitCode == 2, run.err.constData());
    QVERIFY2(QString::fromUtf8(run.err).contains(message), run.err.constData());
    QVERIFY(run.out.isEmpty());
}

void TestCtl::helpPerCommand_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("usage");
    for (const char *command : {"check", "status", "alerts", "discover", "parse", "scrape", "bench", "record",
                                "history", "kpis", "ssh", "config", "drain", "readmit"}) {
        const QString name = QString::fromLatin1(command);
        QTest::newRow(command) << QStringList{name, QStringLiteral("--help")}
                               << "usage: clusterdeckctl " + name + ' ';
        QTest::newRow(qPrintable("help " + name))
            << QStringList{QStringLiteral("help"), name} << "usage: clusterdeckctl " + name + ' ';
    }
    QTest::newRow("top level") << QStringList{"--help"} << "Usage: clusterdeckctl COMMAND";
}

void TestCtl::helpPerCommand()
{
    QFETCH(QStringList, args);
    QFETCH(QString, usage);
    const Run run = ctl(args);
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.out.startsWith(usage.toUtf8()), run.out.constData());
    QVERIFY2(run.out.contains("--verbose"), run.out.constData());
}

void TestCtl::verboseTurnsOnDebugOutput_data()
{
    const QString inventory = fixture("resources/clusters/coupon-service.yaml");
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<bool>("debug");
    QTest::newRow("quiet") << QStringList{"check", inventory} << false;
    QTest::newRow("before the command") << QStringList{"--verbose", "check", inventory} << true;
    QTest::newRow("after the command") << QStringList{"check", inventory, "--verbose"} << true;
}

void TestCtl::verboseTurnsOnDebugOutput()
{
    QFETCH(QStringList, args);
    QFETCH(bool, debug);
    const Run run = ctl(args);
    QCOMPARE(run.exitCode, 0);
    QVERIFY(run.out.contains("cluster 'coupon-prod' is valid"));
    // The cluster library's line (clusterdeck.cluster) about the inventory it loaded.
    QCOMPARE(run.err.contains("loaded: cluster coupon-prod with 1 gateway(s), 6 node(s)"), debug);
}

// The same page both ways: every JSON sample is the tsv line of the same index.
void TestCtl::jsonMatchesTsv()
{
    const QString page = fixture("tests/fixtures/pages/haproxy_2.6.prom");
    const Run tsv = ctl({QStringLiteral("parse"), page});
    const Run json = ctl({QStringLiteral("parse"), page, QStringLiteral("--format"), QStringLiteral("json")});
    QCOMPARE(tsv.exitCode, 0);
    QCOMPARE(json.exitCode, 0);
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json.out, &error);
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
    const QJsonArray samples = document.array();
    const QList<QByteArray> lines = tsv.out.trimmed().split('\n');
    QVERIFY(samples.size() > 300);
    QCOMPARE(samples.size(), lines.size());
    // One sample a line, like the tsv.
    QCOMPARE(json.out.count('\n'), samples.size() + 2);
    for (qsizetype i = 0; i < samples.size(); ++i) {
        const QList<QByteArray> fields = lines[i].split('\t');
        const QJsonObject sample = samples[i].toObject();
        QCOMPARE(sample.value(QLatin1String("name")).toString(), QString::fromUtf8(fields[0]));
        QStringList labels;
        const QJsonObject labelObject = sample.value(QLatin1String("labels")).toObject();
        for (auto it = labelObject.begin(); it != labelObject.end(); ++it)
            labels << it.key() + QStringLiteral("=\"") + it.value().toString() + QLatin1Char('"');
        QCOMPARE(labels.join(QLatin1Char(',')), QString::fromUtf8(fields[1]));
        QCOMPARE(sample.value(QLatin1String("value")).toDouble(), fields[2].toDouble());
    }
}

void TestCtl::jsonSaysWhatNumbersCannot()
{
    const QByteArray page = "# TYPE g gauge\n"
                            "g{path=\"a\\\"b\\\\c\\nd\",city=\"Zürich\"} NaN 1700000000123\n"
                            "g{path=\"up\"} +Inf\n"
                            "g{path=\"down\"} -Inf\n"
                            "g{path=\"small\"} 1.5e-300\n"
                            "g{path=\"big\"} 12345678901234567\n";
    const Run run = ctl(
        {QStringLiteral("parse"), QStringLiteral("-"), QStringLiteral("--format"), QStringLiteral("json")},
        page);
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QJsonParseError error;
    const QJsonArray samples = QJsonDocument::fromJson(run.out, &error).array();
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
    QCOMPARE(samples.size(), 5);
    const QJsonObject first = samples[0].toObject();
    QCOMPARE(first.value(QLatin1String("labels")).toObject().value(QLatin1String("path")).toString(),
             QStringLiteral("a\"b\\c\nd"));
    QCOMPARE(first.value(QLatin1String("labels")).toObject().value(QLatin1String("city")).toString(),
             QStringLiteral("Zürich"));
    QCOMPARE(first.value(QLatin1String("value")), QJsonValue(QStringLiteral("NaN")));
    QCOMPARE(first.value(QLatin1String("timestamp_ms")).toInteger(), 1700000000123);
    QCOMPARE(samples[1].toObject().value(QLatin1String("value")), QJsonValue(QStringLiteral("+Inf")));
    QCOMPARE(samples[2].toObject().value(QLatin1String("value")), QJsonValue(QStringLiteral("-Inf")));
    QVERIFY(!samples[1].toObject().contains(QLatin1String("timestamp_ms")));
    QCOMPARE(samples[3].toObject().value(QLatin1String("value")).toDouble(), 1.5e-300);
    QCOMPARE(samples[4].toObject().value(QLatin1String("value")).toDouble(), 12345678901234567.0);
}

// bench ingest leaves a real history file (seeded data from 2027-01-15T08:00:00Z, 2 s apart, ±50 ms); the
// history commands read it back.
void TestCtl::historyOfABenchFile()
{
    QTemporaryDir dir;
    const QString db = dir.filePath(QStringLiteral("bench.sqlite"));
    const Run bench = ctl({"bench", "ingest", "--scrapes", "5", "--db", db});
    QVERIFY2(bench.exitCode == 0, bench.err.constData());
    QVERIFY2(
        QRegularExpression(
            QStringLiteral(
                R"(^store_samples_per_s=\d+ plain_samples_per_s=\d+ ratio=[\d.]+ bytes_per_sample=[\d.]+\n)"))
            .match(QString::fromUtf8(bench.out))
            .hasMatch(),
        bench.out.constData());
    const Run stats = ctl({"history", "stats", "--db", db});
    QVERIFY2(stats.exitCode == 0, stats.err.constData());
    QVERIFY2(QRegularExpression(
                 QStringLiteral(R"(^series=2000 samples=10000 file_bytes=\d+ bytes_per_sample=[\d.]+\n)"))
                 .match(QString::fromUtf8(stats.out))
                 .hasMatch(),
             stats.out.constData());
    const QStringList window{"--from", "2027-01-15T07:59:00Z", "--to", "2027-01-15T08:01:00Z"};
    const Run csv = ctl(QStringList{"history", "export", "--db", db, "--target", "target0", "--metric",
                                    R"(bench_series{i="3"})"} +
                        window);
    QVERIFY2(csv.exitCode == 0, csv.err.constData());
    const QList<QByteArray> lines = csv.out.trimmed().split('\n');
    QCOMPARE(lines.size(), 6);
    QCOMPARE(lines.first(), QByteArray("time,timestamp_ms,target,series,labels,value"));
    QVERIFY2(lines[1].contains(",target0,bench_series,\"i=\"\"3\"\"\","), lines[1].constData());
    const Run json = ctl(QStringList{"history", "export", "--db", db, "--metric",
                                     R"(bench_series{i=~"1[0-9]"})", "--format", "json"} +
                         window);
    QVERIFY2(json.exitCode == 0, json.err.constData());
    const QJsonArray series = QJsonDocument::fromJson(json.out).array();
    QCOMPARE(series.size(), 10 * 10); // i=10..19 on each of 10 targets
    QCOMPARE(series.first().toObject().value(QStringLiteral("values")).toArray().size(), 5);
    const Run events = ctl({"history", "events", "--db", db, "--from", "2027-01-01", "--to", "2028-01-01"});
    QCOMPARE(events.exitCode, 0);
    QVERIFY(events.out.isEmpty());
    const Run missing = ctl({"history", "stats", "--db", dir.filePath(QStringLiteral("none.sqlite"))});
    QCOMPARE(missing.exitCode, 1);
    QVERIFY2(missing.err.contains("no history file here"), missing.err.constData());
}

QTEST_GUILESS_MAIN(TestCtl)
// config drain|readmit prints the edited file (or its diff) on stdout and nothing else; refusals exit 1 with
// file:line on stderr and print nothing.
void TestCtl::configPrintsTheEditedFile_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("expected"); // file with the expected stdout, or "" for none
    QTest::addColumn<QString>("err");      // on stderr
    const QString dir = fixture("tests/fixtures/gateway/");
    QTest::newRow("haproxy drain") << QStringList{"config",   "drain",  "--kind",
                                                  "haproxy",  "--file", dir + "lab.haproxy.cfg",
                                                  "--server", "was2"}
                                   << 0 << dir + "expected/lab.haproxy.drain-was2.cfg"
                                   << "";
    QTest::newRow("caddy drain") << QStringList{"config",         "drain",  "--kind",
                                                "caddy",          "--file", dir + "lab.Caddyfile",
                                                "--backend",      ":8081",  "--server",
                                                "127.0.20.2:8080"}
                                 << 0 << dir + "expected/lab.Caddyfile.drain-was2"
                                 << "";
    QTest::newRow("caddy readmit") << QStringList{"config",   "readmit",
                                                  "--kind",   "caddy",
                                                  "--file",   dir + "expected/coupon.Caddyfile.drain-22",
                                                  "--server", "127.0.22.22:8080"}
                                   << 0 << dir + "coupon.Caddyfile"
                                   << "";
    QTest::newRow("already drained")
        << QStringList{"config",   "drain", "--kind", "haproxy", "--file", dir + "team.haproxy.cfg",
                       "--server", "api2"}
        << 0 << dir + "team.haproxy.cfg"
        << "team.haproxy.cfg:31: api/api2 already drained: the config is unchanged";
    QTest::newRow("ambiguous") << QStringList{"config",   "drain",  "--kind",
                                              "haproxy",  "--file", dir + "team.haproxy.cfg",
                                              "--server", "web1"}
                               << 1 << ""
                               << "team.haproxy.cfg:23: 'web1' is ambiguous";
    QTest::newRow("template") << QStringList{"config",   "drain",  "--kind",
                                             "haproxy",  "--file", dir + "team.haproxy.cfg",
                                             "--server", "job1"}
                              << 1 << ""
                              << "team.haproxy.cfg:35: server 'job1' of backend 'batch' is only reachable";
    QTest::newRow("missing file") << QStringList{"config", "drain",        "--kind",   "caddy",
                                                 "--file", dir + "nosuch", "--server", "a:1"}
                                  << 1 << ""
                                  << "nosuch: cannot read";
}

void TestCtl::configPrintsTheEditedFile()
{
    QFETCH(QStringList, args);
    QFETCH(int, exitCode);
    QFETCH(QString, expected);
    QFETCH(QString, err);
    const Run run = ctl(args);
    QVERIFY2(run.exitCode == exitCode, run.err.constData());
    QVERIFY2(QString::fromUtf8(run.err).contains(err), run.err.constData());
    if (expected.isEmpty()) {
        QVERIFY(run.out.isEmpty());
        return;
    }
    QFile file(expected);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(run.out, file.readAll());
    // --diff prints what changed as a unified diff, nothing when nothing did.
    const Run diff = ctl(args + QStringList{"--diff"});
    QCOMPARE(diff.exitCode, 0);
    QCOMPARE(diff.out.isEmpty(), err.contains(QLatin1String("unchanged")));
    if (!diff.out.isEmpty())
        QVERIFY2(diff.out.startsWith("--- a/") && diff.out.contains("\n@@ -"), diff.out.constData());
}

#include "tst_ctl.moc"

// `drain|readmit --json` prints one object of the issue's shape on stdout whatever the exit code: usage and
// inventory errors (2), a pre-check refusal acting on this machine (3, with the record step), an unreachable
// gateway host (5). Real drains are tst_drain_lab's.
void TestCtl::drainJsonWithoutALab_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("exit");
    QTest::addColumn<QString>("result");
    QTest::addColumn<QStringList>("steps"); // names, in order
    QTest::addColumn<QString>("errorPart"); // in the object's "error"
    QTest::addColumn<bool>("db");           // --db a fresh history file

    const QString inventory = fixture("resources/clusters/coupon-service.yaml");
    QTest::newRow("no node") << QStringList{"drain", "--cluster", inventory, "--json"} << 2 << "usage_error"
                             << QStringList{} << "--node NAME is required" << false;
    QTest::newRow("unknown option") << QStringList{"readmit", "--json", "--cluster", inventory,
                                                   "--node",  "api2",   "--yes"}
                                    << 2 << "usage_error" << QStringList{} << "Unknown option 'yes'" << false;
    QTest::newRow("no inventory") << QStringList{"drain",  "--cluster", "/nonexistent/c.yaml",
                                                 "--node", "api2",      "--json"}
                                  << 2 << "usage_error" << QStringList{} << "/nonexistent/c.yaml" << false;
    QTest::newRow("unknown gateway") << QStringList{"drain", "--cluster", inventory, "--node",
                                                    "api2",  "--gateway", "lb9",     "--json"}
                                     << 2 << "usage_error" << QStringList{} << "no gateway 'lb9'" << false;
    QTest::newRow("refused") << QStringList{"drain", "--cluster", inventory, "--node",
                                            "redis", "--local",   "--json"}
                             << 3 << "refused" << QStringList{"precheck", "record"}
                             << "no WAS node named 'redis'" << false;
    QTest::newRow("refused, recorded")
        << QStringList{"readmit", "--cluster", inventory, "--node", "nosuch", "--local", "--json"} << 3
        << "refused" << QStringList{"precheck", "record"} << "no WAS node named 'nosuch'" << true;
    QTest::newRow("unreachable") << QStringList{"drain",  "--cluster", "UNREACHABLE",
                                                "--node", "api2",      "--json"}
                                 << 5 << "connection_failed" << QStringList{} << "127.0.0.1:1" << false;
}

void TestCtl::drainJsonWithoutALab()
{
    QFETCH(QStringList, args);
    QFETCH(int, exit);
    QFETCH(QString, result);
    QFETCH(QStringList, steps);
    QFETCH(QString, errorPart);
    QFETCH(bool, db);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    if (const qsizetype at = args.indexOf(QStringLiteral("UNREACHABLE")); at >= 0) {
        // The inventory's gateway behind an ssh target nothing listens on.
        QFile in(fixture("resources/clusters/coupon-service.yaml"));
        QVERIFY(in.open(QIODevice::ReadOnly));
        QByteArray yaml = in.readAll();
        QVERIFY(yaml.contains("ssh: deploy@10.0.0.10\n"));
        yaml.replace("ssh: deploy@10.0.0.10\n", "ssh: deploy@127.0.0.1:1\n");
        QFile out(dir.filePath(QStringLiteral("unreachable.yaml")));
        QVERIFY(out.open(QIODevice::WriteOnly) && out.write(yaml) == yaml.size());
        out.close();
        args[at] = out.fileName();
    }
    const QString dbPath = dir.filePath(QStringLiteral("history.sqlite"));
    if (db)
        args << QStringLiteral("--db") << dbPath;
    const Run run = ctl(args);
    QCOMPARE(run.exitCode, exit);
    QJsonObject json;
    const QString wrong = clusterdeck::test::checkDrainJson(run.out, run.exitCode, &json);
    QVERIFY2(wrong.isEmpty(), qPrintable(wrong + QStringLiteral("\n") + QString::fromUtf8(run.out)));
    QCOMPARE(json.value(QStringLiteral("result")).toString(), result);
    QCOMPARE(json.value(QStringLiteral("action")).toString(), args.first());
    QStringList names;
    for (const QJsonValue &step : json.value(QStringLiteral("steps")).toArray())
        names << step.toObject().value(QStringLiteral("name")).toString();
    QCOMPARE(names, steps);
    if (!steps.isEmpty()) {
        const QJsonArray array = json.value(QStringLiteral("steps")).toArray();
        QCOMPARE(array.first().toObject().value(QStringLiteral("ok")).toBool(), false);
        const QJsonObject record = array.last().toObject();
        QCOMPARE(record.value(QStringLiteral("ok")).toBool(), true);
        QVERIFY2(record.value(QStringLiteral("detail"))
                     .toString()
                     .contains(db ? dbPath : QStringLiteral("no --db")),
                 qPrintable(record.value(QStringLiteral("detail")).toString()));
    }
    QVERIFY2(json.value(QStringLiteral("error")).toString().contains(errorPart),
             qPrintable(json.value(QStringLiteral("error")).toString()));
    if (db)
        QVERIFY(QFile::exists(dbPath));
}
