#pragma once

#include "common/result.h"
#include "history/history_types.h"
#include "metrics/kpi.h"

#include <QString>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

struct sqlite3;
class QLockFile;

namespace clusterdeck {

class MetricPage;
struct Cluster;

// The history file of one cluster: KPI points, raw samples and events in one SQLite file (format:
// ARCHITECTURE.md §8). One object is one connection. A read-write store is the file's only writer (a lock
// file next to it keeps a second process out; that one opens read-only and says why) and is used from one
// thread; appends go to memory, commit() writes them in one transaction. Read-only stores are for queries.
class HistoryStore {
public:
    static constexpr int kSchemaVersion = 1;
    static constexpr qint64 kMaxChunkSpanMs = 2 * 3600 * 1000;

    enum class Access { ReadWrite, ReadOnly };

    struct Options {
        int chunkMaxRows = 480;                  // scrapes per sealed chunk
        qint64 chunkMaxSpanMs = kMaxChunkSpanMs; // at most kMaxChunkSpanMs (queries rely on it)
        Retention retention;
        int maxPageCount = 0; // > 0: PRAGMA max_page_count (tests: a full disk)
        // ReadWrite only: when another process holds the file, fail instead of opening it read-only.
        bool requireWriter = false;
    };

    ~HistoryStore();
    HistoryStore(const HistoryStore &) = delete;
    HistoryStore &operator=(const HistoryStore &) = delete;

    // Opens or creates (ReadWrite) the file. Errors say what to do: a damaged file or one that is not a
    // history file (move it aside with moveAside()), one from a newer ClusterDeck, a file that cannot be
    // written. ReadWrite on a file another process records into opens read-only (isReadOnly(), reason()).
    static Result<std::unique_ptr<HistoryStore>> open(const QString &path, Access access,
                                                      const Options &options);
    static Result<std::unique_ptr<HistoryStore>> open(const QString &path, Access access = Access::ReadWrite)
    {
        return open(path, access, Options{});
    }
    // Renames a file that cannot be used to PATH.broken-YYYYMMDD-HHMMSS (with its -wal/-shm); returns the
    // name.
    static Result<QString> moveAside(const QString &path);
    // The default file of a cluster: <app data>/history/<cluster name>.sqlite.
    static QString defaultPath(const QString &clusterName);
    // The file a cluster records into: `override` (--db), else the inventory's history_db (relative to the
    // inventory's folder), else defaultPath().
    static QString pathFor(const Cluster &cluster, const QString &override = {});

    const QString &path() const { return m_path; }
    bool isReadOnly() const { return m_readOnly; }
    const QString &readOnlyReason() const { return m_readOnlyReason; }

    // ---- writing (ReadWrite): appends land in memory until commit() ----

    // Every sample of one scraped page of `target`, all at the scrape time `timestampMs`.
    void appendPage(const QString &target, qint64 timestampMs, const MetricPage &page);
    // KPI points; one row per target and timestamp. Points older than what a series' target already has are
    // dropped (streams only move forward: a Prometheus back-fill may overlap what was recorded).
    void appendKpis(const KpiPoints &points);
    // The series id of an identity, creating it (in memory until commit) when new.
    qint64 seriesId(SeriesKind kind, const QString &target, const QString &name, const QString &labels);
    // One row of values of one target's stream at one time (ids from seriesId() of that kind and target).
    void appendRow(SeriesKind kind, const QString &target, qint64 timestampMs,
                   std::vector<std::pair<qint64, double>> values);
    // Writes everything appended so far in one transaction (seals full chunks, updates rollups). On failure
    // (disk full, read-only) nothing is lost from memory: the next commit() tries again.
    Status commit();
    // Commits pending appends and the event in one transaction; returns the event's id once durable.
    Result<qint64> recordEvent(const HistoryEvent &event);
    // Deletes up to `maxRows` rows older than the retention (raw, KPI, rollups) as of `nowMs`; returns how
    // many went. Small steps, so a prune never holds the file long.
    Result<int> prune(qint64 nowMs, int maxRows = 2000);
    // The file's size limit in pages (PRAGMA max_page_count): tests fill and free "the disk" with it.
    Status setMaxPageCount(int pages);
    // Seals every open chunk, commits, returns freed pages to the file system and checkpoints the WAL.
    Status close();

    qint64 samplesAppended() const { return m_samplesAppended; }
    qint64 pendingRows() const { return qint64(m_pendingHead.size()); }

    // ---- reading (either access) ----

    // Series of a kind whose target (empty = any) and name (empty = any) match.
    Result<QList<SeriesInfo>> series(SeriesKind kind, const QString &target = {}, const QString &name = {});
    Result<SeriesInfo> seriesById(qint64 id);
    Result<QList<SamplePoint>> samples(qint64 seriesId, qint64 fromMs, qint64 toMs);
    // The series over [fromMs, toMs] in at most `buckets` buckets, keeping each bucket's min and max. KPI
    // series use rollups when a bucket spans at least a rollup interval (1 min, 1 h), raw samples otherwise.
    Result<DecimatedSeries> decimated(qint64 seriesId, qint64 fromMs, qint64 toMs, int buckets);
    struct EventQuery {
        qint64 fromMs = 0;
        qint64 toMs = std::numeric_limits<qint64>::max();
        QString kind;   // empty = any
        QString target; // empty = any
        std::optional<EventSeverity> minSeverity;
        int limit = 100000;
    };
    Result<QList<HistoryEvent>> events(const EventQuery &query);
    Result<HistoryStats> stats();

private:
    struct Stream;
    struct PendingSeries {
        qint64 id;
        qint64 stream;
        std::string name;
        std::string labels;
    };
    struct PendingHead {
        qint64 stream;
        qint64 ts;
        std::string blob;
    };
    struct RollupDelta {
        double min, max, sum;
        qint64 count;
    };

    HistoryStore(const QString &path, const Options &options);
    Status openFile(Access access);
    Status createOrMigrate();
    Status loadDictionaries();
    Status recoverHead();
    Error sqlError(const QString &what) const;
    Status exec(const char *sql);

    Stream &stream(SeriesKind kind, const QString &target);
    void addRow(Stream &stream, qint64 ts, std::vector<std::pair<qint64, double>> &values);
    Status writeChunk(Stream &stream, std::size_t begin, std::size_t end);
    std::size_t rowsToSeal(const Stream &stream, bool sealAll) const;
    Status writePending(bool sealAll);
    void afterCommit();
    void abandonTransaction();
    Status readSeriesRange(qint64 seriesId, qint64 fromMs, qint64 toMs, QList<SamplePoint> &out);
    template <typename Visit>
    Status visitSeriesRange(qint64 seriesId, qint64 fromMs, qint64 toMs, Visit &&visit);
    const std::vector<std::int64_t> *timestampColumn(qint64 stream, qint64 tMin, std::string_view blob);

    QString m_path;
    Options m_options;
    sqlite3 *m_db = nullptr;
    bool m_readOnly = false;
    QString m_readOnlyReason;
    std::unique_ptr<QLockFile> m_lock;

    std::vector<std::unique_ptr<Stream>> m_streams;
    std::unordered_map<std::string, Stream *> m_streamByKey; // kind + target
    std::unordered_map<qint64, qint64> m_seriesStream;       // series id → stream id
    qint64 m_nextSeriesId = 1;
    qint64 m_nextStreamId = 1;
    std::vector<PendingSeries> m_pendingSeries;
    std::vector<std::pair<qint64, QString>> m_pendingStreams; // id, "kind:target" inserted at commit
    std::vector<PendingHead> m_pendingHead;
    std::map<std::tuple<qint64, qint64, qint64>, RollupDelta> m_pendingRollups; // series, res, t
    qint64 m_samplesAppended = 0;
    std::string m_scratch;
    std::map<std::pair<qint64, qint64>, std::vector<std::int64_t>> m_tsCache; // (stream, t_min) → timestamps
    std::string m_readScratch;
};

} // namespace clusterdeck
