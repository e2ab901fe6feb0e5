#pragma once

#include "alerts/alert_engine.h"

#include <QString>

namespace clusterdeck {

// The alert words as the window shows them, translated (context "clusterdeck::AlertText", through
// QCoreApplication::translate: this library is Qt Core only). alertStateName(), alertSeverityName(),
// lagStatusName() and AlertTransition::message() stay English: they are the words of the history file, the
// JSON of `clusterdeckctl alerts` and the logs.

// "critical", "warning" in the window's language
QString alertSeverityText(AlertSeverity severity);
// "pending", "firing", "inactive" in the window's language
QString alertStateText(AlertState state);
// "pending", "firing", "resolved", "cleared" in the window's language
QString alertTransitionText(const AlertTransition &transition);
// AlertTransition::message() in the window's language
QString alertDisplayMessage(const AlertTransition &transition);
// What a lag status means, one sentence; the status word itself (OK, STALLED, ...) stays as Burrow names it.
QString lagStatusExplanation(LagStatus status);

} // namespace clusterdeck
