#include "alerts/alerts_log.h"

namespace clusterdeck {

Q_LOGGING_CATEGORY(lcAlerts, "clusterdeck.alerts")

} // namespace clusterdeck
