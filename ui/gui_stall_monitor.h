#pragma once

#include <QElapsedTimer>
#include <QObject>

class QTimer;

namespace clusterdeck {

// Measures, inside the running window, the longest time the GUI thread did not return to its event loop: a
// heartbeat timer fires every kBeatMs, and a beat that comes late by more than that says the loop was busy
// (or blocked) for that long. Start it after start-up, so building the window does not count.
class GuiStallMonitor : public QObject {
    Q_OBJECT
public:
    static constexpr int kBeatMs = 10;

    explicit GuiStallMonitor(QObject *parent = nullptr);

    void start();
    // Stops measuring (before a scripted screenshot renders the whole window, which is not operation).
    void stop();
    // The longest gap between two beats beyond the beat interval, in ms (0 before two beats).
    double worstStallMs() const { return m_worstMs; }
    qint64 beats() const { return m_beats; }

private:
    void beat();

    QTimer *m_timer;
    QElapsedTimer m_sinceBeat;
    double m_worstMs = 0;
    qint64 m_beats = 0;
};

// The process' resident set size in MB from /proc/self/status (VmRSS); NaN where that file is missing.
double residentSetMb();

} // namespace clusterdeck
