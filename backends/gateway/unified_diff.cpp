#include "gateway/unified_diff.h"

#include <algorithm>
#include <vector>

namespace clusterdeck {

namespace {

// Lines with their end of line ("\n", "\r\n" stays in the line before it); the last may lack one.
QList<QByteArray> splitLines(const QByteArray &text)
{
    QList<QByteArray> lines;
    qsizetype start = 0;
    while (start < text.size()) {
        const qsizetype newline = text.indexOf('\n', start);
        const qsizetype end = newline < 0 ? text.size() : newline + 1;
        lines.append(text.mid(start, end - start));
        start = end;
    }
    return lines;
}

void appendLine(QString &out, char prefix, const QByteArray &line)
{
    out += QLatin1Char(prefix);
    out += QString::fromUtf8(line);
    if (!line.endsWith('\n'))
        out += QStringLiteral("\n\\ No newline at end of file\n");
}

QString range(qsizetype start, qsizetype count)
{
    // A zero-length range names the line before it, as diff(1) does.
    return count == 1 ? QString::number(start + 1)
                      : QStringLiteral("%1,%2").arg(count ? start + 1 : start).arg(count);
}

} // namespace

UnifiedDiff unifiedDiff(const QByteArray &oldText, const QByteArray &newText, const QString &fileName,
                        int context)
{
    UnifiedDiff diff;
    if (oldText == newText)
        return diff;
    const QList<QByteArray> before = splitLines(oldText);
    const QList<QByteArray> after = splitLines(newText);
    qsizetype prefix = 0;
    while (prefix < before.size() && prefix < after.size() && before[prefix] == after[prefix])
        ++prefix;
    qsizetype suffix = 0;
    while (suffix < before.size() - prefix && suffix < after.size() - prefix &&
           before[before.size() - 1 - suffix] == after[after.size() - 1 - suffix])
        ++suffix;
    const qsizetype oldEnd =
        before.size() - suffix; // the differing lines: [prefix, oldEnd) and [prefix, newEnd)
    const qsizetype newEnd = after.size() - suffix;
    const qsizetype from = std::max<qsizetype>(0, prefix - context);
    const qsizetype oldTo = std::min<qsizetype>(before.size(), oldEnd + context);
    const qsizetype newTo = std::min<qsizetype>(after.size(), newEnd + context);

    // git's labels: an absolute path shows as a/etc/haproxy/haproxy.cfg, not a//etc/...
    const QString label = fileName.startsWith(QLatin1Char('/')) ? fileName.mid(1) : fileName;
    diff.text = QStringLiteral("--- a/%1\n+++ b/%1\n@@ -%2 +%3 @@\n")
                    .arg(label, range(from, oldTo - from), range(from, newTo - from));
    for (qsizetype i = from; i < prefix; ++i)
        appendLine(diff.text, ' ', before[i]);
    // Inside the differing region the longest common subsequence keeps lines that only moved as context, so
    // a marker line inserted above an edited line shows as one added and one changed line, not as a block.
    const qsizetype rows = oldEnd - prefix;
    const qsizetype columns = newEnd - prefix;
    if (rows * columns > 4'000'000) { // far beyond any drain edit: a plain replacement is still a valid diff
        for (qsizetype i = prefix; i < oldEnd; ++i)
            appendLine(diff.text, '-', before[i]);
        for (qsizetype i = prefix; i < newEnd; ++i) {
            appendLine(diff.text, '+', after[i]);
            diff.changedLines.append(int(i + 1));
        }
    } else {
        // common[r][c]: length of the longest common subsequence of before[prefix + r..] and after[prefix +
        // c..].
        std::vector<int> common(size_t((rows + 1) * (columns + 1)), 0);
        const auto at = [&](qsizetype r, qsizetype c) -> int & {
            return common[size_t(r * (columns + 1) + c)];
        };
        for (qsizetype r = rows - 1; r >= 0; --r) {
            for (qsizetype c = columns - 1; c >= 0; --c)
                at(r, c) = before[prefix + r] == after[prefix + c] ? at(r + 1, c + 1) + 1
                                                                   : std::max(at(r + 1, c), at(r, c + 1));
        }
        qsizetype r = 0;
        qsizetype c = 0;
        while (r < rows || c < columns) {
            if (r < rows && c < columns && before[prefix + r] == after[prefix + c]) {
                appendLine(diff.text, ' ', before[prefix + r]);
                ++r;
                ++c;
            } else if (r < rows && (c == columns || at(r + 1, c) >= at(r, c + 1))) {
                appendLine(diff.text, '-', before[prefix + r]);
                ++r;
            } else {
                appendLine(diff.text, '+', after[prefix + c]);
                diff.changedLines.append(int(prefix + c + 1));
                ++c;
            }
        }
    }
    for (qsizetype i = newEnd; i < newTo; ++i)
        appendLine(diff.text, ' ', after[i]);
    return diff;
}

} // namespace clusterdeck
