#include "common/number_text.h"

#include <algorithm>
#include <cmath>

namespace clusterdeck {

Result<double> parseSecondsOption(const QString &option, const QString &text, double min, double max)
{
    bool ok = false;
    const double value = text.trimmed().toDouble(&ok);
    if (!ok || !std::isfinite(value) || value < min || value > max)
        return Error{QStringLiteral("%1 takes seconds from %2 to %3, not '%4'")
                         .arg(option, QString::number(min, 'g', 10), QString::number(max, 'g', 10), text),
                     QString()};
    return value;
}

Result<long long> parseCountOption(const QString &option, const QString &text, long long min, long long max)
{
    bool ok = false;
    const long long value = text.trimmed().toLongLong(&ok);
    if (!ok || value < min || value > max)
        return Error{QStringLiteral("%1 takes a whole number from %2 to %3, not '%4'")
                         .arg(option)
                         .arg(min)
                         .arg(max)
                         .arg(text),
                     QString()};
    return value;
}

int secondsToTimerMs(double seconds)
{
    // A QTimer takes an int of milliseconds: stay well inside it.
    const double ms = std::clamp(std::round(seconds * 1000.0), 1.0, 24.0 * 24 * 3600 * 1000);
    return int(ms);
}

} // namespace clusterdeck
