#pragma once

#include <QMetaType>
#include <QtGlobal>

namespace clusterdeck {

// How Prometheus-mode polling goes: how long the server takes to answer and how many polls were skipped
// because the previous one was still running. A value type that crosses threads (Collector → status bar).
struct PromPollStats {
    qint64 answerMs = -1;  // slowest query of the last completed poll, from send to answer (-1: none yet)
    qint64 pollMs = -1;    // the last completed poll, first query sent to last answer (-1: none yet)
    int queries = 0;       // queries per poll
    int failedQueries = 0; // of the last completed poll
    quint64 completed = 0; // polls completed since start
    quint64 skipped = 0;   // ticks that found a poll running and started none
};

} // namespace clusterdeck

Q_DECLARE_METATYPE(clusterdeck::PromPollStats)
