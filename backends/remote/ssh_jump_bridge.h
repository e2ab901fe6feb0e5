#pragma once

#include "common/result.h"

#include <QString>
#include <atomic>
#include <memory>
#include <thread>

struct ssh_channel_struct;

namespace clusterdeck {

class SshSession;

// ProxyJump: a direct-tcpip channel from the jump host's session to the target, bridged to one end of a
// socketpair whose other end the target's session uses as its socket. libssh 0.10 can only jump through a
// ProxyCommand running ssh(1), which would check host keys and prompt outside ClusterDeck; this way every hop
// is an SshSession of our own. The bridge thread owns the jump session.
class SshJumpBridge {
public:
    static Result<std::unique_ptr<SshJumpBridge>> open(std::unique_ptr<SshSession> jump, const QString &host,
                                                       int port);
    ~SshJumpBridge();

    // The target session's end; the session closes it when it disconnects.
    int takeSocket();

private:
    SshJumpBridge() = default;
    void pump();

    std::unique_ptr<SshSession> m_jump;
    ssh_channel_struct *m_channel = nullptr;
    int m_fd = -1;        // the bridge's end
    int m_sessionFd = -1; // until taken
    std::atomic<bool> m_stop{false};
    std::thread m_thread;
};

} // namespace clusterdeck
