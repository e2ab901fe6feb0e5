#pragma once

#include <QColor>
#include <QImage>
#include <QPointF>
#include <QRectF>

class QTransform;

namespace clusterdeck {

// Draws dense lines (more points than pixel columns) as one vertical span per pixel column into an image the
// plot's size, then the image in one call. Qt's stroker joins every segment of a wide polyline, which cost
// over 100 ms for 20 series of an hour each; a span per column is a few pixel writes and looks the same when
// the points are closer together than the line is wide.
class ColumnRaster {
public:
    // Plot area in logical pixels, and the device pixel ratio to render at (high-DPI screens).
    void begin(const QRectF &plot, qreal devicePixelRatio);
    // One line through points (x ascending) that `toPlot` maps to logical pixels, `width` logical pixels
    // thick.
    void addLine(const QList<QPointF> &points, const QTransform &toPlot, const QColor &color, qreal width);
    // The same for the points in [begin, end): a slice of a longer run needs no copy. Each span only needs
    // its column's first, lowest, highest and last point, so a run can come undecimated: one pass over it
    // instead of decimating first.
    void addLine(const QPointF *begin, const QPointF *end, const QTransform &toPlot, const QColor &color,
                 qreal width);
    void paint(QPainter *painter) const;
    const QImage &image() const { return m_image; }

private:
    void fillSpan(int x, double top, double bottom, quint32 pixel);

    QImage m_image;
    uchar *m_bits = nullptr;
    qsizetype m_stride = 0;
    int m_width = 0;
    int m_height = 0;
    QPointF m_origin;
    qreal m_ratio = 1;
    int m_thickness = 2; // device pixels
};

} // namespace clusterdeck
