#pragma once

#include <QLoggingCategory>

namespace clusterdeck {

// Log category of backends/cluster: "clusterdeck.cluster" (enable with --verbose or QT_LOGGING_RULES).
Q_DECLARE_LOGGING_CATEGORY(lcCluster)

} // namespace clusterdeck
