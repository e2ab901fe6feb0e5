#pragma once

#include "cluster/cluster.h"
#include "cluster/inventory_loader.h"

#include <QObject>
#include <functional>
#include <memory>

class QDockWidget;
class QLabel;
class QSettings;

namespace clusterdeck {

class InventoryWatcher;
class MainWindow;

// One open cluster file: its main window, the watcher that reloads the file when it is saved, the banner with
// the positioned problems of an edit that does not load (the console goes on with the last good cluster), and
// the settings kept between runs. A reload opens the new cluster in a new main window at the same place.
class ConsoleSession : public QObject {
    Q_OBJECT
public:
    // `adjust` applies command-line overrides (--source) to every cluster loaded from the file.
    using Adjust = std::function<Cluster(Cluster)>;
    ConsoleSession(const QString &path, const Cluster &cluster, QSettings &settings, Adjust adjust = {},
                   QObject *parent = nullptr);
    ~ConsoleSession() override;

    MainWindow *window() const { return m_window.get(); }
    InventoryWatcher *watcher() const { return m_watcher; }
    // Empty and hidden while the file loads.
    QString problemsText() const;
    bool problemsShown() const;

    void saveWindow();

signals:
    void windowReplaced();

private:
    void openWindow(const Cluster &cluster);
    void showProblems(const QList<InventoryProblem> &problems);

    QString m_path;
    QSettings &m_settings;
    Adjust m_adjust;
    std::unique_ptr<MainWindow> m_window;
    InventoryWatcher *m_watcher;
    QDockWidget *m_problemsDock = nullptr;
    QLabel *m_problems = nullptr;
};

} // namespace clusterdeck
