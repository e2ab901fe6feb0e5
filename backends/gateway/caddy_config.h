#pragma once

#include "gateway/config_edit.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace clusterdeck {

// A line of a Caddyfile that lists upstreams: `reverse_proxy [matcher] UPSTREAM... [{]` or `to UPSTREAM...`.
struct CaddyUpstreamLine {
    int line = 0;
    qsizetype begin = 0; // first byte of the line
    qsizetype end = 0;   // after its end of line
    QList<ConfigToken> tokens;
    qsizetype firstUpstream = 1; // index of the first upstream token (2 after a matcher)
    qsizetype upstreamEnd = 0;   // index after the last one (a trailing `{` is not one)
    bool isTo = false;
};

// A drain marker: a comment line that holds what a drain took out, so readmit needs only the file. In a line
// (`token=N piece="..."`, above the line it belongs to) or in place of a whole `to` line (`line="..."`).
struct CaddyDrainMarker {
    QString address;
    int line = 0;
    qsizetype begin = 0; // the marker line, end of line included
    qsizetype end = 0;
    bool wholeLine = false;
    int tokenIndex = 0; // in-line: the upstream's index in its line before anything was drained
    QByteArray piece; // in-line: the blanks before the upstream and the upstream; whole line: the line's text
    int upstreamLine = -1; // in-line: index into CaddyReverseProxy::lines of the line it belongs to
};

struct CaddyReverseProxy {
    int line = 0;
    qsizetype blockEnd = -1;        // the closing brace of its block, -1 without one
    QList<CaddyUpstreamLine> lines; // the reverse_proxy line, then its `to` lines
    QList<CaddyDrainMarker> markers;
};

// A site block (or a snippet, which this editor leaves alone) and the reverse_proxy directives inside it.
struct CaddySite {
    QStringList addresses; // as written, without commas; a snippet: "(name)"
    int line = 0;
    bool snippet = false;
    QList<CaddyReverseProxy> proxies;
};

// A Caddyfile read into site blocks, snippets and their reverse_proxy upstreams, every token with its
// offsets.
class CaddyConfig {
public:
    static Result<CaddyConfig> parse(const QByteArray &bytes, const QString &fileName);
    const QList<CaddySite> &sites() const { return m_sites; }

private:
    QList<CaddySite> m_sites;
};

// Drain: the upstream out of its list, a marker comment holding it; readmit: the marker's bytes back in
// place.
Result<ConfigEdit> editCaddyConfig(ConfigAction action, const QByteArray &config, const QString &fileName,
                                   const ServerSelector &selector);
Result<QList<ConfigUpstream>> listCaddyUpstreams(const QByteArray &config, const QString &fileName);

} // namespace clusterdeck
