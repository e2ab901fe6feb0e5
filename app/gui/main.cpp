#include "chart_update_stats.h"
#include "cluster/inventory_loader.h"
#include "common/number_text.h"
#include "common/version.h"
#include "console_session.h"
#include "console_settings.h"
#include "gui_stall_monitor.h"
#include "language.h"
#include "main_window.h"
#include "node_page.h"
#include "theme.h"
#include "welcome_page.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QIcon>
#include <QLoggingCategory>
#include <QMessageBox>
#include <QSettings>
#include <QTemporaryDir>
#include <QTimer>
#include <QVBoxLayout>
#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>

namespace {

// --help and --version must work on a host without a display, so they are answered before QApplication
// exists.
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
    clusterdeck::ChartUpdateStats::global().startClock(); // start-up is measured from here
    std::unique_ptr<QCoreApplication> app;
    if (answersWithoutWindow(argc, argv))
        app = std::make_unique<QCoreApplication>(argc, argv);
    else
        app = std::make_unique<QApplication>(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("clusterdeck"));
    QCoreApplication::setOrganizationName(
        QStringLiteral("clusterdeck")); // ~/.config/clusterdeck/clusterdeck.conf
    QCoreApplication::setApplicationVersion(QStringLiteral(CLUSTERDECK_VERSION));
    // The installed .desktop file's name: the window manager groups the window under the launcher's icon.
    QGuiApplication::setDesktopFileName(QStringLiteral(CLUSTERDECK_APP_ID));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("ClusterDeck — watch, drain and review a small HA web cluster."));
    parser.addHelpOption();
    const QCommandLineOption versionOption({QStringLiteral("v"), QStringLiteral("version")},
                                           QStringLiteral("Displays version and licence information."));
    parser.addOption(versionOption);
    const QCommandLineOption clusterOption(QStringLiteral("cluster"),
                                           QStringLiteral("Cluster inventory (YAML) to open."),
                                           QStringLiteral("FILE"));
    const QCommandLineOption screenshotOption(
        QStringLiteral("screenshot"), QStringLiteral("Render the window to PNG and exit (works offscreen)."),
        QStringLiteral("PNG"));
    const QCommandLineOption afterOption(QStringLiteral("after"),
                                         QStringLiteral("Seconds to run before the screenshot (default 3)."),
                                         QStringLiteral("SECONDS"), QStringLiteral("3"));
    const QCommandLineOption sourceOption(
        QStringLiteral("source"),
        QStringLiteral("Where KPIs come from: direct (scrape every target) or prometheus "
                       "(PromQL on the cluster's Prometheus). Default: the file's 'source:'."),
        QStringLiteral("direct|prometheus"));
    const QCommandLineOption verboseOption(
        QStringLiteral("verbose"), QStringLiteral("Print debug output of the clusterdeck.* log categories "
                                                  "(QT_LOGGING_RULES overrides)."));
    const QCommandLineOption dbOption(
        QStringLiteral("db"),
        QStringLiteral("History file to record into and back-fill from (default: the "
                       "cluster file's history_db, else one per cluster in the app data folder)."),
        QStringLiteral("PATH"));
    const QCommandLineOption pageOption(
        QStringLiteral("page"),
        QStringLiteral("Page shown first: overview, alerts or node:NAME (a target of the cluster); "
                       "node:NAME/raw opens its raw metrics."),
        QStringLiteral("overview|alerts|node:NAME[/raw]"));
    const QCommandLineOption reportStatsOption(
        QStringLiteral("report-stats"),
        QStringLiteral(
            "When the window closes, print 'rss_mb=X stall_ms_max=Y chart_update_ms_p99=Z startup_ms=S' "
            "measured in the running window (stall: longest time the GUI thread did not return to its "
            "event loop after start-up, which ends with the first chart painted with data; startup_ms: "
            "from main() to that paint, -1 when no chart had data)."));
    const QCommandLineOption themeOption(QStringLiteral("theme"),
                                         QStringLiteral("Palette: light or dark (default: the system's)."),
                                         QStringLiteral("light|dark"));
    const QCommandLineOption langOption(QStringLiteral("lang"),
                                        QStringLiteral("Language: en or ko (default: the system's locale)."),
                                        QStringLiteral("en|ko"));
    parser.addOptions({clusterOption, sourceOption, dbOption, screenshotOption, afterOption, pageOption,
                       reportStatsOption, themeOption, langOption, verboseOption});
    parser.process(*app);
    if (parser.isSet(versionOption)) {
        std::printf("clusterdeck %s\n%s", CLUSTERDECK_VERSION, CLUSTERDECK_LICENSE_NOTICE);
        return 0;
    }
    // A screenshot run neither reads nor changes the operator's settings: same window size every time, and no
    // recent-files entry for a scripted run.
    QTemporaryDir scratch;
    const auto settingsOwner =
        parser.isSet(screenshotOption)
            ? std::make_unique<QSettings>(scratch.filePath(QStringLiteral("clusterdeck.conf")),
                                          QSettings::IniFormat)
            : std::make_unique<QSettings>();
    QSettings &settings = *settingsOwner;
    if (parser.isSet(themeOption) && !clusterdeck::themeFromName(parser.value(themeOption))) {
        std::fprintf(stderr, "--theme takes light or dark, not '%s'\n",
                     qPrintable(parser.value(themeOption)));
        return 2;
    }
    // A choice given on the command line is kept for the next runs (ConsoleSettings::chosen).
    if (const std::optional<clusterdeck::Theme> theme =
            clusterdeck::themeFromName(clusterdeck::ConsoleSettings::chosen(settings, QStringLiteral("theme"),
                                                                            parser.value(themeOption))))
        clusterdeck::applyTheme(*qobject_cast<QApplication *>(app.get()), *theme);
    // English is the source language; Korean from the translations built into the program.
    {
        const QString lang = parser.value(langOption);
        if (parser.isSet(langOption) && !clusterdeck::isKnownLanguage(lang)) {
            std::fprintf(stderr, "--lang takes en or ko, not '%s'\n", qPrintable(lang));
            return 2;
        }
        clusterdeck::installTranslations(
            clusterdeck::ConsoleSettings::chosen(settings, QStringLiteral("language"), lang));
    }
    QIcon bundledIcon; // every size, so a window on a high-DPI screen gets a sharp one
    for (int size : {16, 24, 32, 48, 64, 128, 256})
        bundledIcon.addFile(QStringLiteral(":/icons/clusterdeck-%1.png").arg(size), QSize(size, size));
    QGuiApplication::setWindowIcon(QIcon::fromTheme(QStringLiteral(CLUSTERDECK_APP_ID), bundledIcon));
    if (!parser.positionalArguments().isEmpty()) {
        std::fprintf(stderr,
                     "clusterdeck: unexpected argument '%s' (the cluster file goes after --cluster)\n",
                     qPrintable(parser.positionalArguments().first()));
        return 2;
    }
    // Without --verbose only warnings and worse; QT_LOGGING_RULES is applied after these rules and wins.
    QLoggingCategory::setFilterRules(parser.isSet(verboseOption)
                                         ? QStringLiteral("clusterdeck.*.debug=true")
                                         : QStringLiteral("clusterdeck.*.debug=false"));

    QString clusterPath = parser.value(clusterOption);
    if (clusterPath.isEmpty()) {
        QDialog dialog;
        auto *welcome = new clusterdeck::WelcomePage(clusterdeck::ConsoleSettings::recentClusters(settings));
        (new QVBoxLayout(&dialog))->addWidget(welcome);
        dialog.setWindowTitle(welcome->windowTitle());
        dialog.resize(welcome->size());
        QObject::connect(welcome, &clusterdeck::WelcomePage::clusterChosen, &dialog,
                         [&](const QString &path) {
                             clusterPath = path;
                             dialog.accept();
                         });
        if (dialog.exec() != QDialog::Accepted)
            return 0;
    }
    const clusterdeck::Result<clusterdeck::Cluster> cluster = clusterdeck::loadClusterFile(clusterPath);
    if (!cluster) {
        std::fprintf(stderr, "%s\n", qPrintable(cluster.error().toString()));
        if (!parser.isSet(screenshotOption) && QGuiApplication::platformName() != QLatin1String("offscreen"))
            QMessageBox::critical(nullptr, QStringLiteral("ClusterDeck"), cluster.error().toString());
        return 1;
    }

    std::optional<clusterdeck::MetricsSource> sourceOverride;
    if (parser.isSet(sourceOption)) {
        const clusterdeck::Result<clusterdeck::MetricsSource> source =
            clusterdeck::metricsSourceFromOption(parser.value(sourceOption), *cluster);
        if (!source) {
            std::fprintf(stderr, "%s\n", qPrintable(source.error().toString()));
            return 2;
        }
        sourceOverride = *source;
    }
    // --db is absolute now: a reload must not resolve it against another working directory.
    const QString dbPath =
        parser.isSet(dbOption) ? QFileInfo(parser.value(dbOption)).absoluteFilePath() : QString();
    // The session reloads the file when it is saved; --source and --db apply to every reload too.
    clusterdeck::ConsoleSession session(
        clusterPath, *cluster, settings, [sourceOverride, dbPath](clusterdeck::Cluster chosen) {
            if (sourceOverride && (*sourceOverride != clusterdeck::MetricsSource::Prometheus ||
                                   !chosen.prometheusUrl.isEmpty()))
                chosen.metricsSource = *sourceOverride;
            if (!dbPath.isEmpty())
                chosen.historyDb = dbPath;
            return chosen;
        });
    if (parser.isSet(pageOption)) {
        QString page = parser.value(pageOption);
        const bool raw = page.startsWith(QLatin1String("node:")) && page.endsWith(QLatin1String("/raw"));
        if (raw)
            page.chop(4);
        if (raw && session.window()->showPage(page))
            session.window()->nodePage()->showRawMetrics();
        else if (!session.window()->showPage(page)) {
            std::fprintf(stderr,
                         "--page takes overview, alerts or node:NAME with NAME a target of %s, not '%s'\n",
                         qPrintable(clusterPath), qPrintable(page));
            return 2;
        }
    }
    session.window()->show();
    // Measured from the first turn of the event loop, and again from the end of start-up: the window's first
    // frame, then the first chart painted with data (the back-fill from history, else the first round).
    clusterdeck::GuiStallMonitor stallMonitor;
    if (parser.isSet(reportStatsOption)) {
        QTimer::singleShot(0, &stallMonitor, [&stallMonitor] { stallMonitor.start(); });
        clusterdeck::ChartUpdateStats::global().onStartupPaint = [&stallMonitor] {
            QTimer::singleShot(0, &stallMonitor, [&stallMonitor] { stallMonitor.start(); });
        };
    }

    if (parser.isSet(screenshotOption)) {
        const clusterdeck::Result<double> seconds =
            clusterdeck::parseSecondsOption(QStringLiteral("--after"), parser.value(afterOption), 0, 86400);
        if (!seconds) {
            std::fprintf(stderr, "%s\n", qPrintable(seconds.error().message));
            return 2;
        }
        const QString target = parser.value(screenshotOption);
        QTimer::singleShot(
            clusterdeck::secondsToTimerMs(*seconds), app.get(), [&session, &stallMonitor, target] {
                stallMonitor.stop();
                if (!session.window()->grab().save(target)) {
                    std::fprintf(stderr, "cannot write screenshot to %s\n", qPrintable(target));
                    QCoreApplication::exit(1);
                    return;
                }
                std::printf("screenshot saved to %s\n", qPrintable(target));
                QCoreApplication::exit(0);
            });
    }
    const int status = QCoreApplication::exec();
    if (parser.isSet(reportStatsOption)) {
        const double p99 = clusterdeck::ChartUpdateStats::global().percentile(99);
        clusterdeck::ChartUpdateStats::global().onStartupPaint = nullptr;
        std::printf("rss_mb=%.1f stall_ms_max=%.1f chart_update_ms_p99=%.2f startup_ms=%.0f\n",
                    clusterdeck::residentSetMb(), stallMonitor.worstStallMs(), std::isnan(p99) ? 0.0 : p99,
                    clusterdeck::ChartUpdateStats::global().startupMs());
        std::fflush(stdout);
    }
    return status;
}
