#include "page_stack.h"

#include "node_page.h"

namespace clusterdeck {

namespace {
const QLatin1String kNodePrefix("node:");
}

PageStack::PageStack(QWidget *parent) : QStackedWidget(parent) {}

void PageStack::addPage(const QString &id, QWidget *page)
{
    m_pages.insert(id, page);
    m_order.append(id);
    addWidget(page);
    if (m_current.isEmpty())
        showPage(id);
}

void PageStack::setNodePage(NodePage *page, const QStringList &targets)
{
    m_nodePage = page;
    m_targets = targets;
    addWidget(page);
}

bool PageStack::showPage(const QString &id)
{
    if (id.startsWith(kNodePrefix)) {
        const QString target = id.mid(kNodePrefix.size());
        if (!m_nodePage || !m_targets.contains(target))
            return false;
        m_nodePage->showTarget(target);
        setCurrentWidget(m_nodePage);
    } else if (QWidget *page = m_pages.value(id)) {
        setCurrentWidget(page);
    } else {
        return false;
    }
    m_current = id;
    emit pageShown(id);
    return true;
}

QStringList PageStack::pageIds() const
{
    QStringList ids = m_order;
    for (const QString &target : m_targets)
        ids.append(kNodePrefix + target);
    return ids;
}

} // namespace clusterdeck
