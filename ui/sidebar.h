#pragma once

#include <QWidget>

class QLineEdit;
class QListWidget;
class QSortFilterProxyModel;
class QTreeView;

namespace clusterdeck {

class NodeStatusModel;

// The window's left column: the pages (Overview, and whatever registers later, e.g. Alerts) and the cluster's
// targets by role with their state and alert marker, filtered by name. Asks for a page by id; PageStack shows
// it.
class Sidebar : public QWidget {
    Q_OBJECT
public:
    explicit Sidebar(NodeStatusModel *model, QWidget *parent = nullptr);

    void addPage(const QString &id, const QString &title);
    void setPageTitle(const QString &id, const QString &title);
    // Marks the entry of the page shown (a page id of PageStack).
    void setCurrentPage(const QString &id);
    void setFilterText(const QString &text);
    void focusFilter();
    // Targets whose context menu offers Drain… and Readmit… (the cluster's WAS nodes).
    void setDrainableTargets(const QStringList &names) { m_drainable = names; }

    QLineEdit *filterEdit() const { return m_filter; }
    QTreeView *targetView() const { return m_targets; }
    QSortFilterProxyModel *filteredModel() const { return m_proxy; }

signals:
    void pageRequested(const QString &id);
    void drainRequested(const QString &node);
    void readmitRequested(const QString &node);

private:
    QLineEdit *m_filter;
    QListWidget *m_pages;
    QTreeView *m_targets;
    QSortFilterProxyModel *m_proxy;
    QStringList m_drainable;
};

} // namespace clusterdeck
