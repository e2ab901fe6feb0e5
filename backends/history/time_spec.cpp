#include "history/time_spec.h"

#include <QDateTime>
#include <QRegularExpression>

namespace clusterdeck {

Result<qint64> parseTimeSpec(const QString &text, qint64 nowMs)
{
    const QString t = text.trimmed();
    if (t.compare(QLatin1String("now"), Qt::CaseInsensitive) == 0)
        return nowMs;
    static const QRegularExpression relative(QStringLiteral("^([-+])(\\d+(?:\\.\\d+)?)(ms|s|m|h|d|w)$"));
    if (const QRegularExpressionMatch m = relative.match(t); m.hasMatch()) {
        const QString unit = m.captured(3);
        const double scale = unit == QLatin1String("ms")  ? 1
                             : unit == QLatin1String("s") ? 1e3
                             : unit == QLatin1String("m") ? 60e3
                             : unit == QLatin1String("h") ? 3600e3
                             : unit == QLatin1String("d") ? 86400e3
                                                          : 7 * 86400e3;
        const double delta = m.captured(2).toDouble() * scale;
        return nowMs + qint64(m.captured(1) == QLatin1String("-") ? -delta : delta);
    }
    QDateTime when = QDateTime::fromString(t, Qt::ISODateWithMs);
    if (!when.isValid())
        when = QDateTime::fromString(t, Qt::ISODate);
    if (!when.isValid())
        when = QDateTime::fromString(t, QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    if (!when.isValid())
        when = QDateTime::fromString(t, QStringLiteral("yyyy-MM-dd HH:mm"));
    if (!when.isValid())
        when = QDateTime::fromString(t, QStringLiteral("yyyy-MM-dd"));
    if (!when.isValid())
        return Error{QStringLiteral(
                         "'%1' is not a time: use now, -15m, -1h, -2d or ISO 8601 like 2026-11-30T12:00:00Z")
                         .arg(text),
                     QString()};
    return when.toMSecsSinceEpoch();
}

} // namespace clusterdeck
