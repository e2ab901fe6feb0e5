#include "gateway/haproxy_runtime.h"

#include "gateway/gateway_log.h"

#include <QHash>

namespace clusterdeck {

namespace {

QByteArray commandWord(HaproxyAdminCommand command)
{
    switch (command) {
    case HaproxyAdminCommand::Ready:
        return "ready";
    case HaproxyAdminCommand::Drain:
        return "drain";
    case HaproxyAdminCommand::Maint:
        return "maint";
    }
    return {};
}

// Column name -> index of a header line ("# a b c" or "# a,b,c").
QHash<QByteArray, int> columnsOf(QByteArray header, char separator)
{
    header = header.mid(1).trimmed();
    QHash<QByteArray, int> columns;
    const QList<QByteArray> names = header.split(separator);
    for (int i = 0; i < names.size(); ++i)
        columns.insert(names[i].trimmed(), i);
    return columns;
}

qint64 numberAt(const QList<QByteArray> &fields, int index)
{
    return index >= 0 && index < fields.size() ? fields[index].toLongLong() : 0;
}

} // namespace

HaproxyRuntime::HaproxyRuntime(RemoteHost &host, QString socketPath, RemoteHost::Timeout timeout)
    : m_host(host), m_socketPath(std::move(socketPath)), m_timeout(timeout)
{}

Error HaproxyRuntime::error(const QByteArray &line, const QString &message) const
{
    return Error{message, QStringLiteral("%1: admin socket %2: '%3'")
                              .arg(m_host.describe(), m_socketPath, QString::fromUtf8(line))};
}

Result<QByteArray> HaproxyRuntime::command(const QByteArray &line)
{
    qCDebug(lcGateway) << m_host.describe() << "haproxy:" << line;
    Result<QByteArray> answer = m_host.exchangeUnixSocket(m_socketPath, line + '\n', m_timeout);
    if (!answer)
        return error(line, answer.error().toString());
    // The socket answers commands it does not take with "Unknown command" and the level they need.
    if (answer->startsWith("Unknown command") || answer->startsWith("Permission denied"))
        return error(line, QString::fromUtf8(answer->trimmed().left(300)));
    return answer;
}

Status HaproxyRuntime::setServerState(const QString &backend, const QString &server,
                                      HaproxyAdminCommand command)
{
    const QByteArray line =
        "set server " + backend.toUtf8() + '/' + server.toUtf8() + " state " + commandWord(command);
    const Result<QByteArray> answer = this->command(line);
    if (!answer)
        return answer.error();
    // Success is an empty answer; anything else ("No such server.") is the reason it failed.
    if (!answer->trimmed().isEmpty())
        return error(line, QString::fromUtf8(answer->trimmed().left(300)));
    return Status::success();
}

Result<QList<HaproxyServerState>> HaproxyRuntime::servers(const QString &backend)
{
    const QByteArray stateLine = "show servers state " + backend.toUtf8();
    const Result<QByteArray> state = command(stateLine);
    if (!state)
        return state.error();
    Result<QList<HaproxyServerState>> servers = parseShowServersState(*state);
    if (!servers)
        return error(stateLine, servers.error().message);
    // Type 4 = servers only; -1 = all of them.
    const QByteArray statLine = "show stat " + backend.toUtf8() + " 4 -1";
    const Result<QByteArray> stat = command(statLine);
    if (!stat)
        return stat.error();
    if (const Status merged = mergeShowStat(*stat, *servers); !merged)
        return error(statLine, merged.error().message);
    return servers;
}

Result<HaproxyServerState> HaproxyRuntime::server(const QString &backend, const QString &server)
{
    const Result<QList<HaproxyServerState>> all = servers(backend);
    if (!all)
        return all.error();
    for (const HaproxyServerState &state : *all)
        if (state.server == server)
            return state;
    return Error{QStringLiteral("HAProxy has no server '%1' in backend '%2'").arg(server, backend),
                 QStringLiteral("%1: admin socket %2").arg(m_host.describe(), m_socketPath)};
}

Result<QList<HaproxyServerState>> parseShowServersState(const QByteArray &answer)
{
    const QList<QByteArray> lines = answer.split('\n');
    // Line 1 is the format version, line 2 the header.
    if (lines.size() < 2 || lines[0].trimmed() != "1" || !lines[1].startsWith('#'))
        return Error{QStringLiteral("unexpected answer to 'show servers state': '%1'")
                         .arg(QString::fromUtf8(answer.trimmed().left(200))),
                     {}};
    const QHash<QByteArray, int> columns = columnsOf(lines[1], ' ');
    const int be = columns.value("be_name", -1), name = columns.value("srv_name", -1),
              addr = columns.value("srv_addr", -1), port = columns.value("srv_port", -1),
              op = columns.value("srv_op_state", -1), admin = columns.value("srv_admin_state", -1);
    if (be < 0 || name < 0 || op < 0 || admin < 0)
        return Error{QStringLiteral("'show servers state' lacks be_name, srv_name, srv_op_state or "
                                    "srv_admin_state"),
                     {}};
    QList<HaproxyServerState> servers;
    for (qsizetype i = 2; i < lines.size(); ++i) {
        const QByteArray line = lines[i].trimmed();
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        const QList<QByteArray> fields = line.split(' ');
        if (fields.size() < columns.size())
            return Error{
                QStringLiteral("short line in 'show servers state': '%1'").arg(QString::fromUtf8(line)), {}};
        HaproxyServerState server;
        server.backend = QString::fromUtf8(fields[be]);
        server.server = QString::fromUtf8(fields[name]);
        server.address = QString::fromUtf8(fields.value(addr));
        if (port >= 0 && fields.value(port) != "0")
            server.address += QLatin1Char(':') + QString::fromUtf8(fields.value(port));
        server.opState = int(numberAt(fields, op));
        server.adminState = int(numberAt(fields, admin));
        servers.append(server);
    }
    return servers;
}

Status mergeShowStat(const QByteArray &csv, QList<HaproxyServerState> &servers)
{
    const QList<QByteArray> lines = csv.split('\n');
    if (lines.isEmpty() || !lines[0].startsWith("# pxname,"))
        return Error{QStringLiteral("unexpected answer to 'show stat': '%1'")
                         .arg(QString::fromUtf8(csv.trimmed().left(200))),
                     {}};
    const QHash<QByteArray, int> columns = columnsOf(lines[0], ',');
    const int px = columns.value("pxname", -1), sv = columns.value("svname", -1),
              scur = columns.value("scur", -1), qcur = columns.value("qcur", -1),
              stot = columns.value("stot", -1), status = columns.value("status", -1),
              check = columns.value("check_status", -1);
    if (px < 0 || sv < 0 || scur < 0 || qcur < 0 || status < 0)
        return Error{QStringLiteral("'show stat' lacks pxname, svname, scur, qcur or status"), {}};
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QList<QByteArray> fields = lines[i].split(',');
        if (fields.size() <= status)
            continue;
        for (HaproxyServerState &server : servers) {
            if (server.backend.toUtf8() != fields[px] || server.server.toUtf8() != fields[sv])
                continue;
            server.currentSessions = numberAt(fields, scur);
            server.currentQueue = numberAt(fields, qcur);
            server.totalSessions = numberAt(fields, stot);
            server.status = QString::fromUtf8(fields[status]);
            server.checkStatus = QString::fromUtf8(fields.value(check)).remove(QLatin1Char('*'));
        }
    }
    return Status::success();
}

} // namespace clusterdeck
