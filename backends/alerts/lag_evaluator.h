#pragma once

#include <QList>
#include <QString>
#include <cmath>

namespace clusterdeck {

// A consumer group's state in the manner of Burrow's "Consumer Lag Evaluation Rules".
enum class LagStatus : std::uint8_t {
    NoData,  // fewer than two observations with both lag and offset, or none this round: neither OK nor bad
    Ok,      // lag was 0 somewhere in the window, or the consumer keeps up
    Warning, // offsets move, but lag grew across every interval of the window
    Stalled, // offsets stood still over the window while lag > 0; the consumer is still a group member
    Stopped, // lag > 0 and the consumer is gone: the group has no members, or (exporters without a member
             // count) its offset has not moved for longer than the window
};
// "no data", "OK", "WARNING", "STALLED", "STOPPED"
QString lagStatusName(LagStatus status);

// One observation of one consumer group (summed over partitions): one per collection round.
struct LagSample {
    qint64 timestampMs = 0;
    double offset = NAN;  // kafka.consumer_offset: the committed position
    double lag = NAN;     // kafka.consumer_lag
    double members = NAN; // kafka.consumer_members; NaN when the exporter does not say
};

// The lag status of one consumer group over a sliding window of its last `window` observations (Burrow's
// default is 10 offsets). Pure: the status follows only from the samples given, never from the clock.
class LagEvaluator {
public:
    static constexpr int kDefaultWindow = 10;

    explicit LagEvaluator(int window = kDefaultWindow) : m_window(std::max(2, window)) {}

    // Adds the newest observation and returns the status after it. A sample without lag or offset (a failed
    // scrape, an uncommitted group) makes this round NoData; the window resumes with the next good one.
    LagStatus add(const LagSample &sample);
    LagStatus status() const { return m_status; }
    const QList<LagSample> &window() const { return m_samples; }

    // Burrow's rules over `window` (oldest first, every sample with lag and offset); `lastMoveMs` is when the
    // offset last changed, which may be before the window (then it has stood still for longer than it).
    static LagStatus evaluate(const QList<LagSample> &window, qint64 lastMoveMs);

private:
    int m_window;
    QList<LagSample> m_samples;
    qint64 m_lastMoveMs = 0;
    LagStatus m_status = LagStatus::NoData;
};

} // namespace clusterdeck
