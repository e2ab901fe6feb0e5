#pragma once

#include <QStringList>

class QMainWindow;
class QSettings;

// What the console keeps between runs (QSettings: ~/.config/clusterdeck/clusterdeck.conf): the main window's
// geometry and splitter sizes, the last cluster and the recently opened ones. The time window, theme and
// language come with the live console's options.
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

} // namespace clusterdeck::ConsoleSettings
