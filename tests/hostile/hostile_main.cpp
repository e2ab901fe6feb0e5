// clusterdeck-hostile-server: the hostile test server as a process, for measure.sh and by hand.
//   clusterdeck-hostile-server [--address 127.0.99.1] [--port 9901] [--small] [--for SECONDS]
// It exits by itself after --for seconds (default 600): nothing is left running by accident.

#include "hostile_server.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTimer>
#include <cstdio>

using namespace clusterdeck::hostile;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    const QCommandLineOption address(QStringLiteral("address"), QStringLiteral("loopback address"),
                                     QStringLiteral("IP"), QStringLiteral("127.0.99.1"));
    const QCommandLineOption port(QStringLiteral("port"), QStringLiteral("port (0: any)"),
                                  QStringLiteral("PORT"), QStringLiteral("0"));
    const QCommandLineOption small(QStringLiteral("small"),
                                   QStringLiteral("test-sized bombs (64 MiB bomb, 256 MB bodies)"));
    const QCommandLineOption lifetime(QStringLiteral("for"), QStringLiteral("seconds before exiting"),
                                      QStringLiteral("SECONDS"), QStringLiteral("600"));
    parser.addHelpOption();
    parser.addOptions({address, port, small, lifetime});
    parser.process(app);

    HostileServer server;
    if (parser.isSet(small)) {
        HostileServer::Sizes sizes;
        sizes.bombMiB = 1024;
        sizes.streamBytes = 256LL * 1024 * 1024;
        server.setSizes(sizes);
    }
    server.prepare();
    const QHostAddress host(parser.value(address));
    if (!server.listenOn(host, quint16(parser.value(port).toUInt()))) {
        std::fprintf(stderr, "cannot listen on %s:%s (loopback only)\n", qPrintable(parser.value(address)),
                     qPrintable(parser.value(port)));
        return 1;
    }
    std::printf("%s\n", qPrintable(server.url(QString()).toString()));
    std::fflush(stdout);
    const int seconds = std::clamp(parser.value(lifetime).toInt(), 1, 3600);
    QTimer::singleShot(seconds * 1000, &app, &QCoreApplication::quit);
    return QCoreApplication::exec();
}
