#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>

// Runs tests/lab/lab sub-commands for tests; returns stdout trimmed, or a null string on failure (with a warning).
inline QString runLab(const QStringList &args)
{
    QProcess lab;
    lab.start(QStringLiteral(CLUSTERDECK_LAB_SCRIPT), args);
    if (!lab.waitForFinished(120'000) || lab.exitStatus() != QProcess::NormalExit || lab.exitCode() != 0) {
        qWarning("lab %s failed: %s", qPrintable(args.join(QLatin1Char(' '))), lab.readAllStandardError().constData());
        return {};
    }
    return QString::fromUtf8(lab.readAllStandardOutput()).trimmed();
}
