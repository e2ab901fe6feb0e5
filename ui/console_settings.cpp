#include "console_settings.h"

#include <QFileInfo>
#include <QMainWindow>
#include <QSettings>
#include <QSplitter>

namespace clusterdeck::ConsoleSettings {

namespace {

const QString kLastCluster = QStringLiteral("clusters/last");
const QString kRecentClusters = QStringLiteral("clusters/recent");
const QString kGeometry = QStringLiteral("mainWindow/geometry");
const QString kState = QStringLiteral("mainWindow/state");
const QString kSplitters = QStringLiteral("mainWindow/splitters");
const QString kTimeWindow = QStringLiteral("charts/timeWindowMs");

} // namespace

QString lastCluster(const QSettings &settings)
{
    return settings.value(kLastCluster).toString();
}

QStringList recentClusters(const QSettings &settings)
{
    return settings.value(kRecentClusters).toStringList();
}

void noteOpened(QSettings &settings, const QString &path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    QStringList recent = recentClusters(settings);
    recent.removeAll(absolute);
    recent.prepend(absolute);
    settings.setValue(kLastCluster, absolute);
    settings.setValue(kRecentClusters, recent.mid(0, kMaxRecentClusters));
}

void saveWindow(QSettings &settings, const QMainWindow &window)
{
    settings.setValue(kGeometry, window.saveGeometry());
    settings.setValue(kState, window.saveState());
    QVariantList splitters;
    for (const QSplitter *splitter : window.findChildren<QSplitter *>())
        splitters.append(splitter->saveState());
    settings.setValue(kSplitters, splitters);
}

void restoreWindow(const QSettings &settings, QMainWindow &window)
{
    if (settings.contains(kGeometry))
        window.restoreGeometry(settings.value(kGeometry).toByteArray());
    if (settings.contains(kState))
        window.restoreState(settings.value(kState).toByteArray());
    const QVariantList splitters = settings.value(kSplitters).toList();
    const QList<QSplitter *> present = window.findChildren<QSplitter *>();
    // A window whose layout changed since (another number of splitters) starts from its own sizes.
    if (splitters.size() != present.size())
        return;
    for (qsizetype i = 0; i < present.size(); ++i)
        present[i]->restoreState(splitters[i].toByteArray());
}

qint64 timeWindowMs(const QSettings &settings)
{
    return settings.value(kTimeWindow, 0).toLongLong();
}

void setTimeWindowMs(QSettings &settings, qint64 windowMs)
{
    settings.setValue(kTimeWindow, windowMs);
}

QString chosen(QSettings &settings, const QString &key, const QString &commandLineValue)
{
    const QString settingsKey = QStringLiteral("appearance/") + key;
    if (commandLineValue.isEmpty())
        return settings.value(settingsKey).toString();
    settings.setValue(settingsKey, commandLineValue);
    return commandLineValue;
}

} // namespace clusterdeck::ConsoleSettings
