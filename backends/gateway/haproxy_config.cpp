#include "gateway/haproxy_config.h"

#include "gateway/gateway_log.h"

#include <QRegularExpression>
#include <QSet>

namespace clusterdeck {

namespace {

bool isBlank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

struct Line {
    int number = 0;
    QList<ConfigToken> tokens;
};

// HAProxy's own word splitting: blanks separate words, `#` outside quotes starts a comment, `\` escapes the
// next character, "double" and 'single' quotes group (neither spans lines).
Result<QList<Line>> tokenize(const QByteArray &bytes, const QString &fileName)
{
    QList<Line> lines;
    const qsizetype size = bytes.size();
    const char *data = bytes.constData();
    qsizetype pos = 0;
    int number = 0;
    while (pos < size) {
        Line line;
        line.number = ++number;
        while (pos < size && data[pos] != '\n') {
            if (isBlank(data[pos])) {
                ++pos;
                continue;
            }
            if (data[pos] == '#') {
                while (pos < size && data[pos] != '\n')
                    ++pos;
                break;
            }
            ConfigToken token;
            token.begin = pos;
            while (pos < size && !isBlank(data[pos]) && data[pos] != '\n' && data[pos] != '#') {
                const char c = data[pos];
                if (c == '\\' && pos + 1 < size && data[pos + 1] != '\n') {
                    token.text.append(data[pos + 1]);
                    pos += 2;
                } else if (c == '"' || c == '\'') {
                    ++pos;
                    while (pos < size && data[pos] != c && data[pos] != '\n') {
                        if (c == '"' && data[pos] == '\\' && pos + 1 < size && data[pos + 1] != '\n')
                            ++pos;
                        token.text.append(data[pos++]);
                    }
                    if (pos >= size || data[pos] != c)
                        return Error{QStringLiteral("unterminated %1 quote").arg(QLatin1Char(c)),
                                     configWhere(fileName, line.number)};
                    ++pos;
                } else {
                    // A run of plain bytes in one append: a config is mostly those.
                    const qsizetype run = pos++; // at least this byte: a `\\` before a newline is plain too
                    while (pos < size && !isBlank(data[pos]) && data[pos] != '\n' && data[pos] != '#' &&
                           data[pos] != '\\' && data[pos] != '"' && data[pos] != '\'')
                        ++pos;
                    token.text.append(data + run, pos - run);
                }
            }
            token.end = pos;
            line.tokens.append(std::move(token));
        }
        if (pos < size)
            ++pos; // the newline
        if (!line.tokens.isEmpty())
            lines.append(std::move(line));
    }
    return lines;
}

const QSet<QByteArray> &sectionKeywords()
{
    static const QSet<QByteArray> keywords{"global",      "defaults",  "frontend", "backend",  "listen",
                                           "peers",       "resolvers", "userlist", "mailers",  "program",
                                           "http-errors", "ring",      "cache",    "fcgi-app", "crt-store"};
    return keywords;
}

bool hasServers(const HaproxySection &section)
{
    return section.keyword == QLatin1String("backend") || section.keyword == QLatin1String("listen");
}

// `server-template was 1-3 host:port` or `server-template was 3 host:port`: names was1..was3.
HaproxyTemplate readTemplate(const Line &line)
{
    HaproxyTemplate result;
    result.line = line.number;
    result.prefix = QString::fromUtf8(line.tokens.value(1).text);
    const QString range = QString::fromUtf8(line.tokens.value(2).text);
    static const QRegularExpression pattern(QStringLiteral("^(\\d+)(?:-(\\d+))?$"));
    const QRegularExpressionMatch match = pattern.match(range);
    if (match.hasMatch()) {
        result.first = match.captured(2).isEmpty() ? 1 : match.captured(1).toInt();
        result.last = match.captured(2).isEmpty() ? match.captured(1).toInt() : match.captured(2).toInt();
    }
    result.address = QString::fromUtf8(line.tokens.value(3).text);
    return result;
}

bool templateNames(const HaproxyTemplate &tmpl, const QString &server)
{
    if (!server.startsWith(tmpl.prefix) || server.size() == tmpl.prefix.size())
        return false;
    bool ok = false;
    const int number = server.mid(tmpl.prefix.size()).toInt(&ok);
    return ok && number >= tmpl.first && number <= tmpl.last;
}

QString joinedNames(const QList<HaproxySection> &sections)
{
    QStringList names;
    for (const HaproxySection &section : sections) {
        if (hasServers(section))
            names.append(section.name);
    }
    return names.isEmpty() ? QStringLiteral("none") : names.join(QStringLiteral(", "));
}

} // namespace

Result<HaproxyConfig> HaproxyConfig::parse(const QByteArray &bytes, const QString &fileName)
{
    Result<QList<Line>> lines = tokenize(bytes, fileName);
    if (!lines)
        return lines.error();
    HaproxyConfig config;
    int defaultsDisabledLine = 0;
    for (const Line &line : *lines) {
        const QByteArray &keyword = line.tokens.first().text;
        if (sectionKeywords().contains(keyword)) {
            HaproxySection section;
            section.keyword = QString::fromUtf8(keyword);
            section.name = QString::fromUtf8(line.tokens.value(1).text);
            section.line = line.number;
            if (keyword == "defaults")
                defaultsDisabledLine = 0; // a new defaults section starts from scratch
            else
                section.defaultDisabledLine = defaultsDisabledLine;
            config.m_sections.append(section);
            continue;
        }
        if (config.m_sections.isEmpty())
            continue; // HAProxy itself refuses keywords outside a section; nothing of ours lives there
        HaproxySection &section = config.m_sections.last();
        if (keyword == "default-server") {
            for (const ConfigToken &token : line.tokens) {
                if (token.text == "disabled") {
                    section.defaultDisabledLine = line.number;
                    if (section.keyword == QLatin1String("defaults"))
                        defaultsDisabledLine = line.number;
                }
            }
        } else if (keyword == "server-template" && hasServers(section)) {
            section.templates.append(readTemplate(line));
        } else if (keyword == "server" && hasServers(section)) {
            HaproxyServer server;
            server.name = QString::fromUtf8(line.tokens.value(1).text);
            server.address = QString::fromUtf8(line.tokens.value(2).text);
            server.line = line.number;
            server.endOfOptions = line.tokens.last().end;
            for (qsizetype i = 3; i < line.tokens.size(); ++i) {
                if (line.tokens[i].text == "disabled")
                    server.disabled.append({line.tokens[i - 1].end, line.tokens[i].end});
                else if (line.tokens[i].text == "enabled")
                    server.enabled = true;
            }
            section.servers.append(server);
        }
    }
    return config;
}

Result<ConfigEdit> editHaproxyConfig(ConfigAction action, const QByteArray &config, const QString &fileName,
                                     const ServerSelector &selector)
{
    const Result<HaproxyConfig> parsed = HaproxyConfig::parse(config, fileName);
    if (!parsed)
        return parsed.error();
    QList<const HaproxySection *> sections;
    for (const HaproxySection &section : parsed->sections()) {
        if (hasServers(section) && (selector.backend.isEmpty() || section.name == selector.backend))
            sections.append(&section);
    }
    if (sections.isEmpty())
        return Error{QStringLiteral("no backend or listen section named '%1' (there are: %2)")
                         .arg(selector.backend, joinedNames(parsed->sections())),
                     fileName};

    // A server name wins over an address: names are what HAProxy's own runtime API and metrics use.
    using Match = std::pair<const HaproxySection *, const HaproxyServer *>;
    QList<Match> matches;
    for (const bool byName : {true, false}) {
        for (const HaproxySection *section : sections) {
            for (const HaproxyServer &server : section->servers) {
                if (byName ? server.name == selector.server : addressMatches(server.address, selector.server))
                    matches.append({section, &server});
            }
        }
        if (!matches.isEmpty())
            break;
    }
    if (matches.isEmpty()) {
        for (const HaproxySection *section : sections) {
            for (const HaproxyTemplate &tmpl : section->templates) {
                if (templateNames(tmpl, selector.server) || addressMatches(tmpl.address, selector.server))
                    return Error{
                        QStringLiteral("server '%1' of %2 '%3' is only reachable through server-template "
                                       "'%4', which this editor leaves alone: give it a server line of "
                                       "its own")
                            .arg(selector.server, section->keyword, section->name, tmpl.prefix),
                        configWhere(fileName, tmpl.line)};
            }
        }
        const HaproxySection *only = sections.size() == 1 ? sections.first() : nullptr;
        return Error{
            only ? QStringLiteral("no server '%1' in %2 '%3'").arg(selector.server, only->keyword, only->name)
                 : QStringLiteral("no server '%1' in any backend or listen section").arg(selector.server),
            only ? configWhere(fileName, only->line) : fileName};
    }
    if (matches.size() > 1) {
        QStringList places;
        for (const Match &match : matches)
            places.append(QStringLiteral("%1/%2 at line %3")
                              .arg(match.first->name, match.second->name)
                              .arg(match.second->line));
        return Error{QStringLiteral("'%1' is ambiguous: it matches %2 (name the backend with --backend)")
                         .arg(selector.server, places.join(QStringLiteral(", "))),
                     configWhere(fileName, matches.first().second->line)};
    }

    const HaproxySection &section = *matches.first().first;
    const HaproxyServer &server = *matches.first().second;
    const char lastByte = config.at(server.endOfOptions - 1);
    if (lastByte == '\\' || lastByte == '\r') // an escape would swallow the blank before `disabled`
        return Error{QStringLiteral("server '%1' ends in an escaped character: edit its line by hand")
                         .arg(server.name),
                     configWhere(fileName, server.line)};
    if (server.address.isEmpty()) // HAProxy refuses the line too; `disabled` would be read as its address
        return Error{QStringLiteral("server '%1' has no address").arg(server.name),
                     configWhere(fileName, server.line)};
    const bool byDefault = section.defaultDisabledLine != 0 && !server.enabled;
    QList<Splice> splices;
    QString note;
    if (action == ConfigAction::Drain) {
        if (!server.disabled.isEmpty())
            note = QStringLiteral("already drained");
        else if (byDefault)
            note = QStringLiteral("already drained (default-server at line %1 disables it)")
                       .arg(section.defaultDisabledLine);
        else
            splices.append({server.endOfOptions, 0, QByteArrayLiteral(" disabled")});
    } else {
        if (!server.disabled.isEmpty()) {
            // Every `disabled` of the line goes: one left behind would keep the server out of rotation.
            for (const auto &[begin, end] : server.disabled)
                splices.append({begin, end - begin, {}});
        } else if (byDefault) {
            return Error{
                QStringLiteral("%1/%2 is disabled by the default-server line %3, not by its own line: "
                               "readmit edits server lines only")
                    .arg(section.name, server.name)
                    .arg(section.defaultDisabledLine),
                configWhere(fileName, server.line)};
        } else {
            note = QStringLiteral("not drained");
        }
    }
    ConfigEdit edit = applySplices(config, splices, fileName);
    edit.backend = section.name;
    edit.server = server.name;
    edit.line = server.line;
    edit.note = note;
    qCDebug(lcGateway) << fileName << (action == ConfigAction::Drain ? "drain" : "readmit") << section.name
                       << server.name << "line" << server.line << (note.isEmpty() ? "edited" : note);
    return edit;
}

Result<QList<ConfigUpstream>> listHaproxyUpstreams(const QByteArray &config, const QString &fileName)
{
    const Result<HaproxyConfig> parsed = HaproxyConfig::parse(config, fileName);
    if (!parsed)
        return parsed.error();
    QList<ConfigUpstream> upstreams;
    for (const HaproxySection &section : parsed->sections()) {
        for (const HaproxyServer &server : section.servers) {
            upstreams.append(
                {section.name, server.name, server.address, server.line,
                 !server.disabled.isEmpty() || (section.defaultDisabledLine != 0 && !server.enabled)});
        }
    }
    return upstreams;
}

} // namespace clusterdeck
