#include "cluster/yaml_reader.h"

#include <QHash>
#include <QRegularExpression>
#include <algorithm>
#include <cmath>
#include <vector>

namespace clusterdeck {

namespace {

int editDistance(const QString &a, const QString &b)
{
    std::vector<int> row(static_cast<size_t>(b.size()) + 1);
    for (size_t j = 0; j < row.size(); ++j)
        row[j] = static_cast<int>(j);
    for (qsizetype i = 1; i <= a.size(); ++i) {
        int diagonal = row[0];
        row[0] = static_cast<int>(i);
        for (qsizetype j = 1; j <= b.size(); ++j) {
            const int above = row[static_cast<size_t>(j)];
            const int cost = a[i - 1].toLower() == b[j - 1].toLower() ? 0 : 1;
            row[static_cast<size_t>(j)] =
                std::min({above + 1, row[static_cast<size_t>(j - 1)] + 1, diagonal + cost});
            diagonal = above;
        }
    }
    return row.back();
}

QString scalarText(const YAML::Node &node)
{
    return QString::fromStdString(node.Scalar());
}

} // namespace

QString closestMatch(const QString &word, const QStringList &candidates)
{
    QString best;
    int bestDistance = std::max<int>(2, static_cast<int>(word.size()) / 3) + 1;
    for (const QString &candidate : candidates) {
        const int distance = editDistance(word, candidate);
        if (distance < bestDistance) {
            bestDistance = distance;
            best = candidate;
        }
    }
    return best;
}

std::optional<int> parseDurationMs(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral(R"(^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$)"));
    const QRegularExpressionMatch match = pattern.match(text);
    if (!match.hasMatch())
        return std::nullopt;
    const double amount = match.captured(1).toDouble();
    const QString unit = match.captured(2);
    double factor = 1000;
    if (unit == QLatin1String("ms"))
        factor = 1;
    else if (unit == QLatin1String("m"))
        factor = 60'000;
    else if (unit == QLatin1String("h"))
        factor = 3'600'000;
    const double ms = amount * factor;
    if (ms > 86'400'000.0)
        return std::nullopt;
    return static_cast<int>(ms + 0.5);
}

void YamlReader::report(const YAML::Mark &mark, const QString &message)
{
    m_problems.append({mark.is_null() ? 0 : mark.line + 1, mark.is_null() ? 0 : mark.column + 1, message});
}

bool YamlReader::expectMap(const YAML::Node &node, const QString &what)
{
    if (node.IsMap())
        return true;
    report(node, QStringLiteral("%1 must be a mapping of key: value").arg(what));
    return false;
}

bool YamlReader::expectSequence(const YAML::Node &node, const QString &what)
{
    if (node.IsSequence())
        return true;
    report(node, QStringLiteral("%1 must be a list (items starting with '- ')").arg(what));
    return false;
}

void YamlReader::rejectDuplicateKeys(const YAML::Node &map, const QString &what)
{
    QHash<QString, int> firstLine;
    for (auto it = map.begin(); it != map.end(); ++it) {
        if (!it->first.IsScalar())
            continue;
        const QString key = scalarText(it->first);
        const int line = it->first.Mark().is_null() ? 0 : it->first.Mark().line + 1;
        const auto found = firstLine.constFind(key);
        if (found == firstLine.constEnd())
            firstLine.insert(key, line);
        else
            report(it->first, QStringLiteral("key '%1' appears twice in %2 (first on line %3): remove one")
                                  .arg(key, what)
                                  .arg(found.value()));
    }
}

void YamlReader::rejectUnknownKeys(const YAML::Node &map, const QStringList &allowed, const QString &what)
{
    rejectDuplicateKeys(map, what);
    for (auto it = map.begin(); it != map.end(); ++it) {
        const QString key = scalarText(it->first);
        if (allowed.contains(key))
            continue;
        QString message = QStringLiteral("unknown key '%1' in %2").arg(key, what);
        const QString hint = closestMatch(key, allowed);
        if (!hint.isEmpty())
            message += QStringLiteral(" (did you mean '%1'?)").arg(hint);
        else
            message += QStringLiteral(" (known keys: %1)").arg(allowed.join(QStringLiteral(", ")));
        report(it->first, message);
    }
}

std::optional<QString> YamlReader::string(const YAML::Node &map, const char *key, bool required,
                                          const QString &what)
{
    const YAML::Node value = map[key];
    if (!value) {
        if (required)
            report(map, QStringLiteral("%1 needs '%2'").arg(what, QLatin1String(key)));
        return std::nullopt;
    }
    if (!value.IsScalar()) {
        report(value, QStringLiteral("'%1' in %2 must be a single value").arg(QLatin1String(key), what));
        return std::nullopt;
    }
    const QString text = scalarText(value).trimmed();
    if (text.isEmpty() && required) {
        report(value, QStringLiteral("'%1' in %2 must not be empty").arg(QLatin1String(key), what));
        return std::nullopt;
    }
    return text;
}

std::optional<QUrl> YamlReader::url(const YAML::Node &map, const char *key, bool required,
                                    const QString &what)
{
    const std::optional<QString> text = string(map, key, required, what);
    if (!text)
        return std::nullopt;
    const QUrl parsed(*text, QUrl::StrictMode);
    const bool httpScheme =
        parsed.scheme() == QLatin1String("http") || parsed.scheme() == QLatin1String("https");
    if (!parsed.isValid() || !httpScheme || parsed.host().isEmpty()) {
        report(map[key],
               QStringLiteral(
                   "'%1' in %2 is not an http(s) URL: '%3' (expected e.g. http://10.0.0.5:8080/metrics)")
                   .arg(QLatin1String(key), what, *text));
        return std::nullopt;
    }
    return parsed;
}

std::optional<int> YamlReader::durationMs(const YAML::Node &map, const char *key, const QString &what)
{
    const std::optional<QString> text = string(map, key, false, what);
    if (!text)
        return std::nullopt;
    const std::optional<int> ms = parseDurationMs(*text);
    if (!ms || *ms <= 0) {
        report(map[key], QStringLiteral("'%1' in %2 is not a duration: '%3' (write e.g. 500ms, 5s, 1m)")
                             .arg(QLatin1String(key), what, *text));
        return std::nullopt;
    }
    return ms;
}

std::optional<int> YamlReader::durationMs(const YAML::Node &map, const char *key, int minMs, int maxMs,
                                          const QString &what)
{
    const std::optional<int> ms = durationMs(map, key, what);
    if (!ms)
        return std::nullopt;
    if (*ms < minMs || *ms > maxMs) {
        report(map[key], QStringLiteral("'%1' in %2 must be from %3 ms to %4 s, not %5 ms")
                             .arg(QLatin1String(key), what)
                             .arg(minMs)
                             .arg(maxMs / 1000)
                             .arg(*ms));
        return std::nullopt;
    }
    return ms;
}

std::optional<double> YamlReader::number(const YAML::Node &map, const char *key, double min, double max,
                                         const QString &what)
{
    const std::optional<QString> text = string(map, key, false, what);
    if (!text)
        return std::nullopt;
    bool ok = false;
    const double value = text->toDouble(&ok);
    // NaN compares false with everything: test it, and infinities, explicitly.
    if (!ok || !std::isfinite(value) || value < min || value > max) {
        report(map[key], QStringLiteral("'%1' in %2 must be a number from %3 to %4, not '%5'")
                             .arg(QLatin1String(key), what)
                             .arg(min)
                             .arg(max)
                             .arg(*text));
        return std::nullopt;
    }
    return value;
}

std::optional<QString> YamlReader::oneOf(const YAML::Node &map, const char *key, const QStringList &choices,
                                         bool required, const QString &what)
{
    const std::optional<QString> text = string(map, key, required, what);
    if (!text)
        return std::nullopt;
    if (choices.contains(*text))
        return text;
    QString message = QStringLiteral("'%1' in %2 must be one of %3, not '%4'")
                          .arg(QLatin1String(key), what, choices.join(QStringLiteral("|")), *text);
    const QString hint = closestMatch(*text, choices);
    if (!hint.isEmpty())
        message += QStringLiteral(" (did you mean '%1'?)").arg(hint);
    report(map[key], message);
    return std::nullopt;
}

} // namespace clusterdeck
