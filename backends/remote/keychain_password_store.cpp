#include "remote/keychain_password_store.h"

#include <QEventLoop>
#include <qt6keychain/keychain.h>

namespace clusterdeck {

namespace {

const QString kService = QStringLiteral("clusterdeck-ssh");

// qtkeychain's jobs finish through signals: run one to completion in a local event loop, which works on a
// worker thread without one of its own.
void runJob(QKeychain::Job &job)
{
    job.setAutoDelete(false);
    QEventLoop loop;
    QObject::connect(&job, &QKeychain::Job::finished, &loop, &QEventLoop::quit);
    job.start();
    loop.exec();
}

Error keychainError(const QKeychain::Job &job, const QString &account)
{
    return Error{QStringLiteral("system keychain unavailable: %1").arg(job.errorString()), account};
}

} // namespace

Result<std::optional<QByteArray>> KeychainPasswordStore::read(const QString &account)
{
    QKeychain::ReadPasswordJob job(kService);
    job.setKey(account);
    runJob(job);
    if (job.error() == QKeychain::EntryNotFound)
        return std::optional<QByteArray>{};
    if (job.error() != QKeychain::NoError)
        return keychainError(job, account);
    return std::optional<QByteArray>{job.binaryData()};
}

Status KeychainPasswordStore::write(const QString &account, const QByteArray &password)
{
    QKeychain::WritePasswordJob job(kService);
    job.setKey(account);
    job.setBinaryData(password);
    runJob(job);
    if (job.error() != QKeychain::NoError)
        return keychainError(job, account);
    return {};
}

Status KeychainPasswordStore::remove(const QString &account)
{
    QKeychain::DeletePasswordJob job(kService);
    job.setKey(account);
    runJob(job);
    if (job.error() != QKeychain::NoError && job.error() != QKeychain::EntryNotFound)
        return keychainError(job, account);
    return {};
}

} // namespace clusterdeck
