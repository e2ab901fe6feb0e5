#include "column_raster.h"

#include <QPainter>
#include <QTransform>
#include <algorithm>
#include <cmath>

namespace clusterdeck {

void ColumnRaster::begin(const QRectF &plot, qreal devicePixelRatio)
{
    m_ratio = devicePixelRatio > 0 ? devicePixelRatio : 1;
    m_origin = plot.topLeft();
    const QSize size(std::max(1, int(std::ceil(plot.width() * m_ratio))),
                     std::max(1, int(std::ceil(plot.height() * m_ratio))));
    if (m_image.size() != size)
        m_image = QImage(size, QImage::Format_ARGB32_Premultiplied);
    m_image.fill(Qt::transparent);
    m_image.setDevicePixelRatio(m_ratio);
    m_bits = m_image.bits(); // detaches once here, not once per span
    m_stride = m_image.bytesPerLine();
    m_width = m_image.width(); // read per span: no call into QImage there
    m_height = m_image.height();
}

void ColumnRaster::fillSpan(int x, double top, double bottom, quint32 pixel)
{
    const int half = m_thickness / 2;
    const int y0 = std::max(0, int(std::floor(top)) - half + 1);
    const int y1 = std::min(m_height - 1, int(std::floor(bottom)) + m_thickness - half);
    const int x0 = std::max(0, x - half + 1);
    const int x1 = std::min(m_width - 1, x + m_thickness - half);
    for (int y = y0; y <= y1; ++y) {
        auto *line = reinterpret_cast<quint32 *>(m_bits + qsizetype(y) * m_stride);
        for (int column = x0; column <= x1; ++column)
            line[column] = pixel;
    }
}

void ColumnRaster::addLine(const QList<QPointF> &points, const QTransform &toPlot, const QColor &color,
                           qreal width)
{
    addLine(points.constData(), points.constData() + points.size(), toPlot, color, width);
}

void ColumnRaster::addLine(const QPointF *begin, const QPointF *end, const QTransform &toPlot,
                           const QColor &color, qreal width)
{
    // Data to device pixels of the image in one scale and offset per axis (toPlot is scale + translate).
    const double sx = toPlot.m11() * m_ratio;
    const double sy = toPlot.m22() * m_ratio;
    const double dx = (toPlot.dx() - m_origin.x()) * m_ratio;
    const double dy = (toPlot.dy() - m_origin.y()) * m_ratio;
    m_thickness = std::max(1, int(std::lround(width * m_ratio)));
    const quint32 pixel = qPremultiply(color.rgba());
    int column = -1;
    double low = 0;
    double high = 0;
    double previousX = 0;
    double previousY = std::nan("");
    for (const QPointF *it = begin; it != end; ++it) {
        const QPointF &point = *it;
        const double x = point.x() * sx + dx;
        const double y = point.y() * sy + dy;
        if (!std::isfinite(x) || !std::isfinite(y))
            continue;
        const int pointColumn = int(std::floor(x));
        if (pointColumn != column) {
            if (column >= 0 && column < m_width)
                fillSpan(column, low, high, pixel);
            // Columns the segment crosses without a point of their own get the segment's part.
            for (int between = column + 1; between < pointColumn && !std::isnan(previousY); ++between) {
                if (between < 0 || between >= m_width)
                    continue;
                const auto at = [&](double bx) {
                    return previousY + (y - previousY) * (bx - previousX) / (x - previousX);
                };
                const double a = at(std::max(double(between), previousX));
                const double b = at(std::min(double(between + 1), x));
                fillSpan(between, std::min(a, b), std::max(a, b), pixel);
            }
            // The span reaches back to the previous column's last value: the line stays joined.
            low = high = y;
            if (!std::isnan(previousY)) {
                low = std::min(low, previousY);
                high = std::max(high, previousY);
            }
            column = pointColumn;
        } else {
            low = std::min(low, y);
            high = std::max(high, y);
        }
        previousX = x;
        previousY = y;
    }
    if (column >= 0 && column < m_width)
        fillSpan(column, low, high, pixel);
}

void ColumnRaster::paint(QPainter *painter) const
{
    painter->drawImage(m_origin, m_image);
}

} // namespace clusterdeck
