#pragma once

#include "common/result.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace clusterdeck {

// What the known_hosts file says about the key a host presented.
struct HostKeyCheck {
    enum class Verdict {
        Known,     // a line for this host holds exactly this key
        Changed,   // a line for this host holds another key of the same type: possible man in the middle
        OtherType, // the host is known, but only with keys of other types
        Unknown,   // no line names this host
    };
    Verdict verdict = Verdict::Unknown;
    QString where;     // "known_hosts:3" of the matching (Known) or contradicting (Changed, OtherType) line
    QString knownType; // OtherType: the type the file has for this host
};

// OpenSSH's host pattern match: * any run of characters, ? one, case-insensitive (known_hosts, ssh config).
bool matchesSshPattern(const QString &pattern, const QString &text);

// A host key as the server presented it: its type ("ssh-ed25519", "ecdsa-sha2-nistp256", ...) and its wire
// blob (what known_hosts holds base64-encoded).
struct HostKey {
    QString type;
    QByteArray blob;

    // "SHA256:..." as OpenSSH prints it (unpadded base64 of the blob's SHA-256).
    QString sha256Fingerprint() const;
};

// One known_hosts file, parsed, in OpenSSH's format: plain host patterns (comma-separated, * and ?,
// !negation), hashed "|1|salt|hash" names, "[host]:port" for ports other than 22. Marker lines
// (@cert-authority, @revoked) are skipped: ClusterDeck does not trust certificates, and skipping a revocation
// can only make a key Unknown (which asks), never Known.
class KnownHosts {
public:
    // A missing file is an empty one (an unknown host then asks for approval); an unreadable one is an error.
    static Result<KnownHosts> load(const QString &path);
    static KnownHosts parse(const QByteArray &text, const QString &path);

    HostKeyCheck check(const QString &host, int port, const HostKey &key) const;
    // The key types lines for this host hold, in file order.
    QStringList typesFor(const QString &host, int port) const;

    // Appends "host key" as OpenSSH would write it ([host]:port unless the port is 22), creating the file and
    // its folder (0700) when missing.
    static Status append(const QString &path, const QString &host, int port, const HostKey &key);

    // The name known_hosts files use for a host: "host" for port 22, "[host]:port" otherwise.
    static QString hostName(const QString &host, int port);

private:
    struct Entry {
        int line = 0;
        QList<QByteArray> patterns; // plain patterns; empty when hashed
        QByteArray salt, hash;      // hashed entry
        QString type;
        QByteArray blob;
    };
    bool matches(const Entry &entry, const QString &name) const;

    QString m_path;
    QList<Entry> m_entries;
};

} // namespace clusterdeck
