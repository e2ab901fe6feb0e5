#include "remote/ssh_host.h"

#include "remote/remote_log.h"

#include <QDeadlineTimer>
#include <QFileInfo>
#include <QRandomGenerator>
#include <fcntl.h>
#include <libssh/libssh.h>
#include <libssh/server.h> // ssh_send_keepalive (a client may send it too)
#include <libssh/sftp.h>
#include <sys/stat.h>

namespace clusterdeck {

namespace {

// Frees a channel on every path out of an operation.
struct ChannelGuard {
    ssh_channel channel;
    ~ChannelGuard()
    {
        if (channel) {
            ssh_channel_close(channel);
            ssh_channel_free(channel);
        }
    }
};

struct SftpFileGuard {
    sftp_file file;
    ~SftpFileGuard()
    {
        if (file)
            sftp_close(file);
    }
};

// A word for the host's POSIX shell: single-quoted, embedded quotes closed and escaped.
QString shellQuote(const QString &word)
{
    return QLatin1Char('\'') + QString(word).replace(QLatin1String("'"), QLatin1String("'\\''")) +
           QLatin1Char('\'');
}

int remainingMs(const QDeadlineTimer &deadline)
{
    return static_cast<int>(std::max<qint64>(0, deadline.remainingTime()));
}

// Reads a channel until the far side's EOF; stderr too when `standardError` is given.
Status readToEof(ssh_channel channel, const QDeadlineTimer &deadline, QByteArray &out,
                 QByteArray *standardError, const std::function<Error(const QString &)> &fail)
{
    char buffer[32768];
    for (;;) {
        if (deadline.hasExpired())
            return fail(QStringLiteral("timed out"));
        // Wait on stdout in short slices so stderr data that arrives meanwhile is drained too.
        const int n =
            ssh_channel_read_timeout(channel, buffer, sizeof buffer, 0, std::min(remainingMs(deadline), 100));
        if (n == SSH_ERROR)
            return fail(QStringLiteral("read failed"));
        if (n > 0)
            out.append(buffer, n);
        int e = 0;
        if (standardError) {
            e = ssh_channel_read_nonblocking(channel, buffer, sizeof buffer, 1);
            if (e > 0)
                standardError->append(buffer, e);
        }
        if (n == 0 && e <= 0 && (ssh_channel_is_eof(channel) || ssh_channel_is_closed(channel)))
            return {};
    }
}

Status writeAll(ssh_channel channel, const QByteArray &bytes,
                const std::function<Error(const QString &)> &fail)
{
    for (qsizetype written = 0; written < bytes.size();) {
        const int n =
            ssh_channel_write(channel, bytes.constData() + written,
                              static_cast<uint32_t>(std::min<qsizetype>(bytes.size() - written, 65536)));
        if (n == SSH_ERROR)
            return fail(QStringLiteral("write failed"));
        written += n;
    }
    return {};
}

QString sftpErrorText(sftp_session sftp)
{
    switch (sftp_get_error(sftp)) {
    case SSH_FX_NO_SUCH_FILE:
        return QStringLiteral("No such file or directory");
    case SSH_FX_PERMISSION_DENIED:
        return QStringLiteral("Permission denied");
    case SSH_FX_FILE_ALREADY_EXISTS:
        return QStringLiteral("File exists");
    case SSH_FX_FAILURE:
        return QStringLiteral("Failure");
    default:
        return QStringLiteral("SFTP error %1").arg(sftp_get_error(sftp));
    }
}

} // namespace

SshHost::SshHost(SshConnectOptions options) : m_options(std::move(options)) {}

SshHost::~SshHost()
{
    disconnect();
}

QString SshHost::describe() const
{
    return m_options.settings.describe();
}

Error SshHost::error(const QString &step, const QString &message) const
{
    return Error{message, QStringLiteral("%1 step %2").arg(describe(), step)};
}

void SshHost::disconnect()
{
    std::lock_guard lock(m_mutex);
    if (m_sftp) {
        sftp_free(m_sftp);
        m_sftp = nullptr;
    }
    m_session.reset();
}

Status SshHost::ensureConnected()
{
    if (m_session && m_session->isConnected())
        return {};
    if (m_sftp) {
        sftp_free(m_sftp);
        m_sftp = nullptr;
    }
    m_session.reset();
    Result<std::unique_ptr<SshSession>> session = SshSession::connect(m_options);
    if (!session)
        return session.error();
    m_session = std::move(session.value());
    ++m_handshakes;
    return {};
}

Status SshHost::connect()
{
    std::lock_guard lock(m_mutex);
    return ensureConnected();
}

bool SshHost::keepAlive()
{
    std::unique_lock lock(m_mutex, std::try_to_lock);
    if (!lock.owns_lock())
        return true; // a call is running: the session is in use, no ping needed
    if (!m_session)
        return false;
    m_session->setTimeout(m_options.timeout);
    if (!m_session->isConnected() || ssh_send_keepalive(m_session->handle()) != SSH_OK ||
        !m_session->isConnected()) {
        qCDebug(lcRemote) << describe() << "lost; reconnecting on the next call";
        if (m_sftp) {
            sftp_free(m_sftp);
            m_sftp = nullptr;
        }
        m_session.reset();
        return false;
    }
    return true;
}

// Runs `op(committed)` on a connected session. When it fails because the session turned out to be dead (the
// server side was killed, the network dropped) before anything was sent that must not be sent twice, it
// reconnects and tries once more: a command is never run twice.
template <typename T, typename Operation>
Result<T> SshHost::withSession(const QString &step, Timeout timeout, Operation op)
{
    std::lock_guard lock(m_mutex);
    for (int attempt = 0;; ++attempt) {
        if (Status connected = ensureConnected(); !connected)
            return connected.error();
        m_session->setTimeout(timeout);
        bool committed = false;
        Result<T> result = op(committed);
        if (result || committed || attempt > 0 || m_session->isConnected())
            return result;
        qCDebug(lcRemote) << describe() << "session lost during" << step << "; reconnecting";
    }
}

Result<CommandResult> SshHost::execute(const QString &step, const QString &command,
                                       const QByteArray &standardInput, Timeout timeout, bool &committed)
{
    const QDeadlineTimer deadline(timeout);
    const auto fail = [&](const QString &what) {
        return error(step, QStringLiteral("%1: %2 (%3)").arg(command, what, m_session->lastError()));
    };
    ChannelGuard channel{ssh_channel_new(m_session->handle())};
    if (!channel.channel || ssh_channel_open_session(channel.channel) != SSH_OK)
        return fail(QStringLiteral("cannot open a session channel"));
    if (ssh_channel_request_exec(channel.channel, command.toUtf8().constData()) != SSH_OK)
        return fail(QStringLiteral("cannot start the command"));
    committed = true;
    if (Status written = writeAll(channel.channel, standardInput, fail); !written)
        return written.error();
    ssh_channel_send_eof(channel.channel);
    CommandResult result;
    if (Status read =
            readToEof(channel.channel, deadline, result.standardOutput, &result.standardError, fail);
        !read)
        return read.error();
    result.exitStatus = ssh_channel_get_exit_status(channel.channel);
    return result;
}

Result<CommandResult> SshHost::run(const QString &command, Timeout timeout, const QByteArray &standardInput)
{
    const QString step = QStringLiteral("run");
    return withSession<CommandResult>(step, timeout, [&](bool &committed) {
        return execute(step, command, standardInput, timeout, committed);
    });
}

Result<sftp_session_struct *> SshHost::sftp(const QString &step)
{
    if (m_sftp)
        return m_sftp;
    sftp_session sftp = sftp_new(m_session->handle());
    if (!sftp)
        return error(step, QStringLiteral("cannot start SFTP: %1").arg(m_session->lastError()));
    if (sftp_init(sftp) != SSH_OK) {
        sftp_free(sftp);
        return error(step, QStringLiteral("cannot start SFTP: %1").arg(m_session->lastError()));
    }
    m_sftp = sftp;
    return m_sftp;
}

Result<QByteArray> SshHost::readFile(const QString &path, Timeout timeout)
{
    const QString step = QStringLiteral("read %1").arg(path);
    return withSession<QByteArray>(step, timeout, [&](bool &) -> Result<QByteArray> {
        Result<sftp_session> session = sftp(step);
        if (!session)
            return session.error();
        SftpFileGuard file{sftp_open(*session, path.toUtf8().constData(), O_RDONLY, 0)};
        if (!file.file)
            return error(step, sftpErrorText(*session));
        QByteArray bytes;
        char buffer[65536];
        for (;;) {
            const ssize_t n = sftp_read(file.file, buffer, sizeof buffer);
            if (n < 0)
                return error(step, sftpErrorText(*session));
            if (n == 0)
                return bytes;
            if (bytes.size() + n > kMaxReadBytes)
                return error(step, QStringLiteral("larger than %1 bytes; refused").arg(kMaxReadBytes));
            bytes.append(buffer, static_cast<qsizetype>(n));
        }
    });
}

Status SshHost::writeFileAtomic(const QString &path, const QByteArray &bytes, Timeout timeout)
{
    const QString step = QStringLiteral("write %1").arg(path);
    Result<bool> done = withSession<bool>(step, timeout, [&](bool &) -> Result<bool> {
        Result<sftp_session> maybeSession = sftp(step);
        if (!maybeSession)
            return maybeSession.error();
        sftp_session session = *maybeSession;
        // Keep the old file's permission bits; a new file gets rw-r--r--.
        mode_t mode = 0644;
        if (sftp_attributes attributes = sftp_stat(session, path.toUtf8().constData())) {
            mode = attributes->permissions & 07777;
            sftp_attributes_free(attributes);
        }
        const QFileInfo info(path);
        const QString temp = QStringLiteral("%1/.%2.clusterdeck-%3")
                                 .arg(info.path(), info.fileName())
                                 .arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
        const QByteArray tempName = temp.toUtf8();
        SftpFileGuard file{sftp_open(session, tempName.constData(), O_WRONLY | O_CREAT | O_EXCL, mode)};
        if (!file.file)
            return error(step, QStringLiteral("cannot create %1: %2").arg(temp, sftpErrorText(session)));
        const auto failAndRemove = [&](const QString &what) {
            if (file.file) {
                sftp_close(file.file);
                file.file = nullptr;
            }
            sftp_unlink(session, tempName.constData());
            return error(step, QStringLiteral("%1 (the temporary file was removed)").arg(what));
        };
        for (qsizetype written = 0; written < bytes.size();) {
            const ssize_t n =
                sftp_write(file.file, bytes.constData() + written,
                           static_cast<size_t>(std::min<qsizetype>(bytes.size() - written, 65536)));
            if (n < 0)
                return failAndRemove(QStringLiteral("write %1: %2").arg(temp, sftpErrorText(session)));
            written += n;
        }
        // The bytes must be on disk before the rename makes them the file, or a crash could leave it empty.
        if (sftp_extension_supported(session, "fsync@openssh.com", "1") && sftp_fsync(file.file) != 0)
            return failAndRemove(QStringLiteral("fsync %1: %2").arg(temp, sftpErrorText(session)));
        if (sftp_close(file.file) != 0) {
            file.file = nullptr;
            return failAndRemove(QStringLiteral("close %1: %2").arg(temp, sftpErrorText(session)));
        }
        file.file = nullptr;
        // The server's umask applied at creation: set the mode explicitly.
        if (sftp_chmod(session, tempName.constData(), mode) != 0)
            return failAndRemove(QStringLiteral("chmod %1: %2").arg(temp, sftpErrorText(session)));
        // SFTP v3's RENAME refuses an existing target, and libssh 0.10 cannot send posix-rename@openssh.com:
        // rename(2) through mv(1) on the host is the atomic replace (same directory, so same file system); -T
        // so a directory at `path` is an error, not a folder to move into.
        bool ignored = false;
        Result<CommandResult> moved =
            execute(step, QStringLiteral("mv -fT -- %1 %2").arg(shellQuote(temp), shellQuote(path)), {},
                    timeout, ignored);
        if (!moved || moved->exitStatus != 0) {
            const QString why =
                moved ? QString::fromUtf8(moved->standardError).trimmed() : moved.error().message;
            return failAndRemove(QStringLiteral("rename %1 over %2: %3").arg(temp, path, why));
        }
        return true;
    });
    if (!done)
        return done.error();
    return {};
}

Result<QByteArray> SshHost::exchange(const QString &step, const std::function<int(void *)> &open,
                                     const QByteArray &request, Timeout timeout, bool &committed)
{
    const QDeadlineTimer deadline(timeout);
    const auto fail = [&](const QString &what) {
        return error(step, QStringLiteral("%1 (%2)").arg(what, m_session->lastError()));
    };
    ChannelGuard channel{ssh_channel_new(m_session->handle())};
    if (!channel.channel || open(channel.channel) != SSH_OK)
        return fail(QStringLiteral("the host could not connect"));
    committed = true;
    if (Status written = writeAll(channel.channel, request, fail); !written)
        return written.error();
    QByteArray response;
    if (Status read = readToEof(channel.channel, deadline, response, nullptr, fail); !read)
        return read.error();
    return response;
}

Result<QByteArray> SshHost::exchangeUnixSocket(const QString &socketPath, const QByteArray &request,
                                               Timeout timeout)
{
    const QString step = QStringLiteral("unix socket %1").arg(socketPath);
    const QByteArray path = socketPath.toUtf8();
    return withSession<QByteArray>(step, timeout, [&](bool &committed) {
        return exchange(
            step,
            [&](void *channel) {
                return ssh_channel_open_forward_unix(static_cast<ssh_channel>(channel), path.constData(),
                                                     "127.0.0.1", 0);
            },
            request, timeout, committed);
    });
}

Result<QByteArray> SshHost::exchangeTcp(const QString &host, quint16 port, const QByteArray &request,
                                        Timeout timeout)
{
    const QString step = QStringLiteral("tcp %1:%2").arg(host).arg(port);
    const QByteArray hostName = host.toUtf8();
    return withSession<QByteArray>(step, timeout, [&](bool &committed) {
        return exchange(
            step,
            [&](void *channel) {
                return ssh_channel_open_forward(static_cast<ssh_channel>(channel), hostName.constData(), port,
                                                "127.0.0.1", 0);
            },
            request, timeout, committed);
    });
}

} // namespace clusterdeck
