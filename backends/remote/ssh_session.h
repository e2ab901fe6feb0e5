#pragma once

#include "common/result.h"
#include "remote/ssh_config.h"

#include <chrono>
#include <memory>

struct ssh_session_struct;

namespace clusterdeck {

class CredentialPrompt;
class HostKeyApprover;
class PasswordStore;
class SshJumpBridge;

// How to reach one host: its effective settings and who answers the questions a connection may ask.
struct SshConnectOptions {
    SshSettings settings;
    SshConfig config;                    // for ProxyJump hops
    HostKeyApprover *approver = nullptr; // null: unknown hosts are refused
    CredentialPrompt *prompt = nullptr;  // null: nobody to ask
    PasswordStore *passwords = nullptr;  // null: no keychain
    bool rememberPasswords = false;      // a prompted password that worked goes into `passwords`
    std::chrono::milliseconds timeout{10000};
};

// One connected, host-key-checked, authenticated libssh session (through its ProxyJump hops if any).
// Not thread-safe: one thread at a time (SshHost serialises).
class SshSession {
public:
    static Result<std::unique_ptr<SshSession>> connect(const SshConnectOptions &options);
    ~SshSession();
    SshSession(const SshSession &) = delete;
    SshSession &operator=(const SshSession &) = delete;

    ssh_session_struct *handle() const { return m_session; }
    bool isConnected() const;
    // Sets the timeout of libssh's blocking calls (channel opens, SFTP requests) for the next operation.
    void setTimeout(std::chrono::milliseconds timeout);
    // "<libssh's last error>"
    QString lastError() const;

private:
    SshSession() = default;
    ssh_session_struct *m_session = nullptr;
    std::unique_ptr<SshJumpBridge> m_bridge; // destroyed after the session that reads through it
};

} // namespace clusterdeck
