#include "gateway/config_edit.h"

#include "gateway/caddy_config.h"
#include "gateway/haproxy_config.h"
#include "gateway/unified_diff.h"

#include <algorithm>

namespace clusterdeck {

ConfigEdit applySplices(const QByteArray &old, QList<Splice> splices, const QString &fileName)
{
    std::sort(splices.begin(), splices.end(),
              [](const Splice &a, const Splice &b) { return a.offset < b.offset; });
    ConfigEdit edit;
    edit.bytes.reserve(old.size() + 256);
    qsizetype at = 0;
    for (const Splice &splice : splices) {
        edit.bytes.append(old.constData() + at, splice.offset - at);
        edit.bytes.append(splice.replacement);
        at = splice.offset + splice.length;
    }
    edit.bytes.append(old.constData() + at, old.size() - at);
    UnifiedDiff diff = unifiedDiff(old, edit.bytes, fileName);
    edit.diff = std::move(diff.text);
    edit.changedLines = std::move(diff.changedLines);
    return edit;
}

QString configWhere(const QString &fileName, int line)
{
    return QStringLiteral("%1:%2").arg(fileName).arg(line);
}

namespace {

QString withoutScheme(const QString &address)
{
    const qsizetype scheme = address.indexOf(QLatin1String("://"));
    return scheme < 0 ? address : address.mid(scheme + 3);
}

QString hostOf(const QString &address)
{
    if (address.startsWith(QLatin1Char('['))) // [::1]:8080
        return address.left(address.indexOf(QLatin1Char(']')) + 1);
    const qsizetype colon = address.lastIndexOf(QLatin1Char(':'));
    return colon < 0 ? address : address.left(colon);
}

} // namespace

bool addressMatches(const QString &token, const QString &query)
{
    const QString have = withoutScheme(token);
    const QString want = withoutScheme(query);
    if (want.isEmpty())
        return false;
    if (have == want)
        return true;
    return hostOf(want) == want && hostOf(have) == want;
}

Result<ConfigEdit> editGatewayConfig(GatewayKind kind, ConfigAction action, const QByteArray &config,
                                     const QString &fileName, const ServerSelector &selector)
{
    if (kind == GatewayKind::HAProxy)
        return editHaproxyConfig(action, config, fileName, selector);
    return editCaddyConfig(action, config, fileName, selector);
}

Result<QList<ConfigUpstream>> listGatewayUpstreams(GatewayKind kind, const QByteArray &config,
                                                   const QString &fileName)
{
    if (kind == GatewayKind::HAProxy)
        return listHaproxyUpstreams(config, fileName);
    return listCaddyUpstreams(config, fileName);
}

} // namespace clusterdeck
