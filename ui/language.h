#pragma once

#include <QString>

namespace clusterdeck {

// The console's language: English (the source language) or Korean, from the Qt Linguist translations built
// into clusterdeck_ui (resources/translations/*.ts → :/i18n/clusterdeck_<lang>.qm).

// True for the values `clusterdeck --lang` takes: "en", "ko".
bool isKnownLanguage(const QString &name);
// Installs the translations of `language` ("en", "ko"; empty: the system locale's) into the application, ours
// and Qt's own (file chooser, message boxes) where the system has them, replacing any installed before.
// Returns false when the language has no translation of ours (a system locale other than English or Korean:
// the English source text shows).
bool installTranslations(const QString &language);

} // namespace clusterdeck
