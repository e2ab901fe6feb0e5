#pragma once

#include "cluster/cluster.h"
#include "common/result.h"
#include "remote/credential_prompt.h"
#include "remote/host_key_approver.h"
#include "remote/keychain_password_store.h"
#include "remote/ssh_host.h"

#include <chrono>
#include <memory>

namespace clusterdeck::ctl {

// SSH as clusterdeckctl's commands use it from a script: ~/.ssh/config applied, nobody to ask (an encrypted
// key or a password not in the keychain is a clear failure, libssh never reads the terminal), unknown host
// keys refused unless `acceptNew`. Hosts it makes point into it: keep it alive longer than them.
class ScriptSsh {
public:
    explicit ScriptSsh(bool acceptNew) : m_approver(acceptNew) {}

    Result<std::unique_ptr<SshHost>> host(const SshTarget &target, std::chrono::milliseconds timeout);

private:
    FixedHostKeyApprover m_approver;
    NoCredentialPrompt m_prompt;
    KeychainPasswordStore m_passwords;
};

} // namespace clusterdeck::ctl
