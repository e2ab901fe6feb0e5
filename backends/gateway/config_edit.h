#pragma once

#include "cluster/cluster.h"
#include "common/result.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace clusterdeck {

// Drain and readmit as edits of a gateway's config file (HAProxy or Caddyfile): pure functions from bytes to
// bytes. An edit changes only the tokens it must; every other byte stays as it was, so readmit after drain
// gives back the original file.

enum class ConfigAction { Drain, Readmit };

// Which upstream to edit: `server` is an HAProxy server name or address, or a Caddy upstream address;
// `backend` (optional) an HAProxy backend/listen name or a Caddy site address. Without it the server must be
// found in exactly one place.
struct ServerSelector {
    QString backend;
    QString server;
};

// One upstream as the editors see it.
struct ConfigUpstream {
    QString backend; // HAProxy backend/listen name; Caddy: the site's addresses as written
    QString name;    // HAProxy server name; Caddy: the upstream address token
    QString address; // the address token
    int line = 0;    // 1-based line of the server (Caddy: of the upstream or of its drain marker)
    bool drained = false;
};

struct ConfigEdit {
    QByteArray bytes;        // the whole new file
    QList<int> changedLines; // 1-based lines of `bytes` that are new or changed (empty: nothing changed)
    QString diff;            // unified diff from the old bytes to the new, empty when nothing changed
    QString backend;         // where the server was found
    QString server;          // its name (HAProxy) or address (Caddy)
    int line = 0;            // the server's line in the old bytes
    QString note;            // "already drained" / "not drained" when the file was left as it was
};

// One word of a config line: where its raw bytes are (quotes and escapes included) and what it says.
struct ConfigToken {
    qsizetype begin = 0;
    qsizetype end = 0;
    QByteArray text;
};

// A piece of the old bytes replaced by new ones; an edit is a list of these (non-overlapping).
struct Splice {
    qsizetype offset = 0;
    qsizetype length = 0;
    QByteArray replacement;
};

// Applies the splices to `old` and fills bytes, changedLines and diff (labelled with fileName).
ConfigEdit applySplices(const QByteArray &old, QList<Splice> splices, const QString &fileName);

// Whether an address token of the config (`127.0.20.2:8080`, `http://was2:8080`) names the address the user
// gave: equal once a scheme is stripped, or, when the user gave no port, the same host.
bool addressMatches(const QString &token, const QString &query);

// "file:line" for Error::where.
QString configWhere(const QString &fileName, int line);

// The editors of both kinds behind one call: what clusterdeckctl config and the drain job use.
Result<ConfigEdit> editGatewayConfig(GatewayKind kind, ConfigAction action, const QByteArray &config,
                                     const QString &fileName, const ServerSelector &selector);
Result<QList<ConfigUpstream>> listGatewayUpstreams(GatewayKind kind, const QByteArray &config,
                                                   const QString &fileName);

} // namespace clusterdeck
