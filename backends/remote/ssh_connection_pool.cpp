#include "remote/ssh_connection_pool.h"

#include "cluster/cluster.h"
#include "remote/ssh_host.h"

namespace clusterdeck {

SshConnectionPool::SshConnectionPool(Options options) : m_options(std::move(options))
{
    m_keepAlive = std::thread([this] { keepAliveLoop(); });
}

SshConnectionPool::~SshConnectionPool()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    m_keepAlive.join();
}

std::shared_ptr<SshHost> SshConnectionPool::host(const SshTarget &target)
{
    const SshSettings settings = m_options.config.settingsFor(target);
    std::lock_guard lock(m_mutex);
    std::shared_ptr<SshHost> &slot = m_hosts[settings.describe()];
    if (!slot) {
        SshConnectOptions options;
        options.settings = settings;
        options.config = m_options.config;
        options.approver = m_options.approver;
        options.prompt = m_options.prompt;
        options.passwords = m_options.passwords;
        options.rememberPasswords = m_options.rememberPasswords;
        options.timeout = m_options.connectTimeout;
        slot = std::make_shared<SshHost>(options);
    }
    return slot;
}

int SshConnectionPool::size() const
{
    std::lock_guard lock(m_mutex);
    return static_cast<int>(m_hosts.size());
}

void SshConnectionPool::keepAliveLoop()
{
    std::unique_lock lock(m_mutex);
    while (!m_wake.wait_for(lock, m_options.keepAliveInterval, [this] { return m_stop; })) {
        const QList<std::shared_ptr<SshHost>> hosts = m_hosts.values();
        lock.unlock(); // a ping may block for a network round trip; host() must not wait for it
        for (const std::shared_ptr<SshHost> &host : hosts)
            host->keepAlive();
        lock.lock();
    }
}

} // namespace clusterdeck
