#include "gateway/caddy_config.h"

#include "gateway/gateway_log.h"

#include <QHash>
#include <QRegularExpression>

namespace clusterdeck {

namespace {

const QByteArray kMarker = QByteArrayLiteral("# clusterdeck:drained ");

bool isBlank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

struct PhysicalLine {
    qsizetype begin = 0;
    qsizetype end = 0;         // after the end of line
    qsizetype eol = 0;         // where "\n" or "\r\n" starts (== end on a last line without one)
    qsizetype indentEnd = 0;   // after the leading blanks
    QList<ConfigToken> tokens; // the tokens that start on this line
    bool commentOnly = false;
};

// Caddy's lexer: blanks and newlines separate tokens, `#` at the start of a token comments out the rest of
// the line, "double quotes" (with \" inside) and `backticks` group and may span lines.
Result<QList<PhysicalLine>> tokenize(const QByteArray &bytes, const QString &fileName)
{
    QList<PhysicalLine> lines;
    const qsizetype size = bytes.size();
    const char *data = bytes.constData();
    for (qsizetype begin = 0; begin < size;) {
        PhysicalLine line;
        line.begin = begin;
        const qsizetype newline = bytes.indexOf('\n', begin);
        line.end = newline < 0 ? size : newline + 1;
        line.eol =
            newline < 0 ? size : (newline > begin && data[newline - 1] == '\r' ? newline - 1 : newline);
        line.indentEnd = begin;
        while (line.indentEnd < line.eol && (data[line.indentEnd] == ' ' || data[line.indentEnd] == '\t'))
            ++line.indentEnd;
        line.commentOnly = line.indentEnd < line.eol && data[line.indentEnd] == '#';
        lines.append(line);
        begin = line.end;
    }
    qsizetype pos = 0;
    qsizetype index = 0;
    while (pos < size) {
        const char c = data[pos];
        if (c == '\n') {
            ++index;
            ++pos;
            continue;
        }
        if (isBlank(c)) {
            ++pos;
            continue;
        }
        if (c == '#') {
            while (pos < size && data[pos] != '\n')
                ++pos;
            continue;
        }
        ConfigToken token;
        token.begin = pos;
        const qsizetype startLine = index;
        if (c == '"' || c == '`') {
            ++pos;
            while (pos < size && data[pos] != c) {
                if (c == '"' && data[pos] == '\\' && pos + 1 < size && data[pos + 1] == '"')
                    ++pos;
                if (data[pos] == '\n')
                    ++index;
                token.text.append(data[pos++]);
            }
            if (pos >= size)
                return Error{QStringLiteral("unterminated %1 quote").arg(QLatin1Char(c)),
                             configWhere(fileName, int(startLine + 1))};
            ++pos;
        } else {
            while (pos < size && !isBlank(data[pos]) && data[pos] != '\n')
                ++pos;
            token.text = QByteArray(data + token.begin, pos - token.begin);
        }
        token.end = pos;
        lines[startLine].tokens.append(std::move(token));
    }
    return lines;
}

bool isBrace(const ConfigToken &token, char brace)
{
    return token.end - token.begin == 1 && token.text.size() == 1 && token.text.front() == brace;
}

CaddyUpstreamLine upstreamLine(const PhysicalLine &line, int number, bool isTo)
{
    CaddyUpstreamLine result;
    result.line = number;
    result.begin = line.begin;
    result.end = line.end;
    result.tokens = line.tokens;
    result.isTo = isTo;
    result.upstreamEnd = line.tokens.size() - (isBrace(line.tokens.last(), '{') ? 1 : 0);
    if (!isTo && result.upstreamEnd > 1) {
        const QByteArray &first = line.tokens[1].text;
        if (first.startsWith('/') || first.startsWith('@') || first == "*")
            result.firstUpstream = 2; // a matcher, not an upstream
    }
    return result;
}

// Marker fields keep their bytes exactly: '%', '"', control bytes and (in the address, which ends at a blank)
// blanks as %XX; everything else, UTF-8 included, as it is.
QByteArray encodePiece(const QByteArray &raw, bool blanks = false)
{
    QByteArray out;
    for (const char c : raw) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '%' || c == '"' || byte < 0x20 || byte == 0x7f || (blanks && c == ' '))
            out += '%' + QByteArray::number(byte, 16).rightJustified(2, '0').toUpper();
        else
            out += c;
    }
    return out;
}

std::optional<QByteArray> decodePiece(const QByteArray &text)
{
    QByteArray out;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out += text[i];
            continue;
        }
        bool ok = false;
        const int byte = text.mid(i + 1, 2).toInt(&ok, 16);
        if (!ok || i + 2 >= text.size())
            return std::nullopt;
        out += char(byte);
        i += 2;
    }
    return out;
}

struct Frame {
    enum Kind { Global, Site, Block, Proxy } kind;
    int line;
    int proxy; // Proxy: index into the site's proxies
};

struct Where {
    qsizetype site;
    qsizetype proxy;
    qsizetype line;
};

} // namespace

Result<CaddyConfig> CaddyConfig::parse(const QByteArray &bytes, const QString &fileName)
{
    Result<QList<PhysicalLine>> lexed = tokenize(bytes, fileName);
    if (!lexed)
        return lexed.error();
    const QList<PhysicalLine> &lines = *lexed;
    CaddyConfig config;
    QList<Frame> frames;
    bool seenEntity = false;
    bool bracelessSite = false;
    QHash<qsizetype, Where> upstreamLines; // line begin → the upstream line starting there
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QList<ConfigToken> &tokens = lines[i].tokens;
        if (tokens.isEmpty())
            continue;
        const int number = int(i + 1);
        // Caddy's own rules: `{` ends its line, `}` stands alone on its line.
        for (qsizetype t = 0; t < tokens.size(); ++t) {
            if (isBrace(tokens[t], '{') && t != tokens.size() - 1)
                return Error{QStringLiteral("'{' must be the last token on its line"),
                             configWhere(fileName, number)};
            if (isBrace(tokens[t], '}') && tokens.size() != 1)
                return Error{QStringLiteral("'}' must be alone on its line"), configWhere(fileName, number)};
        }
        if (isBrace(tokens.first(), '}')) {
            if (frames.isEmpty())
                return Error{QStringLiteral("'}' closes no block"), configWhere(fileName, number)};
            const Frame frame = frames.takeLast();
            if (frame.kind == Frame::Proxy)
                config.m_sites.last().proxies[frame.proxy].blockEnd = tokens.first().begin;
            continue;
        }
        const bool opens = isBrace(tokens.last(), '{');
        if (frames.isEmpty() && !bracelessSite) {
            if (tokens.size() == 1 && opens && !seenEntity) {
                frames.append({Frame::Global, number, -1});
                seenEntity = true;
                continue;
            }
            seenEntity = true;
            if (tokens.first().text == "import")
                continue;
            CaddySite site;
            site.line = number;
            site.snippet = tokens.first().text.startsWith('(') && tokens.first().text.endsWith(')');
            for (qsizetype t = 0; t < tokens.size() - (opens ? 1 : 0); ++t) {
                const QString address = QString::fromUtf8(tokens[t].text).remove(QLatin1Char(','));
                if (!address.isEmpty())
                    site.addresses.append(address);
            }
            config.m_sites.append(site);
            if (opens)
                frames.append({Frame::Site, number, -1});
            else
                bracelessSite = true; // a single site without braces: the rest of the file is its body
            continue;
        }
        const bool inGlobal = !frames.isEmpty() && frames.first().kind == Frame::Global;
        if (!inGlobal && tokens.first().text == "reverse_proxy") {
            CaddySite &site = config.m_sites.last();
            CaddyReverseProxy proxy;
            proxy.line = number;
            proxy.lines.append(upstreamLine(lines[i], number, false));
            site.proxies.append(proxy);
            upstreamLines.insert(lines[i].begin, {config.m_sites.size() - 1, site.proxies.size() - 1, 0});
            if (opens)
                frames.append({Frame::Proxy, number, int(site.proxies.size() - 1)});
            continue;
        }
        if (!frames.isEmpty() && frames.last().kind == Frame::Proxy && tokens.first().text == "to") {
            CaddyReverseProxy &proxy = config.m_sites.last().proxies[frames.last().proxy];
            proxy.lines.append(upstreamLine(lines[i], number, true));
            upstreamLines.insert(lines[i].begin,
                                 {config.m_sites.size() - 1, frames.last().proxy, proxy.lines.size() - 1});
        }
        if (opens)
            frames.append({Frame::Block, number, -1});
    }
    if (!frames.isEmpty())
        return Error{QStringLiteral("the block opened here is never closed"),
                     configWhere(fileName, frames.last().line)};

    // Drain markers: each belongs to a reverse_proxy; one that does not is a damaged file, said so, not
    // ignored.
    static const QRegularExpression grammar(
        QStringLiteral("^# clusterdeck:drained (\\S+) (?:token=(\\d+) piece|(line))=\"([^\"]*)\"[ \\t]*$"));
    auto isInlineMarker = [&](const PhysicalLine &line) {
        if (!line.commentOnly)
            return false;
        const QByteArrayView comment(bytes.constData() + line.indentEnd, line.eol - line.indentEnd);
        return comment.startsWith(kMarker) && comment.contains(QByteArrayView(" token="));
    };
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const PhysicalLine &line = lines[i];
        if (!line.commentOnly)
            continue;
        const QByteArray comment = bytes.mid(line.indentEnd, line.eol - line.indentEnd);
        if (!comment.startsWith(kMarker))
            continue;
        const QString where = configWhere(fileName, int(i + 1));
        // Latin-1 maps every byte to one character and back, so the fields come out byte for byte.
        const QRegularExpressionMatch match = grammar.match(QString::fromLatin1(comment));
        const std::optional<QByteArray> piece =
            match.hasMatch() ? decodePiece(match.captured(4).toLatin1()) : std::nullopt;
        const std::optional<QByteArray> address =
            match.hasMatch() ? decodePiece(match.captured(1).toLatin1()) : std::nullopt;
        if (!piece || piece->isEmpty() || !address)
            return Error{QStringLiteral("damaged drain marker: expected '# clusterdeck:drained ADDRESS "
                                        "token=N piece=\"...\"' or '... line=\"...\"'"),
                         where};
        CaddyDrainMarker marker;
        marker.address = QString::fromUtf8(*address);
        marker.line = int(i + 1);
        marker.begin = line.begin;
        marker.end = line.end;
        marker.wholeLine = !match.captured(3).isEmpty();
        marker.tokenIndex = match.captured(2).toInt();
        marker.piece = *piece;
        std::optional<Where> owner;
        if (marker.wholeLine) {
            for (qsizetype s = 0; s < config.m_sites.size() && !owner; ++s) {
                const QList<CaddyReverseProxy> &proxies = config.m_sites[s].proxies;
                for (qsizetype p = 0; p < proxies.size() && !owner; ++p) {
                    if (proxies[p].lines.first().begin < marker.begin && marker.begin < proxies[p].blockEnd)
                        owner = Where{s, p, -1};
                }
            }
        } else {
            qsizetype next = i + 1;
            while (next < lines.size() && isInlineMarker(lines[next]))
                ++next;
            if (next < lines.size() && upstreamLines.contains(lines[next].begin))
                owner = upstreamLines.value(lines[next].begin);
            if (owner && marker.tokenIndex < 1)
                return Error{QStringLiteral("damaged drain marker: token=0 is the directive itself"), where};
        }
        if (!owner)
            return Error{marker.wholeLine
                             ? QStringLiteral("drain marker outside any reverse_proxy block")
                             : QStringLiteral("drain marker not followed by the reverse_proxy or to "
                                              "line it was taken from"),
                         where};
        marker.upstreamLine = int(owner->line);
        config.m_sites[owner->site].proxies[owner->proxy].markers.append(marker);
    }
    return config;
}

namespace {

struct Upstream {
    qsizetype site;
    qsizetype proxy;
    qsizetype line;
    qsizetype token;
};

// The drained token indices (as the line was before any drain) of one upstream line.
QList<int> drainedIndices(const CaddyReverseProxy &proxy, qsizetype line)
{
    QList<int> indices;
    for (const CaddyDrainMarker &marker : proxy.markers) {
        if (!marker.wholeLine && marker.upstreamLine == line)
            indices.append(marker.tokenIndex);
    }
    std::sort(indices.begin(), indices.end());
    return indices;
}

// The index a current token had before the drained ones were taken out: the k-th index not drained.
int originalIndex(const QList<int> &drained, qsizetype current)
{
    int index = -1;
    for (qsizetype seen = -1; seen < current;) {
        ++index;
        if (!drained.contains(index))
            ++seen;
    }
    return index;
}

QByteArray endOfLine(const QByteArray &bytes, const CaddyUpstreamLine &line)
{
    const QByteArray text = bytes.mid(line.begin, line.end - line.begin);
    if (text.endsWith("\r\n"))
        return QByteArrayLiteral("\r\n");
    if (text.endsWith('\n'))
        return QByteArrayLiteral("\n");
    return bytes.contains("\r\n") ? QByteArrayLiteral("\r\n") : QByteArrayLiteral("\n"); // the last line
}

// Where a line's end of line ("\n" or "\r\n") starts; `end` on a last line without one.
qsizetype eolOf(const QByteArray &bytes, qsizetype begin, qsizetype end)
{
    const QByteArray text = bytes.mid(begin, end - begin);
    return end - (text.endsWith("\r\n") ? 2 : text.endsWith('\n') ? 1 : 0);
}

QByteArray indentOf(const QByteArray &bytes, qsizetype begin)
{
    qsizetype end = begin;
    while (end < bytes.size() && (bytes[end] == ' ' || bytes[end] == '\t'))
        ++end;
    return bytes.mid(begin, end - begin);
}

QString siteName(const CaddySite &site)
{
    return site.addresses.join(QLatin1Char(' '));
}

QString place(const QString &fileName, const CaddySite &site, int line)
{
    return QStringLiteral("site '%1' at %2").arg(siteName(site), configWhere(fileName, line));
}

Result<QList<Splice>> drainSplices(const QByteArray &bytes, const QString &fileName,
                                   const CaddyReverseProxy &proxy, const Upstream &at)
{
    const CaddyUpstreamLine &line = proxy.lines[at.line];
    qsizetype inService = 0;
    for (const CaddyUpstreamLine &each : proxy.lines)
        inService += each.upstreamEnd - each.firstUpstream;
    const ConfigToken &token = line.tokens[at.token];
    const QByteArray address = token.text;
    if (inService == 1)
        return Error{
            QStringLiteral("%1 is the last upstream of the reverse_proxy at line %2: draining it would "
                           "leave nothing to proxy to")
                .arg(QString::fromUtf8(address))
                .arg(proxy.line),
            configWhere(fileName, line.line)};
    const QList<int> drained = drainedIndices(proxy, at.line);
    if (line.isTo && line.upstreamEnd - line.firstUpstream == 1) {
        // `to` without an upstream is not valid: the whole line becomes the marker, in its place.
        if (!drained.isEmpty())
            return Error{QStringLiteral("%1 is the last upstream left on its `to` line, whose others are "
                                        "drained: readmit them first")
                             .arg(QString::fromUtf8(address)),
                         configWhere(fileName, line.line)};
        const qsizetype indentEnd = line.begin + indentOf(bytes, line.begin).size();
        const qsizetype eol = eolOf(bytes, line.begin, line.end);
        // A commented-out `{` (or a quoted upstream running on into the next line) would change the blocks.
        if (line.tokens.size() != 2 || token.end > eol)
            return Error{
                QStringLiteral("%1 is alone on a `to` line that holds more than `to ADDRESS`: edit it by "
                               "hand")
                    .arg(QString::fromUtf8(address)),
                configWhere(fileName, line.line)};
        return QList<Splice>{{indentEnd, eol - indentEnd,
                              kMarker + encodePiece(address, true) + " line=\"" +
                                  encodePiece(bytes.mid(indentEnd, eol - indentEnd)) + '"'}};
    }
    // A quoted upstream may touch the next token (`"a:1"b`); without it the two would run together.
    if (token.end < bytes.size() && !isBlank(bytes[token.end]) && bytes[token.end] != '\n')
        return Error{QStringLiteral("%1 is not separated from what follows it: edit the line by hand")
                         .arg(QString::fromUtf8(address)),
                     configWhere(fileName, line.line)};
    const qsizetype pieceBegin = line.tokens[at.token - 1].end;
    const QByteArray marker = indentOf(bytes, line.begin) + kMarker + encodePiece(address, true) +
                              " token=" + QByteArray::number(originalIndex(drained, at.token)) + " piece=\"" +
                              encodePiece(bytes.mid(pieceBegin, token.end - pieceBegin)) + '"' +
                              endOfLine(bytes, line);
    return QList<Splice>{{line.begin, 0, marker}, {pieceBegin, token.end - pieceBegin, {}}};
}

QList<Splice> readmitSplices(const QByteArray &bytes, const CaddyReverseProxy &proxy,
                             const CaddyDrainMarker &marker)
{
    if (marker.wholeLine) {
        const qsizetype indentEnd = marker.begin + indentOf(bytes, marker.begin).size();
        const qsizetype eol = eolOf(bytes, marker.begin, marker.end);
        return {{indentEnd, eol - indentEnd, marker.piece}};
    }
    const CaddyUpstreamLine &line = proxy.lines[marker.upstreamLine];
    const QList<int> drained = drainedIndices(proxy, marker.upstreamLine);
    // After the last token still in the line that came before the upstream; its own blanks come back with it.
    qsizetype after = 0;
    for (qsizetype k = 0; k < line.tokens.size(); ++k) {
        if (originalIndex(drained, k) < marker.tokenIndex)
            after = k;
    }
    return {{marker.begin, marker.end - marker.begin, {}}, {line.tokens[after].end, 0, marker.piece}};
}

} // namespace

Result<ConfigEdit> editCaddyConfig(ConfigAction action, const QByteArray &config, const QString &fileName,
                                   const ServerSelector &selector)
{
    const Result<CaddyConfig> parsed = CaddyConfig::parse(config, fileName);
    if (!parsed)
        return parsed.error();
    const QList<CaddySite> &sites = parsed->sites();
    QList<qsizetype> chosen;
    QStringList names;
    for (qsizetype s = 0; s < sites.size(); ++s) {
        if (sites[s].snippet)
            continue;
        names.append(QStringLiteral("'%1' (line %2)").arg(siteName(sites[s])).arg(sites[s].line));
        if (selector.backend.isEmpty() || sites[s].addresses.contains(selector.backend))
            chosen.append(s);
    }
    if (chosen.isEmpty())
        return Error{QStringLiteral("no site with the address '%1' (sites: %2)")
                         .arg(selector.backend,
                              names.isEmpty() ? QStringLiteral("none") : names.join(QStringLiteral(", "))),
                     fileName};

    // Each hit: an upstream in service (marker null) or a drain marker, with the line to point at.
    struct Hit {
        Upstream at;
        const CaddyDrainMarker *marker;
        int line;
    };
    QList<Hit> inService;
    QList<Hit> drained;
    for (const qsizetype s : chosen) {
        for (qsizetype p = 0; p < sites[s].proxies.size(); ++p) {
            const CaddyReverseProxy &proxy = sites[s].proxies[p];
            for (qsizetype l = 0; l < proxy.lines.size(); ++l) {
                for (qsizetype t = proxy.lines[l].firstUpstream; t < proxy.lines[l].upstreamEnd; ++t) {
                    if (addressMatches(QString::fromUtf8(proxy.lines[l].tokens[t].text), selector.server))
                        inService.append({{s, p, l, t}, nullptr, proxy.lines[l].line});
                }
            }
            for (const CaddyDrainMarker &marker : proxy.markers) {
                if (addressMatches(marker.address, selector.server))
                    drained.append({{s, p, marker.upstreamLine, -1}, &marker, marker.line});
            }
        }
    }
    const bool drain = action == ConfigAction::Drain;
    const QList<Hit> &targets = drain ? inService : drained; // what the action works on
    const QList<Hit> &done = drain ? drained : inService;    // already in the state the action leads to
    if (targets.isEmpty() && done.isEmpty()) {
        for (const CaddySite &site : sites) {
            for (const CaddyReverseProxy &proxy : site.proxies) {
                for (const CaddyUpstreamLine &line : proxy.lines) {
                    for (qsizetype t = line.firstUpstream; site.snippet && t < line.upstreamEnd; ++t) {
                        if (addressMatches(QString::fromUtf8(line.tokens[t].text), selector.server))
                            return Error{
                                QStringLiteral("upstream '%1' is only in the snippet %2, which this editor "
                                               "leaves alone: list it in the site's own reverse_proxy")
                                    .arg(selector.server, siteName(site)),
                                configWhere(fileName, line.line)};
                    }
                }
            }
        }
        const CaddySite &first = sites[chosen.first()];
        return Error{chosen.size() == 1
                         ? QStringLiteral("no upstream '%1' in the reverse_proxy directives of site '%2'")
                               .arg(selector.server, siteName(first))
                         : QStringLiteral("no upstream '%1' in any site").arg(selector.server),
                     chosen.size() == 1 ? configWhere(fileName, first.line) : fileName};
    }
    const QList<Hit> &hits = targets.isEmpty() ? done : targets;
    if (hits.size() > 1) {
        QStringList places;
        for (const Hit &hit : hits)
            places.append(place(fileName, sites[hit.at.site], hit.line));
        return Error{QStringLiteral("'%1' is ambiguous: it is in %2 (name the site with --backend; one site "
                                    "that lists it twice is edited by hand)")
                         .arg(selector.server, places.join(QStringLiteral(", "))),
                     configWhere(fileName, hits.first().line)};
    }
    const Hit &hit = hits.first();
    const CaddyReverseProxy &proxy = sites[hit.at.site].proxies[hit.at.proxy];
    QList<Splice> splices;
    QString note;
    if (targets.isEmpty()) {
        note = drain ? QStringLiteral("already drained") : QStringLiteral("not drained");
    } else if (drain) {
        Result<QList<Splice>> planned = drainSplices(config, fileName, proxy, hit.at);
        if (!planned)
            return planned.error();
        splices = *planned;
    } else {
        splices = readmitSplices(config, proxy, *hit.marker);
    }
    ConfigEdit edit = applySplices(config, splices, fileName);
    edit.backend = siteName(sites[hit.at.site]);
    edit.server = hit.marker ? hit.marker->address
                             : QString::fromUtf8(proxy.lines[hit.at.line].tokens[hit.at.token].text);
    edit.line = hit.line;
    edit.note = note;
    qCDebug(lcGateway) << fileName << (drain ? "drain" : "readmit") << edit.backend << edit.server << "line"
                       << edit.line << (note.isEmpty() ? QStringLiteral("edited") : note);
    return edit;
}

Result<QList<ConfigUpstream>> listCaddyUpstreams(const QByteArray &config, const QString &fileName)
{
    const Result<CaddyConfig> parsed = CaddyConfig::parse(config, fileName);
    if (!parsed)
        return parsed.error();
    QList<ConfigUpstream> upstreams;
    for (const CaddySite &site : parsed->sites()) {
        if (site.snippet)
            continue;
        for (const CaddyReverseProxy &proxy : site.proxies) {
            for (const CaddyUpstreamLine &line : proxy.lines) {
                for (qsizetype t = line.firstUpstream; t < line.upstreamEnd; ++t) {
                    const QString address = QString::fromUtf8(line.tokens[t].text);
                    upstreams.append({siteName(site), address, address, line.line, false});
                }
            }
            for (const CaddyDrainMarker &marker : proxy.markers)
                upstreams.append({siteName(site), marker.address, marker.address, marker.line, true});
        }
    }
    return upstreams;
}

} // namespace clusterdeck
