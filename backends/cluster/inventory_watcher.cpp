#include "cluster/inventory_watcher.h"

#include "cluster/cluster_log.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QTimer>
#include <algorithm>

namespace clusterdeck {

namespace {

QByteArray hashOf(const QByteArray &bytes)
{
    return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256);
}

} // namespace

InventoryWatcher::InventoryWatcher(const QString &path, const Cluster &current, QObject *parent)
    : QObject(parent), m_path(QFileInfo(path).absoluteFilePath()), m_lastGood(current),
      m_watcher(new QFileSystemWatcher(this)), m_settle(new QTimer(this))
{
    QFile file(m_path);
    if (file.open(QIODevice::ReadOnly))
        m_lastGoodHash = hashOf(file.readAll());
    m_settle->setSingleShot(true);
    m_settle->setInterval(150);
    connect(m_settle, &QTimer::timeout, this, &InventoryWatcher::reload);
    // Editors that save by renaming a new file over the old one end the file's watch: the directory's
    // notification brings it back.
    connect(m_watcher, &QFileSystemWatcher::fileChanged, this, &InventoryWatcher::onChanged);
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, this, &InventoryWatcher::onChanged);
    m_watcher->addPath(QFileInfo(m_path).absolutePath());
    rewatch();
}

InventoryWatcher::~InventoryWatcher() = default;

void InventoryWatcher::setSettleMs(int ms)
{
    m_settle->setInterval(ms);
}

void InventoryWatcher::onChanged()
{
    rewatch();
    m_settle->start();
}

void InventoryWatcher::rewatch()
{
    if (!m_watcher->files().contains(m_path) && QFileInfo::exists(m_path))
        m_watcher->addPath(m_path);
}

void InventoryWatcher::reload()
{
    rewatch();
    QFile file(m_path);
    QList<InventoryProblem> problems;
    QByteArray bytes;
    if (!file.open(QIODevice::ReadOnly)) {
        problems.append({0, 0, tr("cannot read the file: %1").arg(file.errorString())});
    } else {
        bytes = file.readAll();
    }
    const QByteArray hash = hashOf(bytes);
    if (problems.isEmpty() && hash != m_lastGoodHash) {
        InventoryLoader::Outcome outcome = InventoryLoader::loadText(bytes, m_path);
        problems = outcome.problems;
        if (problems.isEmpty()) {
            m_lastGood = outcome.cluster;
            m_lastGoodHash = hash;
            qCDebug(lcCluster) << "inventory reloaded:" << m_path;
            emit reloaded(m_lastGood);
        }
    }
    if (!problems.isEmpty())
        qCWarning(lcCluster).noquote()
            << formatProblems(m_path, problems) << "(keeping the last good inventory)";
    const bool changed =
        problems.size() != m_problems.size() ||
        !std::equal(problems.cbegin(), problems.cend(), m_problems.cbegin(),
                    [](const InventoryProblem &a, const InventoryProblem &b) {
                        return a.line == b.line && a.column == b.column && a.message == b.message;
                    });
    m_problems = problems;
    if (changed)
        emit problemsChanged(m_problems);
}

} // namespace clusterdeck
