#include "remote/known_hosts.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMessageAuthenticationCode>
#include <QRegularExpression>

namespace clusterdeck {

QString HostKey::sha256Fingerprint() const
{
    QByteArray digest = QCryptographicHash::hash(blob, QCryptographicHash::Sha256)
                            .toBase64(QByteArray::Base64Encoding | QByteArray::OmitTrailingEquals);
    return QStringLiteral("SHA256:") + QString::fromLatin1(digest);
}

bool matchesSshPattern(const QString &pattern, const QString &text)
{
    // Only * and ? are special (not [ ], which "[host]:port" names are full of), case-insensitive like DNS.
    QString regex = QRegularExpression::escape(pattern);
    regex.replace(QLatin1String("\\*"), QLatin1String(".*"))
        .replace(QLatin1String("\\?"), QLatin1String("."));
    const QRegularExpression re(QRegularExpression::anchoredPattern(regex),
                                QRegularExpression::CaseInsensitiveOption);
    return re.match(text).hasMatch();
}

QString KnownHosts::hostName(const QString &host, int port)
{
    return port == 22 ? host : QStringLiteral("[%1]:%2").arg(host).arg(port);
}

Result<KnownHosts> KnownHosts::load(const QString &path)
{
    QFile file(path);
    if (!file.exists())
        return parse({}, path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{QStringLiteral("cannot read known hosts: %1").arg(file.errorString()), path};
    return parse(file.readAll(), path);
}

KnownHosts KnownHosts::parse(const QByteArray &text, const QString &path)
{
    KnownHosts hosts;
    hosts.m_path = path;
    const QList<QByteArray> lines = text.split('\n');
    for (int i = 0; i < lines.size(); ++i) {
        const QByteArray line = lines[i].trimmed();
        if (line.isEmpty() || line.startsWith('#') || line.startsWith('@'))
            continue;
        const QList<QByteArray> fields = line.simplified().split(' ');
        if (fields.size() < 3)
            continue; // not a key line; OpenSSH skips these too
        Entry entry;
        entry.line = i + 1;
        entry.type = QString::fromLatin1(fields[1]);
        entry.blob = QByteArray::fromBase64(fields[2]);
        if (fields[0].startsWith("|1|")) {
            const QList<QByteArray> parts = fields[0].split('|'); // "", "1", salt, hash
            if (parts.size() != 4)
                continue;
            entry.salt = QByteArray::fromBase64(parts[2]);
            entry.hash = QByteArray::fromBase64(parts[3]);
        } else {
            entry.patterns = fields[0].split(',');
        }
        hosts.m_entries.append(entry);
    }
    return hosts;
}

bool KnownHosts::matches(const Entry &entry, const QString &name) const
{
    const QByteArray bytes = name.toUtf8();
    if (!entry.hash.isEmpty())
        return QMessageAuthenticationCode::hash(bytes, entry.salt, QCryptographicHash::Sha1) == entry.hash;
    bool matched = false;
    for (const QByteArray &pattern : entry.patterns) {
        if (pattern.startsWith('!')) {
            if (matchesSshPattern(QString::fromUtf8(pattern.mid(1)), name))
                return false; // a negated match rules the line out, whatever else matches
        } else if (matchesSshPattern(QString::fromUtf8(pattern), name)) {
            matched = true;
        }
    }
    return matched;
}

HostKeyCheck KnownHosts::check(const QString &host, int port, const HostKey &key) const
{
    const QString name = hostName(host, port);
    HostKeyCheck changed, otherType;
    for (const Entry &entry : m_entries) {
        if (!matches(entry, name))
            continue;
        const QString where = QStringLiteral("%1:%2").arg(m_path).arg(entry.line);
        if (entry.type == key.type) {
            if (entry.blob == key.blob)
                return {HostKeyCheck::Verdict::Known, where, {}};
            if (changed.where.isEmpty())
                changed = {HostKeyCheck::Verdict::Changed, where, {}};
        } else if (otherType.where.isEmpty()) {
            otherType = {HostKeyCheck::Verdict::OtherType, where, entry.type};
        }
    }
    if (!changed.where.isEmpty())
        return changed;
    if (!otherType.where.isEmpty())
        return otherType;
    return {};
}

QStringList KnownHosts::typesFor(const QString &host, int port) const
{
    const QString name = hostName(host, port);
    QStringList types;
    for (const Entry &entry : m_entries)
        if (matches(entry, name) && !types.contains(entry.type))
            types.append(entry.type);
    return types;
}

Status KnownHosts::append(const QString &path, const QString &host, int port, const HostKey &key)
{
    const QFileInfo info(path);
    if (!info.dir().exists() && !QDir().mkpath(info.absolutePath()))
        return Error{QStringLiteral("cannot create the folder for known hosts"), path};
    QFile::setPermissions(info.absolutePath(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    QFile file(path);
    // Append, so a concurrent ssh(1) writing the same file loses nothing.
    if (!file.open(QIODevice::WriteOnly | QIODevice::Append))
        return Error{QStringLiteral("cannot write known hosts: %1").arg(file.errorString()), path};
    QByteArray line;
    if (file.size() > 0) {
        QFile reader(path);
        if (reader.open(QIODevice::ReadOnly) && reader.seek(file.size() - 1) && reader.read(1) != "\n")
            line += '\n';
    }
    line += hostName(host, port).toUtf8() + ' ' + key.type.toLatin1() + ' ' + key.blob.toBase64() + '\n';
    if (file.write(line) != line.size() || !file.flush())
        return Error{QStringLiteral("cannot write known hosts: %1").arg(file.errorString()), path};
    return {};
}

} // namespace clusterdeck
