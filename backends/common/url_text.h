#pragma once

#include "common/result.h"

#include <QString>
#include <QUrl>

namespace clusterdeck {

// A URL as it may be shown or logged: a password in it is replaced by "xxxxx" (the user name stays, so an
// operator still sees which account is used). http://admin:s3cret@h/m → http://admin:xxxxx@h/m
QString redactUrl(const QUrl &url);
// The same for free text that may contain URLs (a message from a library, a reason a server sent).
QString redactUrlsInText(const QString &text);

// Text from a file or a server made safe to print: control characters (NUL included, which would cut a C
// string short) become \xNN; newlines and tabs stay.
QString escapeControlCharacters(const QString &text);

// An http(s) URL typed by a person or read from a file: "host:port/path" gets http://; anything else than
// http/https, a missing host or a port outside 1..65535 is refused with a message naming the problem.
Result<QUrl> parseHttpUrl(const QString &text);

} // namespace clusterdeck
