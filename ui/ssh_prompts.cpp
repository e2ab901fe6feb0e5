#include "ssh_prompts.h"

#include <QInputDialog>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QThread>

namespace clusterdeck {

SshPrompts::SshPrompts(QWidget *dialogParent) : m_dialogParent(dialogParent) {}

template <typename T, typename Ask> T SshPrompts::onGuiThread(Ask ask)
{
    if (QThread::currentThread() == thread())
        return ask();
    T answer{};
    QMetaObject::invokeMethod(
        this, [&] { answer = ask(); }, Qt::BlockingQueuedConnection);
    return answer;
}

bool SshPrompts::approve(const UnknownHostKey &key)
{
    return onGuiThread<bool>([&] {
        QMessageBox box(QMessageBox::Warning, tr("Unknown SSH host key"),
                        tr("The authenticity of host %1 cannot be established.").arg(key.host),
                        QMessageBox::NoButton, m_dialogParent);
        box.setInformativeText(tr("%1 key fingerprint:\n%2\n\nCompare it with the fingerprint the host's "
                                  "administrator gives you "
                                  "(ssh-keygen -lf on the host's key). Trusting it adds the key to %3.")
                                   .arg(key.keyType, key.fingerprint, key.knownHostsFile));
        QPushButton *trust = box.addButton(tr("Trust and connect"), QMessageBox::AcceptRole);
        box.setDefaultButton(box.addButton(QMessageBox::Cancel));
        box.setTextInteractionFlags(Qt::TextSelectableByMouse);
        box.exec();
        return box.clickedButton() == trust;
    });
}

std::optional<QByteArray> SshPrompts::askSecret(const QString &title, const QString &label)
{
    return onGuiThread<std::optional<QByteArray>>([&]() -> std::optional<QByteArray> {
        QInputDialog dialog(m_dialogParent);
        dialog.setWindowTitle(title);
        dialog.setLabelText(label);
        dialog.setTextEchoMode(QLineEdit::Password);
        if (dialog.exec() != QDialog::Accepted)
            return std::nullopt;
        return dialog.textValue().toUtf8();
    });
}

std::optional<QByteArray> SshPrompts::keyPassphrase(const QString &keyFile, const QString &host)
{
    return askSecret(tr("SSH key passphrase"),
                     tr("Passphrase for %1 (connecting to %2):").arg(keyFile, host));
}

std::optional<QByteArray> SshPrompts::password(const QString &userAtHost)
{
    return askSecret(tr("SSH password"), tr("Password for %1:").arg(userAtHost));
}

} // namespace clusterdeck
