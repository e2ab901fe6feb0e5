// The translations are complete and in step with the sources: scripts/update-translations (lupdate over every
// tr() of ui/, widgets/, app/gui/ and the alert words of backends/alerts) run into a scratch folder adds
// nothing to and drops nothing from resources/translations/*.ts, and every Korean entry (every English
// plural) is finished, non-empty and keeps the source's placeholders.

#include <QDir>
#include <QFile>
#include <QMap>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

namespace {

struct Entry {
    bool unfinished = false;
    QStringList forms; // the translation, or each plural form
};

// "context | source" → its translation
using Entries = QMap<QString, Entry>;

Entries readTs(const QString &path)
{
    Entries entries;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    QXmlStreamReader xml(&file);
    QString context;
    QString source;
    Entry entry;
    bool inTranslation = false;
    QString plainText; // a <translation> without plural forms: its text, maybe in several pieces
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            if (xml.name() == QLatin1String("name"))
                context = xml.readElementText();
            else if (xml.name() == QLatin1String("message"))
                entry = Entry{};
            else if (xml.name() == QLatin1String("source"))
                source = xml.readElementText();
            else if (xml.name() == QLatin1String("translation")) {
                const QStringView type = xml.attributes().value(QLatin1String("type"));
                entry.unfinished = type == QLatin1String("unfinished");
                if (type == QLatin1String("vanished") || type == QLatin1String("obsolete"))
                    entry.unfinished = true;
                inTranslation = true;
                plainText.clear();
            } else if (xml.name() == QLatin1String("numerusform"))
                entry.forms.append(xml.readElementText());
        } else if (inTranslation && xml.isCharacters()) {
            plainText += xml.text();
        } else if (xml.isEndElement() && xml.name() == QLatin1String("translation")) {
            inTranslation = false;
            if (entry.forms.isEmpty() && !plainText.trimmed().isEmpty())
                entry.forms.append(plainText);
        } else if (xml.isEndElement() && xml.name() == QLatin1String("message")) {
            entries.insert(context + QLatin1String(" | ") + source, entry);
        }
    }
    if (xml.hasError())
        qFatal("%s: %s", qPrintable(path), qPrintable(xml.errorString()));
    return entries;
}

QSet<QString> placeholders(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("%(?:[1-9]|n)"));
    QSet<QString> found;
    for (const QRegularExpressionMatch &m : re.globalMatch(text))
        found.insert(m.captured());
    return found;
}

} // namespace

class TestTranslations : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void inStepWithSources_data();
    void inStepWithSources();
    void everyEntryFinished_data();
    void everyEntryFinished();

private:
    QTemporaryDir m_scratch;
};

void TestTranslations::initTestCase()
{
    QVERIFY(m_scratch.isValid());
    QProcess update;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("LUPDATE"), QStringLiteral(CLUSTERDECK_LUPDATE));
    update.setProcessEnvironment(env);
    update.start(QStringLiteral(CLUSTERDECK_SOURCE_DIR "/scripts/update-translations"), {m_scratch.path()});
    QVERIFY2(update.waitForFinished(120000), "lupdate did not finish");
    QVERIFY2(update.exitStatus() == QProcess::NormalExit && update.exitCode() == 0,
             update.readAllStandardError().constData());
}

void TestTranslations::inStepWithSources_data()
{
    QTest::addColumn<QString>("file");
    QTest::newRow("ko") << QStringLiteral("clusterdeck_ko.ts");
    QTest::newRow("en plurals") << QStringLiteral("clusterdeck_en.ts");
}

// A tr() string that is not in the .ts (or one that is no longer in the sources) fails here: run
// scripts/update-translations and translate what it added.
void TestTranslations::inStepWithSources()
{
    QFETCH(QString, file);
    const Entries committed =
        readTs(QStringLiteral(CLUSTERDECK_SOURCE_DIR "/resources/translations/") + file);
    const Entries regenerated = readTs(m_scratch.filePath(file));
    QStringList missing;
    QStringList stale;
    for (auto it = regenerated.begin(); it != regenerated.end(); ++it)
        if (!committed.contains(it.key()))
            missing.append(it.key());
    for (auto it = committed.begin(); it != committed.end(); ++it)
        if (!regenerated.contains(it.key()))
            stale.append(it.key());
    if (!missing.isEmpty() || !stale.isEmpty())
        QFAIL(qPrintable(
            QStringLiteral("%1 is not in step with the sources (run scripts/update-translations):\n"
                           "missing:\n  %2\nno longer in the sources:\n  %3")
                .arg(file, missing.join(QLatin1String("\n  ")), stale.join(QLatin1String("\n  ")))));
    QVERIFY(!regenerated.isEmpty());
}

void TestTranslations::everyEntryFinished_data()
{
    inStepWithSources_data();
}

void TestTranslations::everyEntryFinished()
{
    QFETCH(QString, file);
    const Entries entries = readTs(m_scratch.filePath(file));
    QStringList problems;
    for (auto it = entries.begin(); it != entries.end(); ++it) {
        const QString source = it.key().section(QLatin1String(" | "), 1);
        if (it->unfinished) {
            problems.append(QStringLiteral("unfinished: ") + it.key());
            continue;
        }
        if (it->forms.isEmpty())
            problems.append(QStringLiteral("empty: ") + it.key());
        for (const QString &form : it->forms) {
            if (form.trimmed().isEmpty())
                problems.append(QStringLiteral("empty form: ") + it.key());
            // %n may be left out of a singular English form ("one poll"); every %1..%9 must stay.
            QSet<QString> wanted = placeholders(source);
            QSet<QString> got = placeholders(form);
            wanted.remove(QStringLiteral("%n"));
            got.remove(QStringLiteral("%n"));
            if (wanted != got)
                problems.append(QStringLiteral("placeholders differ: %1 → %2").arg(it.key(), form));
        }
    }
    if (!problems.isEmpty())
        QFAIL(qPrintable(file + QStringLiteral(":\n  ") + problems.join(QLatin1String("\n  "))));
}

QTEST_GUILESS_MAIN(TestTranslations)
#include "tst_translations.moc"
