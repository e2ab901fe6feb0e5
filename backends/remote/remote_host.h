#pragma once

#include "common/result.h"

#include <QByteArray>
#include <QString>
#include <chrono>

namespace clusterdeck {

// What a command run on a host gave back.
struct CommandResult {
    int exitStatus = -1; // the command's exit status; -1 when it was killed by a signal
    QByteArray standardOutput;
    QByteArray standardError;
};

// A host ClusterDeck acts on: the gateway's machine, reached over SSH (SshHost) or this machine itself
// (LocalHost). Every call blocks until done or until its timeout, so call it off the GUI thread (drain jobs
// run on a thread pool); one object is used by one thread at a time. Errors name the host and the operation
// ("deploy@10.0.0.10:22: write /etc/haproxy/haproxy.cfg: Permission denied").
class RemoteHost {
public:
    using Timeout = std::chrono::milliseconds;

    virtual ~RemoteHost() = default;

    // "deploy@10.0.0.10:22", "local": what errors and events call this host.
    virtual QString describe() const = 0;

    // Runs `command` through the host's shell, feeding it `standardInput`. A non-zero exit is not an error of
    // this call (the caller reads exitStatus); failing to run it at all, or the timeout, is.
    virtual Result<CommandResult> run(const QString &command, Timeout timeout,
                                      const QByteArray &standardInput = {}) = 0;

    virtual Result<QByteArray> readFile(const QString &path, Timeout timeout) = 0;

    // Replaces `path` atomically: writes a temporary file in the same directory, fsyncs it, keeps the old
    // file's mode, and renames it over `path`. A reader sees the old bytes or the new ones, never a mix.
    virtual Status writeFileAtomic(const QString &path, const QByteArray &bytes, Timeout timeout) = 0;

    // One request/response exchange with a stream socket on the host: connects, sends `request`, half-closes
    // nothing, and reads until the far side closes the stream (HAProxy's admin socket in non-interactive
    // mode, HTTP/1.1 with "Connection: close"). Over SSH these go through the connection (direct-streamlocal
    // / direct-tcpip channels), so the socket needs no open port.
    virtual Result<QByteArray> exchangeUnixSocket(const QString &socketPath, const QByteArray &request,
                                                  Timeout timeout) = 0;
    virtual Result<QByteArray> exchangeTcp(const QString &host, quint16 port, const QByteArray &request,
                                           Timeout timeout) = 0;
};

} // namespace clusterdeck
