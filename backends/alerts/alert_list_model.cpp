#include "alerts/alert_list_model.h"

#include "alerts/alert_text.h"

#include <QDateTime>

namespace clusterdeck {

namespace {

bool sameAlert(const Alert &a, const Alert &b)
{
    return a.rule == b.rule && a.target == b.target && a.instance == b.instance;
}

bool sameContent(const Alert &a, const Alert &b)
{
    const bool sameValue = a.value == b.value || (std::isnan(a.value) && std::isnan(b.value));
    return a.state == b.state && sameValue && a.detail == b.detail && a.sinceMs == b.sinceMs &&
           a.noData == b.noData;
}

} // namespace

AlertListModel::AlertListModel(QObject *parent) : QAbstractTableModel(parent) {}

void AlertListModel::sync(const QList<Alert> &active)
{
    // Rows that went: from the bottom, so the rows above keep their numbers.
    for (qsizetype row = m_alerts.size() - 1; row >= 0; --row) {
        const bool stays = std::any_of(active.begin(), active.end(),
                                       [&](const Alert &a) { return sameAlert(a, m_alerts[row]); });
        if (!stays) {
            beginRemoveRows(QModelIndex(), int(row), int(row));
            m_alerts.removeAt(row);
            endRemoveRows();
        }
    }
    // Both lists are now in the engine's order, m_alerts a subsequence of `active`: walk them together.
    for (qsizetype i = 0; i < active.size(); ++i) {
        if (i < m_alerts.size() && sameAlert(m_alerts[i], active[i])) {
            if (!sameContent(m_alerts[i], active[i])) {
                m_alerts[i] = active[i];
                emit dataChanged(index(int(i), 0), index(int(i), ColumnCount - 1));
            }
            continue;
        }
        beginInsertRows(QModelIndex(), int(i), int(i));
        m_alerts.insert(i, active[i]);
        endInsertRows();
    }
}

int AlertListModel::firingCount() const
{
    return int(std::count_if(m_alerts.begin(), m_alerts.end(),
                             [](const Alert &a) { return a.state == AlertState::Firing; }));
}

int AlertListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_alerts.size());
}

int AlertListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AlertListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Alert &alert = m_alerts.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case SeverityColumn:
            return alertSeverityText(alert.severity);
        case StateColumn:
            return alert.noData ? tr("%1 (no data)").arg(alertStateText(alert.state))
                                : alertStateText(alert.state);
        case RuleColumn:
            return alert.rule;
        case TargetColumn:
            return alert.subject();
        case ValueColumn:
            return alert.valueText();
        case ThresholdColumn:
            return alert.thresholdText();
        case SinceColumn:
            return QDateTime::fromMSecsSinceEpoch(alert.sinceMs).toString(QStringLiteral("HH:mm:ss"));
        }
        return {};
    case Qt::ToolTipRole:
        return alertLine(AlertTransition{alert, alert.state});
    case AlertRole:
        return QVariant::fromValue(alert);
    case SeverityRole:
        return int(alert.severity);
    case StateRole:
        return int(alert.state);
    case SinceRole:
        return alert.sinceMs;
    }
    return {};
}

QVariant AlertListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= ColumnCount)
        return {};
    static const char *const titles[] = {QT_TR_NOOP("Severity"), QT_TR_NOOP("State"), QT_TR_NOOP("Rule"),
                                         QT_TR_NOOP("Target"),   QT_TR_NOOP("Value"), QT_TR_NOOP("Threshold"),
                                         QT_TR_NOOP("Since")};
    return tr(titles[section]);
}

} // namespace clusterdeck
