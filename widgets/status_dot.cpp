#include "status_dot.h"

#include <QHash>
#include <QPainter>
#include <QPixmap>

namespace clusterdeck::StatusDot {

QIcon icon(const QColor &color)
{
    static QHash<QRgb, QIcon> cache;
    auto found = cache.constFind(color.rgba());
    if (found != cache.constEnd())
        return *found;
    QIcon result;
    for (int size : {12, 16, 24, 32}) {
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setPen(QPen(color.darker(130), 1));
        painter.setBrush(color);
        const qreal inset = size * 0.15;
        painter.drawEllipse(QRectF(inset, inset, size - 2 * inset, size - 2 * inset));
        result.addPixmap(pixmap);
    }
    cache.insert(color.rgba(), result);
    return result;
}

} // namespace clusterdeck::StatusDot
