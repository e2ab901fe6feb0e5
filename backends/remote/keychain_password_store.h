#pragma once

#include "remote/password_store.h"

namespace clusterdeck {

// PasswordStore in the desktop's keychain through qtkeychain (Secret Service / KWallet), service
// "clusterdeck-ssh". Blocking; usable from any thread with or without an event loop of its own.
class KeychainPasswordStore : public PasswordStore {
public:
    Result<std::optional<QByteArray>> read(const QString &account) override;
    Status write(const QString &account, const QByteArray &password) override;
    Status remove(const QString &account) override;
};

} // namespace clusterdeck
