#include "status_dot.h"

#include <QHash>
#include <QIconEngine>
#include <QPainter>
#include <QPixmap>
#include <algorithm>

namespace clusterdeck::StatusDot {

namespace {

// Paints the dot at whatever size and device pixel ratio it is asked for, so it stays round and sharp on a
// high-DPI screen (QT_SCALE_FACTOR=2: a 12 px dot is drawn with 24 pixels, not scaled up from 12).
class DotIconEngine : public QIconEngine {
public:
    explicit DotIconEngine(const QColor &color) : m_color(color) {}

    void paint(QPainter *painter, const QRect &rect, QIcon::Mode mode, QIcon::State) override
    {
        const qreal side = std::min(rect.width(), rect.height());
        const qreal inset = side * 0.15;
        const QRectF dot(rect.x() + (rect.width() - side) / 2 + inset,
                         rect.y() + (rect.height() - side) / 2 + inset, side - 2 * inset, side - 2 * inset);
        const QColor fill = mode == QIcon::Disabled ? QColor(0x9e, 0x9e, 0x9e) : m_color;
        painter->save();
        painter->setRenderHint(QPainter::Antialiasing);
        painter->setPen(QPen(fill.darker(130), std::max<qreal>(1.0, side / 16)));
        painter->setBrush(fill);
        painter->drawEllipse(dot);
        painter->restore();
    }

    QPixmap pixmap(const QSize &size, QIcon::Mode mode, QIcon::State state) override
    {
        return scaledPixmap(size, mode, state, 1.0);
    }

    // QIcon::pixmap(size, dpr) asks for size × dpr device pixels and sets the ratio on what it gets.
    QPixmap scaledPixmap(const QSize &size, QIcon::Mode mode, QIcon::State state, qreal) override
    {
        QPixmap pixmap(size);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        paint(&painter, QRect(QPoint(0, 0), size), mode, state);
        return pixmap;
    }

    bool isNull() override { return false; }

    QIconEngine *clone() const override { return new DotIconEngine(m_color); }
    QString key() const override { return QStringLiteral("clusterdeck-dot"); }

private:
    QColor m_color;
};

} // namespace

QIcon icon(const QColor &color)
{
    static QHash<QRgb, QIcon> cache;
    auto found = cache.constFind(color.rgba());
    if (found != cache.constEnd())
        return *found;
    const QIcon result(new DotIconEngine(color));
    cache.insert(color.rgba(), result);
    return result;
}

} // namespace clusterdeck::StatusDot
