#pragma once

#include "remote/ssh_session.h"

#include <QMap>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

namespace clusterdeck {

class SshHost;
struct SshTarget;

// One SshHost per effective user@host:port for the whole console run, so a drain reuses the open connection
// instead of paying for a handshake. A keep-alive thread pings idle sessions every `keepAliveInterval` and
// drops dead ones; the next call reconnects.
class SshConnectionPool {
public:
    struct Options {
        SshConfig config;
        HostKeyApprover *approver = nullptr;
        CredentialPrompt *prompt = nullptr;
        PasswordStore *passwords = nullptr;
        bool rememberPasswords = false;
        std::chrono::milliseconds connectTimeout{10000};
        std::chrono::milliseconds keepAliveInterval{30000};
    };
    explicit SshConnectionPool(Options options);
    ~SshConnectionPool();

    // The host for an inventory target (config applied); the same object for the same user@host:port.
    std::shared_ptr<SshHost> host(const SshTarget &target);
    int size() const;

private:
    void keepAliveLoop();

    const Options m_options;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stop = false;
    QMap<QString, std::shared_ptr<SshHost>> m_hosts;
    std::thread m_keepAlive;
};

} // namespace clusterdeck
