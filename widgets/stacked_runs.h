#pragma once

#include <QList>
#include <QPointF>

namespace clusterdeck {

// One unbroken stretch of a stacked series: where its band starts (the series below, or 0) and where it ends
// (that plus its own value), at the same times.
struct StackedBand {
    QList<QPointF> bottom;
    QList<QPointF> top;
};

// Stacks series on one another, the first at the bottom: each series' runs (unbroken stretches of (time,
// value), oldest first) become bands whose bottom is the sum of the series below at the same time (0 where a
// series below has no point at exactly that time, as in a gap) and whose top adds the series' own value.
// Series of one source share their timestamps (the upstreams of one gateway page), so sums line up.
QList<QList<StackedBand>> stackRuns(const QList<QList<QList<QPointF>>> &series);

} // namespace clusterdeck
