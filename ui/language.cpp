#include "language.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace clusterdeck {

bool isKnownLanguage(const QString &name)
{
    return name == QLatin1String("en") || name == QLatin1String("ko");
}

bool installTranslations(const QString &language)
{
    // Parented to the application: they live as long as it does; a second call replaces them.
    static QTranslator *ours = nullptr;
    static QTranslator *qts = nullptr;
    for (QTranslator **installed : {&ours, &qts}) {
        if (*installed) {
            QCoreApplication::removeTranslator(*installed);
            delete *installed;
            *installed = nullptr;
        }
    }
    const QLocale locale = language.isEmpty() ? QLocale::system() : QLocale(language);
    auto *translator = new QTranslator(QCoreApplication::instance());
    if (translator->load(locale, QStringLiteral("clusterdeck"), QStringLiteral("_"),
                         QStringLiteral(":/i18n"))) {
        QCoreApplication::installTranslator(translator);
        ours = translator;
    } else {
        delete translator;
    }
    auto *qtTranslator = new QTranslator(QCoreApplication::instance());
    if (qtTranslator->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                           QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        QCoreApplication::installTranslator(qtTranslator);
        qts = qtTranslator;
    } else {
        delete qtTranslator;
    }
    return ours != nullptr;
}

} // namespace clusterdeck
