#pragma once

#include <QLoggingCategory>

namespace clusterdeck {

// Log category of backends/metrics: "clusterdeck.metrics" (enable with --verbose or QT_LOGGING_RULES).
Q_DECLARE_LOGGING_CATEGORY(lcMetrics)

} // namespace clusterdeck
