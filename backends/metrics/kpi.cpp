#include "metrics/kpi.h"

#include <cmath>

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

QString gatewayServerStateName(double value)
{
    if (std::isnan(value))
        return QStringLiteral("?");
    switch (int(value)) {
    case int(GatewayServerState::Down):
        return QStringLiteral("DOWN");
    case int(GatewayServerState::Up):
        return QStringLiteral("UP");
    case int(GatewayServerState::Maint):
        return QStringLiteral("MAINT");
    case int(GatewayServerState::Drain):
        return QStringLiteral("DRAIN");
    case int(GatewayServerState::Nolb):
        return QStringLiteral("NOLB");
    default:
        break;
    }
    return QStringLiteral("?");
}

std::optional<GatewayServerState> gatewayServerStateFromLabel(QStringView label)
{
    if (label == QLatin1String("UP"))
        return GatewayServerState::Up;
    if (label == QLatin1String("DOWN"))
        return GatewayServerState::Down;
    if (label == QLatin1String("MAINT"))
        return GatewayServerState::Maint;
    if (label == QLatin1String("DRAIN"))
        return GatewayServerState::Drain;
    if (label == QLatin1String("NOLB"))
        return GatewayServerState::Nolb;
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
