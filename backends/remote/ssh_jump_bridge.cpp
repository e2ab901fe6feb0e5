#include "remote/ssh_jump_bridge.h"

#include "remote/remote_log.h"
#include "remote/ssh_session.h"

#include <libssh/libssh.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace clusterdeck {

Result<std::unique_ptr<SshJumpBridge>> SshJumpBridge::open(std::unique_ptr<SshSession> jump,
                                                           const QString &host, int port)
{
    std::unique_ptr<SshJumpBridge> bridge(new SshJumpBridge);
    bridge->m_channel = ssh_channel_new(jump->handle());
    if (!bridge->m_channel || ssh_channel_open_forward(bridge->m_channel, host.toUtf8().constData(), port,
                                                       "127.0.0.1", 0) != SSH_OK)
        return Error{QStringLiteral("the jump host could not open a channel to %1:%2: %3")
                         .arg(host)
                         .arg(port)
                         .arg(jump->lastError()),
                     {}};
    int fds[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
        return Error{QStringLiteral("socketpair: %1").arg(QString::fromLocal8Bit(strerror(errno))), {}};
    bridge->m_fd = fds[0];
    bridge->m_sessionFd = fds[1];
    bridge->m_jump = std::move(jump);
    bridge->m_thread = std::thread([b = bridge.get()] { b->pump(); });
    return bridge;
}

int SshJumpBridge::takeSocket()
{
    const int fd = m_sessionFd;
    m_sessionFd = -1;
    return fd;
}

SshJumpBridge::~SshJumpBridge()
{
    m_stop = true;
    if (m_thread.joinable())
        m_thread.join();
    if (m_channel) {
        ssh_channel_close(m_channel);
        ssh_channel_free(m_channel);
    }
    if (m_fd >= 0)
        ::close(m_fd);
    if (m_sessionFd >= 0)
        ::close(m_sessionFd);
}

void SshJumpBridge::pump()
{
    char buffer[32768];
    const int jumpFd = ssh_get_fd(m_jump->handle());
    while (!m_stop) {
        pollfd fds[2] = {{m_fd, POLLIN, 0}, {jumpFd, POLLIN, 0}};
        // A short poll so the destructor's stop flag is seen; data wakes it at once.
        if (::poll(fds, 2, 100) < 0 && errno != EINTR)
            break;
        if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            const ssize_t n = ::read(m_fd, buffer, sizeof buffer);
            if (n <= 0)
                break; // the target session closed its end
            if (ssh_channel_write(m_channel, buffer, static_cast<uint32_t>(n)) != n)
                break;
        }
        for (;;) {
            const int n = ssh_channel_read_nonblocking(m_channel, buffer, sizeof buffer, 0);
            if (n < 0)
                goto done;
            if (n == 0)
                break;
            for (int written = 0; written < n;) {
                const ssize_t w = ::write(m_fd, buffer + written, static_cast<size_t>(n - written));
                if (w <= 0)
                    goto done;
                written += static_cast<int>(w);
            }
        }
        if (ssh_channel_is_eof(m_channel) || ssh_channel_is_closed(m_channel))
            break;
    }
done:
    qCDebug(lcRemote) << "jump bridge closed";
    ::shutdown(m_fd, SHUT_RDWR);
}

} // namespace clusterdeck
