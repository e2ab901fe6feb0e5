#include "script_ssh.h"

#include "remote/ssh_config.h"

namespace clusterdeck::ctl {

Result<std::unique_ptr<SshHost>> ScriptSsh::host(const SshTarget &target, std::chrono::milliseconds timeout)
{
    Result<SshConfig> config = SshConfig::load(SshConfig::defaultPath());
    if (!config)
        return config.error();
    SshConnectOptions options;
    options.settings = config->settingsFor(target);
    options.config = *config;
    options.approver = &m_approver;
    options.prompt = &m_prompt;
    options.passwords = &m_passwords;
    options.timeout = timeout;
    return std::make_unique<SshHost>(options);
}

} // namespace clusterdeck::ctl
