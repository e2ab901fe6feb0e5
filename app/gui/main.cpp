#include "cluster/inventory_loader.h"
#include "common/number_text.h"
#include "common/version.h"
#include "main_window.h"
#include "open_cluster_dialog.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QLoggingCategory>
#include <QMessageBox>
#include <QFileInfo>
#include <QTimer>

#include <cstdio>
#include <memory>

namespace {

// --help and --version must work on a host without a display, so they are answered before QApplication exists.
bool answersWithoutWindow(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        const QByteArray arg(argv[i]);
        if (arg == "--help" || arg == "-h" || arg == "--help-all" || arg == "--version" || arg == "-v")
            return true;
    }
    return false;
}

} // namespace

int main(int argc, char **argv)
{
    std::unique_ptr<QCoreApplication> app;
    if (answersWithoutWindow(argc, argv))
        app = std::make_unique<QCoreApplication>(argc, argv);
    else
        app = std::make_unique<QApplication>(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("clusterdeck"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CLUSTERDECK_VERSION));
    QGuiApplication::setDesktopFileName(QStringLiteral("clusterdeck"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("ClusterDeck — watch, drain and review a small HA web cluster."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption clusterOption(QStringLiteral("cluster"), QStringLiteral("Cluster inventory (YAML) to open."),
                                           QStringLiteral("FILE"));
    const QCommandLineOption screenshotOption(QStringLiteral("screenshot"),
                                              QStringLiteral("Render the window to PNG and exit (works offscreen)."),
                                              QStringLiteral("PNG"));
    const QCommandLineOption afterOption(QStringLiteral("after"),
                                         QStringLiteral("Seconds to run before the screenshot (default 3)."),
                                         QStringLiteral("SECONDS"), QStringLiteral("3"));
    const QCommandLineOption sourceOption(QStringLiteral("source"),
                                          QStringLiteral("Where KPIs come from: direct (scrape every target) or prometheus "
                                                         "(PromQL on the cluster's Prometheus). Default: the file's 'source:'."),
                                          QStringLiteral("direct|prometheus"));
    const QCommandLineOption verboseOption(QStringLiteral("verbose"),
                                           QStringLiteral("Print debug output of the clusterdeck.* log categories "
                                                          "(QT_LOGGING_RULES overrides)."));
    const QCommandLineOption dbOption(QStringLiteral("db"),
                                      QStringLiteral("History file to record into and back-fill from (default: the "
                                                     "cluster file's history_db, else one per cluster in the app data folder)."),
                                      QStringLiteral("PATH"));
    parser.addOptions({clusterOption, sourceOption, dbOption, screenshotOption, afterOption, verboseOption});
    parser.process(*app);
    if (!parser.positionalArguments().isEmpty()) {
        std::fprintf(stderr, "clusterdeck: unexpected argument '%s' (the cluster file goes after --cluster)\n",
                     qPrintable(parser.positionalArguments().first()));
        return 2;
    }
    // Without --verbose only warnings and worse; QT_LOGGING_RULES is applied after these rules and wins.
    QLoggingCategory::setFilterRules(parser.isSet(verboseOption) ? QStringLiteral("clusterdeck.*.debug=true")
                                                                 : QStringLiteral("clusterdeck.*.debug=false"));

    QString clusterPath = parser.value(clusterOption);
    if (clusterPath.isEmpty()) {
        OpenClusterDialog dialog;
        if (dialog.exec() != QDialog::Accepted)
            return 0;
        clusterPath = dialog.selectedPath();
    }
    const clusterdeck::Result<clusterdeck::Cluster> cluster = clusterdeck::loadClusterFile(clusterPath);
    if (!cluster) {
        std::fprintf(stderr, "%s\n", qPrintable(cluster.error().toString()));
        if (!parser.isSet(screenshotOption) && QGuiApplication::platformName() != QLatin1String("offscreen"))
            QMessageBox::critical(nullptr, QStringLiteral("ClusterDeck"), cluster.error().toString());
        return 1;
    }

    clusterdeck::Cluster chosen = *cluster;
    if (parser.isSet(sourceOption)) {
        const QString source = parser.value(sourceOption);
        if (source == QLatin1String("prometheus") && chosen.prometheusUrl.isEmpty()) {
            std::fprintf(stderr, "%s: --source prometheus needs 'prometheus:' (the server's URL) in the cluster file\n",
                         qPrintable(clusterPath));
            return 2;
        }
        if (source != QLatin1String("prometheus") && source != QLatin1String("direct")) {
            std::fprintf(stderr, "--source takes direct or prometheus, not '%s'\n", qPrintable(source));
            return 2;
        }
        chosen.metricsSource = source == QLatin1String("prometheus") ? clusterdeck::MetricsSource::Prometheus
                                                                     : clusterdeck::MetricsSource::Direct;
    }
    if (parser.isSet(dbOption))
        chosen.historyDb = QFileInfo(parser.value(dbOption)).absoluteFilePath();
    MainWindow window(chosen);
    window.show();

    if (parser.isSet(screenshotOption)) {
        const clusterdeck::Result<double> seconds =
            clusterdeck::parseSecondsOption(QStringLiteral("--after"), parser.value(afterOption), 0, 86400);
        if (!seconds) {
            std::fprintf(stderr, "%s\n", qPrintable(seconds.error().message));
            return 2;
        }
        const QString target = parser.value(screenshotOption);
        QTimer::singleShot(clusterdeck::secondsToTimerMs(*seconds), app.get(), [&window, target] {
            if (!window.grab().save(target)) {
                std::fprintf(stderr, "cannot write screenshot to %s\n", qPrintable(target));
                QCoreApplication::exit(1);
                return;
            }
            std::printf("screenshot saved to %s\n", qPrintable(target));
            QCoreApplication::exit(0);
        });
    }
    return QCoreApplication::exec();
}
