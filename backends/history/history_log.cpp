#include "history/history_log.h"

namespace clusterdeck {

Q_LOGGING_CATEGORY(lcHistory, "clusterdeck.history")

} // namespace clusterdeck
