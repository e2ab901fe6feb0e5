#pragma once

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QString>
#include <QStringList>
#include <optional>

namespace clusterdeck::ctl {

// The arguments of one clusterdeckctl command: a QCommandLineParser that also knows -h/--help and --verbose,
// treats unknown options, missing values and a wrong number of positional arguments as usage errors (exit 2,
// message and usage on stderr), and prints the command's help on stdout.
class CommandLine {
public:
    // `syntax` is what follows the command name in the usage line: "FILE|- [--format tsv|json]".
    CommandLine(const QString &command, const QString &syntax, const QString &description);

    void addOption(const QCommandLineOption &option) { m_parser.addOption(option); }
    void addPositional(const QString &name, const QString &description)
    {
        m_parser.addPositionalArgument(name, description);
    }

    // nullopt when the command should go on; otherwise the exit code: 0 after --help, 2 after a usage error.
    std::optional<int> parse(const QStringList &args, qsizetype minPositional, qsizetype maxPositional);

    const QCommandLineParser &parser() const { return m_parser; }
    bool isSet(const QCommandLineOption &option) const { return m_parser.isSet(option); }
    QString value(const QCommandLineOption &option) const { return m_parser.value(option); }
    QStringList values(const QCommandLineOption &option) const { return m_parser.values(option); }
    QStringList positional() const { return m_parser.positionalArguments(); }

    // Prints "clusterdeckctl COMMAND: message" and the usage line on stderr; returns 2 (the usage exit code).
    int usageError(const QString &message) const;
    QString usageLine() const;

private:
    QString m_command;
    QString m_syntax;
    QCommandLineParser m_parser;
    QCommandLineOption m_help;
    QCommandLineOption m_verbose;
};

// Debug output of every clusterdeck.* logging category on (--verbose, before or after the command) or off
// (the default); warnings print either way, and QT_LOGGING_RULES still overrides both.
void setVerboseLogging(bool verbose);

} // namespace clusterdeck::ctl
