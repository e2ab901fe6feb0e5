#pragma once

#include <QColor>
#include <QIcon>

namespace clusterdeck {

// Round status dots for item views and labels: one cached icon per colour, painted at the size and device
// pixel ratio asked for (crisp on high-DPI screens).
namespace StatusDot {

QIcon icon(const QColor &color);

inline QColor upColor()
{
    return QColor(0x2e, 0xa0, 0x43);
}
inline QColor downColor()
{
    return QColor(0xd3, 0x2f, 0x2f);
}
inline QColor unknownColor()
{
    return QColor(0x9e, 0x9e, 0x9e);
}
inline QColor warnColor()
{
    return QColor(0xf5, 0x9e, 0x0b);
}

} // namespace StatusDot

} // namespace clusterdeck
