#pragma once

#include "alerts/alert_engine.h"

#include <QString>

namespace clusterdeck {

// The alert words as the window shows them, translated (context "clusterdeck::AlertText", through
// QCoreApplication::translate: this library is Qt Core only), and the one place the alert line is composed.
// alertStateName(), alertSeverityName(), lagStatusName(), AlertTransition::name() and message() stay English:
// they are the words of the history file, the JSON of `clusterdeckctl alerts` and the logs.

enum class AlertWords { English, Translated };

// "critical", "warning" in the window's language
QString alertSeverityText(AlertSeverity severity);
// "pending", "firing", "inactive" in the window's language
QString alertStateText(AlertState state);
// "pending", "firing", "resolved" (firing → inactive), "cleared" (pending → inactive)
QString alertTransitionText(const AlertTransition &transition, AlertWords words = AlertWords::Translated);
// "firing: latency_p95 was2: 4.2s (limit 3s) (since 12:00:05)"; AlertTransition::message() is the English
// one.
QString alertLine(const AlertTransition &transition, AlertWords words = AlertWords::Translated);
// What a lag status means, one sentence; the status word itself (OK, STALLED, ...) stays as Burrow names it.
QString lagStatusExplanation(LagStatus status);

} // namespace clusterdeck
