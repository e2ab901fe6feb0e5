#include "sidebar.h"

#include "models/node_status_model.h"

#include <QHeaderView>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QSortFilterProxyModel>
#include <QTreeView>
#include <QVBoxLayout>

namespace clusterdeck {

namespace {
const QLatin1String kNodePrefix("node:");
}

Sidebar::Sidebar(NodeStatusModel *model, QWidget *parent)
    : QWidget(parent), m_filter(new QLineEdit), m_pages(new QListWidget), m_targets(new QTreeView),
      m_proxy(new QSortFilterProxyModel(this))
{
    m_filter->setObjectName(QStringLiteral("targetFilter"));
    m_filter->setPlaceholderText(tr("Filter targets (Ctrl+F)"));
    m_filter->setClearButtonEnabled(true);
    m_pages->setObjectName(QStringLiteral("pageList"));
    m_pages->setFrameShape(QFrame::NoFrame);
    m_pages->setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
    m_pages->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);

    // Role groups stay while one of their targets matches; the state column's text never matches by accident.
    m_proxy->setSourceModel(model);
    m_proxy->setRecursiveFilteringEnabled(true);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setFilterKeyColumn(NodeStatusModel::NameColumn);
    m_targets->setObjectName(QStringLiteral("targetTree"));
    m_targets->setModel(m_proxy);
    m_targets->setRootIsDecorated(false);
    m_targets->setUniformRowHeights(true);
    m_targets->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_targets->setHeaderHidden(true);
    for (int column :
         {NodeStatusModel::KpiColumn, NodeStatusModel::LatencyColumn, NodeStatusModel::DetailColumn})
        m_targets->setColumnHidden(column, true);
    m_targets->header()->setSectionResizeMode(NodeStatusModel::NameColumn, QHeaderView::Stretch);
    m_targets->header()->setSectionResizeMode(NodeStatusModel::StateColumn, QHeaderView::ResizeToContents);
    m_targets->header()->setStretchLastSection(false);
    m_targets->expandAll();
    connect(m_proxy, &QAbstractItemModel::modelReset, m_targets, &QTreeView::expandAll);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, m_targets, &QTreeView::expandAll);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, m_targets, &QTreeView::expandAll);
    connect(m_filter, &QLineEdit::textChanged, this, &Sidebar::setFilterText);

    connect(m_pages, &QListWidget::itemClicked, this,
            [this](QListWidgetItem *item) { emit pageRequested(item->data(Qt::UserRole).toString()); });
    connect(m_targets, &QTreeView::clicked, this, [this](const QModelIndex &index) {
        const QModelIndex name = index.siblingAtColumn(NodeStatusModel::NameColumn);
        if (name.parent().isValid()) // a target, not a role group
            emit pageRequested(kNodePrefix + name.data().toString());
    });
    m_targets->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_targets, &QWidget::customContextMenuRequested, this, [this](const QPoint &at) {
        const QString name =
            m_targets->indexAt(at).siblingAtColumn(NodeStatusModel::NameColumn).data().toString();
        if (!m_drainable.contains(name))
            return;
        QMenu menu(this);
        connect(menu.addAction(tr("Drain %1…").arg(name)), &QAction::triggered, this,
                [this, name] { emit drainRequested(name); });
        connect(menu.addAction(tr("Readmit %1…").arg(name)), &QAction::triggered, this,
                [this, name] { emit readmitRequested(name); });
        menu.exec(m_targets->viewport()->mapToGlobal(at));
    });

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_filter);
    layout->addWidget(m_pages);
    layout->addWidget(m_targets, 1);
}

void Sidebar::addPage(const QString &id, const QString &title)
{
    auto *item = new QListWidgetItem(title, m_pages);
    item->setData(Qt::UserRole, id);
    m_pages->setFixedHeight(m_pages->sizeHintForRow(0) * m_pages->count() + 2 * m_pages->frameWidth() + 4);
}

void Sidebar::setPageTitle(const QString &id, const QString &title)
{
    for (int row = 0; row < m_pages->count(); ++row) {
        if (m_pages->item(row)->data(Qt::UserRole).toString() == id)
            m_pages->item(row)->setText(title);
    }
}

void Sidebar::setCurrentPage(const QString &id)
{
    m_pages->clearSelection();
    for (int row = 0; row < m_pages->count(); ++row) {
        if (m_pages->item(row)->data(Qt::UserRole).toString() == id)
            m_pages->setCurrentRow(row);
    }
    m_targets->clearSelection();
    if (id.startsWith(kNodePrefix)) {
        const QString target = id.mid(kNodePrefix.size());
        const QModelIndexList found =
            m_proxy->match(m_proxy->index(0, NodeStatusModel::NameColumn), Qt::DisplayRole, target, 1,
                           Qt::MatchExactly | Qt::MatchRecursive);
        if (!found.isEmpty())
            m_targets->selectionModel()->select(found.first(), QItemSelectionModel::ClearAndSelect |
                                                                   QItemSelectionModel::Rows);
    }
}

void Sidebar::setFilterText(const QString &text)
{
    if (m_filter->text() != text)
        m_filter->setText(text); // comes back here through textChanged
    m_proxy->setFilterFixedString(text);
    m_targets->expandAll();
}

void Sidebar::focusFilter()
{
    m_filter->setFocus(Qt::ShortcutFocusReason);
    m_filter->selectAll();
}

} // namespace clusterdeck
