#pragma once

#include "common/result.h"
#include "db_pool.h"
#include "redis_client.h"

#include <QCommandLineParser>
#include <QHostAddress>

namespace clusterdeck::lab {

struct ListenAddress {
    QHostAddress address;
    quint16 port = 0;
    QString toString() const { return address.toString() + QLatin1Char(':') + QString::number(port); }
};

// Command-line helpers shared by the lab services; every error names the option at fault.
namespace cli {

void addDbOptions(QCommandLineParser &parser);
Result<DbConfig> dbConfig(const QCommandLineParser &parser);
// "127.0.20.1:8080" for --listen (an IP address), "host:port" for --redis.
Result<ListenAddress> listenAddress(const QCommandLineParser &parser, const QString &option);
Result<RedisEndpoint> redisEndpoint(const QCommandLineParser &parser, const QString &option);
Result<QString> required(const QCommandLineParser &parser, const QString &option);
Result<int> integer(const QCommandLineParser &parser, const QString &option, int fallback, int min, int max);
// Prints "program: message" and the usage hint to stderr, then exits with status 2.
[[noreturn]] void fail(const QString &message);
// Parses the process arguments; --help prints and exits 0, a bad or stray argument fails with its reason.
void parseOrExit(QCommandLineParser &parser);

} // namespace cli
} // namespace clusterdeck::lab
