#include "stacked_runs.h"

#include <QHash>

namespace clusterdeck {

QList<QList<StackedBand>> stackRuns(const QList<QList<QList<QPointF>>> &series)
{
    QList<QList<StackedBand>> stacked;
    stacked.reserve(series.size());
    QHash<qint64, double> base; // time → sum of the series stacked so far
    for (const QList<QList<QPointF>> &runs : series) {
        QList<StackedBand> bands;
        bands.reserve(runs.size());
        for (const QList<QPointF> &run : runs) {
            StackedBand band;
            band.bottom.reserve(run.size());
            band.top.reserve(run.size());
            for (const QPointF &point : run) {
                const double below = base.value(qint64(point.x()), 0.0);
                band.bottom.append(QPointF(point.x(), below));
                band.top.append(QPointF(point.x(), below + point.y()));
            }
            bands.append(band);
        }
        for (const StackedBand &band : std::as_const(bands)) {
            for (const QPointF &point : band.top)
                base.insert(qint64(point.x()), point.y());
        }
        stacked.append(bands);
    }
    return stacked;
}

} // namespace clusterdeck
