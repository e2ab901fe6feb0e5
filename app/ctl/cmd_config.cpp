#include "command_line.h"
#include "commands.h"
#include "gateway/config_edit.h"

#include <QFile>
#include <cstdio>

namespace clusterdeck::ctl {

int runConfig(const QStringList &args)
{
    CommandLine command(
        QStringLiteral("config"),
        QStringLiteral(
            "drain|readmit --kind haproxy|caddy --file PATH [--backend NAME] --server NAME|ADDRESS [--diff]"),
        QStringLiteral(
            "Drain or readmit a server in a gateway config file and print the edited config: a preview, "
            "nothing is written and nothing is reached over SSH. HAProxy: `disabled` on the server line; "
            "Caddy: the upstream out of its reverse_proxy, kept in a marker comment for readmit."));
    command.addPositional(QStringLiteral("ACTION"), QStringLiteral("drain or readmit."));
    const QCommandLineOption kind(QStringLiteral("kind"), QStringLiteral("The gateway: haproxy or caddy."),
                                  QStringLiteral("KIND"));
    const QCommandLineOption file(QStringLiteral("file"),
                                  QStringLiteral("The config file (haproxy.cfg, Caddyfile)."),
                                  QStringLiteral("PATH"));
    const QCommandLineOption backend(
        QStringLiteral("backend"),
        QStringLiteral(
            "HAProxy backend or listen section, Caddy site address; needed when the server is in more "
            "than one."),
        QStringLiteral("NAME"));
    const QCommandLineOption server(QStringLiteral("server"),
                                    QStringLiteral("HAProxy server name or address; Caddy upstream address."),
                                    QStringLiteral("NAME|ADDRESS"));
    const QCommandLineOption diff(QStringLiteral("diff"),
                                  QStringLiteral("Print a unified diff instead of the whole edited config."));
    for (const QCommandLineOption &option : {kind, file, backend, server, diff})
        command.addOption(option);
    if (const std::optional<int> exit = command.parse(args, 1, 1))
        return *exit;

    const QString actionName = command.positional().first();
    if (actionName != QLatin1String("drain") && actionName != QLatin1String("readmit"))
        return command.usageError(QStringLiteral("the action is drain or readmit, not '%1'").arg(actionName));
    if (!command.isSet(kind))
        return command.usageError(QStringLiteral("--kind haproxy|caddy is required"));
    const QString kindName = command.value(kind);
    if (kindName != QLatin1String("haproxy") && kindName != QLatin1String("caddy"))
        return command.usageError(QStringLiteral("--kind takes haproxy or caddy, not '%1'").arg(kindName));
    if (!command.isSet(file))
        return command.usageError(QStringLiteral("--file PATH is required"));
    if (command.value(server).isEmpty())
        return command.usageError(QStringLiteral("--server NAME|ADDRESS is required"));

    const QString path = command.value(file);
    QFile input(path);
    if (!input.open(QIODevice::ReadOnly)) {
        std::fprintf(stderr, "%s: cannot read: %s\n", qPrintable(path), qPrintable(input.errorString()));
        return 1;
    }
    const QByteArray bytes = input.readAll();
    const Result<ConfigEdit> edit =
        editGatewayConfig(kindName == QLatin1String("haproxy") ? GatewayKind::HAProxy : GatewayKind::Caddy,
                          actionName == QLatin1String("drain") ? ConfigAction::Drain : ConfigAction::Readmit,
                          bytes, path, {command.value(backend), command.value(server)});
    if (!edit) {
        std::fprintf(stderr, "%s\n", qPrintable(edit.error().toString()));
        return 1;
    }
    if (!edit->note.isEmpty()) // stdout stays the config alone, so a script can pipe it
        std::fprintf(stderr, "%s:%d: %s/%s %s: the config is unchanged\n", qPrintable(path), edit->line,
                     qPrintable(edit->backend), qPrintable(edit->server), qPrintable(edit->note));
    const QByteArray out = command.isSet(diff) ? edit->diff.toUtf8() : edit->bytes;
    std::fwrite(out.constData(), 1, size_t(out.size()), stdout);
    return 0;
}

} // namespace clusterdeck::ctl
