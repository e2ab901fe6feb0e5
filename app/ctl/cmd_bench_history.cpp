// clusterdeckctl bench ingest | query: the history store against a plain SQLite table on the same seeded
// data, in the same run (absolute figures drift on shared machines; the ratio is the figure to compare).

#include "command_line.h"
#include "commands.h"
#include "history/history_store.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>
#include <sqlite3.h>
#include <vector>

namespace clusterdeck::ctl {

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

double threeSignificant(double v)
{
    if (v == 0)
        return 0;
    const double magnitude = std::pow(10.0, std::floor(std::log10(std::fabs(v))) - 2);
    return std::round(v / magnitude) * magnitude;
}

// The seeded data set: `series` series split over `targets` targets; a third counters with random increments,
// a third gauges as random walks with 3 significant digits, a third histogram buckets (10 per histogram,
// cumulative). Each target's scrape time jitters by ±jitterMs around the interval grid.
class DataSet {
public:
    DataSet(int series, int targets, qint64 intervalMs, qint64 jitterMs, qint64 startMs, unsigned seed)
        : m_series(series), m_targets(targets), m_intervalMs(intervalMs), m_jitterMs(jitterMs),
          m_startMs(startMs), m_rng(seed), m_values(std::size_t(series), 0.0)
    {
        std::uniform_real_distribution<double> start(1, 1000);
        for (int i = 0; i < series; ++i)
            m_values[std::size_t(i)] =
                kindOf(i) == 1 ? threeSignificant(start(m_rng)) : std::floor(start(m_rng));
    }
    int targets() const { return m_targets; }
    int seriesPerTarget() const { return m_series / m_targets; }
    // 0 counter, 1 gauge, 2 histogram bucket
    int kindOf(int i) const { return (i * 3) / m_series; }

    // Advances every series one scrape; returns each target's timestamp.
    std::vector<qint64> step(qint64 scrape)
    {
        std::uniform_int_distribution<int> increment(0, 50);
        std::normal_distribution<double> walk(0, 0.01);
        std::uniform_int_distribution<qint64> jitter(-m_jitterMs, m_jitterMs);
        const int bucketStart = 2 * m_series / 3;
        for (int i = 0; i < m_series; ++i) {
            double &v = m_values[std::size_t(i)];
            switch (kindOf(i)) {
            case 0:
                v += increment(m_rng);
                break;
            case 1:
                v = threeSignificant(std::max(0.001, v * (1 + walk(m_rng))));
                break;
            default:
                // Cumulative buckets: each bucket gains at least what the one below it gained.
                if ((i - bucketStart) % 10 == 0)
                    m_gain = increment(m_rng) / 5;
                else
                    m_gain += increment(m_rng) / 10;
                v += m_gain;
                break;
            }
        }
        std::vector<qint64> ts(static_cast<std::size_t>(m_targets));
        for (int t = 0; t < m_targets; ++t)
            ts[std::size_t(t)] = m_startMs + scrape * m_intervalMs + (m_jitterMs ? jitter(m_rng) : 0);
        return ts;
    }
    double value(int target, int j) const { return m_values[std::size_t(target * seriesPerTarget() + j)]; }

private:
    int m_series;
    int m_targets;
    qint64 m_intervalMs;
    qint64 m_jitterMs;
    qint64 m_startMs;
    std::mt19937_64 m_rng;
    std::vector<double> m_values;
    double m_gain = 0;
};

struct PlainDb {
    sqlite3 *db = nullptr;
    ~PlainDb() { sqlite3_close(db); }
};

// The reference: one row per sample, (series, ts, value) WITHOUT ROWID, WAL, synchronous=NORMAL, batched.
bool openPlain(const QString &path, PlainDb &plain)
{
    QFile::remove(path);
    QFile::remove(path + QStringLiteral("-wal"));
    QFile::remove(path + QStringLiteral("-shm"));
    if (sqlite3_open(QFile::encodeName(path).constData(), &plain.db) != SQLITE_OK)
        return false;
    return sqlite3_exec(
               plain.db,
               "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
               "CREATE TABLE samples(series INTEGER NOT NULL, ts INTEGER NOT NULL, value REAL NOT NULL,"
               " PRIMARY KEY(series, ts)) WITHOUT ROWID",
               nullptr, nullptr, nullptr) == SQLITE_OK;
}

QString workFile(const CommandLine &command, const QCommandLineOption &db, QTemporaryDir &tmp,
                 const char *name)
{
    if (command.isSet(db))
        return command.value(db);
    return tmp.filePath(QString::fromLatin1(name));
}

qint64 fileBytes(const QString &path)
{
    return QFileInfo(path).size() + QFileInfo(path + QStringLiteral("-wal")).size();
}

} // namespace

int runBenchIngest(const QStringList &args)
{
    CommandLine command(
        QStringLiteral("bench ingest"), QStringLiteral("[--db PATH] [--scrapes N]"),
        QStringLiteral("Ingest a seeded data set (2,000 series, 2 s interval, ±50 ms jitter) into the\n"
                       "history store and into a plain one-row-per-sample table; prints\n"
                       "store_samples_per_s= plain_samples_per_s= ratio= bytes_per_sample="));
    const QCommandLineOption db(QStringLiteral("db"),
                                QStringLiteral("the store's file (replaced; the plain table "
                                               "goes to PATH.plain); default a temporary folder"),
                                QStringLiteral("PATH"));
    const QCommandLineOption scrapesOpt(QStringLiteral("scrapes"),
                                        QStringLiteral("scrapes per series (default 600 = 20 min)"),
                                        QStringLiteral("N"), QStringLiteral("600"));
    command.addOption(db);
    command.addOption(scrapesOpt);
    if (const std::optional<int> exit = command.parse(args, 0, 0))
        return *exit;
    bool ok = false;
    const qint64 scrapes = command.value(scrapesOpt).toLongLong(&ok);
    if (!ok || scrapes <= 0)
        return command.usageError(QStringLiteral("--scrapes takes a positive count"));
    QTemporaryDir tmp;
    const QString storePath = workFile(command, db, tmp, "bench.sqlite");
    const QString plainPath = storePath + QStringLiteral(".plain");
    for (const char *suffix : {"", "-wal", "-shm", ".lock"})
        QFile::remove(storePath + QLatin1String(suffix));

    constexpr int kSeries = 2000;
    constexpr int kTargets = 10;
    constexpr unsigned kSeed = 20261130;
    const qint64 startMs = 1'800'000'000'000;

    // Store: one commit per round of every target (2,000 samples), as the recorder commits a round.
    double storeSeconds = 0;
    qint64 samples = 0;
    {
        Result<std::unique_ptr<HistoryStore>> opened =
            HistoryStore::open(storePath, HistoryStore::Access::ReadWrite);
        if (!opened) {
            std::fprintf(stderr, "%s\n", qPrintable(opened.error().toString()));
            return 1;
        }
        HistoryStore &store = **opened;
        DataSet data(kSeries, kTargets, 2000, 50, startMs, kSeed);
        std::vector<std::vector<qint64>> ids(kTargets);
        std::vector<QString> names(kTargets);
        for (int t = 0; t < kTargets; ++t) {
            names[std::size_t(t)] = QStringLiteral("target%1").arg(t);
            for (int j = 0; j < data.seriesPerTarget(); ++j) {
                ids[std::size_t(t)].push_back(store.seriesId(SeriesKind::Raw, names[std::size_t(t)],
                                                             QStringLiteral("bench_series"),
                                                             QStringLiteral("i=\"%1\"").arg(j)));
            }
        }
        const auto start = Clock::now();
        std::vector<std::pair<qint64, double>> row;
        for (qint64 s = 0; s < scrapes; ++s) {
            const std::vector<qint64> ts = data.step(s);
            for (int t = 0; t < kTargets; ++t) {
                row.clear();
                for (int j = 0; j < data.seriesPerTarget(); ++j)
                    row.emplace_back(ids[std::size_t(t)][std::size_t(j)], data.value(t, j));
                samples += qint64(row.size());
                store.appendRow(SeriesKind::Raw, names[std::size_t(t)], ts[std::size_t(t)], row);
            }
            if (Status c = store.commit(); !c) {
                std::fprintf(stderr, "%s\n", qPrintable(c.error().toString()));
                return 1;
            }
        }
        if (Status c = store.close(); !c) {
            std::fprintf(stderr, "%s\n", qPrintable(c.error().toString()));
            return 1;
        }
        storeSeconds = secondsSince(start);
    }
    const qint64 storeBytes = fileBytes(storePath);

    double plainSeconds = 0;
    {
        PlainDb plain;
        if (!openPlain(plainPath, plain)) {
            std::fprintf(stderr, "%s: cannot create the reference table\n", qPrintable(plainPath));
            return 1;
        }
        DataSet data(kSeries, kTargets, 2000, 50, startMs, kSeed);
        sqlite3_stmt *insert = nullptr;
        sqlite3_prepare_v2(plain.db, "INSERT INTO samples(series, ts, value) VALUES(?1, ?2, ?3)", -1, &insert,
                           nullptr);
        const auto start = Clock::now();
        for (qint64 s = 0; s < scrapes; ++s) {
            const std::vector<qint64> ts = data.step(s);
            sqlite3_exec(plain.db, "BEGIN", nullptr, nullptr, nullptr);
            for (int t = 0; t < kTargets; ++t) {
                for (int j = 0; j < data.seriesPerTarget(); ++j) {
                    sqlite3_bind_int64(insert, 1, t * data.seriesPerTarget() + j + 1);
                    sqlite3_bind_int64(insert, 2, ts[std::size_t(t)]);
                    sqlite3_bind_double(insert, 3, data.value(t, j));
                    sqlite3_step(insert);
                    sqlite3_reset(insert);
                }
            }
            if (sqlite3_exec(plain.db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
                std::fprintf(stderr, "%s: %s\n", qPrintable(plainPath), sqlite3_errmsg(plain.db));
                return 1;
            }
        }
        sqlite3_finalize(insert);
        sqlite3_exec(plain.db, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr);
        plainSeconds = secondsSince(start);
    }
    const qint64 plainBytes = fileBytes(plainPath);
    const double storeRate = double(samples) / storeSeconds;
    const double plainRate = double(samples) / plainSeconds;
    std::printf("store_samples_per_s=%.0f plain_samples_per_s=%.0f ratio=%.2f bytes_per_sample=%.3f\n",
                storeRate, plainRate, storeRate / plainRate, double(storeBytes) / double(samples));
    std::printf("samples=%lld series=%d store_bytes=%lld plain_bytes=%lld plain_bytes_per_sample=%.2f\n",
                static_cast<long long>(samples), kSeries, static_cast<long long>(storeBytes),
                static_cast<long long>(plainBytes), double(plainBytes) / double(samples));
    return 0;
}

int runBenchQuery(const QStringList &args)
{
    CommandLine command(
        QStringLiteral("bench query"), QStringLiteral("[--db PATH]"),
        QStringLiteral("24 h of 50 raw series at 1 s, each decimated to 2,000 points (1,000 buckets of\n"
                       "min and max); prints series=50 points_per_series=N query_ms=X, then the same\n"
                       "query on a plain one-row-per-sample table."));
    const QCommandLineOption db(
        QStringLiteral("db"),
        QStringLiteral("the store's file (replaced; plain table at PATH.plain); default a "
                       "temporary folder"),
        QStringLiteral("PATH"));
    command.addOption(db);
    if (const std::optional<int> exit = command.parse(args, 0, 0))
        return *exit;
    QTemporaryDir tmp;
    const QString storePath = workFile(command, db, tmp, "bench-query.sqlite");
    const QString plainPath = storePath + QStringLiteral(".plain");
    for (const char *suffix : {"", "-wal", "-shm", ".lock"})
        QFile::remove(storePath + QLatin1String(suffix));

    constexpr int kSeries = 50;
    constexpr qint64 kScrapes = 24 * 3600;
    constexpr int kBuckets = 1000;
    const qint64 startMs = 1'800'000'000'000;
    const qint64 endMs = startMs + (kScrapes - 1) * 1000;
    std::vector<qint64> ids;
    {
        Result<std::unique_ptr<HistoryStore>> opened =
            HistoryStore::open(storePath, HistoryStore::Access::ReadWrite);
        if (!opened) {
            std::fprintf(stderr, "%s\n", qPrintable(opened.error().toString()));
            return 1;
        }
        HistoryStore &store = **opened;
        PlainDb plain;
        if (!openPlain(plainPath, plain))
            return 1;
        sqlite3_stmt *insert = nullptr;
        sqlite3_prepare_v2(plain.db, "INSERT INTO samples(series, ts, value) VALUES(?1, ?2, ?3)", -1, &insert,
                           nullptr);
        DataSet data(kSeries, 1, 1000, 0, startMs, 7);
        for (int j = 0; j < kSeries; ++j)
            ids.push_back(store.seriesId(SeriesKind::Raw, QStringLiteral("bench"),
                                         QStringLiteral("bench_series"), QStringLiteral("i=\"%1\"").arg(j)));
        std::vector<std::pair<qint64, double>> row;
        sqlite3_exec(plain.db, "BEGIN", nullptr, nullptr, nullptr);
        for (qint64 s = 0; s < kScrapes; ++s) {
            const qint64 ts = data.step(s).front();
            row.clear();
            for (int j = 0; j < kSeries; ++j) {
                row.emplace_back(ids[std::size_t(j)], data.value(0, j));
                sqlite3_bind_int64(insert, 1, ids[std::size_t(j)]);
                sqlite3_bind_int64(insert, 2, ts);
                sqlite3_bind_double(insert, 3, data.value(0, j));
                sqlite3_step(insert);
                sqlite3_reset(insert);
            }
            store.appendRow(SeriesKind::Raw, QStringLiteral("bench"), ts, row);
            if (s % 600 == 599) {
                if (Status c = store.commit(); !c) {
                    std::fprintf(stderr, "%s\n", qPrintable(c.error().toString()));
                    return 1;
                }
                sqlite3_exec(plain.db, "COMMIT; BEGIN", nullptr, nullptr, nullptr);
            }
        }
        sqlite3_exec(plain.db, "COMMIT", nullptr, nullptr, nullptr);
        sqlite3_finalize(insert);
        if (Status c = store.close(); !c) {
            std::fprintf(stderr, "%s\n", qPrintable(c.error().toString()));
            return 1;
        }
    }

    // A reader of its own, as the review window would have.
    Result<std::unique_ptr<HistoryStore>> reader =
        HistoryStore::open(storePath, HistoryStore::Access::ReadOnly);
    if (!reader) {
        std::fprintf(stderr, "%s\n", qPrintable(reader.error().toString()));
        return 1;
    }
    qint64 points = 0;
    const auto start = Clock::now();
    for (const qint64 id : ids) {
        const Result<DecimatedSeries> series = (*reader)->decimated(id, startMs, endMs, kBuckets);
        if (!series) {
            std::fprintf(stderr, "%s\n", qPrintable(series.error().toString()));
            return 1;
        }
        points += series->points().size();
    }
    const double storeMs = secondsSince(start) * 1000;

    // Reference: the same buckets from a plain table (one indexed range scan per series).
    PlainDb plain;
    sqlite3_open_v2(QFile::encodeName(plainPath).constData(), &plain.db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt *select = nullptr;
    sqlite3_prepare_v2(plain.db, "SELECT ts, value FROM samples WHERE series = ?1 AND ts BETWEEN ?2 AND ?3",
                       -1, &select, nullptr);
    qint64 plainPoints = 0;
    const auto plainStart = Clock::now();
    const qint64 width = (endMs - startMs + kBuckets) / kBuckets;
    for (const qint64 id : ids) {
        std::vector<std::pair<double, double>> buckets(kBuckets + 1, {INFINITY, -INFINITY});
        sqlite3_bind_int64(select, 1, id);
        sqlite3_bind_int64(select, 2, startMs);
        sqlite3_bind_int64(select, 3, endMs);
        while (sqlite3_step(select) == SQLITE_ROW) {
            const qint64 ts = sqlite3_column_int64(select, 0);
            const double v = sqlite3_column_double(select, 1);
            auto &b = buckets[std::size_t((ts - startMs) / width)];
            b.first = std::min(b.first, v);
            b.second = std::max(b.second, v);
        }
        sqlite3_reset(select);
        for (const auto &b : buckets)
            plainPoints += std::isfinite(b.first) ? (b.first == b.second ? 1 : 2) : 0;
    }
    const double plainMs = secondsSince(plainStart) * 1000;
    sqlite3_finalize(select);
    std::printf("series=%d points_per_series=%lld query_ms=%.1f\n", kSeries,
                static_cast<long long>(points / kSeries), storeMs);
    std::printf("plain_query_ms=%.1f plain_points_per_series=%lld samples_per_series=%lld store_bytes=%lld "
                "plain_bytes=%lld\n",
                plainMs, static_cast<long long>(plainPoints / kSeries), static_cast<long long>(kScrapes),
                static_cast<long long>(fileBytes(storePath)), static_cast<long long>(fileBytes(plainPath)));
    return 0;
}

} // namespace clusterdeck::ctl
