#pragma once

#include "alerts/alert_engine.h"
#include "history/history_types.h"

namespace clusterdeck::ctl {

// An alert transition as an event of the history's log (kind "alert"): the hook between the alerts and
// history libraries, which do not know each other. Firing takes the rule's severity; pending, resolved and
// cleared are info. details: rule, instance, from, to, value, threshold, since_ms, detail.
HistoryEvent alertHistoryEvent(const AlertTransition &transition, const QString &actor);

} // namespace clusterdeck::ctl
