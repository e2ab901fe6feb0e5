#include "gateway/drain_event.h"

namespace clusterdeck {

HistoryEvent drainHistoryEvent(const DrainReport &report)
{
    HistoryEvent event;
    event.timestampMs = report.startedMs;
    event.kind = QStringLiteral("drain");
    event.target = report.node;
    event.severity = report.ok ? EventSeverity::Info : EventSeverity::Warning;
    event.actor = report.actor;
    event.message = report.summary();
    event.details = report.toJson();
    return event;
}

} // namespace clusterdeck
