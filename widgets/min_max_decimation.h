#pragma once

#include <QList>
#include <QPointF>

namespace clusterdeck {

// Reduces one unbroken run of points (x ascending) to what a plot `columns` pixels wide can show: per pixel
// column the first, lowest, highest and last point, in x order (each kept once). A line through the result
// covers the same pixels as a line through every point, so a one-sample spike stays visible however many
// points share its column, and the cost of drawing no longer grows with the points in the window.
// Points outside [x0, x1) are dropped except the nearest one on each side, which keeps the line running to
// the plot's edges. Runs no longer than 4 points per column are returned unchanged.
QList<QPointF> decimateMinMax(const QList<QPointF> &run, double x0, double x1, int columns);

} // namespace clusterdeck
