#pragma once

#include <QLoggingCategory>

namespace clusterdeck {

// Log category of backends/alerts: "clusterdeck.alerts" (enable with --verbose or QT_LOGGING_RULES).
Q_DECLARE_LOGGING_CATEGORY(lcAlerts)

} // namespace clusterdeck
