#pragma once

// Value types of the history store: events, series identities, query results. They cross threads.

#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>
#include <cstdint>
#include <limits>

namespace clusterdeck {

enum class EventSeverity : std::uint8_t { Info, Warning, Critical };
QString eventSeverityName(EventSeverity severity); // "info", "warning", "critical"
std::optional<EventSeverity> eventSeverityFromName(QStringView name);

// Something that happened to the cluster or was done to it: a health flip, a drain, an alert, a note.
struct HistoryEvent {
    qint64 id = 0;          // assigned by the store
    qint64 timestampMs = 0; // epoch ms
    QString kind;           // "health", "drain", "alert", "note", "recorder"
    QString target;         // node or gateway name; "" for the whole cluster
    EventSeverity severity = EventSeverity::Info;
    QString actor;       // who: "recorder", "alice@laptop", "alert-engine"
    QString message;     // one line for people
    QJsonObject details; // structured extras (a config diff, step outcomes)
};

// What a series records: the KPI points of each round, or every sample of every scraped page.
enum class SeriesKind : std::uint8_t { Raw = 0, Kpi = 1 };

// One recorded series. Raw: target, metric name, labels as `k="v",...` sorted (the exposition writer's
// appendLabelsText). KPI: target, KPI id, instance in `labels`.
struct SeriesInfo {
    qint64 id = 0;
    SeriesKind kind = SeriesKind::Raw;
    QString target;
    QString name;
    QString labels;

    QString toString() const; // was1/http_server_requests_seconds_count{uri="/api"}, was1/was.tps[/instance]
};

struct SamplePoint {
    qint64 timestampMs = 0;
    double value = 0;
};

// One bucket of a decimated series: the extremes (with their times, so spikes stay where they were) and the
// average, over the samples that fell in [startMs, startMs + width).
struct SeriesBucket {
    qint64 startMs = 0;
    qint64 minMs = 0;
    double min = std::numeric_limits<double>::quiet_NaN();
    qint64 maxMs = 0;
    double max = std::numeric_limits<double>::quiet_NaN();
    double sum = 0;
    qint64 count = 0;
};

struct DecimatedSeries {
    QString resolution; // "raw", "1m", "1h": where the buckets came from
    qint64 bucketMs = 0;
    QList<SeriesBucket> buckets; // only buckets with samples, in time order
    // Points to draw: each bucket's min and max in time order (one when they coincide).
    QList<SamplePoint> points() const;
};

struct Retention {
    qint64 rawMs = 14LL * 24 * 3600 * 1000;
    qint64 kpiMs = 90LL * 24 * 3600 * 1000;
    qint64 rollupMs = 2LL * 366 * 24 * 3600 * 1000;
};

struct HistoryStats {
    qint64 series = 0;
    qint64 rawSeries = 0;
    qint64 kpiSeries = 0;
    qint64 samples = 0;
    qint64 headSamples = 0; // not sealed into chunks yet
    qint64 chunks = 0;
    qint64 events = 0;
    qint64 fileBytes = 0;
    qint64 firstMs = 0;
    qint64 lastMs = 0;
    int schemaVersion = 0;
};

} // namespace clusterdeck

Q_DECLARE_METATYPE(clusterdeck::HistoryEvent)
