#pragma once

#include <QStackedWidget>
#include <QStringList>

namespace clusterdeck {

class NodePage;

// The window's pages by id: "overview", "node:NAME" (one NodePage shown for whichever target is picked), and
// whatever else registers with addPage() — the alerts page ("alerts") slots in there.
class PageStack : public QStackedWidget {
    Q_OBJECT
public:
    explicit PageStack(QWidget *parent = nullptr);

    void addPage(const QString &id, QWidget *page);
    // The node page serves every "node:NAME" whose NAME is one of `targets`.
    void setNodePage(NodePage *page, const QStringList &targets);
    // Shows a page; false (and nothing changes) for an id no page answers to.
    bool showPage(const QString &id);
    QString currentPageId() const { return m_current; }
    QStringList pageIds() const;

signals:
    void pageShown(const QString &id);

private:
    QHash<QString, QWidget *> m_pages;
    QStringList m_order;
    NodePage *m_nodePage = nullptr;
    QStringList m_targets;
    QString m_current;
};

} // namespace clusterdeck
