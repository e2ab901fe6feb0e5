#pragma once

#include "gateway/drain_job.h"
#include "history/history_types.h"

namespace clusterdeck {

// A finished job's report as the history's `drain` event (what clusterdeckctl --db and the console record):
// the node as target, Info when it succeeded and Warning when not, the summary as message, the whole report
// (diff, steps, backup) as details.
HistoryEvent drainHistoryEvent(const DrainReport &report);

} // namespace clusterdeck
