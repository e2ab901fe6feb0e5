#pragma once

#include "common/result.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

namespace clusterdeck {

struct SshTarget;

// What one host's connection uses after ~/.ssh/config and the inventory have had their say.
struct SshSettings {
    QString alias;    // the name the inventory gave (what Host patterns match and errors show)
    QString hostName; // where to connect (HostName, else the alias)
    QString user;
    int port = 22;
    QStringList identityFiles; // absolute paths, in order
    QString knownHostsFile;
    QString proxyJump; // "[user@]host[:port][,...]" or empty

    // "user@host:port": the pool's key and how messages name the host.
    QString describe() const;
};

// An OpenSSH client config file (~/.ssh/config), parsed for the keywords ClusterDeck honours: Host (patterns
// with * and ?, !negation), HostName (%h), User, Port, IdentityFile (~, %d, %u, %h, %r), ProxyJump,
// UserKnownHostsFile, and Include (globs, relative to ~/.ssh). As in ssh(1) the first value of a keyword
// wins. Match blocks are skipped (their conditions need a shell): a keyword inside one applies to no host.
class SshConfig {
public:
    // A missing file is an empty config; an unreadable one or a bad line is an error naming file:line.
    static Result<SshConfig> load(const QString &path);
    static Result<SshConfig> parse(const QByteArray &text, const QString &path);
    // ~/.ssh/config (through $HOME).
    static QString defaultPath();

    struct Resolved {
        std::optional<QString> hostName, user, proxyJump, knownHostsFile;
        std::optional<int> port;
        QStringList identityFiles;
    };
    // The config's values for `host` (tokens and ~ expanded).
    Resolved resolve(const QString &host) const;

    // The effective settings for an inventory target: the inventory's user, identity and known_hosts win
    // where set; its port wins unless it is 22, which the inventory cannot tell from "not given"; then the
    // config, then OpenSSH's defaults (local user, port 22, ~/.ssh/known_hosts, the default key files).
    SshSettings settingsFor(const SshTarget &target) const;
    // The settings of a ProxyJump hop ("[user@]host[:port]"), config applied to it.
    Result<SshSettings> settingsForJump(const QString &hop) const;

private:
    struct Line {
        QString keyword; // lower case
        QString value;
        QString where;
    };
    struct Block {
        QStringList patterns; // empty: before the first Host (applies to all)
        bool isMatch = false;
        QList<Line> lines;
    };
    Status parseInto(const QByteArray &text, const QString &path, int depth);
    static bool hostMatches(const QStringList &patterns, const QString &host);

    QList<Block> m_blocks;
};

// `~/x` and `~` expanded through $HOME.
QString expandTilde(const QString &path);

} // namespace clusterdeck
