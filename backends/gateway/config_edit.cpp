#include "gateway/config_edit.h"

#include <QList>
#include <QRegularExpression>

namespace clusterdeck {

namespace {

const QByteArray kCaddyMarker = "# clusterdeck: drained ";

Error editError(const Gateway &gateway, const QString &message)
{
    return Error{message, gateway.configPath};
}

// Lines of `config` with their line endings kept, so joining them gives the same bytes back.
QList<QByteArray> splitKeepingEnds(const QByteArray &config)
{
    QList<QByteArray> lines;
    qsizetype start = 0;
    while (start < config.size()) {
        const qsizetype end = config.indexOf('\n', start);
        const qsizetype next = end < 0 ? config.size() : end + 1;
        lines.append(config.mid(start, next - start));
        start = next;
    }
    return lines;
}

QString lineDiff(int lineNumber, const QByteArray &before, const QByteArray &after)
{
    return QStringLiteral("@@ line %1 @@\n-%2\n+%3\n")
        .arg(lineNumber)
        .arg(QString::fromUtf8(before.trimmed()), QString::fromUtf8(after.trimmed()));
}

Result<ConfigEdit> editHaproxy(const QByteArray &config, const Gateway &gateway, const Node &node,
                               RotationChange change)
{
    QList<QByteArray> lines = splitKeepingEnds(config);
    bool inBackend = false;
    for (int i = 0; i < lines.size(); ++i) {
        const QByteArray trimmed = lines[i].trimmed();
        const QList<QByteArray> words = trimmed.simplified().split(' ');
        if (!lines[i].startsWith(' ') && !lines[i].startsWith('\t') && !trimmed.isEmpty() &&
            !trimmed.startsWith('#'))
            inBackend = words.size() >= 2 && (words[0] == "backend" || words[0] == "listen") &&
                        words[1] == gateway.backend.toUtf8();
        if (!inBackend || words.size() < 3 || words[0] != "server")
            continue;
        if (words[1] != node.name.toUtf8() && words[2] != node.upstream.toUtf8())
            continue;
        const bool disabled = words.contains("disabled");
        QByteArray line = lines[i];
        const qsizetype contentEnd = line.size() - (line.endsWith("\r\n") ? 2 : line.endsWith('\n') ? 1 : 0);
        QByteArray body = line.left(contentEnd);
        const QByteArray ending = line.mid(contentEnd);
        if (change == RotationChange::Drain) {
            if (disabled)
                return editError(gateway, QStringLiteral("server %1 is already disabled (line %2)")
                                              .arg(QString::fromUtf8(words[1]))
                                              .arg(i + 1));
            body += " disabled";
        } else {
            if (!disabled)
                return editError(gateway, QStringLiteral("server %1 is not disabled (line %2)")
                                              .arg(QString::fromUtf8(words[1]))
                                              .arg(i + 1));
            static const QRegularExpression token(QStringLiteral("[ \\t]+disabled(?=[ \\t]|$)"));
            body = QString::fromUtf8(body).remove(token).toUtf8();
        }
        const QByteArray before = lines[i];
        lines[i] = body + ending;
        return ConfigEdit{lines.join(), lineDiff(i + 1, before, lines[i])};
    }
    return editError(gateway, QStringLiteral("no server line for %1 (%2) in backend %3")
                                  .arg(node.name, node.upstream, gateway.backend));
}

Result<ConfigEdit> editCaddy(const QByteArray &config, const Gateway &gateway, const Node &node,
                             RotationChange change)
{
    QList<QByteArray> lines = splitKeepingEnds(config);
    const QByteArray active = "to " + node.upstream.toUtf8();
    const QByteArray drained = kCaddyMarker + active;
    for (int i = 0; i < lines.size(); ++i) {
        const QByteArray trimmed = lines[i].trimmed();
        const qsizetype indent = lines[i].indexOf(trimmed.isEmpty() ? QByteArray("\n") : trimmed.left(1));
        if (change == RotationChange::Drain && trimmed == active) {
            const QByteArray before = lines[i];
            lines[i].insert(indent, kCaddyMarker);
            return ConfigEdit{lines.join(), lineDiff(i + 1, before, lines[i])};
        }
        if (change == RotationChange::Readmit && trimmed == drained) {
            const QByteArray before = lines[i];
            lines[i].remove(indent, kCaddyMarker.size());
            return ConfigEdit{lines.join(), lineDiff(i + 1, before, lines[i])};
        }
    }
    return editError(gateway, change == RotationChange::Drain
                                  ? QStringLiteral("no active 'to %1' line").arg(node.upstream)
                                  : QStringLiteral("no drained '%1' line").arg(QString::fromUtf8(drained)));
}

} // namespace

ConfigEditor defaultConfigEditor()
{
    return [](const QByteArray &config, const Gateway &gateway, const Node &node, RotationChange change) {
        return gateway.kind == GatewayKind::HAProxy ? editHaproxy(config, gateway, node, change)
                                                    : editCaddy(config, gateway, node, change);
    };
}

} // namespace clusterdeck
