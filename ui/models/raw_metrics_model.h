#pragma once

#include <QAbstractTableModel>
#include <QHash>
#include <QSortFilterProxyModel>
#include <memory>

namespace clusterdeck {

class MetricPage;

// The last scraped page of one target as a table: one row per sample (series) with its metric name, labels,
// value and family type. The model holds the parsed page the collector shared (no copy); a new page with the
// same series in the same order (the usual case from round to round) only changes the value column, so
// selection and scroll position stay; another layout resets the model.
class RawMetricsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { NameColumn, LabelsColumn, ValueColumn, TypeColumn, ColumnCount };
    enum Role {
        SeriesKeyRole = Qt::UserRole + 1, // "name{label="value",...}": names a series across pages
        ValueRole,                        // the value as a double (sorting, charting)
    };

    explicit RawMetricsModel(QObject *parent = nullptr);

    // `timestampMs`: when the page was scraped. A null page empties the model.
    void setPage(std::shared_ptr<const MetricPage> page, qint64 timestampMs);
    std::shared_ptr<const MetricPage> page() const { return m_page; }
    qint64 timestampMs() const { return m_timestampMs; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    QString seriesKey(int row) const;
    // The row of a series by key, or -1 when this page does not have it.
    int rowOf(const QString &seriesKey) const;
    // Whether the labels of a row match a filter: "name=value" (name and value each a case-insensitive
    // substring), or else any label name or value containing the text.
    bool labelsMatch(int row, const QString &filter) const;

private:
    bool sameLayout(const MetricPage &page) const;

    std::shared_ptr<const MetricPage> m_page;
    qint64 m_timestampMs = 0;
    mutable QHash<QString, int> m_rowByKey; // built on first use after a reset
};

// Filters a RawMetricsModel by metric name (case-insensitive substring) and by label (labelsMatch()).
class RawMetricsFilter : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit RawMetricsFilter(QObject *parent = nullptr);

    void setNameFilter(const QString &text);
    void setLabelFilter(const QString &text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    // Values sort as numbers, the rest as text.
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    QString m_name;
    QString m_label;
};

} // namespace clusterdeck
