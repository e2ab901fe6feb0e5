#include "gui_stall_monitor.h"

#include <QFile>
#include <QTimer>
#include <algorithm>
#include <cmath>

namespace clusterdeck {

GuiStallMonitor::GuiStallMonitor(QObject *parent) : QObject(parent), m_timer(new QTimer(this))
{
    // Precise: a coarse timer may fire up to 5 % late on purpose, which would read as a stall.
    m_timer->setTimerType(Qt::PreciseTimer);
    m_timer->setInterval(kBeatMs);
    connect(m_timer, &QTimer::timeout, this, &GuiStallMonitor::beat);
}

void GuiStallMonitor::start()
{
    m_worstMs = 0;
    m_beats = 0;
    m_sinceBeat.start();
    m_timer->start();
}

void GuiStallMonitor::stop()
{
    if (m_timer->isActive())
        beat(); // the time since the last beat counts too
    m_timer->stop();
}

void GuiStallMonitor::beat()
{
    const double gapMs = double(m_sinceBeat.nsecsElapsed()) / 1e6;
    m_sinceBeat.start();
    ++m_beats;
    m_worstMs = std::max(m_worstMs, gapMs - kBeatMs);
}

double residentSetMb()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return std::nan("");
    for (QByteArray line = status.readLine(); !line.isEmpty(); line = status.readLine()) {
        if (line.startsWith("VmRSS:")) {
            // "VmRSS:     12345 kB"
            const QList<QByteArray> fields = line.simplified().split(' ');
            bool ok = false;
            const double kb = fields.size() >= 2 ? fields[1].toDouble(&ok) : 0;
            return ok ? kb / 1024.0 : std::nan("");
        }
    }
    return std::nan("");
}

} // namespace clusterdeck
