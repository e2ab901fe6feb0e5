#pragma once

#include <QStringList>
#include <QWidget>
#include <memory>

class QLabel;
class QLineEdit;
class QListWidget;
class QListWidgetItem;
class QPushButton;

namespace clusterdeck {

class PrometheusClient;

// The first screen without --cluster: the local lab's clusters (only while the lab runs), recently opened
// files (the last one first), a YAML file to open, or a cluster discovered from a Prometheus server. Emits
// the chosen file once it loads; a file that does not load stays here with its positioned errors.
class WelcomePage : public QWidget {
    Q_OBJECT
public:
    explicit WelcomePage(const QStringList &recentFiles, QWidget *parent = nullptr);
    ~WelcomePage() override;

    // Where `tests/lab/lab up` writes its state ($CLUSTERDECK_LAB_DIR, default /tmp/clusterdeck-lab-$UID).
    static QString labDirectory();
    // The lab is running when one of its recorded processes is alive: its cluster files outlive `lab down`.
    static bool labIsRunning(const QString &labDirectory);
    // The lab's cluster files while it runs, else none.
    static QStringList labClusters(const QString &labDirectory);
    // Where discovered clusters are written (~/.local/share/clusterdeck/clusters).
    static QString discoveredClustersDirectory();

    QListWidget *choices() const { return m_choices; }
    QString errorText() const;
    QString labNote() const;

    // Checks the file and emits clusterChosen when it loads; shows its problems otherwise.
    bool choose(const QString &path);
    // Fetches the server's targets, writes the inventory they make under discoveredClustersDirectory() and
    // chooses it.
    void discover(const QString &prometheusUrl);

signals:
    void clusterChosen(const QString &path);
    void discoveryFinished(bool ok);

private:
    void chooseFile();
    void openCurrent();
    void addChoice(const QString &text, const QString &path);
    void showError(const QString &text);

    QListWidget *m_choices;
    QLabel *m_labNote;
    QLabel *m_error;
    QLineEdit *m_prometheusUrl;
    QPushButton *m_discoverButton;
    std::unique_ptr<PrometheusClient> m_prometheus;
};

} // namespace clusterdeck
