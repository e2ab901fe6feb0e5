#pragma once

#include "common/result.h"

#include <QString>

namespace clusterdeck {

// A number given on a command line, checked at the edge: finite and within [min, max] (so NaN, inf and
// values that overflow a timer are refused), with the allowed range in the message.
//   parseSecondsOption("--timeout", "nan", 0.001, 3600) → "--timeout takes seconds from 0.001 to 3600, not
//   'nan'"
Result<double> parseSecondsOption(const QString &option, const QString &text, double min, double max);
Result<long long> parseCountOption(const QString &option, const QString &text, long long min, long long max);

// Seconds → milliseconds for a timer, for values that passed parseSecondsOption (at least 1 ms).
int secondsToTimerMs(double seconds);

} // namespace clusterdeck
