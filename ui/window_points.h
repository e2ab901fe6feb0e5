#pragma once

#include "metrics/kpi.h"

namespace clusterdeck {

class LiveSeriesStore;

// What a chart shows over a time window from `sinceMs` on, in time order: the live store's points of every
// series whose target is `target` (empty: every target), and before each series' oldest stored point the
// `older` points of that series (a query_range fill in Prometheus mode), so the two never overlap.
KpiPoints windowPoints(const LiveSeriesStore &store, qint64 sinceMs, const KpiPoints &older = {},
                       const QString &target = {});

} // namespace clusterdeck
