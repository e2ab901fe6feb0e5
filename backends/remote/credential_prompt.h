#pragma once

#include <QByteArray>
#include <QString>
#include <optional>

namespace clusterdeck {

// Asks the operator for a secret the connection needs. libssh never prompts on a terminal itself: every
// secret comes through here (a dialog in the console; a refusal in clusterdeckctl). nullopt = cancelled.
// Called on the SSH worker thread.
class CredentialPrompt {
public:
    virtual ~CredentialPrompt() = default;
    virtual std::optional<QByteArray> keyPassphrase(const QString &keyFile, const QString &host) = 0;
    virtual std::optional<QByteArray> password(const QString &userAtHost) = 0;
};

// Asks nothing: for processes that have no one to ask (scripts, tests of the refusal).
class NoCredentialPrompt : public CredentialPrompt {
public:
    std::optional<QByteArray> keyPassphrase(const QString &, const QString &) override
    {
        return std::nullopt;
    }
    std::optional<QByteArray> password(const QString &) override { return std::nullopt; }
};

} // namespace clusterdeck
