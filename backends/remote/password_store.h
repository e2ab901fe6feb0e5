#pragma once

#include "common/result.h"

#include <QByteArray>
#include <QString>
#include <optional>

namespace clusterdeck {

// Where SSH passwords are kept between runs: the system keychain (KeychainPasswordStore), never a file.
// Keys are "user@host:port". An error means the store itself is unavailable (no keychain session): the caller
// says so and falls back to prompting.
class PasswordStore {
public:
    virtual ~PasswordStore() = default;
    virtual Result<std::optional<QByteArray>> read(const QString &account) = 0;
    virtual Status write(const QString &account, const QByteArray &password) = 0;
    virtual Status remove(const QString &account) = 0;
};

} // namespace clusterdeck
