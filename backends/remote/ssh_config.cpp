#include "remote/ssh_config.h"

#include "cluster/cluster.h"
#include "remote/known_hosts.h"
#include "remote/remote_log.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <pwd.h>
#include <unistd.h>

namespace clusterdeck {

namespace {

const QStringList kKnownKeywords = {
    QStringLiteral("host"),         QStringLiteral("match"),     QStringLiteral("include"),
    QStringLiteral("hostname"),     QStringLiteral("user"),      QStringLiteral("port"),
    QStringLiteral("identityfile"), QStringLiteral("proxyjump"), QStringLiteral("userknownhostsfile")};

QString localUser()
{
    if (const passwd *entry = getpwuid(getuid()))
        return QString::fromLocal8Bit(entry->pw_name);
    return qEnvironmentVariable("USER");
}

// Splits a config line into its keyword and the rest: "Key value", "Key=value", "Key = value".
bool splitLine(const QString &line, QString &keyword, QString &value)
{
    static const QRegularExpression pattern(QStringLiteral(R"(^(\S+?)(?:\s*=\s*|\s+)(.*)$)"));
    const QRegularExpressionMatch match = pattern.match(line);
    if (!match.hasMatch())
        return false;
    keyword = match.captured(1).toLower();
    value = match.captured(2).trimmed();
    return !value.isEmpty();
}

// Words of a value, double quotes grouping ("Host a b", IdentityFile "/path with space").
QStringList words(const QString &value)
{
    QStringList out;
    QString current;
    bool quoted = false, any = false;
    for (const QChar c : value) {
        if (c == QLatin1Char('"')) {
            quoted = !quoted;
            any = true;
        } else if (c.isSpace() && !quoted) {
            if (any || !current.isEmpty())
                out.append(current);
            current.clear();
            any = false;
        } else {
            current += c;
        }
    }
    if (any || !current.isEmpty())
        out.append(current);
    return out;
}

} // namespace

QString expandTilde(const QString &path)
{
    if (path == QLatin1String("~"))
        return QDir::homePath();
    if (path.startsWith(QLatin1String("~/")))
        return QDir::homePath() + path.mid(1);
    return path;
}

QString SshSettings::describe() const
{
    return QStringLiteral("%1@%2:%3").arg(user, alias).arg(port);
}

QString SshConfig::defaultPath()
{
    return QDir::homePath() + QStringLiteral("/.ssh/config");
}

Result<SshConfig> SshConfig::load(const QString &path)
{
    QFile file(path);
    if (!file.exists())
        return SshConfig{};
    if (!file.open(QIODevice::ReadOnly))
        return Error{QStringLiteral("cannot read the ssh config: %1").arg(file.errorString()), path};
    return parse(file.readAll(), path);
}

Result<SshConfig> SshConfig::parse(const QByteArray &text, const QString &path)
{
    SshConfig config;
    config.m_blocks.append(Block{});
    if (Status status = config.parseInto(text, path, 0); !status)
        return status.error();
    return config;
}

Status SshConfig::parseInto(const QByteArray &text, const QString &path, int depth)
{
    const QStringList lines = QString::fromUtf8(text).split(QLatin1Char('\n'));
    for (int i = 0; i < lines.size(); ++i) {
        const QString line = lines[i].trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        const QString where = QStringLiteral("%1:%2").arg(path).arg(i + 1);
        QString keyword, value;
        if (!splitLine(line, keyword, value))
            return Error{QStringLiteral("'%1' has no value").arg(line), where};
        if (keyword == QLatin1String("host")) {
            m_blocks.append(Block{words(value), false, {}});
        } else if (keyword == QLatin1String("match")) {
            qCDebug(lcRemote) << where << "Match blocks are not supported; skipped";
            m_blocks.append(Block{{}, true, {}});
        } else if (keyword == QLatin1String("include")) {
            if (depth >= 16)
                return Error{QStringLiteral("Include nested too deeply"), where};
            for (const QString &pattern : words(value)) {
                QString full = expandTilde(pattern);
                if (QFileInfo(full).isRelative())
                    full = QDir::homePath() + QStringLiteral("/.ssh/") + full;
                const QFileInfo info(full);
                const QStringList matches =
                    QDir(info.absolutePath()).entryList({info.fileName()}, QDir::Files, QDir::Name);
                for (const QString &name : matches) {
                    const QString included = info.absolutePath() + QLatin1Char('/') + name;
                    QFile file(included);
                    if (!file.open(QIODevice::ReadOnly))
                        return Error{
                            QStringLiteral("cannot read included %1: %2").arg(included, file.errorString()),
                            where};
                    // An Include inside a Host block applies to that block: its lines join the current one.
                    if (Status status = parseInto(file.readAll(), included, depth + 1); !status)
                        return status;
                }
            }
        } else {
            if (!kKnownKeywords.contains(keyword))
                qCDebug(lcRemote) << where << "ignoring" << keyword;
            if (keyword == QLatin1String("port")) {
                bool ok = false;
                const int port = value.toInt(&ok);
                if (!ok || port < 1 || port > 65535)
                    return Error{QStringLiteral("Port must be a number from 1 to 65535, not '%1'").arg(value),
                                 where};
            }
            m_blocks.last().lines.append(Line{keyword, value, where});
        }
    }
    return {};
}

bool SshConfig::hostMatches(const QStringList &patterns, const QString &host)
{
    bool matched = false;
    for (const QString &pattern : patterns) {
        if (pattern.startsWith(QLatin1Char('!'))) {
            if (matchesSshPattern(pattern.mid(1), host))
                return false;
        } else if (matchesSshPattern(pattern, host)) {
            matched = true;
        }
    }
    return matched;
}

SshConfig::Resolved SshConfig::resolve(const QString &host) const
{
    Resolved out;
    QStringList identityTemplates;
    for (const Block &block : m_blocks) {
        if (block.isMatch || (!block.patterns.isEmpty() && !hostMatches(block.patterns, host)))
            continue;
        for (const Line &line : block.lines) {
            const QString value = words(line.value).value(0);
            if (line.keyword == QLatin1String("hostname") && !out.hostName)
                out.hostName = QString(value).replace(QLatin1String("%h"), host);
            else if (line.keyword == QLatin1String("user") && !out.user)
                out.user = value;
            else if (line.keyword == QLatin1String("port") && !out.port)
                out.port = value.toInt();
            else if (line.keyword == QLatin1String("proxyjump") && !out.proxyJump)
                out.proxyJump = value;
            else if (line.keyword == QLatin1String("userknownhostsfile") && !out.knownHostsFile)
                out.knownHostsFile = expandTilde(value);
            else if (line.keyword == QLatin1String("identityfile"))
                identityTemplates.append(value); // IdentityFile adds up, unlike the others
        }
    }
    const QString user = out.user.value_or(localUser());
    const QString hostName = out.hostName.value_or(host);
    for (QString file : identityTemplates) {
        file.replace(QLatin1String("%d"), QDir::homePath())
            .replace(QLatin1String("%u"), localUser())
            .replace(QLatin1String("%r"), user)
            .replace(QLatin1String("%h"), hostName)
            .replace(QLatin1String("%%"), QLatin1String("%"));
        out.identityFiles.append(expandTilde(file));
    }
    return out;
}

SshSettings SshConfig::settingsFor(const SshTarget &target) const
{
    const Resolved config = resolve(target.host);
    SshSettings settings;
    settings.alias = target.host;
    settings.hostName = config.hostName.value_or(target.host);
    settings.user = !target.user.isEmpty() ? target.user : config.user.value_or(localUser());
    settings.port = target.port != 22 ? target.port : config.port.value_or(22);
    if (!target.identityFile.isEmpty())
        settings.identityFiles = {expandTilde(target.identityFile)};
    else if (!config.identityFiles.isEmpty())
        settings.identityFiles = config.identityFiles;
    else
        for (const char *name : {"id_ed25519", "id_ecdsa", "id_rsa"})
            settings.identityFiles.append(QDir::homePath() + QStringLiteral("/.ssh/") + QLatin1String(name));
    settings.knownHostsFile =
        !target.knownHostsFile.isEmpty()
            ? expandTilde(target.knownHostsFile)
            : config.knownHostsFile.value_or(QDir::homePath() + QStringLiteral("/.ssh/known_hosts"));
    const QString jump = config.proxyJump.value_or(QString());
    settings.proxyJump = jump.compare(QLatin1String("none"), Qt::CaseInsensitive) == 0 ? QString() : jump;
    return settings;
}

Result<SshSettings> SshConfig::settingsForJump(const QString &hop) const
{
    static const QRegularExpression pattern(
        QStringLiteral(R"(^(?:([^@\s]+)@)?([A-Za-z0-9._-]+)(?::(\d{1,5}))?$)"));
    const QRegularExpressionMatch match = pattern.match(hop.trimmed());
    const int port = match.captured(3).isEmpty() ? 22 : match.captured(3).toInt();
    if (!match.hasMatch() || port < 1 || port > 65535)
        return Error{QStringLiteral("ProxyJump hop '%1' is not [user@]host[:port]").arg(hop), {}};
    SshTarget target;
    target.user = match.captured(1);
    target.host = match.captured(2);
    target.port = port;
    return settingsFor(target);
}

} // namespace clusterdeck
