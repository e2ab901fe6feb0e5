#include "alerts_page.h"

#include "alerts/alert_list_model.h"
#include "status_dot.h"

#include <QHeaderView>
#include <QIdentityProxyModel>
#include <QLabel>
#include <QTableView>
#include <QVBoxLayout>

namespace clusterdeck {

namespace {

// The list model's rows with the severity as colour: a critical firing alert red, a warning amber, anything
// pending in the placeholder colour until it fires.
class AlertStyleModel : public QIdentityProxyModel {
public:
    using QIdentityProxyModel::QIdentityProxyModel;

    QVariant data(const QModelIndex &index, int role) const override
    {
        if (role != Qt::ForegroundRole && role != Qt::DecorationRole)
            return QIdentityProxyModel::data(index, role);
        if (role == Qt::DecorationRole && index.column() != AlertListModel::SeverityColumn)
            return {};
        const auto state = AlertState(index.data(AlertListModel::StateRole).toInt());
        const auto severity = AlertSeverity(index.data(AlertListModel::SeverityRole).toInt());
        const QColor color = state != AlertState::Firing           ? StatusDot::unknownColor()
                             : severity == AlertSeverity::Critical ? StatusDot::downColor()
                                                                   : StatusDot::warnColor();
        if (role == Qt::DecorationRole)
            return StatusDot::icon(color);
        return state == AlertState::Firing && index.column() <= AlertListModel::StateColumn ? QVariant(color)
                                                                                            : QVariant();
    }
};

} // namespace

AlertsPage::AlertsPage(AlertListModel *alerts, QWidget *parent)
    : QWidget(parent), m_alerts(alerts), m_summary(new QLabel), m_view(new QTableView)
{
    setObjectName(QStringLiteral("alertsPage"));
    m_summary->setObjectName(QStringLiteral("alertsSummary"));
    QFont font = m_summary->font();
    font.setBold(true);
    m_summary->setFont(font);
    auto *styled = new AlertStyleModel(this);
    styled->setSourceModel(alerts);
    m_view->setModel(styled);
    m_view->setObjectName(QStringLiteral("alertsView"));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    m_view->setShowGrid(false);
    m_view->setWordWrap(false);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    // The value (a figure, or why a target is down) takes the spare width, not the time at the end; headers
    // sit over their columns' text, whichever language makes them longer or shorter.
    m_view->horizontalHeader()->setSectionResizeMode(AlertListModel::ValueColumn, QHeaderView::Stretch);
    m_view->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_summary);
    layout->addWidget(m_view, 1);
    for (const auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(alerts, signal, this, &AlertsPage::updateSummary);
    connect(alerts, &QAbstractItemModel::dataChanged, this, &AlertsPage::updateSummary);
    connect(alerts, &QAbstractItemModel::modelReset, this, &AlertsPage::updateSummary);
    updateSummary();
}

QString AlertsPage::title() const
{
    const int firing = m_alerts->firingCount();
    return firing == 0 ? tr("Alerts") : tr("Alerts (%1)").arg(firing);
}

void AlertsPage::updateSummary()
{
    const int firing = m_alerts->firingCount();
    const int pending = m_alerts->rowCount() - firing;
    if (firing == 0 && pending == 0)
        m_summary->setText(tr("No alerts firing or pending"));
    else
        m_summary->setText(tr("%n firing", nullptr, firing) + QStringLiteral(" · ") +
                           tr("%n pending", nullptr, pending));
    if (const QString now = title(); now != m_title) {
        m_title = now;
        emit titleChanged(now);
    }
}

} // namespace clusterdeck
