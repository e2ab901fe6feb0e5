#include "target_state_style.h"

#include "status_dot.h"

#include <QCoreApplication>

namespace clusterdeck {

TargetStateStyle targetStateStyle(TargetStatus::State state, bool degraded)
{
    switch (state) {
    case TargetStatus::State::Up:
        if (degraded)
            return {QCoreApplication::translate("TargetState", "DEGRADED"), StatusDot::warnColor()};
        return {QCoreApplication::translate("TargetState", "UP"), StatusDot::upColor()};
    case TargetStatus::State::Down:
        return {QCoreApplication::translate("TargetState", "DOWN"), StatusDot::downColor()};
    case TargetStatus::State::Unknown:
        break;
    }
    return {QCoreApplication::translate("TargetState", "UNKNOWN"), StatusDot::unknownColor()};
}

} // namespace clusterdeck
