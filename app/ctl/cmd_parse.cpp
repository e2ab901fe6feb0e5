// clusterdeckctl parse / scrape / bench: the exposition parser and the scraper from the command line.

#include "command_line.h"
#include "commands.h"
#include "common/number_text.h"
#include "common/url_text.h"
#include "metrics/exposition_parser.h"
#include "metrics/exposition_writer.h"
#include "metrics/scraper.h"

#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>

namespace clusterdeck::ctl {

namespace {

enum class Output { Tsv, Json };

QCommandLineOption formatOption()
{
    return {QStringLiteral("format"), QStringLiteral("tsv (default) or json"), QStringLiteral("tsv|json"),
            QStringLiteral("tsv")};
}

QCommandLineOption contentTypeOption()
{
    return {QStringLiteral("content-type"),
            QStringLiteral("the page's Content-Type (default: by file name, *.om is OpenMetrics)"),
            QStringLiteral("CT")};
}

bool parseOutput(const QString &text, Output &output)
{
    if (text == QLatin1String("tsv"))
        output = Output::Tsv;
    else if (text == QLatin1String("json"))
        output = Output::Json;
    else
        return false;
    return true;
}

QString qString(std::string_view text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

// One sample: {"name", "labels": {...}, "value", "timestamp_ms"?}. JSON numbers cannot say NaN or ±Inf, so
// those values are the strings "NaN", "+Inf", "-Inf" as in the exposition format.
QJsonObject sampleJson(const SampleView &sample)
{
    QJsonObject labels;
    for (const LabelView label : sample.labels())
        labels.insert(qString(label.name), qString(label.value));
    const double value = sample.value();
    QJsonObject object{{QStringLiteral("name"), qString(sample.name())},
                       {QStringLiteral("labels"), labels},
                       {QStringLiteral("value"),
                        std::isnan(value) ? QJsonValue(QStringLiteral("NaN"))
                        : std::isinf(value)
                            ? QJsonValue(value > 0 ? QStringLiteral("+Inf") : QStringLiteral("-Inf"))
                            : QJsonValue(value)}};
    if (const auto ts = sample.timestampMs())
        object.insert(QStringLiteral("timestamp_ms"), qint64(*ts));
    return object;
}

// An array of samples, one a line, so the output still reads (and greps) a sample a line.
void appendJsonPage(std::string &out, const MetricPage &page)
{
    out += '[';
    bool first = true;
    for (const SampleView sample : page) {
        out += first ? "\n" : ",\n";
        first = false;
        out += QJsonDocument(sampleJson(sample)).toJson(QJsonDocument::Compact).toStdString();
    }
    out += first ? "]\n" : "\n]\n";
}

bool readInput(const QString &path, std::string &out)
{
    std::FILE *file =
        path == QLatin1String("-") ? stdin : std::fopen(QFile::encodeName(path).constData(), "rb");
    if (!file)
        return false;
    char buffer[1 << 16];
    std::size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0)
        out.append(buffer, n);
    const bool ok = !std::ferror(file);
    if (file != stdin)
        std::fclose(file);
    return ok;
}

// --content-type wins; otherwise *.om and *.openmetrics files are OpenMetrics, the rest text 0.0.4.
ExpositionFormat formatFor(const QString &path, const QString &contentType)
{
    if (!contentType.isEmpty())
        return expositionFormatForContentType(contentType.toStdString());
    if (path.endsWith(QLatin1String(".om")) || path.endsWith(QLatin1String(".openmetrics")))
        return ExpositionFormat::OpenMetrics;
    return ExpositionFormat::PrometheusText;
}

void writePage(const MetricPage &page, Output output)
{
    std::string text;
    text.reserve(page.byteSize() + page.size() * 8);
    if (output == Output::Json)
        appendJsonPage(text, page);
    else
        appendTsv(text, page);
    std::fwrite(text.data(), 1, text.size(), stdout);
}

} // namespace

int runParse(const QStringList &args)
{
    CommandLine command(QStringLiteral("parse"),
                        QStringLiteral("FILE|- [--format tsv|json] [--content-type CT]"),
                        QStringLiteral("Parse a /metrics page and print it one sample a line: "
                                       "name<TAB>labels<TAB>value[<TAB>timestamp_ms], or JSON.\n"
                                       "Exit 1 with file:line:column on a malformed page."));
    const QCommandLineOption format = formatOption();
    const QCommandLineOption contentTypeOpt = contentTypeOption();
    command.addOption(format);
    command.addOption(contentTypeOpt);
    command.addPositional(QStringLiteral("FILE"), QStringLiteral("the page, - for standard input"));
    if (const std::optional<int> exit = command.parse(args, 1, 1))
        return *exit;
    Output output = Output::Tsv;
    if (!parseOutput(command.value(format), output))
        return command.usageError(
            QStringLiteral("--format takes tsv or json, not '%1'").arg(command.value(format)));
    const QString path = command.positional().first();
    const QString contentType = command.value(contentTypeOpt);
    std::string text;
    if (!readInput(path, text)) {
        std::fprintf(stderr, "%s: cannot read the file\n", qPrintable(path));
        return 1;
    }
    // The scraper's caps: parse shows what a scrape of this page would give.
    const ScrapeTarget caps;
    ExpositionParser parser;
    parser.setMaxSamples(std::size_t(caps.maxSamples));
    parser.setMaxLabelsPerSeries(std::size_t(caps.maxLabelsPerSeries));
    MetricPage page;
    if (auto error = parser.parse(text, formatFor(path, contentType), page)) {
        std::fprintf(stderr, "%s:%u:%u: %s\n",
                     qPrintable(path == QLatin1String("-") ? QStringLiteral("<stdin>") : path), error->line,
                     error->column, error->message.c_str());
        return 1;
    }
    writePage(page, output);
    return 0;
}

int runScrape(const QStringList &args)
{
    CommandLine command(QStringLiteral("scrape"),
                        QStringLiteral("URL [--timeout SECONDS] [--format tsv|json]"),
                        QStringLiteral("Fetch a /metrics page and print it like parse."));
    const QCommandLineOption format = formatOption();
    const QCommandLineOption timeout(
        QStringLiteral("timeout"), QStringLiteral("seconds to wait for the page"), QStringLiteral("SECONDS"));
    command.addOption(format);
    command.addOption(timeout);
    command.addPositional(QStringLiteral("URL"), QStringLiteral("the page"));
    if (const std::optional<int> exit = command.parse(args, 1, 1))
        return *exit;
    ScrapeTarget target;
    Output output = Output::Tsv;
    if (!parseOutput(command.value(format), output))
        return command.usageError(
            QStringLiteral("--format takes tsv or json, not '%1'").arg(command.value(format)));
    if (command.isSet(timeout)) {
        const Result<double> seconds =
            parseSecondsOption(QStringLiteral("--timeout"), command.value(timeout), 0.001, 3600);
        if (!seconds)
            return command.usageError(seconds.error().message);
        target.timeoutMs = secondsToTimerMs(*seconds);
    }
    const Result<QUrl> url = parseHttpUrl(command.positional().first());
    if (!url)
        return command.usageError(url.error().message);
    target.url = *url;
    Scraper scraper;
    ScrapeResult result;
    QEventLoop loop;
    QObject::connect(&scraper, &Scraper::finished, &loop, [&](const ScrapeResult &r) {
        result = r;
        loop.quit();
    });
    scraper.scrape(target);
    loop.exec();
    if (!result.ok()) {
        std::fprintf(stderr, "clusterdeckctl scrape: %s\n",
                     qPrintable(escapeControlCharacters(result.error->toString())));
        return 1;
    }
    writePage(*result.page, output);
    return 0;
}

int runBench(const QStringList &args)
{
    if (!args.isEmpty() && args.first() == QLatin1String("ingest"))
        return runBenchIngest(args.mid(1));
    if (!args.isEmpty() && args.first() == QLatin1String("query"))
        return runBenchQuery(args.mid(1));
    CommandLine command(
        QStringLiteral("bench"),
        QStringLiteral(
            "parse FILE [--iterations N] [--content-type CT] | ingest [--db PATH] | query [--db PATH]"),
        QStringLiteral("Time the exposition parser on a page: samples= bytes= seconds= MBps="));
    const QCommandLineOption iterationsOpt(QStringLiteral("iterations"),
                                           QStringLiteral("parses to time (default 100)"),
                                           QStringLiteral("N"), QStringLiteral("100"));
    const QCommandLineOption contentTypeOpt = contentTypeOption();
    command.addOption(iterationsOpt);
    command.addOption(contentTypeOpt);
    command.addPositional(QStringLiteral("parse"),
                          QStringLiteral("what to time (the parser is all there is)"));
    command.addPositional(QStringLiteral("FILE"), QStringLiteral("the page"));
    if (const std::optional<int> exit = command.parse(args, 2, 2))
        return *exit;
    if (command.positional().first() != QLatin1String("parse"))
        return command.usageError(QStringLiteral("can time 'parse', 'ingest' or 'query', not '%1'")
                                      .arg(command.positional().first()));
    const Result<long long> count =
        parseCountOption(QStringLiteral("--iterations"), command.value(iterationsOpt), 1, 1000000000);
    if (!count)
        return command.usageError(count.error().message);
    const long iterations = long(*count);
    const QString path = command.positional().at(1);
    const QString contentType = command.value(contentTypeOpt);
    std::string text;
    if (!readInput(path, text)) {
        std::fprintf(stderr, "%s: cannot read the file\n", qPrintable(path));
        return 1;
    }
    const ExpositionFormat format = formatFor(path, contentType);
    ExpositionParser parser;
    MetricPage page;
    const auto start = std::chrono::steady_clock::now();
    for (long i = 0; i < iterations; ++i) {
        if (auto error = parser.parse(text, format, page)) {
            std::fprintf(stderr, "%s:%u:%u: %s\n", qPrintable(path), error->line, error->column,
                         error->message.c_str());
            return 1;
        }
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    // Same line as tests/bench/expfmt_bench.go, samples counted the same way.
    std::printf("samples=%zu bytes=%zu seconds=%.3f MBps=%.1f\n", expfmtSampleCount(page), text.size(),
                seconds, double(text.size()) * double(iterations) / seconds / 1e6);
    return 0;
}

} // namespace clusterdeck::ctl
