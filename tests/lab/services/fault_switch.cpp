#include "fault_switch.h"

#include <QStringList>

namespace clusterdeck::lab {
namespace {

Result<int> parseBounded(const QString &name, const QString &text, int min, int max)
{
    bool ok = false;
    const int value = text.toInt(&ok);
    if (!ok || value < min || value > max) {
        return Error{QStringLiteral("%1 must be an integer from %2 to %3, got '%4'")
                         .arg(name)
                         .arg(min)
                         .arg(max)
                         .arg(text),
                     QStringLiteral("/lab/fault")};
    }
    return value;
}

} // namespace

FaultSwitch::State FaultSwitch::state() const
{
    QMutexLocker lock(&m_mutex);
    return m_state;
}

Status FaultSwitch::apply(const QHash<QString, QString> &params)
{
    static const QStringList known{QStringLiteral("latency"), QStringLiteral("errors"),
                                   QStringLiteral("down")};
    if (params.isEmpty())
        return Error{QStringLiteral("give at least one of latency=MS, errors=PCT, down=1|0"),
                     QStringLiteral("/lab/fault")};
    for (auto it = params.cbegin(); it != params.cend(); ++it) {
        if (!known.contains(it.key()))
            return Error{
                QStringLiteral("unknown parameter '%1' (known: latency, errors, down)").arg(it.key()),
                QStringLiteral("/lab/fault")};
    }

    QMutexLocker lock(&m_mutex);
    State next = m_state;
    if (params.contains(QStringLiteral("latency"))) {
        const Result<int> latency = parseBounded(QStringLiteral("latency"),
                                                 params.value(QStringLiteral("latency")), 0, kMaxLatencyMs);
        if (!latency)
            return latency.error();
        next.latencyMs = *latency;
    }
    if (params.contains(QStringLiteral("errors"))) {
        const Result<int> errors =
            parseBounded(QStringLiteral("errors"), params.value(QStringLiteral("errors")), 0, 100);
        if (!errors)
            return errors.error();
        next.errorPercent = *errors;
    }
    if (params.contains(QStringLiteral("down"))) {
        const QString down = params.value(QStringLiteral("down")).toLower();
        if (down == QLatin1String("1") || down == QLatin1String("true"))
            next.down = true;
        else if (down == QLatin1String("0") || down == QLatin1String("false"))
            next.down = false;
        else
            return Error{
                QStringLiteral("down must be 1 or 0, got '%1'").arg(params.value(QStringLiteral("down"))),
                QStringLiteral("/lab/fault")};
    }
    if (next.errorPercent != m_state.errorPercent)
        m_errorSequence = 0;
    m_state = next;
    return Status::success();
}

bool FaultSwitch::takeError()
{
    QMutexLocker lock(&m_mutex);
    const quint64 pct = static_cast<quint64>(m_state.errorPercent);
    if (pct == 0)
        return false;
    const quint64 n = m_errorSequence++;
    return (n + 1) * pct / 100 > n * pct / 100;
}

QJsonObject FaultSwitch::toJson() const
{
    const State s = state();
    return QJsonObject{
        {QStringLiteral("latency"), s.latencyMs},
        {QStringLiteral("errors"), s.errorPercent},
        {QStringLiteral("down"), s.down},
    };
}

} // namespace clusterdeck::lab
