#include "command_line.h"

#include <QLoggingCategory>
#include <cstdio>

namespace clusterdeck::ctl {

CommandLine::CommandLine(const QString &command, const QString &syntax, const QString &description)
    : m_command(command), m_syntax(syntax),
      m_help({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help.")),
      m_verbose(QStringLiteral("verbose"),
                QStringLiteral("Print debug output of the clusterdeck.* log categories."))
{
    m_parser.setApplicationDescription(description);
    m_parser.addOption(m_help);
    m_parser.addOption(m_verbose);
}

QString CommandLine::usageLine() const
{
    return QStringLiteral("usage: clusterdeckctl %1 %2").arg(m_command, m_syntax);
}

int CommandLine::usageError(const QString &message) const
{
    std::fprintf(stderr, "clusterdeckctl %s: %s\n%s\n", qPrintable(m_command), qPrintable(message),
                 qPrintable(usageLine()));
    return 2;
}

std::optional<int> CommandLine::parse(const QStringList &args, qsizetype minPositional,
                                      qsizetype maxPositional)
{
    // QCommandLineParser skips the first argument as the program name.
    if (!m_parser.parse(QStringList{m_command} + args))
        return usageError(m_parser.errorText());
    if (m_parser.isSet(m_help)) {
        // The parser's own usage line names the binary's path and says [options]: ours names the command.
        QString help = m_parser.helpText();
        help.replace(0, help.indexOf(QLatin1Char('\n')), usageLine());
        std::fputs(qPrintable(help), stdout);
        return 0;
    }
    if (m_parser.isSet(m_verbose))
        setVerboseLogging(true);
    const QStringList positional = m_parser.positionalArguments();
    if (positional.size() < minPositional)
        return usageError(QStringLiteral("missing argument"));
    if (positional.size() > maxPositional)
        return usageError(QStringLiteral("unexpected argument '%1'").arg(positional.at(maxPositional)));
    return std::nullopt;
}

void setVerboseLogging(bool verbose)
{
    QLoggingCategory::setFilterRules(verbose ? QStringLiteral("clusterdeck.*.debug=true")
                                             : QStringLiteral("clusterdeck.*.debug=false"));
}

} // namespace clusterdeck::ctl
