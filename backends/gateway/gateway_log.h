#pragma once

#include <QLoggingCategory>

namespace clusterdeck {

// Log category of backends/gateway: "clusterdeck.gateway" (enable with --verbose or QT_LOGGING_RULES).
Q_DECLARE_LOGGING_CATEGORY(lcGateway)

} // namespace clusterdeck
