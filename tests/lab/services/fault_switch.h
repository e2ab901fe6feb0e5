#pragma once

#include "common/result.h"

#include <QHash>
#include <QJsonObject>
#include <QMutex>
#include <QString>

namespace clusterdeck::lab {

// The lab's fault injection for /api/*: extra latency, a share of 500 answers, and a down flag
// (health DOWN/503, /api/* 503). Shared by the server thread and the workers.
class FaultSwitch {
public:
    struct State {
        int latencyMs = 0;
        int errorPercent = 0;
        bool down = false;
    };

    State state() const;
    // Applies latency=MS, errors=PCT, down=1|0 (any combination); validates all before changing any.
    Status apply(const QHash<QString, QString> &params);
    // Whether the next /api/* request answers 500. Exact, not random: of any n consecutive
    // requests, floor or ceil of n*PCT/100 fail, so measured error ratios match the switch.
    bool takeError();
    QJsonObject toJson() const;

    static constexpr int kMaxLatencyMs = 600000;

private:
    mutable QMutex m_mutex;
    State m_state;
    quint64 m_errorSequence = 0;
};

} // namespace clusterdeck::lab
