#include "min_max_decimation.h"

#include <algorithm>
#include <cmath>

namespace clusterdeck {

QList<QPointF> decimateMinMax(const QList<QPointF> &run, double x0, double x1, int columns)
{
    if (columns <= 0 || x1 <= x0 || run.isEmpty())
        return {};
    const auto byX = [](const QPointF &point, double x) { return point.x() < x; };
    // One point beyond each edge, so the line enters and leaves the plot instead of starting inside it.
    qsizetype begin = std::lower_bound(run.begin(), run.end(), x0, byX) - run.begin();
    qsizetype end = std::lower_bound(run.begin(), run.end(), x1, byX) - run.begin();
    begin = std::max<qsizetype>(0, begin - 1);
    end = std::min<qsizetype>(run.size(), end + 1);
    if (end - begin <= 4 * qsizetype(columns))
        return run.mid(begin, end - begin);

    const double perColumn = double(columns) / (x1 - x0);
    QList<QPointF> out;
    out.reserve(4 * (columns + 2));
    qsizetype i = begin;
    while (i < end) {
        // The column's right edge, once per column rather than a floor() per point.
        const double column = std::floor((run[i].x() - x0) * perColumn);
        const double edge = x0 + (column + 1) / perColumn;
        const qsizetype first = i;
        qsizetype low = i;
        qsizetype high = i;
        for (++i; i < end && run[i].x() < edge; ++i) {
            if (run[i].y() < run[low].y())
                low = i;
            if (run[i].y() > run[high].y())
                high = i;
        }
        const qsizetype last = i - 1;
        // In x order, so the line through them is the column's vertical extent between its neighbours.
        qsizetype picks[4] = {first, std::min(low, high), std::max(low, high), last};
        qsizetype previous = -1;
        for (qsizetype pick : picks) {
            if (pick != previous)
                out.append(run[pick]);
            previous = pick;
        }
    }
    return out;
}

} // namespace clusterdeck
