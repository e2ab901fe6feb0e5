// The HAProxy runtime answers as HAProxy 2.6 prints them, parsed into per-server state.
#include "gateway/haproxy_runtime.h"

#include <QTest>

using namespace clusterdeck;

namespace {

const QByteArray kState =
    "1\n"
    "# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight "
    "srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state "
    "srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port "
    "srv_check_addr srv_agent_addr srv_agent_port\n"
    "3 was 1 was1 127.0.20.1 2 0 1 1 120 6 3 4 6 0 0 0 - 8080 - 0 0 - - 0\n"
    "3 was 2 was2 127.0.20.2 2 8 1 1 5 6 3 4 6 0 0 0 - 8080 - 0 0 - - 0\n"
    "3 was 3 was3 127.0.20.3 0 5 1 1 5 1 0 0 14 0 0 0 - 8080 - 0 0 - - 0\n"
    "3 was 4 was4 127.0.20.4 2 4 1 1 5 6 3 4 6 0 0 0 - 8080 - 0 0 - - 0\n"
    "\n";

QByteArray statCsv()
{
    return "# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,"
           "status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,lbtot,tracked,"
           "type,rate,rate_lim,rate_max,check_status,check_code,check_duration\n"
           "was,was1,0,0,7,12,,5120,1,1,,0,,0,0,0,0,UP,1,1,0,0,0,120,0,,1,3,1,,5000,,2,40,,90,L7OK,200,1\n"
           "was,was2,1,2,3,12,,4000,1,1,,0,,0,0,0,0,DRAIN,1,1,0,0,0,5,0,,1,3,2,,3900,,2,0,,90,L7OK,200,1\n"
           "was,was3,0,0,0,0,,0,1,1,,0,,0,0,0,0,MAINT,1,1,0,0,0,5,0,,1,3,3,,0,,2,0,,0,* L4CON,,0\n"
           "was,was4,0,0,0,1,,12,1,1,,0,,0,0,0,0,UP 1/2,1,1,0,0,0,5,0,,1,3,4,,12,,2,0,,9,L7OK,200,1\n";
}

} // namespace

class TestHaproxyRuntime : public QObject {
    Q_OBJECT
private slots:
    void parsesServers_data();
    void parsesServers();
    void refusesForeignAnswers_data();
    void refusesForeignAnswers();
};

void TestHaproxyRuntime::parsesServers_data()
{
    QTest::addColumn<int>("index");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("address");
    QTest::addColumn<bool>("inRotation");
    QTest::addColumn<bool>("healthy");
    QTest::addColumn<QString>("status");
    QTest::addColumn<qint64>("sessions");
    QTest::addColumn<qint64>("queue");
    QTest::addColumn<qint64>("total");
    QTest::addColumn<QString>("check");
    QTest::newRow("ready") << 0 << "was1"
                           << "127.0.20.1:8080" << true << true << "UP" << 7LL << 0LL << 5120LL << "L7OK";
    QTest::newRow("forced drain") << 1 << "was2"
                                  << "127.0.20.2:8080" << false << true << "DRAIN" << 3LL << 1LL << 4000LL
                                  << "L7OK";
    QTest::newRow("disabled in the file")
        << 2 << "was3"
        << "127.0.20.3:8080" << false << false << "MAINT" << 0LL << 0LL << 0LL << " L4CON";
}

void TestHaproxyRuntime::parsesServers()
{
    QFETCH(int, index);
    Result<QList<HaproxyServerState>> servers = parseShowServersState(kState);
    QVERIFY2(servers.ok(), qPrintable(servers.ok() ? QString() : servers.error().message));
    QCOMPARE(servers->size(), 4);
    QVERIFY(mergeShowStat(statCsv(), *servers).ok());
    const HaproxyServerState &server = servers->at(index);
    QCOMPARE(server.backend, QStringLiteral("was"));
    QTEST(server.server, "name");
    QTEST(server.address, "address");
    QTEST(server.inRotation(), "inRotation");
    QTEST(server.healthy(), "healthy");
    QTEST(server.status, "status");
    QTEST(server.currentSessions, "sessions");
    QTEST(server.currentQueue, "queue");
    QTEST(server.totalSessions, "total");
    QTEST(server.checkStatus, "check");
}

void TestHaproxyRuntime::refusesForeignAnswers_data()
{
    QTest::addColumn<QByteArray>("state");
    QTest::addColumn<QByteArray>("stat");
    QTest::addColumn<QString>("error");
    QTest::newRow("no such backend") << QByteArray("Can't find backend.\n") << statCsv()
                                     << "unexpected answer";
    QTest::newRow("missing columns") << QByteArray("1\n# be_id be_name srv_id\n3 was 1\n") << statCsv()
                                     << "lacks be_name, srv_name";
    QTest::newRow("stat not csv") << kState << QByteArray("Unknown command.\n")
                                  << "unexpected answer to 'show stat'";
}

void TestHaproxyRuntime::refusesForeignAnswers()
{
    QFETCH(QByteArray, state);
    QFETCH(QByteArray, stat);
    QFETCH(QString, error);
    Result<QList<HaproxyServerState>> servers = parseShowServersState(state);
    QString message;
    if (!servers)
        message = servers.error().message;
    else if (const Status merged = mergeShowStat(stat, *servers); !merged)
        message = merged.error().message;
    QVERIFY2(message.contains(error), qPrintable(message));
}

QTEST_GUILESS_MAIN(TestHaproxyRuntime)
#include "tst_haproxy_runtime.moc"
