#pragma once

#include <QLoggingCategory>

namespace clusterdeck {

// Log category of ui/ and widgets/: "clusterdeck.ui" (enable with --verbose or QT_LOGGING_RULES).
Q_DECLARE_LOGGING_CATEGORY(lcUi)

} // namespace clusterdeck
