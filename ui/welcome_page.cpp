#include "welcome_page.h"

#include "cluster/inventory_loader.h"
#include "metrics/discovery.h"
#include "metrics/prometheus_client.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QRegularExpression>
#include <QSaveFile>
#include <QStandardPaths>
#include <QVBoxLayout>
#include <cerrno>
#include <csignal>
#include <unistd.h>

namespace clusterdeck {

namespace {

constexpr int kPathRole = Qt::UserRole;

} // namespace

WelcomePage::WelcomePage(const QStringList &recentFiles, QWidget *parent)
    : QWidget(parent), m_choices(new QListWidget), m_labNote(new QLabel), m_error(new QLabel),
      m_prometheusUrl(new QLineEdit), m_discoverButton(new QPushButton(tr("Discover")))
{
    setWindowTitle(tr("Open a cluster — ClusterDeck"));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("<h2>ClusterDeck</h2>Choose the cluster to watch:")));

    m_choices->setObjectName(QStringLiteral("choices"));
    for (const QString &path : recentFiles) {
        if (QFileInfo::exists(path))
            addChoice(tr("Recent — %1").arg(QFileInfo(path).fileName()), path);
    }
    const QString lab = labDirectory();
    const QStringList labFiles = labClusters(lab);
    for (const QString &path : labFiles) {
        if (recentFiles.contains(path))
            continue;
        addChoice(tr("Local lab cluster — %1").arg(QFileInfo(path).completeBaseName().mid(8)), path);
    }
    m_labNote->setObjectName(QStringLiteral("labNote"));
    m_labNote->setWordWrap(true);
    m_labNote->setText(labFiles.isEmpty()
                           ? tr("<i>The local lab is not running (tests/lab/lab up starts it).</i>")
                           : tr("<i>The local lab is running (state in %1).</i>").arg(lab.toHtmlEscaped()));
    if (m_choices->count() > 0)
        m_choices->setCurrentRow(0);
    layout->addWidget(m_choices, 1);
    layout->addWidget(m_labNote);

    auto *discoverRow = new QHBoxLayout;
    m_prometheusUrl->setObjectName(QStringLiteral("prometheusUrl"));
    m_prometheusUrl->setPlaceholderText(tr("Prometheus URL, e.g. http://prometheus:9090"));
    discoverRow->addWidget(new QLabel(tr("Discover from Prometheus:")));
    discoverRow->addWidget(m_prometheusUrl, 1);
    discoverRow->addWidget(m_discoverButton);
    layout->addLayout(discoverRow);
    connect(m_discoverButton, &QPushButton::clicked, this, [this] { discover(m_prometheusUrl->text()); });
    connect(m_prometheusUrl, &QLineEdit::returnPressed, this, [this] { discover(m_prometheusUrl->text()); });

    m_error->setObjectName(QStringLiteral("error"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #d32f2f"));
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_error);

    auto *buttons = new QHBoxLayout;
    auto *fileButton = new QPushButton(tr("Open file…"));
    auto *openButton = new QPushButton(tr("Open"));
    openButton->setDefault(true);
    openButton->setEnabled(m_choices->count() > 0);
    buttons->addWidget(fileButton);
    buttons->addStretch(1);
    buttons->addWidget(openButton);
    layout->addLayout(buttons);
    connect(fileButton, &QPushButton::clicked, this, &WelcomePage::chooseFile);
    connect(openButton, &QPushButton::clicked, this, &WelcomePage::openCurrent);
    connect(m_choices, &QListWidget::itemActivated, this, &WelcomePage::openCurrent);
    resize(620, 420);
}

WelcomePage::~WelcomePage() = default;

QString WelcomePage::labDirectory()
{
    const QString configured = qEnvironmentVariable("CLUSTERDECK_LAB_DIR");
    return configured.isEmpty() ? QStringLiteral("/tmp/clusterdeck-lab-%1").arg(getuid()) : configured;
}

bool WelcomePage::labIsRunning(const QString &labDirectory)
{
    const QDir run(QDir(labDirectory).filePath(QStringLiteral("run")));
    for (const QFileInfo &pidFile : run.entryInfoList({QStringLiteral("*.pid")}, QDir::Files)) {
        QFile file(pidFile.absoluteFilePath());
        if (!file.open(QIODevice::ReadOnly))
            continue;
        bool ok = false;
        const qint64 pid =
            QString::fromLatin1(file.readLine()).section(QLatin1Char(' '), 0, 0).trimmed().toLongLong(&ok);
        // kill(pid, 0) only asks whether the process exists; pids 0 and 1 would mean the group or init.
        if (ok && pid > 1 && (::kill(pid_t(pid), 0) == 0 || errno == EPERM))
            return true;
    }
    return false;
}

QStringList WelcomePage::labClusters(const QString &labDirectory)
{
    if (!labIsRunning(labDirectory))
        return {};
    QStringList paths;
    const QDir lab(labDirectory);
    for (const QFileInfo &file :
         lab.entryInfoList({QStringLiteral("cluster-*.yaml")}, QDir::Files, QDir::Name))
        paths.append(file.absoluteFilePath());
    return paths;
}

QString WelcomePage::discoveredClustersDirectory()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation))
        .filePath(QStringLiteral("clusterdeck/clusters"));
}

QString WelcomePage::errorText() const
{
    return m_error->text();
}

QString WelcomePage::labNote() const
{
    return m_labNote->text();
}

void WelcomePage::addChoice(const QString &text, const QString &path)
{
    auto *item = new QListWidgetItem(text);
    item->setData(kPathRole, path);
    item->setToolTip(path);
    m_choices->addItem(item);
}

void WelcomePage::showError(const QString &text)
{
    m_error->setText(text.toHtmlEscaped().replace(QLatin1Char('\n'), QStringLiteral("<br>")));
}

void WelcomePage::chooseFile()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Cluster inventory"), QString(),
                                                      tr("Cluster files (*.yaml *.yml);;All files (*)"));
    if (!path.isEmpty())
        choose(path);
}

void WelcomePage::openCurrent()
{
    if (const QListWidgetItem *item = m_choices->currentItem())
        choose(item->data(kPathRole).toString());
    else
        chooseFile();
}

bool WelcomePage::choose(const QString &path)
{
    const auto outcome = InventoryLoader::loadFile(path);
    if (!outcome.problems.isEmpty()) {
        showError(formatProblems(path, outcome.problems));
        return false;
    }
    m_error->clear();
    emit clusterChosen(QFileInfo(path).absoluteFilePath());
    return true;
}

void WelcomePage::discover(const QString &prometheusUrl)
{
    const QUrl server = QUrl::fromUserInput(prometheusUrl.trimmed());
    if (!server.isValid() || server.host().isEmpty() ||
        (server.scheme() != QLatin1String("http") && server.scheme() != QLatin1String("https"))) {
        showError(tr("'%1' is not an http(s) URL of a Prometheus server").arg(prometheusUrl));
        emit discoveryFinished(false);
        return;
    }
    m_error->setText(tr("<i>Asking %1 for its targets…</i>").arg(server.toString().toHtmlEscaped()));
    m_discoverButton->setEnabled(false);
    // One discovery at a time: a new client drops the previous request with the previous client.
    m_prometheus = std::make_unique<PrometheusClient>(server);
    m_prometheus->targets([this, server](Result<QList<PromTarget>> targets) {
        m_discoverButton->setEnabled(true);
        if (!targets) {
            showError(targets.error().toString());
            emit discoveryFinished(false);
            return;
        }
        const auto discovered = discoverInventory(*targets, server, {});
        if (!discovered) {
            showError(discovered.error().toString());
            emit discoveryFinished(false);
            return;
        }
        // A new file each time: an earlier discovery may have been edited since.
        const QDir dir(discoveredClustersDirectory());
        dir.mkpath(QStringLiteral("."));
        QString name = discovered->cluster.name;
        name.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9._-]")), QStringLiteral("-"));
        if (name.isEmpty() || name.startsWith(QLatin1Char('.')))
            name.prepend(QStringLiteral("cluster"));
        QString path = dir.filePath(name + QStringLiteral(".yaml"));
        for (int n = 2; QFileInfo::exists(path); ++n)
            path = dir.filePath(QStringLiteral("%1-%2.yaml").arg(name).arg(n));
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(discoveryToYaml(*discovered)) < 0 ||
            !file.commit()) {
            showError(tr("cannot write %1: %2").arg(path, file.errorString()));
            emit discoveryFinished(false);
            return;
        }
        const bool ok = choose(path);
        emit discoveryFinished(ok);
    });
}

} // namespace clusterdeck
