#pragma once

#include <QLoggingCategory>

namespace clusterdeck {

// Log category of backends/history: "clusterdeck.history" (enable with --verbose or QT_LOGGING_RULES).
Q_DECLARE_LOGGING_CATEGORY(lcHistory)

} // namespace clusterdeck
