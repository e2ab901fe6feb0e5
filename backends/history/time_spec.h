#pragma once

#include "common/result.h"

#include <QString>

namespace clusterdeck {

// A point in time as people type it on a command line: "now", relative "-90s", "-15m", "-1h", "-2d", "-1w",
// or ISO 8601 ("2026-11-30T12:00:00Z", "2026-11-30 12:00" in local time, "2026-11-30"). Epoch ms.
Result<qint64> parseTimeSpec(const QString &text, qint64 nowMs);

} // namespace clusterdeck
