#pragma once

#include "cluster/inventory_loader.h"
#include "lab_client.h"

#include <QDir>
#include <QFile>

// The lab's cluster YAML for `gateway` with `alertsYaml` (an `alerts:` block) appended, written into `dir`
// and loaded; an empty path in the result's sourceFile means it failed (with a warning). The lab's own
// inventory has no `alerts:`, so the tests' overrides (short `for` durations) are the only ones.
inline clusterdeck::Cluster labClusterWithAlerts(const QString &gateway, const QByteArray &alertsYaml,
                                                 const QDir &dir)
{
    QFile original(runLab({QStringLiteral("cluster"), gateway}));
    if (!original.open(QIODevice::ReadOnly)) {
        qWarning("the lab is not up, or has no cluster file for %s", qPrintable(gateway));
        return {};
    }
    QByteArray yaml = original.readAll();
    if (yaml.contains("\nalerts:")) {
        qWarning("the lab's inventory has alerts: of its own now");
        return {};
    }
    yaml += "\n" + alertsYaml;
    QFile copy(dir.filePath(QStringLiteral("alerts-cluster.yaml")));
    if (!copy.open(QIODevice::WriteOnly) || copy.write(yaml) != yaml.size())
        return {};
    copy.close();
    const clusterdeck::Result<clusterdeck::Cluster> loaded = clusterdeck::loadClusterFile(copy.fileName());
    if (!loaded) {
        qWarning("%s", qPrintable(loaded.error().toString()));
        return {};
    }
    return *loaded;
}
