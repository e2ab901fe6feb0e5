#include "alerts/lag_evaluator.h"

#include <algorithm>

namespace clusterdeck {

QString lagStatusName(LagStatus status)
{
    switch (status) {
    case LagStatus::NoData:
        return QStringLiteral("no data");
    case LagStatus::Ok:
        return QStringLiteral("OK");
    case LagStatus::Warning:
        return QStringLiteral("WARNING");
    case LagStatus::Stalled:
        return QStringLiteral("STALLED");
    case LagStatus::Stopped:
        return QStringLiteral("STOPPED");
    }
    return QString();
}

LagStatus LagEvaluator::add(const LagSample &sample)
{
    if (!std::isfinite(sample.offset) || !std::isfinite(sample.lag)) {
        m_status = LagStatus::NoData;
        return m_status;
    }
    if (m_samples.isEmpty() || m_samples.last().offset != sample.offset)
        m_lastMoveMs = sample.timestampMs;
    m_samples.append(sample);
    if (m_samples.size() > m_window)
        m_samples.removeFirst();
    m_status = evaluate(m_samples, m_lastMoveMs);
    return m_status;
}

LagStatus LagEvaluator::evaluate(const QList<LagSample> &window, qint64 lastMoveMs)
{
    if (window.isEmpty())
        return LagStatus::NoData;
    // Rule 1: a consumer that caught up at any point in the window is fine.
    if (std::any_of(window.begin(), window.end(), [](const LagSample &s) { return s.lag <= 0; }))
        return LagStatus::Ok;
    // One observation says nothing about movement.
    if (window.size() < 2)
        return LagStatus::NoData;
    const LagSample &newest = window.last();
    // A group without members has nobody committing: gone, whatever the offsets did.
    if (newest.members == 0)
        return LagStatus::Stopped;
    const bool offsetsStill = std::all_of(
        window.begin(), window.end(), [&](const LagSample &s) { return s.offset == window.first().offset; });
    if (offsetsStill) {
        // kafka_exporter shows offsets, not commits: without a member count, an offset that stood still since
        // before the window is the best sign that nobody commits any more.
        if (std::isnan(newest.members) && lastMoveMs < window.first().timestampMs)
            return LagStatus::Stopped;
        return LagStatus::Stalled;
    }
    bool growing = true;
    for (qsizetype i = 1; i < window.size() && growing; ++i)
        growing = window[i].lag > window[i - 1].lag;
    return growing ? LagStatus::Warning : LagStatus::Ok;
}

} // namespace clusterdeck
