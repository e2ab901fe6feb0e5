#include "cli_options.h"

#include <QCoreApplication>
#include <cstdio>
#include <cstdlib>

namespace clusterdeck::lab::cli {
namespace {

Result<std::pair<QString, quint16>> splitHostPort(const QString &text, const QString &option)
{
    const qsizetype colon = text.lastIndexOf(QLatin1Char(':'));
    bool ok = false;
    const uint port = colon > 0 ? text.mid(colon + 1).toUInt(&ok) : 0;
    if (colon <= 0 || !ok || port == 0 || port > 65535)
        return Error{QStringLiteral("expected HOST:PORT, got '%1'").arg(text), QStringLiteral("--") + option};
    return std::pair{text.left(colon), static_cast<quint16>(port)};
}

} // namespace

void addDbOptions(QCommandLineParser &parser)
{
    parser.addOptions({
        {QStringLiteral("db-host"), QStringLiteral("MariaDB host."), QStringLiteral("host")},
        {QStringLiteral("db-port"), QStringLiteral("MariaDB port (default 3306)."), QStringLiteral("port"),
         QStringLiteral("3306")},
        {QStringLiteral("db-user"), QStringLiteral("MariaDB user."), QStringLiteral("user")},
        {QStringLiteral("db-password"), QStringLiteral("MariaDB password."), QStringLiteral("password"),
         QString()},
        {QStringLiteral("db-name"), QStringLiteral("Database name."), QStringLiteral("name")},
    });
}

Result<DbConfig> dbConfig(const QCommandLineParser &parser)
{
    DbConfig config;
    const Result<QString> host = required(parser, QStringLiteral("db-host"));
    if (!host)
        return host.error();
    const Result<int> port = integer(parser, QStringLiteral("db-port"), 3306, 1, 65535);
    if (!port)
        return port.error();
    const Result<QString> user = required(parser, QStringLiteral("db-user"));
    if (!user)
        return user.error();
    const Result<QString> name = required(parser, QStringLiteral("db-name"));
    if (!name)
        return name.error();
    config.host = *host;
    config.port = static_cast<quint16>(*port);
    config.user = *user;
    config.password = parser.value(QStringLiteral("db-password"));
    config.database = *name;
    return config;
}

Result<ListenAddress> listenAddress(const QCommandLineParser &parser, const QString &option)
{
    const Result<QString> text = required(parser, option);
    if (!text)
        return text.error();
    const auto split = splitHostPort(*text, option);
    if (!split)
        return split.error();
    QHostAddress address;
    if (!address.setAddress(split->first))
        return Error{QStringLiteral("'%1' is not an IP address").arg(split->first),
                     QStringLiteral("--") + option};
    return ListenAddress{address, split->second};
}

Result<RedisEndpoint> redisEndpoint(const QCommandLineParser &parser, const QString &option)
{
    const Result<QString> text = required(parser, option);
    if (!text)
        return text.error();
    const auto split = splitHostPort(*text, option);
    if (!split)
        return split.error();
    return RedisEndpoint{split->first, split->second};
}

Result<QString> required(const QCommandLineParser &parser, const QString &option)
{
    const QString value = parser.value(option);
    if (!parser.isSet(option) || value.isEmpty())
        return Error{QStringLiteral("is required"), QStringLiteral("--") + option};
    return value;
}

Result<int> integer(const QCommandLineParser &parser, const QString &option, int fallback, int min, int max)
{
    if (!parser.isSet(option))
        return fallback;
    bool ok = false;
    const int value = parser.value(option).toInt(&ok);
    if (!ok || value < min || value > max) {
        return Error{QStringLiteral("expected an integer from %1 to %2, got '%3'")
                         .arg(min)
                         .arg(max)
                         .arg(parser.value(option)),
                     QStringLiteral("--") + option};
    }
    return value;
}

void fail(const QString &message)
{
    std::fprintf(stderr, "%s: %s\nTry '%s --help'.\n", qPrintable(QCoreApplication::applicationName()),
                 qPrintable(message), qPrintable(QCoreApplication::applicationName()));
    std::exit(2);
}

void parseOrExit(QCommandLineParser &parser)
{
    if (!parser.parse(QCoreApplication::arguments()))
        fail(parser.errorText());
    if (parser.isSet(QStringLiteral("help")))
        parser.showHelp(0);
    if (!parser.positionalArguments().isEmpty())
        fail(QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().first()));
}

} // namespace clusterdeck::lab::cli
