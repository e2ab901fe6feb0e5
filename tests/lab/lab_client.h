#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>

// For tests that drive the lab: runs a tests/lab/lab sub-command to the end and returns its stdout trimmed,
// or a null string (with a warning naming the command and its stderr) when it failed.
inline QString runLab(const QStringList &args)
{
    QProcess lab;
    lab.start(QStringLiteral(CLUSTERDECK_LAB_SCRIPT), args);
    if (!lab.waitForFinished(120'000) || lab.exitStatus() != QProcess::NormalExit || lab.exitCode() != 0) {
        qWarning("lab %s failed: %s", qPrintable(args.join(QLatin1Char(' '))),
                 lab.readAllStandardError().constData());
        return {};
    }
    return QString::fromUtf8(lab.readAllStandardOutput()).trimmed();
}
