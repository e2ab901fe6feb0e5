#include "target_state_style.h"

#include "status_dot.h"

#include <QCoreApplication>

namespace clusterdeck {

QColor drainedColor()
{
    return QColor(0x1e, 0x88, 0xe5);
}

TargetStateStyle targetStateStyle(TargetStatus::State state, bool degraded)
{
    switch (state) {
    case TargetStatus::State::Up:
        if (degraded)
            return {QCoreApplication::translate("TargetState", "DEGRADED"), StatusDot::warnColor()};
        return {QCoreApplication::translate("TargetState", "UP"), StatusDot::upColor()};
    case TargetStatus::State::Down:
        return {QCoreApplication::translate("TargetState", "DOWN"), StatusDot::downColor()};
    case TargetStatus::State::Draining:
        return {QCoreApplication::translate("TargetState", "DRAINING"), StatusDot::warnColor()};
    case TargetStatus::State::Drained:
        return {QCoreApplication::translate("TargetState", "DRAINED"), drainedColor()};
    case TargetStatus::State::Maint:
        return {QCoreApplication::translate("TargetState", "MAINT"), drainedColor().darker(130)};
    case TargetStatus::State::Unknown:
        break;
    }
    return {QCoreApplication::translate("TargetState", "UNKNOWN"), StatusDot::unknownColor()};
}

TargetStateStyle targetStateStyle(const TargetStatus &status, bool degraded)
{
    TargetStateStyle style = targetStateStyle(status.state, degraded);
    if (status.state == TargetStatus::State::Draining && status.gatewaySessions >= 0)
        style.label = QCoreApplication::translate("TargetState", "DRAINING (sessions %n)", nullptr,
                                                  int(status.gatewaySessions));
    return style;
}

} // namespace clusterdeck
