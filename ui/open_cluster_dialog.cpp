#include "open_cluster_dialog.h"

#include "cluster/inventory_loader.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

#include <unistd.h>

namespace clusterdeck {

OpenClusterDialog::OpenClusterDialog(QWidget *parent)
    : QDialog(parent), m_choices(new QListWidget), m_error(new QLabel)
{
    setWindowTitle(tr("Open a cluster — ClusterDeck"));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("Choose the cluster to watch:")));
    const QDir lab(labDirectory());
    for (const QFileInfo &file : lab.entryInfoList({QStringLiteral("cluster-*.yaml")}, QDir::Files, QDir::Name)) {
        auto *item = new QListWidgetItem(tr("Local lab cluster — %1").arg(file.completeBaseName().mid(8)));
        item->setData(Qt::UserRole, file.absoluteFilePath());
        item->setToolTip(file.absoluteFilePath());
        m_choices->addItem(item);
    }
    if (m_choices->count() == 0)
        layout->addWidget(new QLabel(tr("<i>No lab running (start it with tests/lab/lab up).</i>")));
    else
        m_choices->setCurrentRow(0);
    layout->addWidget(m_choices);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #d32f2f"));
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_error);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Open | QDialogButtonBox::Cancel);
    QPushButton *fileButton = buttons->addButton(tr("Open file…"), QDialogButtonBox::ActionRole);
    connect(fileButton, &QPushButton::clicked, this, &OpenClusterDialog::chooseFile);
    connect(buttons, &QDialogButtonBox::accepted, this, &OpenClusterDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &OpenClusterDialog::reject);
    connect(m_choices, &QListWidget::itemDoubleClicked, this, &OpenClusterDialog::accept);
    layout->addWidget(buttons);
    resize(520, 320);
}

QString OpenClusterDialog::labDirectory()
{
    const QString configured = qEnvironmentVariable("CLUSTERDECK_LAB_DIR");
    return configured.isEmpty() ? QStringLiteral("/tmp/clusterdeck-lab-%1").arg(getuid()) : configured;
}

void OpenClusterDialog::chooseFile()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Cluster inventory"), QString(),
                                                      tr("Cluster files (*.yaml *.yml);;All files (*)"));
    if (!path.isEmpty() && tryAccept(path))
        QDialog::accept();
}

void OpenClusterDialog::accept()
{
    const QListWidgetItem *item = m_choices->currentItem();
    if (!item)
        return chooseFile();
    if (tryAccept(item->data(Qt::UserRole).toString()))
        QDialog::accept();
}

bool OpenClusterDialog::tryAccept(const QString &path)
{
    const auto outcome = clusterdeck::InventoryLoader::loadFile(path);
    if (!outcome.problems.isEmpty()) {
        m_error->setText(clusterdeck::formatProblems(path, outcome.problems).toHtmlEscaped().replace(QLatin1Char('\n'), QStringLiteral("<br>")));
        return false;
    }
    m_selectedPath = path;
    return true;
}

} // namespace clusterdeck
