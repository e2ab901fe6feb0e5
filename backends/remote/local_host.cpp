#include "remote/local_host.h"

#include "remote/remote_log.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QFileInfo>
#include <QIODevice>
#include <QLocalSocket>
#include <QProcess>
#include <QRandomGenerator>
#include <QTcpSocket>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <functional>
#include <sys/stat.h>
#include <unistd.h>

namespace clusterdeck {

namespace {

QString seconds(RemoteHost::Timeout timeout)
{
    return QString::number(double(timeout.count()) / 1000.0, 'g', 3) + QStringLiteral(" s");
}

Error localError(const QString &operation, const QString &message)
{
    return Error{message, QStringLiteral("local: ") + operation};
}

QString errnoText(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

// Writes all of `bytes` to `fd`, retrying short writes and EINTR.
bool writeAll(int fd, const QByteArray &bytes)
{
    const char *data = bytes.constData();
    qsizetype left = bytes.size();
    while (left > 0) {
        const ssize_t written = ::write(fd, data, size_t(left));
        if (written < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        data += written;
        left -= written;
    }
    return true;
}

// Reads from a connected stream socket until the peer closes it (both HAProxy's non-interactive admin socket
// and HTTP with "Connection: close" end the answer that way), within the deadline and the size cap.
Result<QByteArray> readUntilClosed(QIODevice &socket, const std::function<bool()> &connected,
                                   const std::function<bool(int)> &waitForReadyRead,
                                   const QDeadlineTimer &deadline, const QString &operation,
                                   RemoteHost::Timeout timeout)
{
    QByteArray answer;
    for (;;) {
        answer += socket.readAll();
        if (answer.size() > LocalHost::kMaxExchangeBytes)
            return localError(
                operation,
                QStringLiteral("the answer is larger than %1 bytes").arg(LocalHost::kMaxExchangeBytes));
        if (!connected())
            break;
        if (deadline.hasExpired())
            return localError(operation, QStringLiteral("no end of the answer within %1 (got %2 bytes)")
                                             .arg(seconds(timeout))
                                             .arg(answer.size()));
        waitForReadyRead(int(std::max<qint64>(1, deadline.remainingTime())));
    }
    answer += socket.readAll();
    return answer;
}

} // namespace

QString LocalHost::describe() const
{
    return QStringLiteral("local");
}

Result<CommandResult> LocalHost::run(const QString &command, Timeout timeout, const QByteArray &standardInput)
{
    const QString operation = QStringLiteral("run '%1'").arg(command);
    qCDebug(lcRemote) << "local: run" << command;
    QProcess process;
    process.start(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), command});
    const QDeadlineTimer deadline(timeout);
    if (!process.waitForStarted(int(std::max<qint64>(1, deadline.remainingTime()))))
        return localError(operation, QStringLiteral("cannot start /bin/sh: %1").arg(process.errorString()));
    if (!standardInput.isEmpty())
        process.write(standardInput);
    process.closeWriteChannel();
    if (!process.waitForFinished(int(std::max<qint64>(1, deadline.remainingTime())))) {
        process.kill();
        process.waitForFinished(1000);
        return localError(operation, QStringLiteral("timed out after %1 (killed)").arg(seconds(timeout)));
    }
    CommandResult result;
    result.exitStatus = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.standardOutput = process.readAllStandardOutput();
    result.standardError = process.readAllStandardError();
    return result;
}

Result<QByteArray> LocalHost::readFile(const QString &path, Timeout)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return localError(QStringLiteral("read %1").arg(path), file.errorString());
    QByteArray bytes = file.readAll();
    if (file.error() != QFileDevice::NoError)
        return localError(QStringLiteral("read %1").arg(path), file.errorString());
    return bytes;
}

Status LocalHost::writeFileAtomic(const QString &path, const QByteArray &bytes, Timeout)
{
    const QString operation = QStringLiteral("write %1").arg(path);
    const QByteArray target = QFile::encodeName(path);
    // The new file takes the old one's mode and owner: a gateway reads its config as its own user.
    struct stat old {};
    const bool exists = ::stat(target.constData(), &old) == 0;
    if (!exists && errno != ENOENT)
        return localError(operation, errnoText(errno));
    const mode_t mode = exists ? (old.st_mode & 07777) : 0644;

    const QString directory = QFileInfo(path).absolutePath();
    const QByteArray temp =
        QFile::encodeName(QStringLiteral("%1/.%2.clusterdeck-%3")
                              .arg(directory, QFileInfo(path).fileName())
                              .arg(QRandomGenerator::global()->generate64(), 16, 16, QLatin1Char('0')));
    const int fd = ::open(temp.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0)
        return localError(
            operation,
            QStringLiteral("cannot create a temporary file in %1: %2").arg(directory, errnoText(errno)));
    auto fail = [&](const QString &what) {
        const int error = errno;
        ::close(fd);
        ::unlink(temp.constData());
        return Status(localError(operation, QStringLiteral("%1: %2").arg(what, errnoText(error))));
    };
    if (!writeAll(fd, bytes))
        return fail(QStringLiteral("cannot write the temporary file"));
    // open() applied the umask; the file must end up with exactly the old mode.
    if (::fchmod(fd, mode) != 0)
        return fail(QStringLiteral("cannot set the mode"));
    if (exists && (old.st_uid != ::geteuid() || old.st_gid != ::getegid()))
        if (::fchown(fd, old.st_uid, old.st_gid) != 0)
            return fail(QStringLiteral("cannot keep the owner"));
    if (::fsync(fd) != 0)
        return fail(QStringLiteral("fsync failed"));
    if (::close(fd) != 0) {
        const int error = errno;
        ::unlink(temp.constData());
        return localError(operation, QStringLiteral("close failed: %1").arg(errnoText(error)));
    }
    if (::rename(temp.constData(), target.constData()) != 0) {
        const int error = errno;
        ::unlink(temp.constData());
        return localError(
            operation, QStringLiteral("cannot rename the temporary file over it: %1").arg(errnoText(error)));
    }
    // The rename itself is durable only once the directory is synced.
    const int dirFd = ::open(QFile::encodeName(directory).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirFd >= 0) {
        ::fsync(dirFd);
        ::close(dirFd);
    }
    qCDebug(lcRemote) << "local: wrote" << path << bytes.size() << "bytes";
    return Status::success();
}

Result<QByteArray> LocalHost::exchangeUnixSocket(const QString &socketPath, const QByteArray &request,
                                                 Timeout timeout)
{
    const QString operation = QStringLiteral("socket %1").arg(socketPath);
    const QDeadlineTimer deadline(timeout);
    QLocalSocket socket;
    socket.connectToServer(socketPath);
    if (!socket.waitForConnected(int(std::max<qint64>(1, deadline.remainingTime()))))
        return localError(operation, QStringLiteral("cannot connect: %1").arg(socket.errorString()));
    socket.write(request);
    while (socket.bytesToWrite() > 0 && socket.state() == QLocalSocket::ConnectedState)
        if (!socket.waitForBytesWritten(int(std::max<qint64>(1, deadline.remainingTime()))) &&
            deadline.hasExpired())
            return localError(operation, QStringLiteral("cannot send within %1").arg(seconds(timeout)));
    return readUntilClosed(
        socket, [&] { return socket.state() != QLocalSocket::UnconnectedState; },
        [&](int ms) { return socket.waitForReadyRead(ms); }, deadline, operation, timeout);
}

Result<QByteArray> LocalHost::exchangeTcp(const QString &host, quint16 port, const QByteArray &request,
                                          Timeout timeout)
{
    const QString operation = QStringLiteral("tcp %1:%2").arg(host).arg(port);
    const QDeadlineTimer deadline(timeout);
    QTcpSocket socket;
    socket.connectToHost(host, port);
    if (!socket.waitForConnected(int(std::max<qint64>(1, deadline.remainingTime()))))
        return localError(operation, QStringLiteral("cannot connect: %1").arg(socket.errorString()));
    socket.write(request);
    while (socket.bytesToWrite() > 0 && socket.state() == QAbstractSocket::ConnectedState)
        if (!socket.waitForBytesWritten(int(std::max<qint64>(1, deadline.remainingTime()))) &&
            deadline.hasExpired())
            return localError(operation, QStringLiteral("cannot send within %1").arg(seconds(timeout)));
    return readUntilClosed(
        socket, [&] { return socket.state() != QAbstractSocket::UnconnectedState; },
        [&](int ms) { return socket.waitForReadyRead(ms); }, deadline, operation, timeout);
}

} // namespace clusterdeck
