#include "remote/ssh_session.h"

#include "remote/credential_prompt.h"
#include "remote/host_key_approver.h"
#include "remote/known_hosts.h"
#include "remote/password_store.h"
#include "remote/remote_log.h"
#include "remote/ssh_jump_bridge.h"

#include <QFile>
#include <QStringList>
#include <QtEndian>
#include <cstring>
#include <libssh/libssh.h>

namespace clusterdeck {

namespace {

// The key type is the first string of the wire blob (RFC 4253 §6.6), what known_hosts names it by.
QString keyTypeOfBlob(const QByteArray &blob)
{
    if (blob.size() < 4)
        return {};
    const quint32 length = qFromBigEndian<quint32>(blob.constData());
    if (length > static_cast<quint32>(blob.size() - 4))
        return {};
    return QString::fromLatin1(blob.mid(4, static_cast<int>(length)));
}

// Host key algorithms with the types known_hosts has for this host first, as OpenSSH orders them, so a host
// known by its ECDSA key is not asked for its Ed25519 one.
QByteArray hostKeyAlgorithms(const QStringList &knownTypes)
{
    const QStringList defaults = {
        QStringLiteral("ssh-ed25519"),         QStringLiteral("ecdsa-sha2-nistp521"),
        QStringLiteral("ecdsa-sha2-nistp384"), QStringLiteral("ecdsa-sha2-nistp256"),
        QStringLiteral("rsa-sha2-512"),        QStringLiteral("rsa-sha2-256")};
    QStringList ordered;
    for (const QString &type : knownTypes) {
        const QStringList algorithms =
            type == QLatin1String("ssh-rsa")
                ? QStringList{QStringLiteral("rsa-sha2-512"), QStringLiteral("rsa-sha2-256")}
                : QStringList{type};
        for (const QString &algorithm : algorithms)
            if (defaults.contains(algorithm) && !ordered.contains(algorithm))
                ordered.append(algorithm);
    }
    for (const QString &algorithm : defaults)
        if (!ordered.contains(algorithm))
            ordered.append(algorithm);
    return ordered.join(QLatin1Char(',')).toLatin1();
}

struct PassphraseRequest {
    CredentialPrompt *prompt;
    QString keyFile;
    QString host;
    bool asked = false;
};

// libssh's passphrase callback: asks our prompt, never the terminal (with no callback, OpenSSL would read
// the passphrase of a PEM key from the tty).
int askPassphrase(const char *, char *buffer, size_t length, int, int, void *userdata)
{
    auto *request = static_cast<PassphraseRequest *>(userdata);
    request->asked = true;
    if (!request->prompt)
        return -1;
    const std::optional<QByteArray> answer = request->prompt->keyPassphrase(request->keyFile, request->host);
    if (!answer || static_cast<size_t>(answer->size()) >= length)
        return -1;
    std::memcpy(buffer, answer->constData(), static_cast<size_t>(answer->size()));
    buffer[answer->size()] = '\0';
    return 0;
}

class Connector {
public:
    Connector(const SshConnectOptions &options, ssh_session session) : m_options(options), m_session(session)
    {}

    Status verifyHostKey();
    Status authenticate();

private:
    Error error(const QString &step, const QString &message) const
    {
        return Error{message, QStringLiteral("%1 step %2").arg(m_options.settings.describe(), step)};
    }
    QString libsshError() const { return QString::fromUtf8(ssh_get_error(m_session)); }
    bool tryAgent(QStringList &tried);
    Result<bool> tryKeyFile(const QString &file, QStringList &tried);
    Result<bool> tryPassword(QStringList &tried);

    const SshConnectOptions &m_options;
    ssh_session m_session;
};

Status Connector::verifyHostKey()
{
    const SshSettings &s = m_options.settings;
    ssh_key key = nullptr;
    if (ssh_get_server_publickey(m_session, &key) != SSH_OK)
        return error(QStringLiteral("host key"), libsshError());
    char *base64 = nullptr;
    const int exported = ssh_pki_export_pubkey_base64(key, &base64);
    ssh_key_free(key);
    if (exported != SSH_OK)
        return error(QStringLiteral("host key"), QStringLiteral("cannot read the host's key"));
    HostKey hostKey;
    hostKey.blob = QByteArray::fromBase64(base64);
    ssh_string_free_char(base64);
    hostKey.type = keyTypeOfBlob(hostKey.blob);

    Result<KnownHosts> known = KnownHosts::load(s.knownHostsFile);
    if (!known)
        return error(QStringLiteral("host key"), known.error().toString());
    const HostKeyCheck check = known->check(s.hostName, s.port, hostKey);
    const QString name = KnownHosts::hostName(s.hostName, s.port);
    switch (check.verdict) {
    case HostKeyCheck::Verdict::Known:
        qCDebug(lcRemote) << name << "host key matches" << check.where;
        return {};
    case HostKeyCheck::Verdict::Changed:
        qCWarning(lcRemote).noquote() << "host key of" << name << "CHANGED; refused (" << check.where << ")";
        return error(
            QStringLiteral("host key"),
            QStringLiteral("WARNING: the %1 host key of %2 has CHANGED (now %3); %4 has another one. Someone "
                           "may be intercepting the connection, or the host was reinstalled: check with "
                           "its administrator, then remove that line. Refused.")
                .arg(hostKey.type, name, hostKey.sha256Fingerprint(), check.where));
    case HostKeyCheck::Verdict::OtherType:
        qCWarning(lcRemote).noquote()
            << "host key of" << name << "of another type; refused (" << check.where << ")";
        return error(
            QStringLiteral("host key"),
            QStringLiteral("WARNING: %1 presented a %2 host key (%3), but %4 knows it by a %5 key. Refused: "
                           "check with the host's administrator, then remove that line.")
                .arg(name, hostKey.type, hostKey.sha256Fingerprint(), check.where, check.knownType));
    case HostKeyCheck::Verdict::Unknown:
        break;
    }
    const UnknownHostKey unknown{name, hostKey.type, hostKey.sha256Fingerprint(), s.knownHostsFile};
    if (!m_options.approver || !m_options.approver->approve(unknown))
        return error(QStringLiteral("host key"),
                     QStringLiteral("unknown host: %1 is not in %2; its %3 key fingerprint is %4. Approve it "
                                    "(clusterdeckctl: --accept-new) after checking the fingerprint.")
                         .arg(name, s.knownHostsFile, hostKey.type, hostKey.sha256Fingerprint()));
    if (Status appended = KnownHosts::append(s.knownHostsFile, s.hostName, s.port, hostKey); !appended)
        return error(QStringLiteral("host key"), appended.error().toString());
    qCDebug(lcRemote) << "added" << name << hostKey.type << "to" << s.knownHostsFile;
    return {};
}

bool Connector::tryAgent(QStringList &tried)
{
    if (qEnvironmentVariableIsEmpty("SSH_AUTH_SOCK"))
        return false;
    tried.append(QStringLiteral("ssh-agent"));
    return ssh_userauth_agent(m_session, nullptr) == SSH_AUTH_SUCCESS;
}

Result<bool> Connector::tryKeyFile(const QString &file, QStringList &tried)
{
    if (!QFile::exists(file))
        return false;
    // With the public half at hand, ask the server first: a passphrase is asked only for a key it would take.
    ssh_key publicKey = nullptr;
    if (ssh_pki_import_pubkey_file(QFile::encodeName(file + QStringLiteral(".pub")).constData(),
                                   &publicKey) == SSH_OK) {
        const int offered = ssh_userauth_try_publickey(m_session, nullptr, publicKey);
        ssh_key_free(publicKey);
        if (offered != SSH_AUTH_SUCCESS) {
            tried.append(QStringLiteral("key %1 (not accepted)").arg(file));
            return false;
        }
    }
    PassphraseRequest request{m_options.prompt, file, m_options.settings.describe()};
    ssh_key privateKey = nullptr;
    if (ssh_pki_import_privkey_file(QFile::encodeName(file).constData(), nullptr, askPassphrase, &request,
                                    &privateKey) != SSH_OK) {
        if (request.asked)
            return error(QStringLiteral("auth"),
                         QStringLiteral("cannot unlock key %1: wrong passphrase, or none given").arg(file));
        return error(QStringLiteral("auth"), QStringLiteral("cannot read key %1").arg(file));
    }
    tried.append(QStringLiteral("key %1").arg(file));
    const int result = ssh_userauth_publickey(m_session, nullptr, privateKey);
    ssh_key_free(privateKey);
    return result == SSH_AUTH_SUCCESS;
}

Result<bool> Connector::tryPassword(QStringList &tried)
{
    const QString account = m_options.settings.describe();
    if (m_options.passwords) {
        Result<std::optional<QByteArray>> stored = m_options.passwords->read(account);
        if (!stored) {
            qCWarning(lcRemote).noquote() << stored.error().toString() << "- asking for the password instead";
        } else if (stored->has_value()) {
            tried.append(QStringLiteral("password from the keychain"));
            if (ssh_userauth_password(m_session, nullptr, stored->value().constData()) == SSH_AUTH_SUCCESS)
                return true;
        }
    }
    if (!m_options.prompt)
        return false;
    const std::optional<QByteArray> password = m_options.prompt->password(account);
    if (!password)
        return false;
    tried.append(QStringLiteral("password"));
    if (ssh_userauth_password(m_session, nullptr, password->constData()) != SSH_AUTH_SUCCESS)
        return false;
    if (m_options.passwords && m_options.rememberPasswords) {
        if (Status saved = m_options.passwords->write(account, *password); !saved)
            qCWarning(lcRemote).noquote() << "password not saved:" << saved.error().toString();
    }
    return true;
}

Status Connector::authenticate()
{
    if (ssh_userauth_none(m_session, nullptr) == SSH_AUTH_SUCCESS)
        return {};
    const int methods = ssh_userauth_list(m_session, nullptr);
    QStringList tried;
    if (methods & SSH_AUTH_METHOD_PUBLICKEY) {
        if (tryAgent(tried))
            return {};
        for (const QString &file : m_options.settings.identityFiles) {
            Result<bool> done = tryKeyFile(file, tried);
            if (!done)
                return done.error();
            if (*done)
                return {};
        }
    }
    if (methods & SSH_AUTH_METHOD_PASSWORD) {
        Result<bool> done = tryPassword(tried);
        if (!done)
            return done.error();
        if (*done)
            return {};
    }
    QStringList offered;
    if (methods & SSH_AUTH_METHOD_PUBLICKEY)
        offered << QStringLiteral("publickey");
    if (methods & SSH_AUTH_METHOD_PASSWORD)
        offered << QStringLiteral("password");
    if (methods & SSH_AUTH_METHOD_INTERACTIVE)
        offered << QStringLiteral("keyboard-interactive");
    return error(QStringLiteral("auth"),
                 QStringLiteral("authentication failed (tried: %1; the server accepts: %2)")
                     .arg(tried.isEmpty() ? QStringLiteral("nothing") : tried.join(", "),
                          offered.join(QLatin1Char(','))));
}

} // namespace

Result<std::unique_ptr<SshSession>> SshSession::connect(const SshConnectOptions &options)
{
    const SshSettings &s = options.settings;
    const QString where = QStringLiteral("%1 step connect").arg(s.describe());
    std::unique_ptr<SshSession> session(new SshSession);

    if (!s.proxyJump.isEmpty()) {
        // "a,b": reach b through a, then the target through b.
        QStringList hops = s.proxyJump.split(QLatin1Char(','));
        const QString last = hops.takeLast();
        Result<SshSettings> hop = options.config.settingsForJump(last);
        if (!hop)
            return Error{hop.error().message, where};
        SshConnectOptions jumpOptions = options;
        jumpOptions.settings = *hop;
        jumpOptions.settings.proxyJump = hops.join(QLatin1Char(','));
        Result<std::unique_ptr<SshSession>> jump = connect(jumpOptions);
        if (!jump)
            return Error{QStringLiteral("through ProxyJump %1: %2").arg(last, jump.error().toString()),
                         where};
        Result<std::unique_ptr<SshJumpBridge>> bridge =
            SshJumpBridge::open(std::move(jump.value()), s.hostName, s.port);
        if (!bridge)
            return Error{bridge.error().message, where};
        session->m_bridge = std::move(bridge.value());
    }

    session->m_session = ssh_new();
    ssh_session handle = session->m_session;
    if (!handle)
        return Error{QStringLiteral("libssh could not allocate a session"), where};
    const QByteArray host = s.hostName.toUtf8(), user = s.user.toUtf8();
    const unsigned int port = static_cast<unsigned int>(s.port);
    const int falseValue = 0;
    Result<KnownHosts> known = KnownHosts::load(s.knownHostsFile);
    const QByteArray algorithms =
        hostKeyAlgorithms(known ? known->typesFor(s.hostName, s.port) : QStringList{});
    ssh_options_set(handle, SSH_OPTIONS_HOST, host.constData());
    ssh_options_set(handle, SSH_OPTIONS_PORT, &port);
    ssh_options_set(handle, SSH_OPTIONS_USER, user.constData());
    // The settings were resolved already (SshConfig); libssh must not read ~/.ssh/config again on its own.
    ssh_options_set(handle, SSH_OPTIONS_PROCESS_CONFIG, &falseValue);
    ssh_options_set(handle, SSH_OPTIONS_HOSTKEYS, algorithms.constData());
    session->setTimeout(options.timeout);
    if (session->m_bridge) {
        socket_t fd = session->m_bridge->takeSocket();
        ssh_options_set(handle, SSH_OPTIONS_FD, &fd);
    }
    if (ssh_connect(handle) != SSH_OK)
        return Error{QStringLiteral("cannot connect to %1:%2: %3")
                         .arg(s.hostName)
                         .arg(s.port)
                         .arg(session->lastError()),
                     where};
    Connector connector(options, handle);
    if (Status verified = connector.verifyHostKey(); !verified)
        return verified.error();
    if (Status authenticated = connector.authenticate(); !authenticated)
        return authenticated.error();
    qCDebug(lcRemote) << "connected to" << s.describe();
    return session;
}

SshSession::~SshSession()
{
    if (m_session) {
        if (ssh_is_connected(m_session))
            ssh_disconnect(m_session);
        ssh_free(m_session);
    }
}

bool SshSession::isConnected() const
{
    return m_session && ssh_is_connected(m_session);
}

void SshSession::setTimeout(std::chrono::milliseconds timeout)
{
    const long ms = std::max<long>(1, static_cast<long>(timeout.count()));
    const long seconds = ms / 1000, micros = (ms % 1000) * 1000;
    ssh_options_set(m_session, SSH_OPTIONS_TIMEOUT, &seconds);
    ssh_options_set(m_session, SSH_OPTIONS_TIMEOUT_USEC, &micros);
}

QString SshSession::lastError() const
{
    return QString::fromUtf8(ssh_get_error(m_session));
}

} // namespace clusterdeck
