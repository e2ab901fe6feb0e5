#include "common/url_text.h"

#include <QRegularExpression>

namespace clusterdeck {

namespace {

const QString kRedacted = QStringLiteral("xxxxx");

} // namespace

QString redactUrl(const QUrl &url)
{
    if (url.password().isEmpty())
        return url.toString();
    QUrl shown = url;
    shown.setPassword(kRedacted);
    return shown.toString();
}

QString redactUrlsInText(const QString &text)
{
    // scheme://user:password@ → scheme://user:xxxxx@ ; the user part has no '/', '@' or whitespace.
    static const QRegularExpression userInfo(
        QStringLiteral(R"(([A-Za-z][A-Za-z0-9+.-]*://[^/@:\s]*):[^/@\s]*@)"));
    QString out = text;
    out.replace(userInfo, QStringLiteral("\\1:") + kRedacted + QLatin1Char('@'));
    return out;
}

QString escapeControlCharacters(const QString &text)
{
    QString out;
    out.reserve(text.size());
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if ((u < 0x20 && u != '\n' && u != '\t') || u == 0x7f)
            out += QStringLiteral("\\x%1").arg(int(u), 2, 16, QLatin1Char('0'));
        else
            out += c;
    }
    return out;
}

Result<QUrl> parseHttpUrl(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return Error{QStringLiteral("an empty URL"), QString()};
    for (const QChar c : trimmed) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            return Error{QStringLiteral("the URL contains a control character"), QString()};
    }
    if (trimmed.startsWith(QLatin1Char('/')) || trimmed.startsWith(QLatin1Char('.')))
        return Error{QStringLiteral("'%1' is a file path: only http and https URLs are fetched").arg(trimmed),
                     QString()};
    // A scheme is letters, digits, '+', '-', '.' before "://"; "host:port/path" has none and means http.
    static const QRegularExpression hasScheme(QStringLiteral("^[A-Za-z][A-Za-z0-9+.-]*:"));
    static const QRegularExpression hostPort(QStringLiteral("^[^/:]+:[0-9]+(/|$)"));
    const bool schemeLess = !hasScheme.match(trimmed).hasMatch() || hostPort.match(trimmed).hasMatch();
    const QUrl url(schemeLess ? QStringLiteral("http://") + trimmed : trimmed, QUrl::StrictMode);
    const QString shown = redactUrlsInText(trimmed);
    if (!url.isValid()) {
        // QUrl says "Invalid port or port number out of bounds" for :99999, and names other problems as well.
        return Error{
            QStringLiteral("'%1' is not a valid URL: %2").arg(shown, redactUrlsInText(url.errorString())),
            QString()};
    }
    if (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))
        return Error{
            QStringLiteral("'%1': only http and https URLs are fetched, not %2:").arg(shown, url.scheme()),
            QString()};
    if (url.host().isEmpty())
        return Error{QStringLiteral("'%1' has no host").arg(shown), QString()};
    if (url.port() == 0)
        return Error{QStringLiteral("'%1': port 0 is not a port to connect to (1..65535)").arg(shown),
                     QString()};
    return url;
}

} // namespace clusterdeck
