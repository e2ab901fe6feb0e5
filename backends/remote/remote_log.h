#pragma once

#include <QLoggingCategory>

namespace clusterdeck {

// Log category of backends/remote: "clusterdeck.remote" (enable with --verbose or QT_LOGGING_RULES).
Q_DECLARE_LOGGING_CATEGORY(lcRemote)

} // namespace clusterdeck
