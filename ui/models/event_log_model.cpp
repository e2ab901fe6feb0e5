#include "models/event_log_model.h"

#include "status_dot.h"

#include <algorithm>

namespace clusterdeck {

EventLogModel::EventLogModel(int capacity, QObject *parent)
    : QAbstractTableModel(parent), m_capacity(std::max(1, capacity))
{}

void EventLogModel::append(const LogEvent &event)
{
    // Make room first, so the model never holds more than its capacity, not even between two signals.
    dropBeyond(m_capacity - 1);
    beginInsertRows({}, 0, 0);
    m_events.prepend(event);
    endInsertRows();
}

void EventLogModel::append(LogEvent::Severity severity, const QString &source, const QString &message)
{
    append(LogEvent{QDateTime::currentDateTime(), severity, source, message});
}

void EventLogModel::setCapacity(int capacity)
{
    m_capacity = std::max(1, capacity);
    dropBeyond(m_capacity);
}

void EventLogModel::dropBeyond(int capacity)
{
    const int excess = int(m_events.size()) - capacity;
    if (excess <= 0)
        return;
    beginRemoveRows({}, int(m_events.size()) - excess, int(m_events.size()) - 1);
    m_events.resize(m_events.size() - excess);
    endRemoveRows();
    m_dropped += excess;
    emit droppedCountChanged(m_dropped);
}

QString EventLogModel::severityName(LogEvent::Severity severity)
{
    switch (severity) {
    case LogEvent::Severity::Info:
        return tr("info");
    case LogEvent::Severity::Warning:
        return tr("warning");
    case LogEvent::Severity::Error:
        return tr("error");
    }
    return {};
}

int EventLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_events.size());
}

int EventLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EventLogModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const LogEvent &event = m_events.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn:
            return event.time.toString(QStringLiteral("HH:mm:ss"));
        case SeverityColumn:
            return severityName(event.severity);
        case SourceColumn:
            return event.source;
        case MessageColumn:
            return event.message;
        }
        break;
    case Qt::DecorationRole:
        if (index.column() == SeverityColumn) {
            switch (event.severity) {
            case LogEvent::Severity::Info:
                return StatusDot::icon(StatusDot::upColor());
            case LogEvent::Severity::Warning:
                return StatusDot::icon(StatusDot::warnColor());
            case LogEvent::Severity::Error:
                return StatusDot::icon(StatusDot::downColor());
            }
        }
        break;
    case Qt::ToolTipRole:
        return QStringLiteral("%1  %2  %3\n%4")
            .arg(event.time.toString(Qt::ISODateWithMs), severityName(event.severity), event.source,
                 event.message);
    case SeverityRole:
        return int(event.severity);
    case TimestampRole:
        return event.time;
    }
    return {};
}

QVariant EventLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case SeverityColumn:
        return tr("Severity");
    case SourceColumn:
        return tr("Source");
    case MessageColumn:
        return tr("Message");
    }
    return {};
}

} // namespace clusterdeck
