// clusterdeckctl parse / scrape / bench: the exposition parser and the scraper from the command line.

#include "commands.h"
#include "metrics/exposition_parser.h"
#include "metrics/exposition_writer.h"
#include "metrics/scraper.h"

#include <QEventLoop>
#include <QFile>
#include <QUrl>
#include <chrono>
#include <cstdio>
#include <string>

namespace clusterdeck::ctl {

namespace {

enum class Output { Tsv, Json };

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
        appendJson(text, page);
    else
        appendTsv(text, page);
    std::fwrite(text.data(), 1, text.size(), stdout);
}

} // namespace

int runParse(const QStringList &args)
{
    const char *usage = "usage: clusterdeckctl parse FILE|- [--format tsv|json] [--content-type CT]\n";
    QString path;
    QString contentType;
    Output output = Output::Tsv;
    for (int i = 0; i < args.size(); ++i) {
        const QString &arg = args[i];
        if (arg == QLatin1String("--format") && i + 1 < args.size()) {
            if (!parseOutput(args[++i], output)) {
                std::fputs(usage, stderr);
                return 2;
            }
        } else if (arg == QLatin1String("--content-type") && i + 1 < args.size()) {
            contentType = args[++i];
        } else if (path.isEmpty() && (arg == QLatin1String("-") || !arg.startsWith(QLatin1Char('-')))) {
            path = arg;
        } else {
            std::fputs(usage, stderr);
            return 2;
        }
    }
    if (path.isEmpty()) {
        std::fputs(usage, stderr);
        return 2;
    }
    std::string text;
    if (!readInput(path, text)) {
        std::fprintf(stderr, "%s: cannot read the file\n", qPrintable(path));
        return 1;
    }
    ExpositionParser parser;
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
    const char *usage = "usage: clusterdeckctl scrape URL [--timeout SECONDS] [--format tsv|json]\n";
    ScrapeTarget target;
    Output output = Output::Tsv;
    for (int i = 0; i < args.size(); ++i) {
        const QString &arg = args[i];
        bool ok = true;
        if (arg == QLatin1String("--format") && i + 1 < args.size()) {
            ok = parseOutput(args[++i], output);
        } else if (arg == QLatin1String("--timeout") && i + 1 < args.size()) {
            const double seconds = args[++i].toDouble(&ok);
            ok = ok && seconds > 0 && seconds < 86400;
            target.timeoutMs = int(seconds * 1000);
        } else if (target.url.isEmpty() && !arg.startsWith(QLatin1Char('-'))) {
            target.url = QUrl::fromUserInput(arg);
            ok = target.url.isValid();
        } else {
            ok = false;
        }
        if (!ok) {
            std::fputs(usage, stderr);
            return 2;
        }
    }
    if (target.url.isEmpty()) {
        std::fputs(usage, stderr);
        return 2;
    }
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
        std::fprintf(stderr, "clusterdeckctl scrape: %s\n", qPrintable(result.error->toString()));
        return 1;
    }
    writePage(*result.page, output);
    return 0;
}

int runBench(const QStringList &args)
{
    const char *usage = "usage: clusterdeckctl bench parse FILE [--iterations N] [--content-type CT]\n";
    if (args.isEmpty() || args.first() != QLatin1String("parse")) {
        std::fputs(usage, stderr);
        return 2;
    }
    QString path;
    QString contentType;
    long iterations = 100;
    for (int i = 1; i < args.size(); ++i) {
        const QString &arg = args[i];
        bool ok = true;
        if (arg == QLatin1String("--iterations") && i + 1 < args.size()) {
            iterations = args[++i].toLong(&ok);
            ok = ok && iterations > 0;
        } else if (arg == QLatin1String("--content-type") && i + 1 < args.size()) {
            contentType = args[++i];
        } else if (path.isEmpty() && !arg.startsWith(QLatin1Char('-'))) {
            path = arg;
        } else {
            ok = false;
        }
        if (!ok) {
            std::fputs(usage, stderr);
            return 2;
        }
    }
    std::string text;
    if (path.isEmpty()) {
        std::fputs(usage, stderr);
        return 2;
    }
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
    // Same line as ../shared/bench/expfmt_bench.go, samples counted the same way.
    std::printf("samples=%zu bytes=%zu seconds=%.3f MBps=%.1f\n", expfmtSampleCount(page), text.size(),
                seconds, double(text.size()) * double(iterations) / seconds / 1e6);
    return 0;
}

} // namespace clusterdeck::ctl
