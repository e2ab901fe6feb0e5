#pragma once

#include "remote/credential_prompt.h"
#include "remote/host_key_approver.h"

#include <QObject>
#include <QPointer>

class QWidget;

namespace clusterdeck {

// The console's answers to what an SSH connection asks: a dialog showing an unknown host key's SHA256
// fingerprint before it is trusted, and password / key-passphrase dialogs. SSH work runs on worker threads;
// these calls block the worker while the GUI thread shows the dialog (never a terminal prompt). Lives on the
// GUI thread.
class SshPrompts : public QObject, public HostKeyApprover, public CredentialPrompt {
    Q_OBJECT
public:
    explicit SshPrompts(QWidget *dialogParent = nullptr);

    bool approve(const UnknownHostKey &key) override;
    std::optional<QByteArray> keyPassphrase(const QString &keyFile, const QString &host) override;
    std::optional<QByteArray> password(const QString &userAtHost) override;

private:
    // Runs `ask` on the GUI thread and waits for it; directly when already there.
    template <typename T, typename Ask> T onGuiThread(Ask ask);
    std::optional<QByteArray> askSecret(const QString &title, const QString &label);

    QPointer<QWidget> m_dialogParent;
};

} // namespace clusterdeck
