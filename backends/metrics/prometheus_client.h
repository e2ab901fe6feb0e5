#pragma once

// A client for the documented Prometheus HTTP API (/api/v1/query, /api/v1/query_range, /api/v1/targets), so
// it also works with Prometheus-compatible servers (Thanos, Mimir, VictoriaMetrics) and behind a path prefix
// (http://host/prometheus → http://host/prometheus/api/v1/query).
//
//   PrometheusClient client(QUrl("http://127.0.60.1:9090"));   // lives on the collector thread
//   client.query("sum by (instance) (rate(x[1m]))", {}, [](Result<PromQueryResult> r) { ... });
//
// Calls never block: the callback runs later on the client's thread (also for errors found before sending),
// at most once, and never after the client is destroyed or abort() was called.
//
// At most maxConcurrent() requests are on the wire; the rest wait in the client, in call order. The timeout
// of a request starts when it is sent, not when it is queued: Qt itself holds back all but 6 requests per
// host and would run their timers while they wait, so a burst of slow queries timed out without ever being
// sent.

#include "common/result.h"

#include <QDateTime>
#include <QList>
#include <QMap>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <deque>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <optional>

class QNetworkAccessManager;
class QNetworkReply;

namespace clusterdeck {

using PromLabels =
    QMap<QString, QString>; // sorted by label name; "__name__" holds the metric name when present

struct PromPoint {
    qint64 timestampMs = 0;
    double value = std::numeric_limits<double>::quiet_NaN();
};

// One series of a vector (exactly one point) or of a matrix (points in time order).
struct PromSeries {
    PromLabels labels;
    QList<PromPoint> points;
};

// The "data" of a query answer.
struct PromQueryResult {
    enum class Type { Vector, Matrix, Scalar, String };
    Type type = Type::Vector;
    QList<PromSeries> series;        // Vector, Matrix
    PromPoint scalar;                // Scalar (and String's timestamp)
    QString string;                  // String
    QStringList warnings;            // the server's "warnings" (e.g. partial answers from Thanos)
    int skippedNativeHistograms = 0; // series carrying only native histograms, which the KPIs do not use
};

QString promResultTypeName(PromQueryResult::Type type);

// One active target from /api/v1/targets.
struct PromTarget {
    PromLabels labels;           // after relabelling: job, instance, and the target's own labels
    PromLabels discoveredLabels; // before relabelling (__address__, __metrics_path__, __scheme__, ...)
    QString scrapePool;
    QUrl scrapeUrl;
    QString health; // "up", "down", "unknown"
    QString lastError;
    QDateTime lastScrape;
    double lastScrapeDurationSeconds = 0;
    QString scrapeInterval; // "5s"; empty when the server does not say (older servers)
    QString scrapeTimeout;

    QString job() const { return labels.value(QStringLiteral("job")); }
    QString instance() const { return labels.value(QStringLiteral("instance")); }
};

// Parses a sample value as the API writes it: a JSON string, "NaN", "+Inf", "-Inf" included.
std::optional<double> parsePromValue(const QString &text);
// Builds an API URL under the server URL, keeping its path prefix: (http://h/prom/, "api/v1/query") →
// http://h/prom/api/v1/query.
QUrl promApiUrl(const QUrl &server, const QString &endpoint);
// Parses a whole API answer body (as the server sent it) into a result; `where` names the request in errors.
Result<PromQueryResult> parsePromQueryBody(const QByteArray &body, int httpStatus, const QString &contentType,
                                           const QString &where);
Result<QList<PromTarget>> parsePromTargetsBody(const QByteArray &body, int httpStatus,
                                               const QString &contentType, const QString &where);

class PrometheusClient : public QObject {
    Q_OBJECT
public:
    template <typename T> using Callback = std::function<void(Result<T>)>;

    explicit PrometheusClient(const QUrl &server, QObject *parent = nullptr);
    ~PrometheusClient() override;

    QUrl server() const { return m_server; }
    // Whole-request deadline (connect + answer) from the moment the request is sent; default 10 s.
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }
    int timeoutMs() const { return m_timeoutMs; }
    // Requests on the wire at once (>= 1). The default, 6, is Qt's own limit of HTTP/1.1 connections per
    // host: each request the client sends gets a connection at once, so its timer measures the server.
    void setMaxConcurrent(int requests);
    int maxConcurrent() const { return m_maxConcurrent; }
    // Answers above this size are cut off and reported as an error (a query_range over many series can be
    // big).
    void setMaxBodyBytes(qint64 bytes) { m_maxBodyBytes = bytes; }

    // Instant query; an invalid `time` means "now" on the server. Returns a request id for abort().
    quint64 query(const QString &promql, const QDateTime &time, Callback<PromQueryResult> done);
    // Range query over [start, end] with the given step (> 0).
    quint64 queryRange(const QString &promql, const QDateTime &start, const QDateTime &end, int stepMs,
                       Callback<PromQueryResult> done);
    // Active targets (state=active).
    quint64 targets(Callback<QList<PromTarget>> done);

    // Drops a request; its callback is not called.
    void abort(quint64 requestId);
    void abortAll();
    // Requests not answered yet: sent ones and queued ones.
    int pendingCount() const { return int(m_pending.size()); }
    int sendingCount() const { return m_sending; }
    // Answer time (send to last byte) of the request whose callback runs now, or of the last one answered;
    // -1 before any answer. Time spent in the client's queue is not in it.
    qint64 lastAnswerMs() const { return m_lastAnswerMs; }

private:
    struct Pending;
    using BodyHandler = std::function<void(const QByteArray &body, int httpStatus, const QString &contentType,
                                           const QString &where, const std::optional<Error> &transportError)>;
    quint64 send(const QString &endpoint, const QList<std::pair<QString, QString>> &form, bool post,
                 BodyHandler handler);
    void failLater(quint64 id, BodyHandler handler, Error error);
    void dispatch(quint64 id, Pending &pending);
    void dispatchQueued();
    void finish(quint64 id, QNetworkReply *reply);

    QUrl m_server;
    QNetworkAccessManager *m_network;
    int m_timeoutMs = 10000;
    qint64 m_maxBodyBytes = 256ll * 1024 * 1024;
    int m_maxConcurrent = 6;
    int m_sending = 0;
    qint64 m_lastAnswerMs = -1;
    quint64 m_nextId = 1;
    std::map<quint64, std::unique_ptr<Pending>> m_pending;
    std::deque<quint64> m_queue; // ids waiting to be sent, oldest first
};

// For the CLI and tests only (runs a local event loop): waits for one targets() call.
Result<QList<PromTarget>> fetchPromTargetsBlocking(const QUrl &server, int timeoutMs);
Result<PromQueryResult> queryPromBlocking(const QUrl &server, const QString &promql, int timeoutMs);

} // namespace clusterdeck
