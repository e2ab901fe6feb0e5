#include "history/history_store.h"

#include "cluster/cluster.h"
#include "history/codec.h"
#include "history/history_log.h"
#include "metrics/exposition_writer.h"
#include "metrics/metric_page.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QLockFile>
#include <QStandardPaths>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <sqlite3.h>
#include <unordered_map>

namespace clusterdeck {

namespace {

// 'CDKH' in PRAGMA application_id: a history file says what it is, so a stray SQLite file is refused.
constexpr int kApplicationId = 0x43444b48;
constexpr qint64 kMinuteMs = 60 * 1000;
constexpr qint64 kHourMs = 60 * kMinuteMs;

const char *const kSchemaV1[] = {
    "CREATE TABLE streams(id INTEGER PRIMARY KEY, kind INTEGER NOT NULL, target TEXT NOT NULL,"
    " UNIQUE(kind, target))",
    // No UNIQUE index on the identity: it would double the dictionary (a third of a short recording's file);
    // the one writer keeps identities unique with its in-memory dictionary.
    "CREATE TABLE series(id INTEGER PRIMARY KEY, stream INTEGER NOT NULL REFERENCES streams(id),"
    " name TEXT NOT NULL, labels TEXT NOT NULL)",
    // One timestamp column per stream and chunk, one value column per series and chunk (both codec.h).
    "CREATE TABLE chunks(stream INTEGER NOT NULL, t_min INTEGER NOT NULL, t_max INTEGER NOT NULL,"
    " n INTEGER NOT NULL, ts BLOB NOT NULL, PRIMARY KEY(stream, t_min)) WITHOUT ROWID",
    // Rowid tables for the blobs: rows append at the end (pages fill up) and a row of up to ~4 KB stays on
    // its page, where a WITHOUT ROWID row over ~1 KB spills into an overflow page of its own (half the file,
    // measured).
    "CREATE TABLE chunk_values(series INTEGER NOT NULL, t_min INTEGER NOT NULL, t_max INTEGER NOT NULL,"
    " n INTEGER NOT NULL, data BLOB NOT NULL)",
    "CREATE UNIQUE INDEX chunk_values_key ON chunk_values(series, t_min)",
    // The open chunks: one row per stream and scrape, committed at least every second, deleted when sealed.
    "CREATE TABLE head(stream INTEGER NOT NULL, ts INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY(stream, "
    "ts))",
    "CREATE TABLE rollups(series INTEGER NOT NULL, res INTEGER NOT NULL, t INTEGER NOT NULL, min REAL NOT "
    "NULL,"
    " max REAL NOT NULL, sum REAL NOT NULL, count INTEGER NOT NULL, PRIMARY KEY(series, res, t)) WITHOUT "
    "ROWID",
    "CREATE TABLE events(id INTEGER PRIMARY KEY, ts INTEGER NOT NULL, kind TEXT NOT NULL, target TEXT NOT "
    "NULL,"
    " severity INTEGER NOT NULL, actor TEXT NOT NULL, message TEXT NOT NULL, details TEXT NOT NULL)",
    "CREATE INDEX events_ts ON events(ts)",
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)",
};

// Forward migrations: kMigrations[v - 1] takes a file from version v to v + 1. Append, never edit.
const std::vector<std::vector<const char *>> kMigrations = {};

// A prepared statement that finalizes itself.
class Stmt {
public:
    Stmt(sqlite3 *db, const char *sql) { m_rc = sqlite3_prepare_v2(db, sql, -1, &m_stmt, nullptr); }
    ~Stmt() { sqlite3_finalize(m_stmt); }
    Stmt(const Stmt &) = delete;
    Stmt &operator=(const Stmt &) = delete;
    bool ok() const { return m_rc == SQLITE_OK && m_stmt; }
    Stmt &bind(int i, qint64 v)
    {
        sqlite3_bind_int64(m_stmt, i, v);
        return *this;
    }
    Stmt &bindDouble(int i, double v)
    {
        sqlite3_bind_double(m_stmt, i, v);
        return *this;
    }
    Stmt &bind(int i, std::string_view v)
    {
        sqlite3_bind_text(m_stmt, i, v.data(), int(v.size()), SQLITE_TRANSIENT);
        return *this;
    }
    Stmt &bind(int i, const QString &v) { return bind(i, std::string_view(v.toUtf8().toStdString())); }
    Stmt &bindBlob(int i, std::string_view v)
    {
        sqlite3_bind_blob(m_stmt, i, v.data(), int(v.size()), SQLITE_TRANSIENT);
        return *this;
    }
    int step() { return m_rc = sqlite3_step(m_stmt); }
    // step() of a statement that returns no rows, ready for the next bindings.
    bool run()
    {
        const int rc = sqlite3_step(m_stmt);
        sqlite3_reset(m_stmt);
        m_rc = rc;
        return rc == SQLITE_DONE;
    }
    void reset() { sqlite3_reset(m_stmt); }
    qint64 int64(int col) const { return sqlite3_column_int64(m_stmt, col); }
    double real(int col) const { return sqlite3_column_double(m_stmt, col); }
    QString text(int col) const
    {
        return QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, col)),
                                 sqlite3_column_bytes(m_stmt, col));
    }
    std::string_view blob(int col) const
    {
        const void *p = sqlite3_column_blob(m_stmt, col);
        return {static_cast<const char *>(p), std::size_t(sqlite3_column_bytes(m_stmt, col))};
    }
    int rc() const { return m_rc; }

private:
    sqlite3_stmt *m_stmt = nullptr;
    int m_rc = SQLITE_OK;
};

std::string streamKey(SeriesKind kind, const QString &target)
{
    std::string key(1, char('0' + int(kind)));
    key += target.toUtf8().toStdString();
    return key;
}

std::string seriesKey(std::string_view name, std::string_view labels)
{
    std::string key;
    key.reserve(name.size() + labels.size() + 1);
    key.append(name);
    key.push_back('\0');
    key.append(labels);
    return key;
}

// Head row: varint count, then per value (ids ascending) varint id delta and the double's 8 bytes.
std::string encodeHeadRow(const std::vector<std::pair<qint64, double>> &values)
{
    std::string out;
    out.reserve(2 + values.size() * 10);
    history::putVarint(out, values.size());
    qint64 prev = 0;
    for (const auto &[id, value] : values) {
        history::putVarint(out, std::uint64_t(id - prev));
        prev = id;
        char bytes[8];
        std::memcpy(bytes, &value, 8);
        out.append(bytes, 8);
    }
    return out;
}

template <typename F> bool decodeHeadRow(std::string_view blob, F &&visit)
{
    std::uint64_t count;
    if (!history::getVarint(blob, count))
        return false;
    qint64 id = 0;
    for (std::uint64_t i = 0; i < count; ++i) {
        std::uint64_t delta;
        if (!history::getVarint(blob, delta) || blob.size() < 8)
            return false;
        id += qint64(delta);
        double value;
        std::memcpy(&value, blob.data(), 8);
        blob.remove_prefix(8);
        if (!visit(id, value))
            return true;
    }
    return true;
}

qint64 floorTo(qint64 t, qint64 step)
{
    const qint64 q = t / step;
    return (t % step < 0 ? q - 1 : q) * step;
}

} // namespace

// One target's stream of one kind: its series dictionary and its open (not yet sealed) chunk.
struct HistoryStore::Stream {
    qint64 id = 0;
    SeriesKind kind = SeriesKind::Raw;
    QString target;
    std::unordered_map<std::string, qint64> seriesByKey; // name \0 labels → id
    qint64 lastTs = std::numeric_limits<qint64>::min();
    std::vector<std::int64_t> ts;                                                     // open chunk rows
    std::unordered_map<qint64, std::vector<std::pair<std::uint32_t, double>>> values; // series → (row, value)
    std::size_t sealRows = 0; // rows of the open chunk sealed by the running transaction
};

QString eventSeverityName(EventSeverity severity)
{
    switch (severity) {
    case EventSeverity::Info:
        return QStringLiteral("info");
    case EventSeverity::Warning:
        return QStringLiteral("warning");
    case EventSeverity::Critical:
        return QStringLiteral("critical");
    }
    return QStringLiteral("info");
}

std::optional<EventSeverity> eventSeverityFromName(QStringView name)
{
    for (EventSeverity s : {EventSeverity::Info, EventSeverity::Warning, EventSeverity::Critical}) {
        if (name.compare(eventSeverityName(s), Qt::CaseInsensitive) == 0)
            return s;
    }
    return std::nullopt;
}

QString SeriesInfo::toString() const
{
    if (kind == SeriesKind::Kpi)
        return KpiKey{target, name, labels}.toString();
    return target + QLatin1Char('/') + name +
           (labels.isEmpty() ? QString() : QLatin1Char('{') + labels + QLatin1Char('}'));
}

QList<SamplePoint> DecimatedSeries::points() const
{
    QList<SamplePoint> out;
    out.reserve(buckets.size() * 2);
    for (const SeriesBucket &b : buckets) {
        if (b.count == 0)
            continue;
        if (b.minMs == b.maxMs || b.min == b.max) {
            out.append({b.minMs, b.min == b.max ? b.min : b.max});
        } else if (b.minMs < b.maxMs) {
            out.append({b.minMs, b.min});
            out.append({b.maxMs, b.max});
        } else {
            out.append({b.maxMs, b.max});
            out.append({b.minMs, b.min});
        }
    }
    return out;
}

HistoryStore::HistoryStore(const QString &path, const Options &options) : m_path(path), m_options(options)
{
    m_options.chunkMaxSpanMs = std::min(m_options.chunkMaxSpanMs, kMaxChunkSpanMs);
    m_options.chunkMaxRows = std::max(m_options.chunkMaxRows, 1);
}

HistoryStore::~HistoryStore()
{
    if (m_db) {
        if (!m_readOnly) {
            // Whatever was appended since the last commit is worth one more try; sealing waits for close().
            if (Status s = commit(); !s)
                qCWarning(lcHistory).noquote() << s.error().toString();
        }
        sqlite3_close_v2(m_db);
    }
}

QString HistoryStore::defaultPath(const QString &clusterName)
{
    QString name = clusterName;
    for (QChar &c : name) {
        if (!c.isLetterOrNumber() && c != QLatin1Char('-') && c != QLatin1Char('_') && c != QLatin1Char('.'))
            c = QLatin1Char('_');
    }
    if (name.isEmpty())
        name = QStringLiteral("cluster");
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/history/") +
           name + QStringLiteral(".sqlite");
}

QString HistoryStore::pathFor(const Cluster &cluster, const QString &override)
{
    if (!override.isEmpty())
        return override;
    if (!cluster.historyDb.isEmpty()) {
        if (QFileInfo(cluster.historyDb).isAbsolute() || cluster.sourceFile.isEmpty())
            return cluster.historyDb;
        return QFileInfo(cluster.sourceFile).absoluteDir().filePath(cluster.historyDb);
    }
    return defaultPath(cluster.name);
}

Result<QString> HistoryStore::moveAside(const QString &path)
{
    const QString target = path + QStringLiteral(".broken-") +
                           QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    if (!QFile::rename(path, target))
        return Error{QStringLiteral("cannot rename it to %1; move it away by hand").arg(target), path};
    for (const char *suffix : {"-wal", "-shm"}) {
        const QString side = path + QLatin1String(suffix);
        if (QFile::exists(side))
            QFile::rename(side, target + QLatin1String(suffix));
    }
    return target;
}

Error HistoryStore::sqlError(const QString &what) const
{
    const int code = m_db ? sqlite3_extended_errcode(m_db) : SQLITE_ERROR;
    const int primary = code & 0xff;
    QString hint;
    if (primary == SQLITE_FULL)
        hint = QStringLiteral(
            " — the disk (or the file's size limit) is full; free space and recording resumes");
    else if (primary == SQLITE_READONLY || primary == SQLITE_CANTOPEN || primary == SQLITE_PERM)
        hint = QStringLiteral(" — the file or its folder cannot be written; fix its permissions or choose "
                              "another file with --db");
    else if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB)
        hint = QStringLiteral(" — the file is damaged; move it aside and start a new one");
    else if (primary == SQLITE_BUSY)
        hint = QStringLiteral(" — another process holds the file");
    return Error{what + QStringLiteral(": ") +
                     QString::fromUtf8(m_db ? sqlite3_errmsg(m_db) : "no connection") + hint,
                 m_path};
}

Status HistoryStore::exec(const char *sql)
{
    if (sqlite3_exec(m_db, sql, nullptr, nullptr, nullptr) != SQLITE_OK)
        return sqlError(QString::fromLatin1(sql).section(QLatin1Char(' '), 0, 2));
    return {};
}

Result<std::unique_ptr<HistoryStore>> HistoryStore::open(const QString &path, Access access,
                                                         const Options &options)
{
    std::unique_ptr<HistoryStore> store(new HistoryStore(path, options));
    if (Status s = store->openFile(access); !s)
        return s.error();
    return store;
}

Status HistoryStore::openFile(Access access)
{
    const QFileInfo info(m_path);
    if (access == Access::ReadOnly && !info.exists())
        return Error{QStringLiteral("no history file here (record one with `clusterdeckctl record`)"),
                     m_path};
    if (access == Access::ReadWrite) {
        if (!info.exists() && !QDir().mkpath(info.absolutePath()))
            return Error{QStringLiteral("cannot create the folder %1").arg(info.absolutePath()), m_path};
        m_lock = std::make_unique<QLockFile>(m_path + QStringLiteral(".lock"));
        m_lock->setStaleLockTime(0); // only a live process holds it (a killed recorder leaves a stale one)
        if (!m_lock->tryLock(0)) {
            qint64 pid = 0;
            QString host, app;
            m_lock->getLockInfo(&pid, &host, &app);
            const QString who = QStringLiteral("%1 (pid %2)")
                                    .arg(app.isEmpty() ? QStringLiteral("another process") : app)
                                    .arg(pid);
            m_lock.reset();
            if (m_options.requireWriter || !info.exists())
                return Error{
                    QStringLiteral("%1 is recording into this file; stop it or choose another file with --db")
                        .arg(who),
                    m_path};
            m_readOnly = true;
            m_readOnlyReason = QStringLiteral("%1 is recording into it; opened read-only").arg(who);
            access = Access::ReadOnly;
        }
    }
    if (access == Access::ReadOnly)
        m_readOnly = true;

    const QByteArray file = QFile::encodeName(m_path);
    const int flags = m_readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    if (sqlite3_open_v2(file.constData(), &m_db, flags | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK)
        return sqlError(QStringLiteral("cannot open"));
    sqlite3_extended_result_codes(m_db, 1);
    sqlite3_busy_timeout(m_db, 5000);
    // SQLite quietly opens a file it may not write (immutable, read-only mount) read-only: say so instead.
    if (!m_readOnly && sqlite3_db_readonly(m_db, "main") == 1)
        return Error{
            QStringLiteral("the file cannot be written (read-only file or file system); fix that, or choose "
                           "another file with --db"),
            m_path};

    // What the file is, before anything writes to it: never convert or overwrite someone else's file.
    int appId = 0;
    int version = 0;
    int tables = 0;
    {
        Stmt q(m_db, "PRAGMA application_id");
        if (!q.ok() || q.step() != SQLITE_ROW)
            return Error{
                QStringLiteral("not a ClusterDeck history file, or a damaged one (%1); move it aside "
                               "(record --move-aside) and start a new one, or choose another file with --db")
                    .arg(QString::fromUtf8(sqlite3_errmsg(m_db))),
                m_path};
        appId = int(q.int64(0));
    }
    {
        Stmt q(m_db, "PRAGMA user_version");
        if (q.ok() && q.step() == SQLITE_ROW)
            version = int(q.int64(0));
        Stmt t(m_db, "SELECT count(*) FROM sqlite_schema");
        if (t.ok() && t.step() == SQLITE_ROW)
            tables = int(t.int64(0));
    }
    const bool fresh = tables == 0 && appId == 0 && version == 0;
    if (!fresh && appId != kApplicationId)
        return Error{QStringLiteral(
                         "an SQLite file, but not a ClusterDeck history file; choose another file with --db "
                         "(nothing was changed in it)"),
                     m_path};
    if (version > kSchemaVersion)
        return Error{
            QStringLiteral("written by a newer ClusterDeck (history schema %1; this version reads up to %2); "
                           "open it with that version, or choose another file with --db")
                .arg(version)
                .arg(kSchemaVersion),
            m_path};
    if (!fresh) {
        Stmt q(m_db, "PRAGMA quick_check");
        const int rc = q.ok() ? q.step() : SQLITE_ERROR;
        const QString answer = rc == SQLITE_ROW ? q.text(0) : QString::fromUtf8(sqlite3_errmsg(m_db));
        if (answer != QLatin1String("ok"))
            return Error{
                QStringLiteral(
                    "the history file is damaged (%1); move it aside (record --move-aside) and start a "
                    "new one")
                    .arg(answer.left(200)),
                m_path};
    }
    if (m_readOnly) {
        if (fresh)
            return Error{QStringLiteral("an empty file, not a history file yet"), m_path};
        if (version < kSchemaVersion)
            return Error{
                QStringLiteral("an older history file (schema %1); open it read-write once to upgrade it")
                    .arg(version),
                m_path};
        return loadDictionaries();
    }

    if (fresh) {
        if (Status s = exec("PRAGMA auto_vacuum = INCREMENTAL"); !s)
            return s;
    }
    // WAL + synchronous=NORMAL: a committed transaction survives the process being killed (the WAL is in the
    // OS' page cache); only a power cut may lose the last commits, never corrupt the file.
    {
        Stmt q(m_db, "PRAGMA journal_mode = WAL");
        if (!q.ok() || q.step() != SQLITE_ROW ||
            q.text(0).compare(QLatin1String("wal"), Qt::CaseInsensitive) != 0)
            return sqlError(QStringLiteral("cannot write the history file (WAL journal)"));
    }
    if (Status s = exec("PRAGMA synchronous = NORMAL"); !s)
        return s;
    if (m_options.maxPageCount > 0) {
        const QByteArray pragma = "PRAGMA max_page_count = " + QByteArray::number(m_options.maxPageCount);
        if (Status s = exec(pragma.constData()); !s)
            return s;
    }
    if (Status s = createOrMigrate(); !s)
        return s;
    if (Status s = loadDictionaries(); !s)
        return s;
    return recoverHead();
}

Status HistoryStore::createOrMigrate()
{
    int version = 0;
    {
        Stmt q(m_db, "PRAGMA user_version");
        if (q.ok() && q.step() == SQLITE_ROW)
            version = int(q.int64(0));
    }
    if (version == kSchemaVersion)
        return {};
    // BEGIN IMMEDIATE takes the write lock now: the first write of a read-only file fails here, clearly.
    if (Status s = exec("BEGIN IMMEDIATE"); !s)
        return s;
    auto fail = [this](const QString &what) {
        Error e = sqlError(what);
        sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
        return e;
    };
    if (version == 0) {
        for (const char *sql : kSchemaV1) {
            if (sqlite3_exec(m_db, sql, nullptr, nullptr, nullptr) != SQLITE_OK)
                return fail(QStringLiteral("cannot create the history tables"));
        }
        const QByteArray pragmas = "PRAGMA application_id = " + QByteArray::number(kApplicationId) +
                                   "; PRAGMA user_version = " + QByteArray::number(kSchemaVersion);
        if (sqlite3_exec(m_db, pragmas.constData(), nullptr, nullptr, nullptr) != SQLITE_OK)
            return fail(QStringLiteral("cannot mark the history file"));
    } else {
        for (int v = version; v < kSchemaVersion; ++v) {
            for (const char *sql : kMigrations[std::size_t(v - 1)]) {
                if (sqlite3_exec(m_db, sql, nullptr, nullptr, nullptr) != SQLITE_OK)
                    return fail(QStringLiteral("cannot upgrade the history file from schema %1").arg(v));
            }
        }
        const QByteArray pragma = "PRAGMA user_version = " + QByteArray::number(kSchemaVersion);
        if (sqlite3_exec(m_db, pragma.constData(), nullptr, nullptr, nullptr) != SQLITE_OK)
            return fail(QStringLiteral("cannot upgrade the history file"));
        qCInfo(lcHistory).noquote() << m_path << "upgraded from history schema" << version << "to"
                                    << kSchemaVersion;
    }
    if (sqlite3_exec(m_db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK)
        return fail(QStringLiteral("cannot create the history tables"));
    return {};
}

Status HistoryStore::loadDictionaries()
{
    m_streams.clear();
    m_streamByKey.clear();
    m_seriesStream.clear();
    {
        Stmt q(m_db, "SELECT id, kind, target FROM streams");
        if (!q.ok())
            return sqlError(QStringLiteral("cannot read the series dictionary"));
        while (q.step() == SQLITE_ROW) {
            auto s = std::make_unique<Stream>();
            s->id = q.int64(0);
            s->kind = SeriesKind(q.int64(1));
            s->target = q.text(2);
            m_nextStreamId = std::max(m_nextStreamId, s->id + 1);
            m_streamByKey[streamKey(s->kind, s->target)] = s.get();
            m_streams.push_back(std::move(s));
        }
    }
    std::unordered_map<qint64, Stream *> byId;
    for (const auto &s : m_streams)
        byId[s->id] = s.get();
    {
        Stmt q(m_db, "SELECT id, stream, name, labels FROM series");
        if (!q.ok())
            return sqlError(QStringLiteral("cannot read the series dictionary"));
        while (q.step() == SQLITE_ROW) {
            const qint64 id = q.int64(0);
            const qint64 streamId = q.int64(1);
            m_nextSeriesId = std::max(m_nextSeriesId, id + 1);
            m_seriesStream[id] = streamId;
            if (Stream *s = byId.count(streamId) ? byId[streamId] : nullptr) {
                const auto name = q.blob(2);
                const auto labels = q.blob(3);
                s->seriesByKey.emplace(seriesKey(name, labels), id);
            }
        }
    }
    {
        Stmt q(m_db, "SELECT stream, max(t_max) FROM chunks GROUP BY stream");
        while (q.ok() && q.step() == SQLITE_ROW) {
            if (Stream *s = byId.count(q.int64(0)) ? byId[q.int64(0)] : nullptr)
                s->lastTs = std::max(s->lastTs, q.int64(1));
        }
    }
    return {};
}

// Rows of the head survive a crash; they become the open chunks again (and are sealed as usual later).
Status HistoryStore::recoverHead()
{
    std::unordered_map<qint64, Stream *> byId;
    for (const auto &s : m_streams)
        byId[s->id] = s.get();
    Stmt q(m_db, "SELECT stream, ts, data FROM head ORDER BY stream, ts");
    if (!q.ok())
        return sqlError(QStringLiteral("cannot read the head of the history file"));
    qint64 rows = 0;
    while (q.step() == SQLITE_ROW) {
        Stream *s = byId.count(q.int64(0)) ? byId[q.int64(0)] : nullptr;
        if (!s)
            continue;
        const qint64 ts = q.int64(1);
        const auto row = std::uint32_t(s->ts.size());
        s->ts.push_back(ts);
        s->lastTs = std::max(s->lastTs, ts);
        decodeHeadRow(q.blob(2), [&](qint64 id, double v) {
            s->values[id].emplace_back(row, v);
            return true;
        });
        ++rows;
    }
    if (rows)
        qCDebug(lcHistory).noquote() << m_path << ": recovered" << rows << "unsealed rows";
    return {};
}

HistoryStore::Stream &HistoryStore::stream(SeriesKind kind, const QString &target)
{
    const std::string key = streamKey(kind, target);
    if (const auto it = m_streamByKey.find(key); it != m_streamByKey.end())
        return *it->second;
    auto s = std::make_unique<Stream>();
    s->id = m_nextStreamId++;
    s->kind = kind;
    s->target = target;
    Stream *raw = s.get();
    m_streams.push_back(std::move(s));
    m_streamByKey.emplace(key, raw);
    m_pendingStreams.emplace_back(raw->id, target);
    return *raw;
}

qint64 HistoryStore::seriesId(SeriesKind kind, const QString &target, const QString &name,
                              const QString &labels)
{
    Stream &s = stream(kind, target);
    const QByteArray n = name.toUtf8();
    const QByteArray l = labels.toUtf8();
    std::string key =
        seriesKey(std::string_view(n.constData(), n.size()), std::string_view(l.constData(), l.size()));
    if (const auto it = s.seriesByKey.find(key); it != s.seriesByKey.end())
        return it->second;
    const qint64 id = m_nextSeriesId++;
    s.seriesByKey.emplace(std::move(key), id);
    m_seriesStream[id] = s.id;
    m_pendingSeries.push_back({id, s.id, n.toStdString(), l.toStdString()});
    return id;
}

void HistoryStore::addRow(Stream &s, qint64 ts, std::vector<std::pair<qint64, double>> &values)
{
    if (values.empty())
        return;
    std::sort(values.begin(), values.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
    // A page that repeats a series (invalid, but seen): the last sample wins.
    auto out = values.begin();
    for (auto it = values.begin(); it != values.end(); ++it) {
        if (out != values.begin() && std::prev(out)->first == it->first)
            *std::prev(out) = *it;
        else
            *out++ = *it;
    }
    values.erase(out, values.end());

    if (ts < s.lastTs || (ts == s.lastTs && (s.ts.empty() || s.ts.back() != ts)))
        return; // behind what is recorded (streams only move forward)
    if (!s.ts.empty() && s.ts.back() == ts) {
        // More values for the newest row (KPI points of one target computed at one time, delivered apart).
        const auto row = std::uint32_t(s.ts.size() - 1);
        for (const auto &[id, v] : values) {
            auto &vec = s.values[id];
            if (!vec.empty() && vec.back().first == row)
                vec.back().second = v;
            else
                vec.emplace_back(row, v);
        }
        std::vector<std::pair<qint64, double>> all;
        for (const auto &[id, vec] : s.values) {
            if (!vec.empty() && vec.back().first == row)
                all.emplace_back(id, vec.back().second);
        }
        std::sort(all.begin(), all.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
        m_pendingHead.push_back({s.id, ts, encodeHeadRow(all)});
    } else {
        const auto row = std::uint32_t(s.ts.size());
        s.ts.push_back(ts);
        for (const auto &[id, v] : values)
            s.values[id].emplace_back(row, v);
        m_pendingHead.push_back({s.id, ts, encodeHeadRow(values)});
    }
    s.lastTs = ts;
    m_samplesAppended += qint64(values.size());
}

void HistoryStore::appendRow(SeriesKind kind, const QString &target, qint64 timestampMs,
                             std::vector<std::pair<qint64, double>> values)
{
    addRow(stream(kind, target), timestampMs, values);
}

void HistoryStore::appendPage(const QString &target, qint64 timestampMs, const MetricPage &page)
{
    Stream &s = stream(SeriesKind::Raw, target);
    std::vector<std::pair<qint64, double>> values;
    values.reserve(page.size());
    for (const SampleView sample : page) {
        m_scratch.clear();
        m_scratch.append(sample.name());
        m_scratch.push_back('\0');
        appendLabelsText(m_scratch, sample.labels());
        qint64 id;
        if (const auto it = s.seriesByKey.find(m_scratch); it != s.seriesByKey.end()) {
            id = it->second;
        } else {
            id = m_nextSeriesId++;
            s.seriesByKey.emplace(m_scratch, id);
            m_seriesStream[id] = s.id;
            const std::size_t split = m_scratch.find('\0');
            m_pendingSeries.push_back({id, s.id, m_scratch.substr(0, split), m_scratch.substr(split + 1)});
        }
        values.emplace_back(id, sample.value());
    }
    addRow(s, timestampMs, values);
}

void HistoryStore::appendKpis(const KpiPoints &points)
{
    // One row per target and timestamp, in time order.
    std::map<std::pair<QString, qint64>, std::vector<std::pair<qint64, double>>> rows;
    for (const KpiPoint &p : points) {
        const qint64 id = seriesId(SeriesKind::Kpi, p.key.target, p.key.kpi, p.key.instance);
        rows[{p.key.target, p.timestampMs}].emplace_back(id, p.value);
    }
    std::vector<std::pair<qint64, std::pair<qint64, double>>> accepted;
    for (auto &[key, values] : rows) {
        Stream &s = stream(SeriesKind::Kpi, key.first);
        const qint64 before = m_samplesAppended;
        addRow(s, key.second, values);
        if (m_samplesAppended == before)
            continue;
        for (const auto &[id, v] : values) {
            if (!std::isfinite(v))
                continue; // gaps have no place in min/max/avg
            for (const qint64 res : {kMinuteMs, kHourMs}) {
                auto [it, inserted] = m_pendingRollups.try_emplace({id, res, floorTo(key.second, res)},
                                                                   RollupDelta{v, v, v, 1});
                if (!inserted) {
                    it->second.min = std::min(it->second.min, v);
                    it->second.max = std::max(it->second.max, v);
                    it->second.sum += v;
                    ++it->second.count;
                }
            }
        }
    }
}

// Rows [begin, end) of the open chunk as one sealed chunk: its timestamp column and one value column per
// series that has values there; the head rows they came from go in the same transaction.
Status HistoryStore::writeChunk(Stream &s, std::size_t begin, std::size_t end)
{
    const qint64 tMin = s.ts[begin];
    const qint64 tMax = s.ts[end - 1];
    const std::size_t n = end - begin;
    Stmt chunk(m_db, "INSERT INTO chunks(stream, t_min, t_max, n, ts) VALUES(?1, ?2, ?3, ?4, ?5)");
    Stmt values(m_db, "INSERT INTO chunk_values(series, t_min, t_max, n, data) VALUES(?1, ?2, ?3, ?4, ?5)");
    Stmt head(m_db, "DELETE FROM head WHERE stream = ?1 AND ts BETWEEN ?2 AND ?3");
    if (!chunk.ok() || !values.ok() || !head.ok())
        return sqlError(QStringLiteral("cannot seal a chunk"));
    const std::vector<std::int64_t> ts(s.ts.begin() + std::ptrdiff_t(begin),
                                       s.ts.begin() + std::ptrdiff_t(end));
    chunk.bind(1, s.id)
        .bind(2, tMin)
        .bind(3, tMax)
        .bind(4, qint64(n))
        .bindBlob(5, history::compressBlob(history::encodeTimestamps(ts)));
    if (!chunk.run())
        return sqlError(QStringLiteral("cannot seal a chunk"));
    // In id order, so the B-tree fills its pages front to back instead of splitting them half empty.
    std::vector<qint64> ids;
    ids.reserve(s.values.size());
    for (const auto &entry : s.values)
        ids.push_back(entry.first);
    std::sort(ids.begin(), ids.end());
    std::vector<double> column;
    for (const qint64 id : ids) {
        const auto &vec = s.values.at(id);
        auto from = std::lower_bound(vec.begin(), vec.end(), std::uint32_t(begin),
                                     [](const auto &e, std::uint32_t row) { return e.first < row; });
        auto to = std::lower_bound(from, vec.end(), std::uint32_t(end),
                                   [](const auto &e, std::uint32_t row) { return e.first < row; });
        if (from == to)
            continue;
        column.assign(n, history::absentValue());
        for (auto it = from; it != to; ++it)
            column[it->first - begin] = it->second;
        values.bind(1, id).bind(2, tMin).bind(3, tMax).bind(4, qint64(to - from));
        values.bindBlob(5, history::compressBlob(history::encodeValues(column)));
        if (!values.run())
            return sqlError(QStringLiteral("cannot seal a chunk"));
    }
    head.bind(1, s.id).bind(2, tMin).bind(3, tMax);
    if (!head.run())
        return sqlError(QStringLiteral("cannot seal a chunk"));
    return {};
}

// How many rows of the open chunk to seal now: whole chunks of at most chunkMaxRows rows spanning less than
// chunkMaxSpanMs (so a chunk never spans more than kMaxChunkSpanMs), and the rest too when sealing all.
std::size_t HistoryStore::rowsToSeal(const Stream &s, bool sealAll) const
{
    const std::size_t n = s.ts.size();
    const auto maxRows = std::size_t(m_options.chunkMaxRows);
    std::size_t a = 0;
    while (a < n) {
        std::size_t b = a + 1;
        while (b < n && b - a < maxRows && s.ts[b] - s.ts[a] < m_options.chunkMaxSpanMs)
            ++b;
        const bool complete = b < n || b - a == maxRows;
        if (!complete && !sealAll)
            break;
        a = b;
    }
    return a;
}

Status HistoryStore::writePending(bool sealAll)
{
    for (const auto &sp : m_streams)
        sp->sealRows = rowsToSeal(*sp, sealAll);
    {
        Stmt q(m_db, "INSERT INTO streams(id, kind, target) VALUES(?1, ?2, ?3)");
        for (const auto &[id, target] : m_pendingStreams) {
            Stream *s = nullptr;
            for (const auto &sp : m_streams) {
                if (sp->id == id)
                    s = sp.get();
            }
            q.bind(1, id).bind(2, qint64(s ? int(s->kind) : 0)).bind(3, target);
            if (!q.run())
                return sqlError(QStringLiteral("cannot record a new target"));
        }
    }
    {
        Stmt q(m_db, "INSERT INTO series(id, stream, name, labels) VALUES(?1, ?2, ?3, ?4)");
        for (const PendingSeries &p : m_pendingSeries) {
            q.bind(1, p.id)
                .bind(2, p.stream)
                .bind(3, std::string_view(p.name))
                .bind(4, std::string_view(p.labels));
            if (!q.run())
                return sqlError(QStringLiteral("cannot record a new series"));
        }
    }
    {
        std::unordered_map<qint64, qint64> sealedUpTo; // stream → newest timestamp sealed now
        for (const auto &sp : m_streams) {
            if (sp->sealRows)
                sealedUpTo[sp->id] = sp->ts[sp->sealRows - 1];
        }
        Stmt q(m_db, "INSERT OR REPLACE INTO head(stream, ts, data) VALUES(?1, ?2, ?3)");
        for (const PendingHead &h : m_pendingHead) {
            const auto it = sealedUpTo.find(h.stream);
            if (it != sealedUpTo.end() && h.ts <= it->second)
                continue; // goes straight into a chunk sealed below
            q.bind(1, h.stream).bind(2, h.ts).bindBlob(3, h.blob);
            if (!q.run())
                return sqlError(QStringLiteral("cannot write samples"));
        }
    }
    for (const auto &sp : m_streams) {
        const std::size_t n = sp->sealRows;
        const std::size_t maxRows = std::size_t(m_options.chunkMaxRows);
        for (std::size_t a = 0; a < n;) {
            std::size_t b = a + 1;
            while (b < n && b - a < maxRows && sp->ts[b] - sp->ts[a] < m_options.chunkMaxSpanMs)
                ++b;
            if (Status s = writeChunk(*sp, a, b); !s)
                return s;
            a = b;
        }
    }
    if (!m_pendingRollups.empty()) {
        Stmt q(m_db,
               "INSERT INTO rollups(series, res, t, min, max, sum, count) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7) "
               "ON CONFLICT(series, res, t) DO UPDATE SET min = min(min, excluded.min), "
               "max = max(max, excluded.max), sum = sum + excluded.sum, count = count + excluded.count");
        for (const auto &[key, d] : m_pendingRollups) {
            q.bind(1, std::get<0>(key)).bind(2, std::get<1>(key)).bind(3, std::get<2>(key));
            q.bindDouble(4, d.min).bindDouble(5, d.max).bindDouble(6, d.sum).bind(7, d.count);
            if (!q.run())
                return sqlError(QStringLiteral("cannot update rollups"));
        }
    }
    return {};
}

void HistoryStore::afterCommit()
{
    m_pendingStreams.clear();
    m_pendingSeries.clear();
    m_pendingHead.clear();
    m_pendingRollups.clear();
    for (const auto &sp : m_streams) {
        const std::size_t sealed = sp->sealRows;
        sp->sealRows = 0;
        if (!sealed)
            continue;
        sp->ts.erase(sp->ts.begin(), sp->ts.begin() + std::ptrdiff_t(sealed));
        for (auto it = sp->values.begin(); it != sp->values.end();) {
            auto &vec = it->second;
            const auto keep =
                std::lower_bound(vec.begin(), vec.end(), std::uint32_t(sealed),
                                 [](const auto &e, std::uint32_t row) { return e.first < row; });
            vec.erase(vec.begin(), keep);
            for (auto &e : vec)
                e.first -= std::uint32_t(sealed);
            if (vec.empty())
                it = sp->values.erase(it);
            else
                ++it;
        }
    }
}

void HistoryStore::abandonTransaction()
{
    sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
    for (const auto &sp : m_streams)
        sp->sealRows = 0;
}

Status HistoryStore::commit()
{
    if (m_readOnly)
        return Error{QStringLiteral("opened read-only: ") + m_readOnlyReason, m_path};
    bool due = !m_pendingHead.empty() || !m_pendingSeries.empty() || !m_pendingStreams.empty() ||
               !m_pendingRollups.empty();
    for (const auto &sp : m_streams)
        due = due || rowsToSeal(*sp, false) > 0;
    if (!due)
        return {};
    if (Status s = exec("BEGIN IMMEDIATE"); !s)
        return s;
    Status written = writePending(false);
    if (written && sqlite3_exec(m_db, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK) {
        afterCommit();
        return {};
    }
    const Error error = written ? sqlError(QStringLiteral("cannot commit samples")) : written.error();
    abandonTransaction();
    return error;
}

Result<qint64> HistoryStore::recordEvent(const HistoryEvent &event)
{
    if (m_readOnly)
        return Error{QStringLiteral("opened read-only: ") + m_readOnlyReason, m_path};
    if (Status s = exec("BEGIN IMMEDIATE"); !s)
        return s.error();
    Status written = writePending(false);
    qint64 id = 0;
    if (written) {
        Stmt q(m_db, "INSERT INTO events(ts, kind, target, severity, actor, message, details) "
                     "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
        q.bind(1, event.timestampMs)
            .bind(2, event.kind)
            .bind(3, event.target)
            .bind(4, qint64(event.severity));
        q.bind(5, event.actor).bind(6, event.message);
        q.bind(7, QString::fromUtf8(QJsonDocument(event.details).toJson(QJsonDocument::Compact)));
        if (q.run())
            id = sqlite3_last_insert_rowid(m_db);
        else
            written = sqlError(QStringLiteral("cannot record the event"));
    }
    if (written && sqlite3_exec(m_db, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK) {
        afterCommit();
        return id;
    }
    const Error error = written ? sqlError(QStringLiteral("cannot record the event")) : written.error();
    abandonTransaction();
    return error;
}

Result<int> HistoryStore::prune(qint64 nowMs, int maxRows)
{
    if (m_readOnly)
        return Error{QStringLiteral("opened read-only: ") + m_readOnlyReason, m_path};
    int removed = 0;
    if (Status s = exec("BEGIN IMMEDIATE"); !s)
        return s.error();
    auto fail = [this](const QString &what) {
        Error e = sqlError(what);
        sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
        return e;
    };
    for (const auto &sp : m_streams) {
        if (removed >= maxRows)
            break;
        const qint64 cutoff =
            nowMs - (sp->kind == SeriesKind::Raw ? m_options.retention.rawMs : m_options.retention.kpiMs);
        Stmt values(
            m_db, "DELETE FROM chunk_values WHERE (series, t_min) IN (SELECT v.series, v.t_min FROM series s "
                  "JOIN chunk_values v ON v.series = s.id WHERE s.stream = ?1 AND v.t_max < ?2 LIMIT ?3)");
        values.bind(1, sp->id).bind(2, cutoff).bind(3, qint64(maxRows - removed));
        if (!values.run())
            return fail(QStringLiteral("cannot prune old samples"));
        const int n = sqlite3_changes(m_db);
        removed += n;
        if (removed < maxRows) {
            // Every value column of these chunks is gone: their timestamp columns go too.
            Stmt chunks(m_db, "DELETE FROM chunks WHERE (stream, t_min) IN (SELECT stream, t_min FROM chunks "
                              "WHERE stream = ?1 AND t_max < ?2 LIMIT ?3)");
            chunks.bind(1, sp->id).bind(2, cutoff).bind(3, qint64(maxRows - removed));
            if (!chunks.run())
                return fail(QStringLiteral("cannot prune old samples"));
            removed += sqlite3_changes(m_db);
        }
    }
    if (removed < maxRows) {
        Stmt rollups(m_db,
                     "DELETE FROM rollups WHERE (series, res, t) IN (SELECT series, res, t FROM rollups "
                     "WHERE t < ?1 LIMIT ?2)");
        rollups.bind(1, nowMs - m_options.retention.rollupMs).bind(2, qint64(maxRows - removed));
        if (!rollups.run())
            return fail(QStringLiteral("cannot prune old rollups"));
        removed += sqlite3_changes(m_db);
    }
    if (sqlite3_exec(m_db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK)
        return fail(QStringLiteral("cannot prune"));
    return removed;
}

Status HistoryStore::setMaxPageCount(int pages)
{
    const QByteArray pragma = "PRAGMA max_page_count = " + QByteArray::number(pages);
    return exec(pragma.constData());
}

Status HistoryStore::close()
{
    if (!m_db)
        return {};
    Status result;
    if (!m_readOnly) {
        if (Status s = exec("BEGIN IMMEDIATE"); !s)
            return s;
        Status written = writePending(true);
        if (written && sqlite3_exec(m_db, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK) {
            afterCommit();
        } else {
            result = written ? sqlError(QStringLiteral("cannot write the last samples")) : written;
            abandonTransaction();
        }
        // Head rows deleted by sealing leave free pages; hand them back so the file is as small as its data.
        sqlite3_exec(m_db, "PRAGMA incremental_vacuum", nullptr, nullptr, nullptr);
        sqlite3_exec(m_db, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr);
    }
    sqlite3_close_v2(m_db);
    m_db = nullptr;
    m_lock.reset();
    return result;
}

// ---- reading ----

Result<QList<SeriesInfo>> HistoryStore::series(SeriesKind kind, const QString &target, const QString &name)
{
    Stmt q(m_db,
           "SELECT s.id, t.target, s.name, s.labels FROM series s JOIN streams t ON t.id = s.stream "
           "WHERE t.kind = ?1 AND (?2 = '' OR t.target = ?2) AND (?3 = '' OR s.name = ?3) ORDER BY s.id");
    if (!q.ok())
        return sqlError(QStringLiteral("cannot list series"));
    q.bind(1, qint64(kind)).bind(2, target).bind(3, name);
    QList<SeriesInfo> out;
    while (q.step() == SQLITE_ROW)
        out.append(SeriesInfo{q.int64(0), kind, q.text(1), q.text(2), q.text(3)});
    if (q.rc() != SQLITE_DONE)
        return sqlError(QStringLiteral("cannot list series"));
    return out;
}

Result<SeriesInfo> HistoryStore::seriesById(qint64 id)
{
    Stmt q(m_db,
           "SELECT s.id, t.kind, t.target, s.name, s.labels FROM series s JOIN streams t ON t.id = s.stream "
           "WHERE s.id = ?1");
    q.bind(1, id);
    if (!q.ok() || q.step() != SQLITE_ROW)
        return Error{QStringLiteral("no series %1 in the history file").arg(id), m_path};
    return SeriesInfo{q.int64(0), SeriesKind(q.int64(1)), q.text(2), q.text(3), q.text(4)};
}

Status HistoryStore::readSeriesRange(qint64 seriesId, qint64 fromMs, qint64 toMs, QList<SamplePoint> &out)
{
    return visitSeriesRange(seriesId, fromMs, toMs, [&out](qint64 t, double v) { out.append({t, v}); });
}

// The decoded timestamp column of a sealed chunk. Chunks never change once written, and every series of a
// stream shares its stream's columns, so a reader decodes each once (a small cache, dropped whole when full).
const std::vector<std::int64_t> *HistoryStore::timestampColumn(qint64 stream, qint64 tMin,
                                                               std::string_view blob)
{
    const auto key = std::make_pair(stream, tMin);
    if (const auto it = m_tsCache.find(key); it != m_tsCache.end())
        return &it->second;
    if (m_tsCache.size() >= 8192)
        m_tsCache.clear();
    std::vector<std::int64_t> ts;
    if (!history::decompressBlob(blob, m_readScratch) || !history::decodeTimestamps(m_readScratch, ts))
        return nullptr;
    return &m_tsCache.emplace(key, std::move(ts)).first->second;
}

template <typename Visit>
Status HistoryStore::visitSeriesRange(qint64 seriesId, qint64 fromMs, qint64 toMs, Visit &&visit)
{
    qint64 streamId = -1;
    {
        Stmt q(m_db, "SELECT stream FROM series WHERE id = ?1");
        q.bind(1, seriesId);
        if (!q.ok() || q.step() != SQLITE_ROW)
            return Error{QStringLiteral("no series %1 in the history file").arg(seriesId), m_path};
        streamId = q.int64(0);
    }
    // Chunks span at most kMaxChunkSpanMs, so the primary keys (…, t_min) bound both scans.
    const qint64 lo =
        fromMs > std::numeric_limits<qint64>::min() + kMaxChunkSpanMs ? fromMs - kMaxChunkSpanMs : fromMs;
    Stmt values(m_db, "SELECT t_min, data FROM chunk_values WHERE series = ?1 AND t_min BETWEEN ?2 AND ?3 "
                      "AND t_max >= ?4 ORDER BY t_min");
    Stmt chunk(m_db, "SELECT ts FROM chunks WHERE stream = ?1 AND t_min = ?2");
    if (!chunk.ok() || !values.ok())
        return sqlError(QStringLiteral("cannot read samples"));
    values.bind(1, seriesId).bind(2, lo).bind(3, toMs).bind(4, fromMs);
    std::string valRaw;
    std::vector<double> vals;
    int rc;
    while ((rc = values.step()) == SQLITE_ROW) {
        const qint64 tMin = values.int64(0);
        const std::vector<std::int64_t> *ts = nullptr;
        if (const auto it = m_tsCache.find({streamId, tMin}); it != m_tsCache.end()) {
            ts = &it->second;
        } else {
            chunk.reset();
            chunk.bind(1, streamId).bind(2, tMin);
            if (chunk.step() != SQLITE_ROW)
                continue; // pruned between the two reads
            ts = timestampColumn(streamId, tMin, chunk.blob(0));
        }
        vals.clear();
        if (!ts || !history::decompressBlob(values.blob(1), valRaw) ||
            !history::decodeValues(valRaw, ts->size(), vals))
            return Error{
                QStringLiteral("a damaged chunk (series %1 at %2); move the file aside and start a new one")
                    .arg(seriesId)
                    .arg(tMin),
                m_path};
        for (std::size_t i = 0; i < ts->size(); ++i) {
            const qint64 t = (*ts)[i];
            if (t >= fromMs && t <= toMs && !history::isAbsent(vals[i]))
                visit(t, vals[i]);
        }
    }
    if (rc != SQLITE_DONE)
        return sqlError(QStringLiteral("cannot read samples"));
    Stmt head(m_db, "SELECT ts, data FROM head WHERE stream = ?1 AND ts BETWEEN ?2 AND ?3 ORDER BY ts");
    head.bind(1, streamId).bind(2, fromMs).bind(3, toMs);
    while (head.step() == SQLITE_ROW) {
        const qint64 t = head.int64(0);
        decodeHeadRow(head.blob(1), [&](qint64 id, double v) {
            if (id == seriesId)
                visit(t, v);
            return id < seriesId;
        });
    }
    return {};
}

Result<QList<SamplePoint>> HistoryStore::samples(qint64 seriesId, qint64 fromMs, qint64 toMs)
{
    QList<SamplePoint> out;
    if (Status s = readSeriesRange(seriesId, fromMs, toMs, out); !s)
        return s.error();
    return out;
}

Result<DecimatedSeries> HistoryStore::decimated(qint64 seriesId, qint64 fromMs, qint64 toMs, int buckets)
{
    if (buckets <= 0 || toMs < fromMs)
        return Error{QStringLiteral("a decimated query needs at least one bucket and from <= to"), m_path};
    DecimatedSeries result;
    result.bucketMs = std::max<qint64>(1, (toMs - fromMs + buckets) / buckets);
    Result<SeriesInfo> info = seriesById(seriesId);
    if (!info)
        return info.error();
    result.buckets.reserve(buckets + 1);
    auto bucketOf = [&](qint64 t) -> SeriesBucket & {
        const qint64 start = fromMs + (t - fromMs) / result.bucketMs * result.bucketMs;
        if (result.buckets.isEmpty() || result.buckets.last().startMs != start)
            result.buckets.append(SeriesBucket{start, 0, std::numeric_limits<double>::quiet_NaN(), 0,
                                               std::numeric_limits<double>::quiet_NaN(), 0, 0});
        return result.buckets.last();
    };
    const qint64 res = info->kind != SeriesKind::Kpi  ? 0
                       : result.bucketMs >= kHourMs   ? kHourMs
                       : result.bucketMs >= kMinuteMs ? kMinuteMs
                                                      : 0;
    if (res) {
        result.resolution = res == kHourMs ? QStringLiteral("1h") : QStringLiteral("1m");
        Stmt q(m_db, "SELECT t, min, max, sum, count FROM rollups WHERE series = ?1 AND res = ?2 AND t "
                     "BETWEEN ?3 AND ?4 "
                     "ORDER BY t");
        q.bind(1, seriesId).bind(2, res).bind(3, floorTo(fromMs, res)).bind(4, toMs);
        while (q.step() == SQLITE_ROW) {
            const qint64 t = std::max(q.int64(0), fromMs);
            SeriesBucket &b = bucketOf(t);
            const double mn = q.real(1), mx = q.real(2);
            if (b.count == 0 || mn < b.min)
                b.min = mn, b.minMs = t;
            if (b.count == 0 || mx > b.max)
                b.max = mx, b.maxMs = t;
            b.sum += q.real(3);
            b.count += q.int64(4);
        }
        if (q.rc() != SQLITE_DONE)
            return sqlError(QStringLiteral("cannot read rollups"));
        return result;
    }
    result.resolution = QStringLiteral("raw");
    SeriesBucket *current = nullptr;
    qint64 currentEnd = std::numeric_limits<qint64>::min();
    const Status read = visitSeriesRange(seriesId, fromMs, toMs, [&](qint64 t, double v) {
        if (!std::isfinite(v))
            return;
        if (!current || t >= currentEnd || t < current->startMs) {
            current = &bucketOf(t);
            currentEnd = current->startMs + result.bucketMs;
        }
        SeriesBucket &b = *current;
        if (b.count == 0 || v < b.min)
            b.min = v, b.minMs = t;
        if (b.count == 0 || v > b.max)
            b.max = v, b.maxMs = t;
        b.sum += v;
        ++b.count;
    });
    if (!read)
        return read.error();
    return result;
}

Result<QList<HistoryEvent>> HistoryStore::events(const EventQuery &query)
{
    Stmt q(m_db, "SELECT id, ts, kind, target, severity, actor, message, details FROM events WHERE ts "
                 "BETWEEN ?1 AND ?2 "
                 "AND (?3 = '' OR kind = ?3) AND (?4 = '' OR target = ?4) AND severity >= ?5 ORDER BY ts, id "
                 "LIMIT ?6");
    if (!q.ok())
        return sqlError(QStringLiteral("cannot read events"));
    q.bind(1, query.fromMs).bind(2, query.toMs).bind(3, query.kind).bind(4, query.target);
    q.bind(5, qint64(query.minSeverity ? int(*query.minSeverity) : 0)).bind(6, qint64(query.limit));
    QList<HistoryEvent> out;
    while (q.step() == SQLITE_ROW) {
        HistoryEvent e;
        e.id = q.int64(0);
        e.timestampMs = q.int64(1);
        e.kind = q.text(2);
        e.target = q.text(3);
        e.severity = EventSeverity(std::clamp<qint64>(q.int64(4), 0, 2));
        e.actor = q.text(5);
        e.message = q.text(6);
        e.details = QJsonDocument::fromJson(q.text(7).toUtf8()).object();
        out.append(e);
    }
    if (q.rc() != SQLITE_DONE)
        return sqlError(QStringLiteral("cannot read events"));
    return out;
}

Result<HistoryStats> HistoryStore::stats()
{
    HistoryStats st;
    st.schemaVersion = kSchemaVersion;
    auto one = [this](const char *sql, qint64 &out) {
        Stmt q(m_db, sql);
        if (!q.ok() || q.step() != SQLITE_ROW)
            return false;
        out = q.int64(0);
        return true;
    };
    if (!one("SELECT count(*) FROM series", st.series) ||
        !one("SELECT count(*) FROM series s JOIN streams t ON t.id = s.stream WHERE t.kind = 1",
             st.kpiSeries) ||
        !one("SELECT coalesce(sum(n), 0) FROM chunk_values", st.samples) ||
        !one("SELECT count(*) FROM chunks", st.chunks) || !one("SELECT count(*) FROM events", st.events) ||
        !one("SELECT coalesce(min(t_min), 0) FROM chunks", st.firstMs) ||
        !one("SELECT coalesce(max(t_max), 0) FROM chunks", st.lastMs))
        return sqlError(QStringLiteral("cannot read statistics"));
    st.rawSeries = st.series - st.kpiSeries;
    Stmt head(m_db, "SELECT ts, data FROM head");
    while (head.step() == SQLITE_ROW) {
        std::string_view blob = head.blob(1);
        std::uint64_t n = 0;
        history::getVarint(blob, n);
        st.headSamples += qint64(n);
        const qint64 t = head.int64(0);
        st.firstMs = st.firstMs ? std::min(st.firstMs, t) : t;
        st.lastMs = std::max(st.lastMs, t);
    }
    st.samples += st.headSamples;
    st.fileBytes = QFileInfo(m_path).size();
    if (const QFileInfo wal(m_path + QStringLiteral("-wal")); wal.exists())
        st.fileBytes += wal.size();
    return st;
}

} // namespace clusterdeck
