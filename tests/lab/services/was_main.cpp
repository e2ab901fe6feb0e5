// clusterdeck-lab-was: the lab's demo WAS node, a Spring Boot look-alike (see README.md).

#include "cli_options.h"
#include "db_pool.h"
#include "fault_switch.h"
#include "lab_http_server.h"
#include "process_metrics.h"
#include "request_metrics.h"
#include "signal_watcher.h"
#include "was_metrics_page.h"
#include "was_service.h"

#include <QCoreApplication>
#include <QThreadPool>
#include <QTimer>
#include <cstdio>
#include <cstdlib>

using namespace clusterdeck::lab;
using namespace std::chrono_literals;

namespace {

template <typename T> T orFail(clusterdeck::Result<T> result)
{
    if (!result)
        cli::fail(result.error().toString());
    return std::move(result).value();
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("clusterdeck-lab-was"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Demo WAS node of the ClusterDeck lab: Spring Boot style endpoints (/api/reviews, "
        "/api/coupons/{id}/issue, /actuator/health, /actuator/prometheus) over real MariaDB and Redis, "
        "with a fault switch at /lab/fault."));
    parser.addHelpOption();
    parser.addOptions({
        {QStringLiteral("name"), QStringLiteral("Node name used in log lines."), QStringLiteral("name")},
        {QStringLiteral("listen"), QStringLiteral("Address to serve HTTP on, IP:PORT."),
         QStringLiteral("ip:port")},
        {QStringLiteral("redis"), QStringLiteral("Redis server, HOST:PORT."), QStringLiteral("host:port")},
        {QStringLiteral("stream"), QStringLiteral("Redis stream that issued coupons are queued on."),
         QStringLiteral("stream")},
        {QStringLiteral("threads"), QStringLiteral("Worker threads (default 64)."), QStringLiteral("n"),
         QStringLiteral("64")},
        {QStringLiteral("db-pool"),
         QStringLiteral("Database connections, like Hikari's maximumPoolSize (default 10)."),
         QStringLiteral("n"), QStringLiteral("10")},
    });
    cli::addDbOptions(parser);
    cli::parseOrExit(parser);

    const QString name = orFail(cli::required(parser, QStringLiteral("name")));
    const ListenAddress listen = orFail(cli::listenAddress(parser, QStringLiteral("listen")));
    const RedisEndpoint redis = orFail(cli::redisEndpoint(parser, QStringLiteral("redis")));
    const QString stream = orFail(cli::required(parser, QStringLiteral("stream")));
    const int threads = orFail(cli::integer(parser, QStringLiteral("threads"), 64, 1, 1024));
    const int poolSize = orFail(cli::integer(parser, QStringLiteral("db-pool"), 10, 1, 200));
    const DbConfig dbConfig = orFail(cli::dbConfig(parser));

    SignalWatcher signalWatcher;
    ProcessMetrics process("io.clusterdeck.lab.WasApplication");
    RequestMetrics requests;
    FaultSwitch faults;
    DbPool db(dbConfig, poolSize, 5000ms);
    db.fill();
    WasService service(WasConfig{name, redis, stream.toUtf8()}, db, faults);
    WasMetricsPage metricsPage(requests, db, process);

    QThreadPool workers;
    workers.setMaxThreadCount(threads);
    workers.setExpiryTimeout(-1); // keep threads, and with them their Redis connections

    LabHttpServer server(&workers);
    server.addRoute("GET", QStringLiteral("/api/reviews"),
                    [&](const HttpCall &c) { return service.reviews(c); });
    server.addRoute("POST", QStringLiteral("/api/coupons/{id}/issue"),
                    [&](const HttpCall &c) { return service.issueCoupon(c); });
    server.addRoute("GET", QStringLiteral("/actuator/health"),
                    [&](const HttpCall &c) { return service.health(c); });
    server.addRoute("GET", QStringLiteral("/actuator/prometheus"),
                    [&](const HttpCall &) { return metricsPage.render(); });
    server.addRoute("GET", QStringLiteral("/lab/fault"),
                    [&](const HttpCall &c) { return service.faultState(c); });
    server.addRoute("POST", QStringLiteral("/lab/fault"),
                    [&](const HttpCall &c) { return service.changeFault(c); });

    server.setAdmission([&](const HttpCall &call, const QString &uri) {
        LabHttpServer::Admission admission;
        if (!uri.startsWith(QLatin1String("/api/")))
            return admission;
        const FaultSwitch::State state = faults.state();
        if (state.down) {
            admission.reply =
                HttpReply::error(503, QStringLiteral("node is down (lab fault switch)"), call.path);
            return admission;
        }
        admission.delay = std::chrono::milliseconds(state.latencyMs);
        if (faults.takeError())
            admission.reply =
                HttpReply::error(500, QStringLiteral("injected error (lab fault switch)"), call.path);
        return admission;
    });
    server.setObserver([&](const HttpCall &call, const QString &uri, int status, double seconds) {
        requests.record(QString::fromLatin1(call.method), uri, status, seconds);
    });

    if (const clusterdeck::Status listening = server.listenOn(listen.address, listen.port); !listening) {
        std::fprintf(stderr, "%s: %s\n", qPrintable(name), qPrintable(listening.error().toString()));
        return 1;
    }
    process.markReady();
    std::fprintf(stderr, "%s listening on %s (redis %s, db %s/%s, stream %s, %d threads, db pool %d)\n",
                 qPrintable(name), qPrintable(listen.toString()), qPrintable(redis.toString()),
                 qPrintable(dbConfig.endpoint()), qPrintable(dbConfig.database), qPrintable(stream), threads,
                 poolSize);

    // Hikari keeps minimumIdle connections open; reopen what a database outage closed.
    QTimer refill;
    QObject::connect(&refill, &QTimer::timeout, [&db] { db.fill(); });
    refill.start(30s);

    QObject::connect(&signalWatcher, &SignalWatcher::terminationRequested, [&](int signalNumber, int count) {
        if (count > 1) {
            std::fprintf(stderr, "%s: signal %d again, exiting without waiting\n", qPrintable(name),
                         signalNumber);
            std::_Exit(1);
        }
        std::fprintf(stderr,
                     "%s: signal %d, shutting down gracefully: listener closed, waiting up to 30 s for %d "
                     "request(s) in flight\n",
                     qPrintable(name), signalNumber, server.inFlight());
        refill.stop();
        server.beginShutdown(30s);
    });
    QObject::connect(&server, &LabHttpServer::shutdownFinished, [&](bool clean) {
        std::fprintf(stderr, "%s: shutdown complete (%s)\n", qPrintable(name),
                     clean ? "all requests finished"
                           : "grace period over, abandoning requests still running");
        QCoreApplication::exit(0);
    });

    const int rc = QCoreApplication::exec();
    workers.waitForDone();
    return rc;
}
