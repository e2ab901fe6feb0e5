#pragma once

#include "remote/remote_host.h"
#include "remote/ssh_session.h"

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>

struct sftp_session_struct;

namespace clusterdeck {

// RemoteHost over SSH (libssh): one session kept open and reused for every call, reconnected when it was
// lost. Thread-safe: calls from several threads take turns on the one session (a libssh session serves one
// thread at a time). SshConnectionPool hands out one SshHost per user@host:port.
class SshHost : public RemoteHost {
public:
    explicit SshHost(SshConnectOptions options);
    ~SshHost() override;

    QString describe() const override;
    Result<CommandResult> run(const QString &command, Timeout timeout,
                              const QByteArray &standardInput = {}) override;
    Result<QByteArray> readFile(const QString &path, Timeout timeout) override;
    Status writeFileAtomic(const QString &path, const QByteArray &bytes, Timeout timeout) override;
    Result<QByteArray> exchangeUnixSocket(const QString &socketPath, const QByteArray &request,
                                          Timeout timeout) override;
    Result<QByteArray> exchangeTcp(const QString &host, quint16 port, const QByteArray &request,
                                   Timeout timeout) override;

    // Connects now unless connected (to report host key and login problems before the first real call).
    Status connect();
    // Sessions opened so far (1 while the first is reused; one more per reconnect).
    int handshakes() const { return m_handshakes; }
    // For the pool's keep-alive timer: if no call is running, pings an open session and drops it when the
    // ping fails, so the next call reconnects at once. False when the session is (now) closed.
    bool keepAlive();
    void disconnect();

    // Files larger than this are refused by readFile (configs are small; a mistaken path must not fill
    // memory).
    static constexpr qint64 kMaxReadBytes = 64 * 1024 * 1024;

private:
    template <typename T, typename Operation>
    Result<T> withSession(const QString &step, Timeout timeout, Operation op);
    Status ensureConnected();
    Result<sftp_session_struct *> sftp(const QString &step);
    Result<CommandResult> execute(const QString &step, const QString &command,
                                  const QByteArray &standardInput, Timeout timeout, bool &committed);
    Result<QByteArray> exchange(const QString &step, const std::function<int(void *)> &open,
                                const QByteArray &request, Timeout timeout, bool &committed);
    Error error(const QString &step, const QString &message) const;

    const SshConnectOptions m_options;
    std::mutex m_mutex;
    std::unique_ptr<SshSession> m_session;
    sftp_session_struct *m_sftp = nullptr;
    std::atomic<int> m_handshakes{0};
};

} // namespace clusterdeck
