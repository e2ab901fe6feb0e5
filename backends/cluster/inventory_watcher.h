#pragma once

#include "cluster/cluster.h"
#include "cluster/inventory_loader.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QString>

class QFileSystemWatcher;
class QTimer;

namespace clusterdeck {

// Watches the open inventory file and reloads it when it is saved. A save that does not load keeps the last
// good cluster and reports its positioned problems; watching goes on, so the next good save is picked up.
class InventoryWatcher : public QObject {
    Q_OBJECT
public:
    // `current` is the cluster already loaded from `path` (the watcher reports changes from there on).
    InventoryWatcher(const QString &path, const Cluster &current, QObject *parent = nullptr);
    ~InventoryWatcher() override;

    QString path() const { return m_path; }
    const Cluster &lastGood() const { return m_lastGood; }
    // Of the last load: empty when the file on disk is the last good cluster.
    const QList<InventoryProblem> &problems() const { return m_problems; }

    // How long to wait after a change notification before reading: an editor's save is often several writes,
    // or a write to a temporary file and a rename, and a read in between sees a half-written file.
    void setSettleMs(int ms);

    // Reads the file now.
    void reload();

signals:
    // The file changed and loads: the new cluster.
    void reloaded(const clusterdeck::Cluster &cluster);
    // The problems of the file on disk changed; empty when it loads again.
    void problemsChanged(const QList<clusterdeck::InventoryProblem> &problems);

private:
    void onChanged();
    void rewatch();

    QString m_path;
    Cluster m_lastGood;
    QByteArray m_lastGoodHash;
    QList<InventoryProblem> m_problems;
    QFileSystemWatcher *m_watcher;
    QTimer *m_settle;
};

} // namespace clusterdeck
