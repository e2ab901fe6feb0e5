#pragma once

#include <QAbstractTableModel>
#include <QDateTime>
#include <QList>
#include <QMetaType>

namespace clusterdeck {

// One line of the console's event log.
struct LogEvent {
    enum class Severity { Info, Warning, Error };

    QDateTime time;
    Severity severity = Severity::Info;
    QString
        source; // what it is about: a target ("was2"), "Prometheus", a log category ("clusterdeck.metrics")
    QString message;
};

// The console's in-memory event log, newest first: state changes, collection errors, warnings of the
// clusterdeck.* log categories. Holds at most capacity() events; the oldest go first, and droppedCount() says
// how many went, so the view can say that the log is not the whole story.
class EventLogModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { TimeColumn, SeverityColumn, SourceColumn, MessageColumn, ColumnCount };
    enum Role { SeverityRole = Qt::UserRole + 1, TimestampRole };
    static constexpr int kDefaultCapacity = 1000;

    explicit EventLogModel(int capacity = kDefaultCapacity, QObject *parent = nullptr);

    void append(const LogEvent &event);
    void append(LogEvent::Severity severity, const QString &source, const QString &message);
    // Drops the oldest events beyond the new capacity (at least 1).
    void setCapacity(int capacity);
    int capacity() const { return m_capacity; }
    qint64 droppedCount() const { return m_dropped; }
    // Row 0 is the newest event.
    const LogEvent &event(int row) const { return m_events.at(row); }
    static QString severityName(LogEvent::Severity severity);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

signals:
    void droppedCountChanged(qint64 dropped);

private:
    void dropBeyond(int capacity);

    QList<LogEvent> m_events; // newest first
    int m_capacity;
    qint64 m_dropped = 0;
};

} // namespace clusterdeck

Q_DECLARE_METATYPE(clusterdeck::LogEvent)
