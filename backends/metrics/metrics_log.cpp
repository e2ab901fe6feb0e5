#include "metrics/metrics_log.h"

namespace clusterdeck {

Q_LOGGING_CATEGORY(lcMetrics, "clusterdeck.metrics")

} // namespace clusterdeck
