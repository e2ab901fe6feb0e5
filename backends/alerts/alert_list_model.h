#pragma once

#include "alerts/alert_engine.h"

#include <QAbstractTableModel>
#include <QList>

namespace clusterdeck {

// The pending and firing alerts as a table for the alerts page (Qt Core only, so it lives next to the
// engine): one row per alert, kept in the engine's order; sync() after each evaluation adds, updates and
// removes rows.
class AlertListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        SeverityColumn,
        StateColumn,
        RuleColumn,
        TargetColumn,
        ValueColumn,
        ThresholdColumn,
        SinceColumn,
        ColumnCount
    };
    enum Role {
        AlertRole = Qt::UserRole + 1, // the whole Alert (QVariant)
        SeverityRole,                 // int(AlertSeverity)
        StateRole,                    // int(AlertState)
        SinceRole,                    // qint64 epoch ms
    };

    explicit AlertListModel(QObject *parent = nullptr);

    // Makes the rows equal to `active` (AlertEngine::activeAlerts()): rows of alerts no longer active go,
    // rows whose alert changed emit dataChanged, new alerts are inserted where the engine's order puts them.
    void sync(const QList<Alert> &active);
    const Alert &alertAt(int row) const { return m_alerts.at(row); }
    int firingCount() const;

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<Alert> m_alerts;
};

} // namespace clusterdeck
