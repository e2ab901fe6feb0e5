// clusterdeckctl history stats | export | events: read a recorded history file (read-only; a recorder may be
// writing into it meanwhile).

#include "command_line.h"
#include "commands.h"
#include "history/history_store.h"
#include "history/series_selector.h"
#include "history/time_spec.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <cmath>
#include <cstdio>
#include <string>

namespace clusterdeck::ctl {

namespace {

QCommandLineOption dbOption()
{
    return {QStringLiteral("db"), QStringLiteral("the history file"), QStringLiteral("PATH")};
}

std::unique_ptr<HistoryStore> openForReading(const CommandLine &command, const QCommandLineOption &db,
                                             int &exit)
{
    if (!command.isSet(db)) {
        exit = command.usageError(QStringLiteral("--db PATH is required"));
        return nullptr;
    }
    Result<std::unique_ptr<HistoryStore>> store =
        HistoryStore::open(command.value(db), HistoryStore::Access::ReadOnly);
    if (!store) {
        std::fprintf(stderr, "%s\n", qPrintable(store.error().toString()));
        exit = 1;
        return nullptr;
    }
    return std::move(store).value();
}

bool readWindow(const CommandLine &command, const QCommandLineOption &from, const QCommandLineOption &to,
                qint64 &fromMs, qint64 &toMs, int &exit)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const Result<qint64> f = parseTimeSpec(command.value(from), now);
    const Result<qint64> t = parseTimeSpec(command.value(to), now);
    if (!f || !t) {
        exit = command.usageError((f ? t.error() : f.error()).message);
        return false;
    }
    fromMs = *f;
    toMs = *t;
    if (fromMs > toMs) {
        exit = command.usageError(QStringLiteral("--from is after --to"));
        return false;
    }
    return true;
}

QString isoTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

std::string csvField(const QString &text)
{
    if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"')) &&
        !text.contains(QLatin1Char('\n')))
        return text.toStdString();
    QString quoted = text;
    quoted.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return ('"' + quoted + '"').toStdString();
}

std::string numberText(double v)
{
    if (std::isnan(v))
        return "NaN";
    if (std::isinf(v))
        return v > 0 ? "+Inf" : "-Inf";
    return QString::number(v, 'g', 17).toStdString();
}

int runStats(const QStringList &args)
{
    CommandLine command(QStringLiteral("history stats"), QStringLiteral("--db PATH"),
                        QStringLiteral("Size and contents of a history file: one line\n"
                                       "series=N samples=N file_bytes=N bytes_per_sample=X, then details."));
    const QCommandLineOption db = dbOption();
    command.addOption(db);
    if (const std::optional<int> exit = command.parse(args, 0, 0))
        return *exit;
    int exit = 0;
    std::unique_ptr<HistoryStore> store = openForReading(command, db, exit);
    if (!store)
        return exit;
    const Result<HistoryStats> st = store->stats();
    if (!st) {
        std::fprintf(stderr, "%s\n", qPrintable(st.error().toString()));
        return 1;
    }
    std::printf("series=%lld samples=%lld file_bytes=%lld bytes_per_sample=%.3f\n",
                static_cast<long long>(st->series), static_cast<long long>(st->samples),
                static_cast<long long>(st->fileBytes),
                st->samples ? double(st->fileBytes) / double(st->samples) : 0.0);
    std::printf("raw_series=%lld kpi_series=%lld chunks=%lld unsealed_samples=%lld events=%lld schema=%d\n",
                static_cast<long long>(st->rawSeries), static_cast<long long>(st->kpiSeries),
                static_cast<long long>(st->chunks), static_cast<long long>(st->headSamples),
                static_cast<long long>(st->events), st->schemaVersion);
    if (st->samples)
        std::printf("from=%s to=%s\n", qPrintable(isoTime(st->firstMs)), qPrintable(isoTime(st->lastMs)));
    if (store->isReadOnly() && !store->readOnlyReason().isEmpty())
        std::printf("note: %s\n", qPrintable(store->readOnlyReason()));
    return 0;
}

int runExport(const QStringList &args)
{
    CommandLine command(
        QStringLiteral("history export"),
        QStringLiteral("--db PATH [--from T] [--to T] [--target N] [--kpi K | --metric NAME{matchers}] "
                       "[--format csv|json]"),
        QStringLiteral("Recorded samples of a window: KPI series (default) or raw series by selector.\n"
                       "T is ISO 8601 or relative: now, -15m, -1h, -2d."));
    const QCommandLineOption db = dbOption();
    const QCommandLineOption from(QStringLiteral("from"), QStringLiteral("start (default -1h)"),
                                  QStringLiteral("T"), QStringLiteral("-1h"));
    const QCommandLineOption to(QStringLiteral("to"), QStringLiteral("end (default now)"),
                                QStringLiteral("T"), QStringLiteral("now"));
    const QCommandLineOption target(QStringLiteral("target"),
                                    QStringLiteral("one node or gateway (@cluster for "
                                                   "cluster-wide KPIs)"),
                                    QStringLiteral("N"));
    const QCommandLineOption kpi(QStringLiteral("kpi"), QStringLiteral("one KPI, e.g. was.tps"),
                                 QStringLiteral("K"));
    const QCommandLineOption metric(QStringLiteral("metric"),
                                    QStringLiteral("raw series: name{label=\"v\",l=~\"re\",...}"),
                                    QStringLiteral("SELECTOR"));
    const QCommandLineOption format(QStringLiteral("format"), QStringLiteral("csv (default) or json"),
                                    QStringLiteral("csv|json"), QStringLiteral("csv"));
    for (const QCommandLineOption &o : {db, from, to, target, kpi, metric, format})
        command.addOption(o);
    if (const std::optional<int> exit = command.parse(args, 0, 0))
        return *exit;
    if (command.isSet(kpi) && command.isSet(metric))
        return command.usageError(QStringLiteral("--kpi and --metric exclude each other"));
    const QString fmt = command.value(format);
    if (fmt != QLatin1String("csv") && fmt != QLatin1String("json"))
        return command.usageError(QStringLiteral("--format is csv or json, not '%1'").arg(fmt));
    qint64 fromMs = 0, toMs = 0;
    int exit = 0;
    if (!readWindow(command, from, to, fromMs, toMs, exit))
        return exit;
    std::optional<SeriesSelector> selector;
    if (command.isSet(metric)) {
        Result<SeriesSelector> parsed = SeriesSelector::parse(command.value(metric));
        if (!parsed)
            return command.usageError(parsed.error().message);
        selector = *parsed;
    }
    std::unique_ptr<HistoryStore> store = openForReading(command, db, exit);
    if (!store)
        return exit;
    const SeriesKind kind = selector ? SeriesKind::Raw : SeriesKind::Kpi;
    Result<QList<SeriesInfo>> series =
        store->series(kind, command.value(target), selector ? selector->name() : command.value(kpi));
    if (!series) {
        std::fprintf(stderr, "%s\n", qPrintable(series.error().toString()));
        return 1;
    }
    std::string out;
    QJsonArray json;
    if (fmt == QLatin1String("csv"))
        out += "time,timestamp_ms,target,series,labels,value\n";
    for (const SeriesInfo &info : *series) {
        if (selector && !selector->matches(info.name, info.labels))
            continue;
        const Result<QList<SamplePoint>> points = store->samples(info.id, fromMs, toMs);
        if (!points) {
            std::fprintf(stderr, "%s\n", qPrintable(points.error().toString()));
            return 1;
        }
        if (points->isEmpty())
            continue;
        if (fmt == QLatin1String("csv")) {
            const std::string prefix =
                ',' + csvField(info.target) + ',' + csvField(info.name) + ',' + csvField(info.labels) + ',';
            for (const SamplePoint &p : *points) {
                out += isoTime(p.timestampMs).toStdString();
                out += ',' + std::to_string(p.timestampMs) + prefix + numberText(p.value) + '\n';
            }
        } else {
            QJsonArray values;
            for (const SamplePoint &p : *points) {
                values.append(
                    QJsonArray{p.timestampMs, std::isfinite(p.value)
                                                  ? QJsonValue(p.value)
                                                  : QJsonValue(QString::fromStdString(numberText(p.value)))});
            }
            QJsonObject entry{
                {QStringLiteral("target"), info.target},
                {kind == SeriesKind::Kpi ? QStringLiteral("kpi") : QStringLiteral("name"), info.name},
                {QStringLiteral("values"), values}};
            if (kind == SeriesKind::Kpi)
                entry.insert(QStringLiteral("instance"), info.labels);
            else
                entry.insert(QStringLiteral("labels"), info.labels);
            json.append(entry);
        }
    }
    if (fmt == QLatin1String("json"))
        out = QJsonDocument(json).toJson(QJsonDocument::Indented).toStdString();
    std::fwrite(out.data(), 1, out.size(), stdout);
    return 0;
}

int runEvents(const QStringList &args)
{
    CommandLine command(
        QStringLiteral("history events"),
        QStringLiteral(
            "--db PATH [--from T] [--to T] [--kind K] [--target N] [--severity S] [--format text|json]"),
        QStringLiteral("Recorded events of a window (health flips, drains, alerts, notes), oldest first."));
    const QCommandLineOption db = dbOption();
    const QCommandLineOption from(QStringLiteral("from"), QStringLiteral("start (default -1d)"),
                                  QStringLiteral("T"), QStringLiteral("-1d"));
    const QCommandLineOption to(QStringLiteral("to"), QStringLiteral("end (default now)"),
                                QStringLiteral("T"), QStringLiteral("now"));
    const QCommandLineOption kind(
        QStringLiteral("kind"), QStringLiteral("health, drain, alert, note, recorder"), QStringLiteral("K"));
    const QCommandLineOption target(QStringLiteral("target"), QStringLiteral("one node or gateway"),
                                    QStringLiteral("N"));
    const QCommandLineOption severity(QStringLiteral("severity"),
                                      QStringLiteral("at least info, warning or critical"),
                                      QStringLiteral("S"));
    const QCommandLineOption format(QStringLiteral("format"), QStringLiteral("text (default) or json"),
                                    QStringLiteral("text|json"), QStringLiteral("text"));
    for (const QCommandLineOption &o : {db, from, to, kind, target, severity, format})
        command.addOption(o);
    if (const std::optional<int> exit = command.parse(args, 0, 0))
        return *exit;
    HistoryStore::EventQuery query;
    int exit = 0;
    if (!readWindow(command, from, to, query.fromMs, query.toMs, exit))
        return exit;
    query.kind = command.value(kind);
    query.target = command.value(target);
    if (command.isSet(severity)) {
        query.minSeverity = eventSeverityFromName(command.value(severity));
        if (!query.minSeverity)
            return command.usageError(QStringLiteral("--severity is info, warning or critical"));
    }
    const QString fmt = command.value(format);
    if (fmt != QLatin1String("text") && fmt != QLatin1String("json"))
        return command.usageError(QStringLiteral("--format is text or json, not '%1'").arg(fmt));
    std::unique_ptr<HistoryStore> store = openForReading(command, db, exit);
    if (!store)
        return exit;
    const Result<QList<HistoryEvent>> events = store->events(query);
    if (!events) {
        std::fprintf(stderr, "%s\n", qPrintable(events.error().toString()));
        return 1;
    }
    if (fmt == QLatin1String("json")) {
        QJsonArray list;
        for (const HistoryEvent &e : *events) {
            list.append(QJsonObject{{QStringLiteral("id"), e.id},
                                    {QStringLiteral("time"), isoTime(e.timestampMs)},
                                    {QStringLiteral("timestamp_ms"), e.timestampMs},
                                    {QStringLiteral("kind"), e.kind},
                                    {QStringLiteral("target"), e.target},
                                    {QStringLiteral("severity"), eventSeverityName(e.severity)},
                                    {QStringLiteral("actor"), e.actor},
                                    {QStringLiteral("message"), e.message},
                                    {QStringLiteral("details"), e.details}});
        }
        std::printf("%s", QJsonDocument(list).toJson(QJsonDocument::Indented).constData());
        return 0;
    }
    for (const HistoryEvent &e : *events) {
        std::printf("%s %-8s %-9s %-10s %s (%s)\n", qPrintable(isoTime(e.timestampMs)),
                    qPrintable(eventSeverityName(e.severity)), qPrintable(e.kind),
                    qPrintable(e.target.isEmpty() ? QStringLiteral("-") : e.target), qPrintable(e.message),
                    qPrintable(e.actor));
    }
    return 0;
}

} // namespace

int runHistory(const QStringList &args)
{
    const QString sub = args.value(0);
    const QStringList rest = args.mid(1);
    if (sub == QLatin1String("stats"))
        return runStats(rest);
    if (sub == QLatin1String("export"))
        return runExport(rest);
    if (sub == QLatin1String("events"))
        return runEvents(rest);
    const bool help = sub == QLatin1String("--help") || sub == QLatin1String("-h");
    FILE *to = help ? stdout : stderr;
    if (!help)
        std::fprintf(stderr, "clusterdeckctl history: %s\n",
                     sub.isEmpty() ? "which one: stats, export or events?"
                                   : qPrintable(QStringLiteral("unknown '%1'").arg(sub)));
    std::fprintf(
        to,
        "usage: clusterdeckctl history stats|export|events --db PATH [options]\n"
        "Read a recorded history file (read-only; a recorder may be writing into it).\n"
        "  history stats --db PATH     size and contents: series= samples= file_bytes= bytes_per_sample=\n"
        "  history export --db PATH    samples of a window as csv or json\n"
        "  history events --db PATH    events of a window\n"
        "  history SUB --help shows each one's options; --verbose prints the debug log\n");
    return help ? 0 : 2;
}

} // namespace clusterdeck::ctl
