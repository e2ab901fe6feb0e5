#pragma once

#include <QWidget>

class QLabel;
class QTableView;

namespace clusterdeck {

class AlertListModel;

// The alerts page: the pending and firing alerts (AlertListModel) as a table — severity coloured, state,
// rule, target, value against its threshold (with units), since — under a line that counts them.
class AlertsPage : public QWidget {
    Q_OBJECT
public:
    explicit AlertsPage(AlertListModel *alerts, QWidget *parent = nullptr);

    QTableView *view() const { return m_view; }
    QLabel *summaryLabel() const { return m_summary; }
    // "Alerts", "Alerts (2)": the sidebar entry's title, with the firing count.
    QString title() const;

signals:
    void titleChanged(const QString &title);

private:
    void updateSummary();

    AlertListModel *m_alerts;
    QLabel *m_summary;
    QTableView *m_view;
    QString m_title;
};

} // namespace clusterdeck
