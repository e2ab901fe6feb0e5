#pragma once

#include "remote/remote_host.h"

namespace clusterdeck {

// RemoteHost for a gateway on this machine (the operator's own host, or ClusterDeck running on the gateway):
// commands through /bin/sh -c, files through POSIX calls, sockets through Qt's blocking socket API.
class LocalHost final : public RemoteHost {
public:
    // Answers larger than this are refused, not truncated: an admin socket or API never sends this much.
    static constexpr qint64 kMaxExchangeBytes = 16 * 1024 * 1024;

    QString describe() const override;
    Result<CommandResult> run(const QString &command, Timeout timeout,
                              const QByteArray &standardInput = {}) override;
    Result<QByteArray> readFile(const QString &path, Timeout timeout) override;
    Status writeFileAtomic(const QString &path, const QByteArray &bytes, Timeout timeout) override;
    Result<QByteArray> exchangeUnixSocket(const QString &socketPath, const QByteArray &request,
                                          Timeout timeout) override;
    Result<QByteArray> exchangeTcp(const QString &host, quint16 port, const QByteArray &request,
                                   Timeout timeout) override;
};

} // namespace clusterdeck
