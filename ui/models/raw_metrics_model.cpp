#include "raw_metrics_model.h"

#include "metrics/metric_page.h"

#include <cmath>

namespace clusterdeck {

namespace {

QString qs(std::string_view text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

QString labelsText(const SampleView &sample)
{
    QString text;
    for (const LabelView label : sample.labels()) {
        if (!text.isEmpty())
            text += QStringLiteral(", ");
        text += qs(label.name) + QStringLiteral("=\"") + qs(label.value) + QLatin1Char('"');
    }
    return text;
}

QString valueText(double value)
{
    if (std::isnan(value))
        return QStringLiteral("NaN");
    if (std::isinf(value))
        return value > 0 ? QStringLiteral("+Inf") : QStringLiteral("-Inf");
    return QString::number(value, 'g', 15);
}

} // namespace

RawMetricsModel::RawMetricsModel(QObject *parent) : QAbstractTableModel(parent) {}

bool RawMetricsModel::sameLayout(const MetricPage &page) const
{
    if (!m_page || m_page->size() != page.size())
        return false;
    for (std::size_t i = 0; i < page.size(); ++i) {
        const SampleView a = m_page->sample(i);
        const SampleView b = page.sample(i);
        if (a.name() != b.name() || !(a.labels() == b.labels()))
            return false;
    }
    return true;
}

void RawMetricsModel::setPage(std::shared_ptr<const MetricPage> page, qint64 timestampMs)
{
    if (page && sameLayout(*page)) {
        m_page = std::move(page);
        m_timestampMs = timestampMs;
        if (rowCount() > 0)
            emit dataChanged(index(0, ValueColumn), index(rowCount() - 1, ValueColumn),
                             {Qt::DisplayRole, ValueRole});
        return;
    }
    beginResetModel();
    m_page = std::move(page);
    m_timestampMs = timestampMs;
    m_rowByKey.clear();
    endResetModel();
}

int RawMetricsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_page ? 0 : int(m_page->size());
}

int RawMetricsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RawMetricsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const SampleView sample = m_page->sample(std::size_t(index.row()));
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn:
            return qs(sample.name());
        case LabelsColumn:
            return labelsText(sample);
        case ValueColumn:
            return valueText(sample.value());
        case TypeColumn:
            return QString::fromLatin1(metricTypeName(sample.family().type));
        default:
            return {};
        }
    case Qt::ToolTipRole:
        if (index.column() == NameColumn) {
            const MetricFamily family = sample.family();
            return family.help.empty() ? QVariant() : QVariant(qs(family.help));
        }
        return index.column() == LabelsColumn ? QVariant(labelsText(sample)) : QVariant();
    case Qt::TextAlignmentRole:
        return index.column() == ValueColumn ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter)) : QVariant();
    case SeriesKeyRole:
        return seriesKey(index.row());
    case ValueRole:
        return sample.value();
    default:
        return {};
    }
}

QVariant RawMetricsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case NameColumn:
        return tr("Metric");
    case LabelsColumn:
        return tr("Labels");
    case ValueColumn:
        return tr("Value");
    case TypeColumn:
        return tr("Type");
    default:
        return {};
    }
}

QString RawMetricsModel::seriesKey(int row) const
{
    if (!m_page || row < 0 || row >= rowCount())
        return {};
    const SampleView sample = m_page->sample(std::size_t(row));
    return qs(sample.name()) + QLatin1Char('{') + labelsText(sample) + QLatin1Char('}');
}

int RawMetricsModel::rowOf(const QString &seriesKey) const
{
    if (m_rowByKey.isEmpty() && rowCount() > 0) {
        for (int row = 0; row < rowCount(); ++row)
            m_rowByKey.insert(this->seriesKey(row), row);
    }
    return m_rowByKey.value(seriesKey, -1);
}

bool RawMetricsModel::labelsMatch(int row, const QString &filter) const
{
    if (filter.isEmpty())
        return true;
    if (!m_page || row < 0 || row >= rowCount())
        return false;
    const int equals = int(filter.indexOf(QLatin1Char('=')));
    const QString name = equals < 0 ? filter : filter.left(equals).trimmed();
    const QString value = equals < 0 ? filter : filter.mid(equals + 1).trimmed();
    for (const LabelView label : m_page->sample(std::size_t(row)).labels()) {
        const bool nameHit = qs(label.name).contains(name, Qt::CaseInsensitive);
        const bool valueHit = qs(label.value).contains(value, Qt::CaseInsensitive);
        if (equals < 0 ? nameHit || valueHit : nameHit && valueHit)
            return true;
    }
    return false;
}

RawMetricsFilter::RawMetricsFilter(QObject *parent) : QSortFilterProxyModel(parent) {}

bool RawMetricsFilter::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    if (left.column() == RawMetricsModel::ValueColumn)
        return left.data(RawMetricsModel::ValueRole).toDouble() <
               right.data(RawMetricsModel::ValueRole).toDouble();
    return QSortFilterProxyModel::lessThan(left, right);
}

void RawMetricsFilter::setNameFilter(const QString &text)
{
    if (text == m_name)
        return;
    m_name = text;
    invalidateFilter();
}

void RawMetricsFilter::setLabelFilter(const QString &text)
{
    if (text == m_label)
        return;
    m_label = text;
    invalidateFilter();
}

bool RawMetricsFilter::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const auto *model = qobject_cast<const RawMetricsModel *>(sourceModel());
    if (!model || sourceParent.isValid())
        return false;
    if (!m_name.isEmpty() && !model->index(sourceRow, RawMetricsModel::NameColumn)
                                  .data()
                                  .toString()
                                  .contains(m_name, Qt::CaseInsensitive))
        return false;
    return model->labelsMatch(sourceRow, m_label);
}

} // namespace clusterdeck
