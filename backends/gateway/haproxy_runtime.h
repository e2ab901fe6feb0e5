#pragma once

#include "common/result.h"
#include "remote/remote_host.h"

#include <QList>
#include <QString>

namespace clusterdeck {

// One server of a backend as HAProxy's runtime sees it: `show servers state` (admin and operational state)
// joined with `show stat` (status, sessions, queue, check).
struct HaproxyServerState {
    // srv_admin_state bits (HAProxy's SRV_ADMF_*): forced/inherited/config maintenance, forced/inherited
    // drain.
    enum AdminFlag : int {
        ForcedMaint = 0x01,
        InheritedMaint = 0x02,
        // `disabled` in the file. Not a maintenance state by itself: HAProxy sets it together with
        // ForcedMaint and keeps it after `set server ... state ready` (checked on the lab's 2.6), to
        // reconcile the state file.
        ConfigMaint = 0x04,
        ForcedDrain = 0x08,
        InheritedDrain = 0x10,
        ResolutionMaint = 0x20,
        HostnameMaint = 0x40,
    };
    static constexpr int kMaintFlags = ForcedMaint | InheritedMaint | ResolutionMaint | HostnameMaint;
    static constexpr int kDrainFlags = ForcedDrain | InheritedDrain;

    QString backend;
    QString server;
    QString address; // srv_addr:srv_port
    int adminState = 0;
    int opState = -1;           // 0 stopped, 1 starting, 2 running, 3 stopping
    QString status;             // show stat's: "UP", "DOWN", "MAINT", "DRAIN", "NOLB", "UP 1/2", ...
    qint64 currentSessions = 0; // scur
    qint64 currentQueue = 0;    // qcur
    qint64 totalSessions = 0;   // stot: grows while the server gets new requests
    QString checkStatus;        // "L7OK", "L4CON", ... empty without checks

    bool inRotation() const { return (adminState & (kMaintFlags | kDrainFlags)) == 0; }
    // Up and passing its health check, whatever its admin state.
    bool healthy() const { return opState == 2; }
};

enum class HaproxyAdminCommand { Ready, Drain, Maint };

// HAProxy's runtime API on its admin socket (non-interactive: one command per connection), reached through a
// RemoteHost. Errors name the host, the socket and the command.
class HaproxyRuntime {
public:
    HaproxyRuntime(RemoteHost &host, QString socketPath, RemoteHost::Timeout timeout);

    Status setServerState(const QString &backend, const QString &server, HaproxyAdminCommand command);
    Result<QList<HaproxyServerState>> servers(const QString &backend);
    Result<HaproxyServerState> server(const QString &backend, const QString &server);

    // The raw answer of one command (`show info`, ...).
    Result<QByteArray> command(const QByteArray &line);

private:
    Error error(const QByteArray &line, const QString &message) const;

    RemoteHost &m_host;
    QString m_socketPath;
    RemoteHost::Timeout m_timeout;
};

// Parsers of the two answers, public for their tests. Both read columns by the names in the header line.
Result<QList<HaproxyServerState>> parseShowServersState(const QByteArray &answer);
// Fills status, sessions, queue and check of the matching servers (by backend and server name).
Status mergeShowStat(const QByteArray &csv, QList<HaproxyServerState> &servers);

} // namespace clusterdeck
