#include "metrics/kpi.h"

#include <cmath>
#include <utility>

namespace clusterdeck {

namespace {

QString compact(double value, int precision = 3)
{
    return QString::number(value, 'g', precision);
}

} // namespace

QString kpiSourceName(KpiSource source)
{
    switch (source) {
    case KpiSource::Gateway:
        return QStringLiteral("gateway");
    case KpiSource::Was:
        return QStringLiteral("was");
    case KpiSource::Redis:
        return QStringLiteral("redis");
    case KpiSource::Kafka:
        return QStringLiteral("kafka");
    case KpiSource::Db:
        return QStringLiteral("db");
    case KpiSource::Cluster:
        return QStringLiteral("cluster");
    }
    return QStringLiteral("other");
}

QString kpiLabel(KpiId id)
{
    return QString::fromUtf8(kpiInfo(id).label);
}

QString kpiUnitSuffix(KpiUnit unit)
{
    switch (unit) {
    case KpiUnit::PerSecond:
        return QStringLiteral("/s");
    case KpiUnit::Seconds:
        return QStringLiteral("s");
    case KpiUnit::Ratio:
        return QStringLiteral("%");
    case KpiUnit::Bytes:
        return QStringLiteral("B");
    case KpiUnit::Count:
    case KpiUnit::State:
    case KpiUnit::Boolean:
        break;
    }
    return {};
}

QString formatKpiValue(KpiId id, double value)
{
    if (std::isnan(value))
        return QStringLiteral("-");
    switch (kpiInfo(id).unit) {
    case KpiUnit::PerSecond:
        return QString::number(value, 'f', value < 10 ? 2 : 1) + QStringLiteral("/s");
    case KpiUnit::Seconds:
        if (std::isinf(value))
            return value > 0 ? QStringLiteral("+Inf") : QStringLiteral("-Inf");
        if (std::abs(value) < 1)
            return compact(value * 1000) + QStringLiteral("ms");
        return compact(value) + QStringLiteral("s");
    case KpiUnit::Ratio:
        return QString::number(value * 100, 'f', 2) + QStringLiteral("%");
    case KpiUnit::Bytes: {
        static const char *const suffixes[] = {"B", "KiB", "MiB", "GiB", "TiB"};
        int i = 0;
        while (std::abs(value) >= 1024 && i < 4) {
            value /= 1024;
            ++i;
        }
        return compact(value) + QLatin1String(suffixes[i]);
    }
    case KpiUnit::State:
        return gatewayServerStateName(value);
    case KpiUnit::Boolean:
        return value != 0 ? QStringLiteral("yes") : QStringLiteral("no");
    case KpiUnit::Count:
        break;
    }
    return QString::number(value, 'g', 10);
}

namespace {

// haproxy_server_status' state labels, the one list both directions read.
constexpr std::pair<GatewayServerState, const char *> kGatewayServerStates[] = {
    {GatewayServerState::Down, "DOWN"},   {GatewayServerState::Up, "UP"},
    {GatewayServerState::Maint, "MAINT"}, {GatewayServerState::Drain, "DRAIN"},
    {GatewayServerState::Nolb, "NOLB"},
};

} // namespace

QString gatewayServerStateName(double value)
{
    if (!std::isnan(value)) {
        for (const auto &[state, name] : kGatewayServerStates)
            if (int(value) == int(state))
                return QLatin1String(name);
    }
    return QStringLiteral("?");
}

std::optional<GatewayServerState> gatewayServerStateFromLabel(QAnyStringView label)
{
    for (const auto &[state, name] : kGatewayServerStates)
        if (QAnyStringView::compare(label, QLatin1String(name)) == 0)
            return state;
    return std::nullopt;
}

QString KpiKey::toString() const
{
    QString text = target + QLatin1Char('/') + kpi;
    if (!instance.isEmpty())
        text += QLatin1Char('/') + instance;
    return text;
}

} // namespace clusterdeck
