#include "history/series_selector.h"

namespace clusterdeck {

namespace {

// Reads a quoted value at text[pos] == '"', decoding \\ \" \n; advances pos past the closing quote.
bool readQuoted(const QString &text, qsizetype &pos, QString &out)
{
    if (pos >= text.size() || text[pos] != QLatin1Char('"'))
        return false;
    ++pos;
    out.clear();
    while (pos < text.size()) {
        const QChar c = text[pos++];
        if (c == QLatin1Char('"'))
            return true;
        if (c == QLatin1Char('\\') && pos < text.size()) {
            const QChar e = text[pos++];
            out += e == QLatin1Char('n') ? QLatin1Char('\n') : e;
        } else {
            out += c;
        }
    }
    return false;
}

bool isNameChar(QChar c)
{
    return c.isLetterOrNumber() || c == QLatin1Char('_') || c == QLatin1Char(':');
}

} // namespace

QList<QPair<QString, QString>> parseLabelsText(const QString &text)
{
    QList<QPair<QString, QString>> out;
    qsizetype pos = 0;
    while (pos < text.size()) {
        const qsizetype eq = text.indexOf(QLatin1Char('='), pos);
        if (eq < 0)
            break;
        const QString name = text.mid(pos, eq - pos);
        pos = eq + 1;
        QString value;
        if (!readQuoted(text, pos, value))
            break;
        out.append({name, value});
        if (pos < text.size() && text[pos] == QLatin1Char(','))
            ++pos;
    }
    return out;
}

Result<SeriesSelector> SeriesSelector::parse(const QString &text)
{
    SeriesSelector selector;
    const QString t = text.trimmed();
    qsizetype pos = 0;
    while (pos < t.size() && isNameChar(t[pos]))
        ++pos;
    selector.m_name = t.left(pos);
    auto fail = [&](const QString &why) {
        return Error{QStringLiteral("selector '%1', column %2: %3").arg(text).arg(pos + 1).arg(why),
                     QString()};
    };
    if (pos == t.size())
        return selector;
    if (t[pos] != QLatin1Char('{'))
        return fail(QStringLiteral("expected '{' after the metric name"));
    ++pos;
    for (;;) {
        while (pos < t.size() && t[pos].isSpace())
            ++pos;
        if (pos < t.size() && t[pos] == QLatin1Char('}')) {
            ++pos;
            break;
        }
        const qsizetype start = pos;
        while (pos < t.size() && isNameChar(t[pos]))
            ++pos;
        Matcher m;
        m.label = t.mid(start, pos - start);
        if (m.label.isEmpty())
            return fail(QStringLiteral("expected a label name"));
        const QStringView rest = QStringView(t).mid(pos);
        if (rest.startsWith(QLatin1String("=~")))
            m.op = Op::Match, pos += 2;
        else if (rest.startsWith(QLatin1String("!~")))
            m.op = Op::NoMatch, pos += 2;
        else if (rest.startsWith(QLatin1String("!=")))
            m.op = Op::NotEqual, pos += 2;
        else if (rest.startsWith(QLatin1String("=")))
            m.op = Op::Equal, pos += 1;
        else
            return fail(QStringLiteral("expected =, !=, =~ or !~"));
        if (!readQuoted(t, pos, m.value))
            return fail(QStringLiteral("expected a \"quoted\" value"));
        if (m.op == Op::Match || m.op == Op::NoMatch) {
            m.regex = QRegularExpression(QRegularExpression::anchoredPattern(m.value));
            if (!m.regex.isValid())
                return fail(QStringLiteral("bad regular expression: %1").arg(m.regex.errorString()));
        }
        selector.m_matchers.append(m);
        while (pos < t.size() && t[pos].isSpace())
            ++pos;
        if (pos < t.size() && t[pos] == QLatin1Char(','))
            ++pos;
        else if (pos >= t.size() || t[pos] != QLatin1Char('}'))
            return fail(QStringLiteral("expected ',' or '}'"));
    }
    if (pos != t.size())
        return fail(QStringLiteral("unexpected text after '}'"));
    return selector;
}

bool SeriesSelector::matches(const QString &name, const QString &labels) const
{
    if (!m_name.isEmpty() && name != m_name)
        return false;
    if (m_matchers.isEmpty())
        return true;
    const auto pairs = parseLabelsText(labels);
    for (const Matcher &m : m_matchers) {
        QString value; // a missing label matches as "" (PromQL)
        for (const auto &[k, v] : pairs) {
            if (k == m.label)
                value = v;
        }
        bool ok = false;
        switch (m.op) {
        case Op::Equal:
            ok = value == m.value;
            break;
        case Op::NotEqual:
            ok = value != m.value;
            break;
        case Op::Match:
            ok = m.regex.match(value).hasMatch();
            break;
        case Op::NoMatch:
            ok = !m.regex.match(value).hasMatch();
            break;
        }
        if (!ok)
            return false;
    }
    return true;
}

} // namespace clusterdeck
