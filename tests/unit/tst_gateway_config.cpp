// The gateway config editors (backends/gateway): drain and readmit as byte edits of real-shaped HAProxy
// configs and Caddyfiles. Edits are compared byte for byte with reviewed expected files, readmit after drain
// must give back the original for every server of every fixture, the errors name file:line, and every edited
// config is fed to the real haproxy / caddy.

#include "gateway/config_edit.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace clusterdeck;

Q_DECLARE_METATYPE(clusterdeck::GatewayKind)
Q_DECLARE_METATYPE(clusterdeck::ServerSelector)

namespace {

const QString kFixtures = QStringLiteral(CLUSTERDECK_SOURCE_DIR "/tests/fixtures/gateway/");

// QVERIFY2 evaluates its message even when the check passes: the error of a Result only when there is one.
template <typename T> QByteArray why(const Result<T> &result)
{
    return result.ok() ? QByteArray() : result.error().toString().toUtf8();
}

QByteArray readFixture(const QString &name)
{
    QFile file(kFixtures + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read fixture %s", qPrintable(file.fileName()));
    return file.readAll();
}

struct Fixture {
    const char *name;
    GatewayKind kind;
};

const Fixture kAllFixtures[] = {
    {"lab.haproxy.cfg", GatewayKind::HAProxy}, {"team.haproxy.cfg", GatewayKind::HAProxy},
    {"lab.Caddyfile", GatewayKind::Caddy},     {"coupon.Caddyfile", GatewayKind::Caddy},
    {"crlf.Caddyfile", GatewayKind::Caddy},
};

// "drain SERVER [BACKEND]" or "readmit SERVER [BACKEND]".
Result<ConfigEdit> step(GatewayKind kind, const QByteArray &bytes, const QString &name, const QString &what)
{
    const QStringList words = what.split(QLatin1Char(' '));
    const ConfigAction action =
        words.first() == QLatin1String("drain") ? ConfigAction::Drain : ConfigAction::Readmit;
    return editGatewayConfig(kind, action, bytes, name, {words.value(2), words.value(1)});
}

ServerSelector selectorFor(const ConfigUpstream &upstream)
{
    return {upstream.backend.section(QLatin1Char(' '), 0, 0), upstream.name};
}

struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run run(const QString &program, const QStringList &args, const QString &home)
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), home); // caddy keeps its state out of the real home
    env.insert(QStringLiteral("XDG_DATA_HOME"), home);
    process.setProcessEnvironment(env);
    process.start(program, args);
    if (!process.waitForFinished(60'000))
        return {};
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            process.readAllStandardOutput(), process.readAllStandardError()};
}

void collectDials(const QJsonValue &value, QStringList &dials)
{
    if (value.isArray()) {
        for (const QJsonValue &item : value.toArray())
            collectDials(item, dials);
    } else if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (it.key() == QLatin1String("dial") && it->isString())
                dials.append(it->toString());
            else
                collectDials(*it, dials);
        }
    }
}

} // namespace

class TestGatewayConfig : public QObject {
    Q_OBJECT
private slots:
    void editsMatchExpectedFiles_data();
    void editsMatchExpectedFiles();
    void smallEdits_data();
    void smallEdits();
    void diffAppliesWithPatch_data();
    void diffAppliesWithPatch();
    void readmitAfterDrainGivesTheOriginal_data();
    void readmitAfterDrainGivesTheOriginal();
    void twoDrainsReadmittedInEitherOrder_data();
    void twoDrainsReadmittedInEitherOrder();
    void alreadyInStateLeavesBytesAlone_data();
    void alreadyInStateLeavesBytesAlone();
    void errorsNameFileAndLine_data();
    void errorsNameFileAndLine();
    void haproxyAcceptsEveryDrain_data();
    void haproxyAcceptsEveryDrain();
    void caddyDropsExactlyTheDrainedUpstream_data();
    void caddyDropsExactlyTheDrainedUpstream();
    void haproxyExamplesRoundTrip_data();
    void haproxyExamplesRoundTrip();
};

void TestGatewayConfig::editsMatchExpectedFiles_data()
{
    QTest::addColumn<GatewayKind>("kind");
    QTest::addColumn<QString>("fixture");
    QTest::addColumn<QStringList>("steps");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QList<int>>("changedLines"); // of the last step

    const auto hap = GatewayKind::HAProxy;
    const auto caddy = GatewayKind::Caddy;
    QTest::newRow("lab haproxy: drain was2 by name") << hap << "lab.haproxy.cfg" << QStringList{"drain was2"}
                                                     << "lab.haproxy.drain-was2.cfg" << QList<int>{35};
    QTest::newRow("lab haproxy: drain was2 by address")
        << hap << "lab.haproxy.cfg" << QStringList{"drain 127.0.20.2:8080"} << "lab.haproxy.drain-was2.cfg"
        << QList<int>{35};
    QTest::newRow("team haproxy: CRLF, tabs, trailing comment")
        << hap << "team.haproxy.cfg" << QStringList{"drain web3"} << "team.haproxy.drain-web3.cfg"
        << QList<int>{25};
    QTest::newRow("team haproxy: listen section, quoted address")
        << hap << "team.haproxy.cfg" << QStringList{"drain web4 admin"} << "team.haproxy.drain-admin-web4.cfg"
        << QList<int>{43};
    QTest::newRow("team haproxy: address without port")
        << hap << "team.haproxy.cfg" << QStringList{"drain 127.0.21.23"} << "team.haproxy.drain-api3.cfg"
        << QList<int>{32};
    QTest::newRow("team haproxy: readmit one disabled in the file")
        << hap << "team.haproxy.cfg" << QStringList{"readmit api2"} << "team.haproxy.readmit-api2.cfg"
        << QList<int>{31};
    QTest::newRow("lab caddy: drain a whole `to` line")
        << caddy << "lab.Caddyfile" << QStringList{"drain 127.0.20.2:8080"} << "lab.Caddyfile.drain-was2"
        << QList<int>{14};
    QTest::newRow("coupon caddy: inline upstream after a matcher")
        << caddy << "coupon.Caddyfile" << QStringList{"drain 127.0.22.12:8080"} << "coupon.Caddyfile.drain-12"
        << QList<int>{20, 21};
    QTest::newRow("coupon caddy: two from one line, then one back")
        << caddy << "coupon.Caddyfile"
        << QStringList{"drain 127.0.22.12:8080", "drain 127.0.22.13:8080", "readmit 127.0.22.12:8080"}
        << "coupon.Caddyfile.drain-13" << QList<int>{21};
    QTest::newRow("coupon caddy: one of two on a `to` line with a comment")
        << caddy << "coupon.Caddyfile" << QStringList{"drain 127.0.22.22:8080"} << "coupon.Caddyfile.drain-22"
        << QList<int>{28, 29};
    QTest::newRow("coupon caddy: scheme in the file, not in the selector")
        << caddy << "coupon.Caddyfile" << QStringList{"drain 127.0.22.24:8080"} << "coupon.Caddyfile.drain-24"
        << QList<int>{29};
    QTest::newRow("crlf caddy: CRLF, no newline at the end")
        << caddy << "crlf.Caddyfile" << QStringList{"drain 127.0.22.53:8080"} << "crlf.Caddyfile.drain-53"
        << QList<int>{8, 9};
}

void TestGatewayConfig::editsMatchExpectedFiles()
{
    QFETCH(GatewayKind, kind);
    QFETCH(QString, fixture);
    QFETCH(QStringList, steps);
    QFETCH(QString, expected);
    QFETCH(QList<int>, changedLines);
    QByteArray bytes = readFixture(fixture);
    ConfigEdit last;
    for (const QString &what : steps) {
        const Result<ConfigEdit> edit = step(kind, bytes, fixture, what);
        QVERIFY2(edit.ok(), (what.toUtf8() + ": " + why(edit)).constData());
        QVERIFY2(edit->note.isEmpty(), qPrintable(edit->note));
        bytes = edit->bytes;
        last = *edit;
    }
    QCOMPARE(bytes, readFixture(QStringLiteral("expected/") + expected));
    QCOMPARE(last.changedLines, changedLines);
}

// The shapes one line at a time: what exactly an edit writes, and that nothing else moves.
void TestGatewayConfig::smallEdits_data()
{
    QTest::addColumn<GatewayKind>("kind");
    QTest::addColumn<QByteArray>("before");
    QTest::addColumn<QString>("what");
    QTest::addColumn<QByteArray>("after");
    const auto hap = GatewayKind::HAProxy;
    const auto caddy = GatewayKind::Caddy;
    QTest::newRow("haproxy last line without newline")
        << hap << QByteArray("backend b\n\tserver s1 127.0.0.1:80 check") << "drain s1"
        << QByteArray("backend b\n\tserver s1 127.0.0.1:80 check disabled");
    QTest::newRow("haproxy # in quotes and escaped is no comment")
        << hap << QByteArray("listen l\n  server s1 127.0.0.1:80 id \"a#b\" x\\#y # note\n") << "drain s1"
        << QByteArray("listen l\n  server s1 127.0.0.1:80 id \"a#b\" x\\#y disabled # note\n");
    QTest::newRow("haproxy readmit: disabled in the middle")
        << hap << QByteArray("backend b\n  server s1 127.0.0.1:80 disabled check\n") << "readmit s1"
        << QByteArray("backend b\n  server s1 127.0.0.1:80 check\n");
    QTest::newRow("haproxy readmit: disabled twice")
        << hap << QByteArray("backend b\n  server s1 127.0.0.1:80 disabled check\tdisabled\n") << "readmit s1"
        << QByteArray("backend b\n  server s1 127.0.0.1:80 check\n");
    QTest::newRow("haproxy enabled over default-server disabled")
        << hap << QByteArray("backend b\n  default-server disabled\n  server s1 127.0.0.1:80 enabled\n")
        << "drain s1"
        << QByteArray("backend b\n  default-server disabled\n  server s1 127.0.0.1:80 enabled disabled\n");
    QTest::newRow("haproxy default-server line is no server")
        << hap << QByteArray("backend b\n  default-server check\n  server s1 127.0.0.1:80\n")
        << "drain 127.0.0.1:80"
        << QByteArray("backend b\n  default-server check\n  server s1 127.0.0.1:80 disabled\n");
    QTest::newRow("caddy quoted upstream")
        << caddy << QByteArray(":80 {\n\treverse_proxy \"a:1\" b:1\n}\n") << "drain a:1"
        << QByteArray(
               ":80 {\n\t# clusterdeck:drained a:1 token=1 piece=\" %22a:1%22\"\n\treverse_proxy b:1\n}\n");
    QTest::newRow("caddy inline upstreams and a to block")
        << caddy << QByteArray(":80 {\n  reverse_proxy a:1 {\n    to b:1\n  }\n}\n") << "drain a:1"
        << QByteArray(":80 {\n  # clusterdeck:drained a:1 token=1 piece=\" a:1\"\n  reverse_proxy {\n    to "
                      "b:1\n  }\n}\n");
    QTest::newRow("caddy site without braces")
        << caddy << QByteArray(":80\nreverse_proxy a:1 b:1\n") << "drain b:1"
        << QByteArray(":80\n# clusterdeck:drained b:1 token=2 piece=\" b:1\"\nreverse_proxy a:1\n");
    QTest::newRow("caddy site address as --backend")
        << caddy
        << QByteArray("a.test, b.test {\n\treverse_proxy x:1 y:1\n}\nc.test {\n\treverse_proxy x:1 y:1\n}\n")
        << "drain y:1 b.test"
        << QByteArray("a.test, b.test {\n\t# clusterdeck:drained y:1 token=2 piece=\" y:1\"\n\treverse_proxy "
                      "x:1\n}\n"
                      "c.test {\n\treverse_proxy x:1 y:1\n}\n");
    QTest::newRow("caddy readmit of a hand-kept marker with a tab")
        << caddy
        << QByteArray(":80 {\n\t# clusterdeck:drained b:1 token=2 piece=\"%09b:1\"\n\treverse_proxy a:1\n}\n")
        << "readmit b:1" << QByteArray(":80 {\n\treverse_proxy a:1\tb:1\n}\n");
}

void TestGatewayConfig::smallEdits()
{
    QFETCH(GatewayKind, kind);
    QFETCH(QByteArray, before);
    QFETCH(QString, what);
    QFETCH(QByteArray, after);
    const Result<ConfigEdit> edit = step(kind, before, QStringLiteral("f"), what);
    QVERIFY2(edit.ok(), why(edit).constData());
    QCOMPARE(edit->bytes, after);
}

void TestGatewayConfig::diffAppliesWithPatch_data()
{
    editsMatchExpectedFiles_data();
}

// The diff the drain job logs is a real unified diff: patch(1) turns the old file into the new one with it.
void TestGatewayConfig::diffAppliesWithPatch()
{
    QFETCH(GatewayKind, kind);
    QFETCH(QString, fixture);
    QFETCH(QStringList, steps);
    const QString patch = QStandardPaths::findExecutable(QStringLiteral("patch"));
    if (patch.isEmpty())
        QSKIP("patch(1) is not installed");
    QByteArray bytes = readFixture(fixture);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    for (const QString &what : steps) {
        const Result<ConfigEdit> edit = step(kind, bytes, fixture, what);
        QVERIFY2(edit.ok(), why(edit).constData());
        QFile file(dir.filePath(QStringLiteral("config")));
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(bytes);
        file.close();
        QFile diff(dir.filePath(QStringLiteral("edit.diff")));
        QVERIFY(diff.open(QIODevice::WriteOnly | QIODevice::Truncate));
        diff.write(edit->diff.toUtf8());
        diff.close();
        const Run patched =
            run(patch, {QStringLiteral("--binary"), QStringLiteral("-s"), file.fileName(), diff.fileName()},
                dir.path());
        QVERIFY2(patched.exitCode == 0, patched.out + patched.err + edit->diff.toUtf8());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), edit->bytes);
        bytes = edit->bytes;
    }
}

void TestGatewayConfig::readmitAfterDrainGivesTheOriginal_data()
{
    QTest::addColumn<GatewayKind>("kind");
    QTest::addColumn<QString>("fixture");
    QTest::addColumn<QString>("backend");
    QTest::addColumn<QString>("server");
    for (const Fixture &fixture : kAllFixtures) {
        const Result<QList<ConfigUpstream>> upstreams =
            listGatewayUpstreams(fixture.kind, readFixture(QString::fromLatin1(fixture.name)), fixture.name);
        QVERIFY2(upstreams.ok(), why(upstreams).constData());
        QVERIFY(!upstreams->isEmpty());
        for (const ConfigUpstream &upstream : *upstreams) {
            if (upstream.drained)
                continue;
            const ServerSelector selector = selectorFor(upstream);
            QTest::addRow("%s %s/%s", fixture.name, qPrintable(selector.backend), qPrintable(selector.server))
                << fixture.kind << QString::fromLatin1(fixture.name) << selector.backend << selector.server;
        }
    }
}

void TestGatewayConfig::readmitAfterDrainGivesTheOriginal()
{
    QFETCH(GatewayKind, kind);
    QFETCH(QString, fixture);
    QFETCH(QString, backend);
    QFETCH(QString, server);
    const QByteArray original = readFixture(fixture);
    const Result<ConfigEdit> drained =
        editGatewayConfig(kind, ConfigAction::Drain, original, fixture, {backend, server});
    if (!drained && drained.error().message.contains(QLatin1String("last upstream")))
        return; // a reverse_proxy with one upstream: refused, checked in errorsNameFileAndLine
    QVERIFY2(drained.ok(), why(drained).constData());
    QVERIFY(drained->bytes != original);
    QVERIFY(!drained->changedLines.isEmpty());
    const Result<QList<ConfigUpstream>> listed = listGatewayUpstreams(kind, drained->bytes, fixture);
    QVERIFY2(listed.ok(), why(listed).constData());
    bool seenDrained = false;
    for (const ConfigUpstream &upstream : *listed)
        seenDrained |= upstream.drained && upstream.name == drained->server;
    QVERIFY(seenDrained);
    const Result<ConfigEdit> readmitted =
        editGatewayConfig(kind, ConfigAction::Readmit, drained->bytes, fixture, {backend, server});
    QVERIFY2(readmitted.ok(), why(readmitted).constData());
    QCOMPARE(readmitted->bytes, original);
}

void TestGatewayConfig::twoDrainsReadmittedInEitherOrder_data()
{
    QTest::addColumn<GatewayKind>("kind");
    QTest::addColumn<QString>("fixture");
    QTest::addColumn<ServerSelector>("first");
    QTest::addColumn<ServerSelector>("second");
    for (const Fixture &fixture : kAllFixtures) {
        const Result<QList<ConfigUpstream>> upstreams =
            listGatewayUpstreams(fixture.kind, readFixture(QString::fromLatin1(fixture.name)), fixture.name);
        QVERIFY(upstreams.ok());
        for (const ConfigUpstream &a : *upstreams) {
            for (const ConfigUpstream &b : *upstreams) {
                if (a.drained || b.drained || a.backend != b.backend || a.line > b.line || &a == &b)
                    continue;
                QTest::addRow("%s %s + %s", fixture.name, qPrintable(a.name), qPrintable(b.name))
                    << fixture.kind << QString::fromLatin1(fixture.name) << selectorFor(a) << selectorFor(b);
            }
        }
    }
}

void TestGatewayConfig::twoDrainsReadmittedInEitherOrder()
{
    QFETCH(GatewayKind, kind);
    QFETCH(QString, fixture);
    QFETCH(ServerSelector, first);
    QFETCH(ServerSelector, second);
    const QByteArray original = readFixture(fixture);
    const Result<ConfigEdit> one = editGatewayConfig(kind, ConfigAction::Drain, original, fixture, first);
    QVERIFY2(one.ok() || one.error().message.contains(QLatin1String("last upstream")), why(one).constData());
    if (!one)
        return;
    const Result<ConfigEdit> two = editGatewayConfig(kind, ConfigAction::Drain, one->bytes, fixture, second);
    if (!two) {
        // Refused with a reason (the proxy's last upstream); the file it was given is still the whole truth.
        QVERIFY2(two.error().message.contains(QLatin1String("last upstream")), why(two).constData());
        return;
    }
    for (const bool firstBack : {true, false}) {
        const ServerSelector &a = firstBack ? first : second;
        const ServerSelector &b = firstBack ? second : first;
        const Result<ConfigEdit> back =
            editGatewayConfig(kind, ConfigAction::Readmit, two->bytes, fixture, a);
        QVERIFY2(back.ok(), why(back).constData());
        QCOMPARE(back->bytes,
                 firstBack ? editGatewayConfig(kind, ConfigAction::Drain, original, fixture, second)->bytes
                           : one->bytes);
        const Result<ConfigEdit> both =
            editGatewayConfig(kind, ConfigAction::Readmit, back->bytes, fixture, b);
        QVERIFY2(both.ok(), why(both).constData());
        QCOMPARE(both->bytes, original);
    }
}

void TestGatewayConfig::alreadyInStateLeavesBytesAlone_data()
{
    QTest::addColumn<GatewayKind>("kind");
    QTest::addColumn<QByteArray>("config");
    QTest::addColumn<QStringList>("before"); // steps that lead to the state
    QTest::addColumn<QString>("what");
    QTest::addColumn<QString>("note");
    QTest::addColumn<int>("line");
    const auto hap = GatewayKind::HAProxy;
    const auto caddy = GatewayKind::Caddy;
    QTest::newRow("haproxy drain of a disabled server")
        << hap << readFixture(QStringLiteral("team.haproxy.cfg")) << QStringList{} << "drain api2"
        << "already drained" << 31;
    QTest::newRow("haproxy drain twice")
        << hap << readFixture(QStringLiteral("lab.haproxy.cfg")) << QStringList{"drain was1"} << "drain was1"
        << "already drained" << 34;
    QTest::newRow("haproxy readmit of one in service")
        << hap << readFixture(QStringLiteral("lab.haproxy.cfg")) << QStringList{} << "readmit was3"
        << "not drained" << 36;
    QTest::newRow("haproxy default-server disables it")
        << hap << QByteArray("backend b\n  default-server disabled\n  server s1 127.0.0.1:1\n")
        << QStringList{} << "drain s1"
        << "already drained (default-server at line 2 disables it)" << 3;
    QTest::newRow("caddy drain twice") << caddy << readFixture(QStringLiteral("lab.Caddyfile"))
                                       << QStringList{"drain 127.0.20.1:8080"} << "drain 127.0.20.1:8080"
                                       << "already drained" << 13;
    QTest::newRow("caddy readmit of one in service") << caddy << readFixture(QStringLiteral("crlf.Caddyfile"))
                                                     << QStringList{} << "readmit 127.0.22.51:8080"
                                                     << "not drained" << 8;
}

void TestGatewayConfig::alreadyInStateLeavesBytesAlone()
{
    QFETCH(GatewayKind, kind);
    QFETCH(QByteArray, config);
    QFETCH(QStringList, before);
    QFETCH(QString, what);
    QFETCH(QString, note);
    QFETCH(int, line);
    for (const QString &each : before) {
        const Result<ConfigEdit> edit = step(kind, config, QStringLiteral("f"), each);
        QVERIFY(edit.ok());
        config = edit->bytes;
    }
    const Result<ConfigEdit> edit = step(kind, config, QStringLiteral("f"), what);
    QVERIFY2(edit.ok(), why(edit).constData());
    QCOMPARE(edit->note, note);
    QCOMPARE(edit->bytes, config);
    QVERIFY(edit->diff.isEmpty());
    QVERIFY(edit->changedLines.isEmpty());
    QCOMPARE(edit->line, line);
}

void TestGatewayConfig::errorsNameFileAndLine_data()
{
    QTest::addColumn<GatewayKind>("kind");
    QTest::addColumn<QByteArray>("config");
    QTest::addColumn<QString>("what");
    QTest::addColumn<QString>("where");
    QTest::addColumn<QString>("message");
    const auto hap = GatewayKind::HAProxy;
    const auto caddy = GatewayKind::Caddy;
    const QByteArray team = readFixture(QStringLiteral("team.haproxy.cfg"));
    const QByteArray coupon = readFixture(QStringLiteral("coupon.Caddyfile"));
    QTest::newRow("unknown backend")
        << hap << team << "drain web1 nosuch"
        << "f"
        << "no backend or listen section named 'nosuch' (there are: web, api, batch, admin)";
    QTest::newRow("frontend is no backend") << hap << team << "drain web1 www"
                                            << "f"
                                            << "no backend or listen section named 'www'";
    QTest::newRow("unknown server in a backend") << hap << team << "drain web9 web"
                                                 << "f:20"
                                                 << "no server 'web9' in backend 'web'";
    QTest::newRow("unknown server anywhere") << hap << team << "drain web9"
                                             << "f"
                                             << "no server 'web9' in any backend or listen section";
    QTest::newRow("ambiguous name")
        << hap << team << "drain web1"
        << "f:23"
        << "'web1' is ambiguous: it matches web/web1 at line 23, admin/web1 at line 42";
    QTest::newRow("ambiguous host") << hap << team << "drain 127.0.21.11"
                                    << "f:23"
                                    << "is ambiguous";
    QTest::newRow("server-template by name") << hap << team << "drain job2"
                                             << "f:35"
                                             << "only reachable through server-template 'job'";
    QTest::newRow("server-template by address") << hap << team << "drain 127.0.21.31:7000 batch"
                                                << "f:35"
                                                << "only reachable through server-template";
    QTest::newRow("server-template out of range") << hap << team << "drain job4"
                                                  << "f"
                                                  << "no server 'job4' in any";
    QTest::newRow("haproxy line ending in a backslash")
        << hap << QByteArray("backend b\n  server s 127.0.0.1:1 x\\\n") << "drain s"
        << "f:2"
        << "ends in an escaped";
    QTest::newRow("caddy `to` line opening a block")
        << caddy << QByteArray(":80 {\n\treverse_proxy {\n\t\tto a:1 {\n\t\t}\n\t\tto b:1\n\t}\n}\n")
        << "drain a:1"
        << "f:3"
        << "alone on a `to` line that holds more than `to ADDRESS`";
    QTest::newRow("caddy last on a `to` line whose others are drained")
        << caddy
        << QByteArray(
               ":80 {\n\treverse_proxy {\n\t\t# clusterdeck:drained a:1 token=1 piece=\" a:1\"\n\t\tto b:1\n"
               "\t\tto c:1\n\t}\n}\n")
        << "drain b:1"
        << "f:4"
        << "readmit them first";
    QTest::newRow("caddy quoted upstream touching the next token")
        << caddy << QByteArray(":80 {\n\treverse_proxy \"a:1\"b:1 c:1\n}\n") << "drain a:1"
        << "f:2"
        << "a:1 is not separated from what follows it";
    QTest::newRow("caddy brace not ending its line")
        << caddy << QByteArray(":80 {\n\treverse_proxy a:1 { b:1\n\t}\n}\n") << "drain a:1"
        << "f:2"
        << "'{' must be the last token on its line";
    QTest::newRow("caddy closing brace not alone")
        << caddy << QByteArray(":80 {\n\treverse_proxy a:1 b:1 }\n") << "drain a:1"
        << "f:2"
        << "'}' must be alone on its line";
    QTest::newRow("unterminated quote")
        << hap << QByteArray("backend b\n  server s \"127.0.0.1:1\n") << "drain s"
        << "f:2"
        << "unterminated \" quote";
    QTest::newRow("readmit of a default-server disable")
        << hap << QByteArray("backend b\n  default-server disabled\n  server s1 127.0.0.1:1\n")
        << "readmit s1"
        << "f:3"
        << "disabled by the default-server line 2";
    QTest::newRow("caddy unknown site") << caddy << coupon << "drain 127.0.22.11:8080 :9999"
                                        << "f"
                                        << "no site with the address ':9999'";
    QTest::newRow("caddy unknown upstream in a site") << caddy << coupon << "drain 127.0.22.99:8080"
                                                      << "f"
                                                      << "no upstream '127.0.22.99:8080' in any site";
    QTest::newRow("caddy snippet only") << caddy << coupon << "drain 127.0.22.90:8080"
                                        << "f:13"
                                        << "only in the snippet (legacy)";
    QTest::newRow("caddy last upstream")
        << caddy << QByteArray(":80 {\n\treverse_proxy 127.0.0.1:1\n}\n") << "drain 127.0.0.1:1"
        << "f:2"
        << "127.0.0.1:1 is the last upstream of the reverse_proxy at line 2";
    QTest::newRow("caddy ambiguous")
        << caddy << QByteArray(":80 {\n\treverse_proxy a:1 b:1\n}\n:81 {\n\treverse_proxy a:1 c:1\n}\n")
        << "drain a:1"
        << "f:2"
        << "'a:1' is ambiguous: it is in site ':80' at f:2, site ':81' at f:5";
    QTest::newRow("caddy unclosed block")
        << caddy << QByteArray(":80 {\n\treverse_proxy a:1 {\n}\n") << "drain a:1"
        << "f:1"
        << "never closed";
    QTest::newRow("caddy stray brace") << caddy << QByteArray(":80 {\n}\n}\n") << "drain a:1"
                                       << "f:3"
                                       << "'}' closes no block";
    QTest::newRow("caddy damaged marker")
        << caddy << QByteArray(":80 {\n\t# clusterdeck:drained a:1 token=x\n\treverse_proxy b:1\n}\n")
        << "readmit a:1"
        << "f:2"
        << "damaged drain marker";
    QTest::newRow("caddy marker without its line")
        << caddy
        << QByteArray(":80 {\n\t# clusterdeck:drained a:1 token=1 piece=\" a:1\"\n\tencode gzip\n}\n")
        << "readmit a:1"
        << "f:2"
        << "not followed by the reverse_proxy or to line";
}

void TestGatewayConfig::errorsNameFileAndLine()
{
    QFETCH(GatewayKind, kind);
    QFETCH(QByteArray, config);
    QFETCH(QString, what);
    QFETCH(QString, where);
    QFETCH(QString, message);
    const Result<ConfigEdit> edit = step(kind, config, QStringLiteral("f"), what);
    QVERIFY(!edit.ok());
    QCOMPARE(edit.error().where, where);
    QVERIFY2(edit.error().message.contains(message), qPrintable(edit.error().message));
}

void TestGatewayConfig::haproxyAcceptsEveryDrain_data()
{
    QTest::addColumn<QString>("fixture");
    QTest::addColumn<ServerSelector>("selector");
    for (const Fixture &fixture : kAllFixtures) {
        if (fixture.kind != GatewayKind::HAProxy)
            continue;
        const Result<QList<ConfigUpstream>> upstreams =
            listGatewayUpstreams(fixture.kind, readFixture(QString::fromLatin1(fixture.name)), fixture.name);
        QVERIFY(upstreams.ok());
        for (const ConfigUpstream &upstream : *upstreams)
            QTest::addRow("%s %s/%s", fixture.name, qPrintable(upstream.backend), qPrintable(upstream.name))
                << QString::fromLatin1(fixture.name) << selectorFor(upstream);
    }
}

void TestGatewayConfig::haproxyAcceptsEveryDrain()
{
    QFETCH(QString, fixture);
    QFETCH(ServerSelector, selector);
    const QString haproxy =
        QStandardPaths::findExecutable(QStringLiteral("haproxy"), {QStringLiteral("/usr/sbin")});
    QVERIFY2(!haproxy.isEmpty(), "haproxy is not installed (scripts/setup installs it)");
    const Result<ConfigEdit> edit =
        editGatewayConfig(GatewayKind::HAProxy, ConfigAction::Drain, readFixture(fixture), fixture, selector);
    QVERIFY2(edit.ok(), why(edit).constData());
    QTemporaryDir dir;
    QFile file(dir.filePath(QStringLiteral("haproxy.cfg")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(edit->bytes);
    file.close();
    const Run check = run(haproxy, {QStringLiteral("-c"), QStringLiteral("-f"), file.fileName()}, dir.path());
    QVERIFY2(check.exitCode == 0, check.out + check.err);
}

void TestGatewayConfig::caddyDropsExactlyTheDrainedUpstream_data()
{
    QTest::addColumn<QString>("fixture");
    QTest::addColumn<ServerSelector>("selector");
    for (const Fixture &fixture : kAllFixtures) {
        if (fixture.kind != GatewayKind::Caddy)
            continue;
        const Result<QList<ConfigUpstream>> upstreams =
            listGatewayUpstreams(fixture.kind, readFixture(QString::fromLatin1(fixture.name)), fixture.name);
        QVERIFY(upstreams.ok());
        for (const ConfigUpstream &upstream : *upstreams)
            QTest::addRow("%s %s", fixture.name, qPrintable(upstream.name))
                << QString::fromLatin1(fixture.name) << selectorFor(upstream);
    }
}

// caddy adapt turns the Caddyfile into the JSON Caddy runs: the drained upstream's dial is gone from it,
// every other dial stays; caddy validate accepts the file.
void TestGatewayConfig::caddyDropsExactlyTheDrainedUpstream()
{
    QFETCH(QString, fixture);
    QFETCH(ServerSelector, selector);
    const QString caddy = QStandardPaths::findExecutable(QStringLiteral("caddy"));
    QVERIFY2(!caddy.isEmpty(), "caddy is not installed (scripts/setup installs it)");
    const QByteArray original = readFixture(fixture);
    const Result<ConfigEdit> edit =
        editGatewayConfig(GatewayKind::Caddy, ConfigAction::Drain, original, fixture, selector);
    if (!edit && edit.error().message.contains(QLatin1String("last upstream")))
        return;
    QVERIFY2(edit.ok(), why(edit).constData());
    QTemporaryDir dir;
    const auto dials = [&](const QByteArray &bytes, const QString &name) {
        QFile file(dir.filePath(name));
        if (!file.open(QIODevice::WriteOnly))
            return QStringList{QStringLiteral("cannot write")};
        file.write(bytes);
        file.close();
        const Run adapt = run(caddy,
                              {QStringLiteral("adapt"), QStringLiteral("--config"), file.fileName(),
                               QStringLiteral("--adapter"), QStringLiteral("caddyfile")},
                              dir.path());
        if (adapt.exitCode != 0)
            return QStringList{QStringLiteral("adapt failed: ") + QString::fromUtf8(adapt.err)};
        QStringList found;
        collectDials(QJsonDocument::fromJson(adapt.out).object(), found);
        found.sort();
        return found;
    };
    QStringList expected = dials(original, QStringLiteral("original"));
    const QString dial = selector.server.section(QStringLiteral("://"), -1);
    QVERIFY2(expected.removeOne(dial), qPrintable(expected.join(QLatin1Char(' '))));
    QCOMPARE(dials(edit->bytes, QStringLiteral("Caddyfile")), expected);
    const Run validate = run(caddy,
                             {QStringLiteral("validate"), QStringLiteral("--config"),
                              dir.filePath(QStringLiteral("Caddyfile")), QStringLiteral("--adapter"),
                              QStringLiteral("caddyfile")},
                             dir.path());
    QVERIFY2(validate.exitCode == 0, validate.err);
}

QTEST_GUILESS_MAIN(TestGatewayConfig)
#include "tst_gateway_config.moc"

// HAProxy's own shipped examples (tests/fixtures/gateway/haproxy-examples, copied from Debian's package): the
// lister finds every `server` line (counted here by first word, not by the editor's tokenizer), and for each
// one drain lists it as drained and readmit gives back the shipped bytes.
void TestGatewayConfig::haproxyExamplesRoundTrip_data()
{
    QTest::addColumn<QString>("fixture");
    QTest::addColumn<QString>("backend");
    QTest::addColumn<QString>("server");
    const QStringList files = QDir(kFixtures + QStringLiteral("haproxy-examples"))
                                  .entryList({QStringLiteral("*.cfg")}, QDir::Files, QDir::Name);
    QCOMPARE(files.size(), 7);
    for (const QString &file : files) {
        const QString name = QStringLiteral("haproxy-examples/") + file;
        const QByteArray bytes = readFixture(name);
        int serverLines = 0;
        for (const QByteArray &line : bytes.split('\n'))
            serverLines += line.simplified().startsWith("server ") ? 1 : 0;
        const Result<QList<ConfigUpstream>> upstreams =
            listGatewayUpstreams(GatewayKind::HAProxy, bytes, name);
        QVERIFY2(upstreams.ok(), why(upstreams).constData());
        QVERIFY(serverLines > 0);
        QCOMPARE(upstreams->size(), serverLines);
        for (const ConfigUpstream &upstream : *upstreams) {
            QVERIFY(!upstream.drained);
            const ServerSelector selector = selectorFor(upstream);
            QTest::addRow("%s %s/%s", qPrintable(file), qPrintable(selector.backend),
                          qPrintable(selector.server))
                << name << selector.backend << selector.server;
        }
    }
}

void TestGatewayConfig::haproxyExamplesRoundTrip()
{
    QFETCH(QString, fixture);
    QFETCH(QString, backend);
    QFETCH(QString, server);
    const QByteArray original = readFixture(fixture);
    const Result<ConfigEdit> drained =
        editGatewayConfig(GatewayKind::HAProxy, ConfigAction::Drain, original, fixture, {backend, server});
    QVERIFY2(drained.ok(), why(drained).constData());
    QCOMPARE(drained->server, server);
    QCOMPARE(drained->changedLines.size(), 1);
    const Result<QList<ConfigUpstream>> listed =
        listGatewayUpstreams(GatewayKind::HAProxy, drained->bytes, fixture);
    QVERIFY2(listed.ok(), why(listed).constData());
    int drainedCount = 0;
    for (const ConfigUpstream &upstream : *listed) {
        if (upstream.drained) {
            ++drainedCount;
            QCOMPARE(upstream.name, server);
            QCOMPARE(upstream.backend.section(QLatin1Char(' '), 0, 0), backend);
        }
    }
    QCOMPARE(drainedCount, 1);
    const Result<ConfigEdit> again = editGatewayConfig(GatewayKind::HAProxy, ConfigAction::Drain,
                                                       drained->bytes, fixture, {backend, server});
    QVERIFY2(again.ok(), why(again).constData());
    QCOMPARE(again->bytes, drained->bytes); // already drained: unchanged
    const Result<ConfigEdit> readmitted = editGatewayConfig(GatewayKind::HAProxy, ConfigAction::Readmit,
                                                            drained->bytes, fixture, {backend, server});
    QVERIFY2(readmitted.ok(), why(readmitted).constData());
    QCOMPARE(readmitted->bytes, original);
}
