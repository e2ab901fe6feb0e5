#pragma once

#include "metrics/target_status.h"

#include <QColor>
#include <QString>

namespace clusterdeck {

// How the window shows a target's state: the word and the colour of its dot. One place for every state, so a
// state added to TargetStatus::State is one case here — the switch has no default, so the compiler names
// every place a new state is not shown yet.
struct TargetStateStyle {
    QString label;
    QColor color;
};

// `degraded`: the target answers (UP) but a KPI breaches its limit.
TargetStateStyle targetStateStyle(TargetStatus::State state, bool degraded = false);
// The same for a whole status: DRAINING carries the sessions the gateway still has open ("DRAINING (3)").
TargetStateStyle targetStateStyle(const TargetStatus &status, bool degraded = false);
// The drain colour: out of rotation on purpose, neither up nor down.
QColor drainedColor();

} // namespace clusterdeck
