#pragma once

#include <QStringList>
#include <QtGlobal>

class QMainWindow;
class QSettings;

// What the console keeps between runs (QSettings: ~/.config/clusterdeck/clusterdeck.conf): the main window's
// geometry and splitter sizes, the last cluster and the recently opened ones, the charts' time window, and
// the theme and language last chosen with --theme / --lang.
namespace clusterdeck::ConsoleSettings {

constexpr int kMaxRecentClusters = 8;

QString lastCluster(const QSettings &settings);
// Most recent first, the last cluster at the top.
QStringList recentClusters(const QSettings &settings);
// Records an opened cluster file as the last one and at the top of the recent ones.
void noteOpened(QSettings &settings, const QString &path);

// Geometry, dock/toolbar state and the sizes of every QSplitter in the window, in creation order.
void saveWindow(QSettings &settings, const QMainWindow &window);
void restoreWindow(const QSettings &settings, QMainWindow &window);

// The charts' time window in ms; 0 when none was kept.
qint64 timeWindowMs(const QSettings &settings);
void setTimeWindowMs(QSettings &settings, qint64 windowMs);

// "theme" or "language": the value given on the command line, which is kept for the next runs, or else the
// one kept from an earlier run; empty when neither (then the system's palette or locale applies).
QString chosen(QSettings &settings, const QString &key, const QString &commandLineValue);

} // namespace clusterdeck::ConsoleSettings
