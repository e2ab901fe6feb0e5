#include "window_points.h"

#include "metrics/live_series_store.h"

#include <QHash>
#include <algorithm>
#include <limits>

namespace clusterdeck {

KpiPoints windowPoints(const LiveSeriesStore &store, qint64 sinceMs, const KpiPoints &older,
                       const QString &target)
{
    KpiPoints points;
    QHash<KpiKey, qint64> storedFrom; // the oldest stored point in the window per series
    for (const KpiKey &key : store.keys()) {
        if (!target.isEmpty() && key.target != target)
            continue;
        const QList<LiveSample> samples = store.seriesSince(key, sinceMs);
        if (!samples.isEmpty())
            storedFrom.insert(key, samples.first().timestampMs);
        for (const LiveSample &sample : samples)
            points.append(KpiPoint{key, sample.timestampMs, sample.value});
    }
    for (const KpiPoint &point : older) {
        if ((target.isEmpty() || point.key.target == target) && point.timestampMs >= sinceMs &&
            point.timestampMs < storedFrom.value(point.key, std::numeric_limits<qint64>::max()))
            points.append(point);
    }
    std::stable_sort(points.begin(), points.end(),
                     [](const KpiPoint &a, const KpiPoint &b) { return a.timestampMs < b.timestampMs; });
    return points;
}

} // namespace clusterdeck
