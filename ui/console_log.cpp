#include "console_log.h"

namespace clusterdeck {

Q_LOGGING_CATEGORY(lcUi, "clusterdeck.ui")

} // namespace clusterdeck
