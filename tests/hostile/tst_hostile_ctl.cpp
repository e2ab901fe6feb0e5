// clusterdeckctl against the hostile test server (a child process on 127.0.99.1): `status` over an inventory
// of every hostile behaviour plus one good target, `discover` against hostile Prometheus answers, and the
// numbers, URLs and arguments checked at the edge.

#include "hostile_server.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <sys/resource.h>

using namespace clusterdeck::hostile;

namespace {

struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

} // namespace

class TestHostileCtl : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void statusReportsEveryHostileTargetDown();
    void discoverRefusesHostileAnswers_data();
    void discoverRefusesHostileAnswers();
    void discoverHandlesManyTargets();
    void edgeValidation_data();
    void edgeValidation();
    void benchParseReadsStdin();

private:
    // Runs clusterdeckctl while this thread's event loop keeps serving; a hung command fails the test.
    Run ctl(const QStringList &args, const QByteArray &input = {});
    QString writeFile(const QString &name, const QByteArray &text);

    QUrl url(const QString &path) const { return QUrl(m_base + path); }

    // The hostile server runs as its own process, so that building a 10 MB page never delays the answer of
    // the good target (it would in this thread) and what is measured is clusterdeckctl alone.
    QProcess m_server;
    QString m_base;
    QTemporaryDir m_dir;
};

void TestHostileCtl::initTestCase()
{
    // Issue 7's full sizes: 4 GiB bomb, 2 GB bodies, 1M labels, 100k headers. It exits by itself after --for.
    m_server.start(QStringLiteral(HOSTILE_SERVER), {QStringLiteral("--address"), QStringLiteral("127.0.99.1"),
                                                    QStringLiteral("--for"), QStringLiteral("600")});
    QVERIFY(m_server.waitForStarted(10000));
    QTRY_VERIFY_WITH_TIMEOUT(m_server.canReadLine(), 10000);
    m_base = QString::fromUtf8(m_server.readLine().trimmed());
    QVERIFY2(m_base.startsWith(QLatin1String("http://127.0.99.1:")), qPrintable(m_base));
    QVERIFY(m_dir.isValid());
}

void TestHostileCtl::cleanupTestCase()
{
    m_server.kill();
    m_server.waitForFinished(5000);
}

Run TestHostileCtl::ctl(const QStringList &args, const QByteArray &input)
{
    QProcess process;
    QSignalSpy finished(&process, &QProcess::finished);
    // CLUSTERDECKCTL in the environment runs another build (e.g. the one before the fix, to see this fail).
    process.start(qEnvironmentVariable("CLUSTERDECKCTL", QStringLiteral(CLUSTERDECKCTL)), args);
    if (!process.waitForStarted(10000))
        return {};
    if (!input.isNull()) {
        process.write(input);
        process.closeWriteChannel();
    }
    // spy.wait() runs the event loop, so the server in this thread answers meanwhile.
    if (!finished.wait(90000)) {
        process.kill();
        process.waitForFinished(5000);
        return {};
    }
    return {process.exitCode(), process.readAllStandardOutput(), process.readAllStandardError()};
}

QString TestHostileCtl::writeFile(const QString &name, const QByteArray &text)
{
    const QString path = m_dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    file.write(text);
    return path;
}

// Issue 7's "Done means": every hostile target DOWN with its reason, the good one UP, in bounded time (the
// scrape timeout is the deadline of each round: two rounds, 1 s apart) and under 300 MB.
void TestHostileCtl::statusReportsEveryHostileTargetDown()
{
    const QByteArray base = m_base.toUtf8();
    QByteArray yaml = "name: hostile\nscrape_interval: 2s\nscrape_timeout: 1500ms\nnodes:\n"
                      "  - {name: good, role: was, health: " +
                      base + "/good/health, metrics: " + base + "/good/metrics}\n";
    const QList<QByteArray> metrics = {"gzip-bomb",     "labels",        "huge-nolength", "badchunk-zz",
                                       "badchunk-ffff", "badchunk-long", "gzip-cut",      "deflate-cut",
                                       "redirect-loop", "om-duplicates", "header-flood",  "trickle"};
    const QList<QByteArray> health = {"trickle",      "health-reset",        "health-short",
                                      "health-html",  "health-corrupt-gzip", "gzip-bomb",
                                      "huge-nolength"};
    for (const QByteArray &path : metrics)
        yaml += "  - {name: m-" + path + ", role: other, metrics: " + base + '/' + path + "}\n";
    for (const QByteArray &path : health)
        yaml += "  - {name: h-" + path + ", role: other, health: " + base + '/' + path + "}\n";
    // Credentials in a URL are used, never shown.
    yaml += "  - {name: secret, role: other, health: '" +
            QByteArray(base).replace("http://", "http://admin:s3cret@") + "/health-html'}\n";
    const QString path = writeFile(QStringLiteral("hostile.yaml"), yaml);

    const Run run =
        ctl({QStringLiteral("status"), QStringLiteral("--cluster"), path, QStringLiteral("--json")});
    QCOMPARE(run.exitCode, 1); // some target is down
    QVERIFY2(!run.out.contains("s3cret") && !run.err.contains("s3cret"), run.out.constData());
    const QJsonObject root = QJsonDocument::fromJson(run.out).object();
    const QJsonArray targets = root.value(QLatin1String("targets")).toArray();
    QCOMPARE(targets.size(), metrics.size() + health.size() + 2);
    for (const QJsonValue &value : targets) {
        const QJsonObject target = value.toObject();
        const QString name = target.value(QLatin1String("name")).toString();
        const QString state = target.value(QLatin1String("state")).toString();
        const QString reason = target.value(QLatin1String("reason")).toString();
        if (name == QLatin1String("good")) {
            QVERIFY2(state == QLatin1String("UP"), qPrintable(reason));
        } else {
            QVERIFY2(state == QLatin1String("DOWN"), qPrintable(name + QStringLiteral(": ") + state));
            QVERIFY2(!reason.isEmpty(), qPrintable(name));
        }
    }
    const auto reasonOf = [&targets](const QString &name) {
        for (const QJsonValue &value : targets) {
            if (value[QLatin1String("name")].toString() == name)
                return value[QLatin1String("reason")].toString();
        }
        return QString();
    };
    QVERIFY(reasonOf(QStringLiteral("h-trickle")).startsWith(QLatin1String("health: timed out after 1.5 s")));
    QVERIFY(reasonOf(QStringLiteral("m-gzip-bomb")).contains(QLatin1String("once gzip-decompressed")));
    QVERIFY(reasonOf(QStringLiteral("m-labels")).contains(QLatin1String("the series exceeds the label cap")));
    QVERIFY(reasonOf(QStringLiteral("m-badchunk-zz")).contains(QLatin1String("malformed chunked transfer")));
    QVERIFY(reasonOf(QStringLiteral("h-health-html")).contains(QLatin1String("got an HTML page")));
    QVERIFY(reasonOf(QStringLiteral("m-redirect-loop")).contains(QLatin1String("too many redirects")));

    // Memory: the largest child this process reaped so far is clusterdeckctl (ru_maxrss is in KiB; the server
    // is still running, so it does not count).
    rusage usage{};
    getrusage(RUSAGE_CHILDREN, &usage);
    QVERIFY2(usage.ru_maxrss < 300 * 1024,
             qPrintable(QStringLiteral("peak RSS %1 MiB").arg(usage.ru_maxrss / 1024)));
}

void TestHostileCtl::discoverRefusesHostileAnswers_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("message");
    QTest::newRow("gzip bomb") << "/bomb"
                               << "the answer is larger than 256.0 MB: narrow the query or the time range";
    QTest::newRow("not Prometheus") << "/nothing"
                                    << "HTTP 404: the answer is not Prometheus API JSON";
}

void TestHostileCtl::discoverRefusesHostileAnswers()
{
    QFETCH(QString, path);
    QFETCH(QString, message);
    const Run run = ctl({QStringLiteral("discover"), url(path).toString(), QStringLiteral("--timeout"),
                         QStringLiteral("20")});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(message.toUtf8()), run.err.constData());
}

void TestHostileCtl::discoverHandlesManyTargets()
{
    const Run run = ctl({QStringLiteral("discover"), url(QStringLiteral("/many")).toString()});
    QVERIFY2(run.exitCode == 0, run.err.left(2000).constData());
    QVERIFY(run.err.contains("28000 target(s)"));
    QCOMPARE(run.out.count("\n  - name: "), 28000);
}

void TestHostileCtl::edgeValidation_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");

    const QString good = url(QStringLiteral("/good/metrics")).toString();
    QTest::newRow("discover --timeout nan") << QStringList{"discover", good, "--timeout", "nan"} << 2
                                            << "--timeout takes seconds from 0.001 to 3600, not 'nan'";
    QTest::newRow("discover --timeout inf") << QStringList{"discover", good, "--timeout", "inf"} << 2
                                            << "--timeout takes seconds from 0.001 to 3600, not 'inf'";
    QTest::newRow("discover invalid glob")
        << QStringList{"discover", good, "--job-role", "[z-a]=was"} << 2 << "'[z-a]' is not a valid job glob";
    QTest::newRow("scrape --timeout nan") << QStringList{"scrape", good, "--timeout", "nan"} << 2
                                          << "--timeout takes seconds from 0.001 to 3600, not 'nan'";
    QTest::newRow("scrape --timeout 3000000") << QStringList{"scrape", good, "--timeout", "3000000"} << 2
                                              << "--timeout takes seconds from 0.001 to 3600";
    QTest::newRow("scrape file URL")
        << QStringList{"scrape", "file:///etc/passwd"} << 2
        << "'file:///etc/passwd': only http and https URLs are fetched, not file:";
    QTest::newRow("scrape bare path") << QStringList{"scrape", "/etc/passwd"} << 2
                                      << "'/etc/passwd' is a file path: only http and https URLs are fetched";
    QTest::newRow("scrape bad port") << QStringList{"scrape", "127.0.99.1:99999/metrics"} << 2
                                     << "'127.0.99.1:99999/metrics' is not a valid URL: Invalid port";
    QTest::newRow("scrape credentials") << QStringList{"scrape", "http://admin:s3cret@127.0.99.1:1/metrics"}
                                        << 1 << "http://admin:xxxxx@127.0.99.1:1/metrics: connection refused";
    QTest::newRow("status extra argument") << QStringList{"status", "--cluster", "x.yaml", "extra"} << 2
                                           << "clusterdeckctl status: unexpected argument 'extra'";
    QTest::newRow("check /dev/zero") << QStringList{"check", "/dev/zero"} << 1
                                     << "/dev/zero: the file is larger than 16 MiB: not a cluster inventory";
    QTest::newRow("bench --iterations 0")
        << QStringList{"bench", "parse", "-", "--iterations", "0"} << 2
        << "--iterations takes a whole number from 1 to 1000000000, not '0'";
}

void TestHostileCtl::edgeValidation()
{
    QFETCH(QStringList, args);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    const Run run = ctl(args);
    QVERIFY2(run.err.contains(message.toUtf8()), run.err.constData());
    QCOMPARE(run.exitCode, exitCode);
    QVERIFY(!run.err.contains("s3cret"));
}

void TestHostileCtl::benchParseReadsStdin()
{
    const Run run = ctl({QStringLiteral("bench"), QStringLiteral("parse"), QStringLiteral("-"),
                         QStringLiteral("--iterations"), QStringLiteral("3")},
                        goodPage());
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QVERIFY(run.out.startsWith("samples=2 bytes=" + QByteArray::number(goodPage().size())));
}

QTEST_GUILESS_MAIN(TestHostileCtl)
#include "tst_hostile_ctl.moc"
