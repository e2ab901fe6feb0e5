#pragma once

// A real OpenSSH sshd for tests and benchmarks, on a loopback address of the caller's choice, with generated
// host and client keys in a folder of the caller's (a QTemporaryDir): key login as the current user, SFTP,
// TCP and unix socket forwarding, its log (-E) readable to count logins. Needs no lab and no lab lock.

#include <QProcess>
#include <QString>

namespace clusterdeck::testing {

class TestSshd {
public:
    struct Options {
        QString address = QStringLiteral("127.0.91.1");
        int port = 2222;
        QString clientKeyPassphrase; // empty: an unencrypted client key
    };
    TestSshd(const QString &folder, Options options);
    ~TestSshd();

    // Generates keys and config, starts sshd; false (and `error`) when that fails. Wait for isListening().
    bool start(QString *error);
    bool isListening() const;
    void stop();

    QString address() const { return m_options.address; }
    int port() const { return m_options.port; }
    QString user() const;
    QString clientKey() const { return m_folder + QStringLiteral("/id_ed25519"); }
    QString hostPublicKey() const { return m_folder + QStringLiteral("/host_ed25519.pub"); }
    // "[address]:port ssh-ed25519 AAAA..." for a known_hosts file.
    QString knownHostsLine() const;
    // Successful logins so far, from sshd's log.
    int acceptedLogins() const;
    QString log() const;

    // Runs ssh-keygen with `arguments`; false and `error` when it fails.
    static bool keygen(const QStringList &arguments, QString *error);

private:
    QString m_folder;
    Options m_options;
    QProcess m_process;
};

} // namespace clusterdeck::testing
