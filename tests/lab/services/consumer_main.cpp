// clusterdeck-lab-consumer: the lab's queue consumer and its kafka_exporter-style metrics (see README.md).

#include "cli_options.h"
#include "consumer_metrics_page.h"
#include "consumer_worker.h"
#include "lab_http_server.h"
#include "signal_watcher.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QThreadPool>
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

QJsonObject stateJson(const ConsumerWorker &worker)
{
    const ConsumerWorker::Counts counts = worker.counts();
    return QJsonObject{
        {QStringLiteral("state"), worker.paused() ? QStringLiteral("paused") : QStringLiteral("running")},
        {QStringLiteral("rate"), worker.rate()},
        {QStringLiteral("inserted"), static_cast<qint64>(counts.inserted)},
        {QStringLiteral("duplicate"), static_cast<qint64>(counts.duplicate)},
        {QStringLiteral("error"), static_cast<qint64>(counts.error)},
        {QStringLiteral("lastError"), worker.lastError()},
    };
}

// POST /lab/consumer?state=paused|running&rate=N: validates everything before changing anything.
HttpReply changeConsumer(ConsumerWorker &worker, const HttpCall &call)
{
    if (call.query.isEmpty())
        return HttpReply::error(400, QStringLiteral("give state=paused|running and/or rate=N"), call.path);
    for (auto it = call.query.cbegin(); it != call.query.cend(); ++it) {
        if (it.key() != QLatin1String("state") && it.key() != QLatin1String("rate"))
            return HttpReply::error(
                400, QStringLiteral("unknown parameter '%1' (known: state, rate)").arg(it.key()), call.path);
    }
    std::optional<bool> paused;
    if (call.has(QStringLiteral("state"))) {
        const QString state = call.value(QStringLiteral("state"));
        if (state == QLatin1String("paused"))
            paused = true;
        else if (state == QLatin1String("running"))
            paused = false;
        else
            return HttpReply::error(
                400, QStringLiteral("state must be paused or running, got '%1'").arg(state), call.path);
    }
    std::optional<int> rate;
    if (call.has(QStringLiteral("rate"))) {
        bool ok = false;
        const int value = call.value(QStringLiteral("rate")).toInt(&ok);
        if (!ok || value < 1 || value > ConsumerWorker::kMaxRate) {
            return HttpReply::error(400,
                                    QStringLiteral("rate must be an integer from 1 to %1, got '%2'")
                                        .arg(ConsumerWorker::kMaxRate)
                                        .arg(call.value(QStringLiteral("rate"))),
                                    call.path);
        }
        rate = value;
    }
    if (paused)
        worker.setPaused(*paused);
    if (rate)
        worker.setRate(*rate);
    const QJsonObject state = stateJson(worker);
    std::fprintf(stderr, "consumer-1: now %s at most %d messages/s\n",
                 qPrintable(state.value(QStringLiteral("state")).toString()), worker.rate());
    return HttpReply::json(200, QJsonDocument(state));
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("clusterdeck-lab-consumer"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Queue consumer of the ClusterDeck lab: reads issued coupons from a Redis stream as a consumer group "
        "member, writes them to MariaDB, and serves the queue's lag under kafka_exporter's metric names at "
        "/metrics (no Kafka broker is packaged here; the stream stands in for a one-partition topic)."));
    parser.addHelpOption();
    parser.addOptions({
        {QStringLiteral("listen"), QStringLiteral("Address to serve /metrics and /lab/consumer on, IP:PORT."),
         QStringLiteral("ip:port")},
        {QStringLiteral("redis"), QStringLiteral("Redis server, HOST:PORT."), QStringLiteral("host:port")},
        {QStringLiteral("stream"), QStringLiteral("Redis stream to consume (the \"topic\")."),
         QStringLiteral("stream")},
        {QStringLiteral("group"), QStringLiteral("Consumer group (created when missing)."),
         QStringLiteral("group")},
        {QStringLiteral("rate"), QStringLiteral("Most messages per second (default 500)."),
         QStringLiteral("n"), QStringLiteral("500")},
    });
    cli::addDbOptions(parser);
    cli::parseOrExit(parser);

    const ListenAddress listen = orFail(cli::listenAddress(parser, QStringLiteral("listen")));
    const RedisEndpoint redis = orFail(cli::redisEndpoint(parser, QStringLiteral("redis")));
    const QString stream = orFail(cli::required(parser, QStringLiteral("stream")));
    const QString group = orFail(cli::required(parser, QStringLiteral("group")));
    const int rate = orFail(cli::integer(parser, QStringLiteral("rate"), 500, 1, ConsumerWorker::kMaxRate));
    const DbConfig dbConfig = orFail(cli::dbConfig(parser));

    SignalWatcher signalWatcher;
    ConsumerWorker worker(ConsumerConfig{redis, dbConfig, stream.toUtf8(), group.toUtf8()}, rate);
    ConsumerMetricsPage metricsPage(redis, stream.toUtf8(), worker);

    QThreadPool workers;
    workers.setMaxThreadCount(4);
    workers.setExpiryTimeout(-1);
    LabHttpServer server(&workers);
    server.addRoute("GET", QStringLiteral("/metrics"),
                    [&](const HttpCall &) { return metricsPage.render(); });
    server.addRoute("GET", QStringLiteral("/lab/consumer"),
                    [&](const HttpCall &) { return HttpReply::json(200, QJsonDocument(stateJson(worker))); });
    server.addRoute("POST", QStringLiteral("/lab/consumer"),
                    [&](const HttpCall &call) { return changeConsumer(worker, call); });

    if (const clusterdeck::Status listening = server.listenOn(listen.address, listen.port); !listening) {
        std::fprintf(stderr, "consumer-1: %s\n", qPrintable(listening.error().toString()));
        return 1;
    }
    worker.start();
    std::fprintf(
        stderr, "consumer-1 listening on %s (redis %s stream %s group %s, db %s/%s, at most %d messages/s)\n",
        qPrintable(listen.toString()), qPrintable(redis.toString()), qPrintable(stream), qPrintable(group),
        qPrintable(dbConfig.endpoint()), qPrintable(dbConfig.database), rate);

    QObject::connect(&signalWatcher, &SignalWatcher::terminationRequested, [&](int signalNumber, int count) {
        if (count > 1) {
            std::fprintf(stderr, "consumer-1: signal %d again, exiting without waiting\n", signalNumber);
            std::_Exit(1);
        }
        std::fprintf(stderr, "consumer-1: signal %d, finishing the current batch\n", signalNumber);
        worker.requestStop();
        server.beginShutdown(5s);
    });
    QObject::connect(&server, &LabHttpServer::shutdownFinished, [&](bool) {
        worker.join();
        const ConsumerWorker::Counts counts = worker.counts();
        std::fprintf(stderr, "consumer-1: stopped (inserted %llu, duplicate %llu, error %llu)\n",
                     static_cast<unsigned long long>(counts.inserted),
                     static_cast<unsigned long long>(counts.duplicate),
                     static_cast<unsigned long long>(counts.error));
        QCoreApplication::exit(0);
    });

    const int rc = QCoreApplication::exec();
    workers.waitForDone();
    return rc;
}
