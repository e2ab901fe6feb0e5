#pragma once

#include "common/result.h"
#include "metrics/exposition_parser.h"
#include "metrics/metric_page.h"

#include <QByteArray>
#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QMetaType>
#include <QObject>
#include <QString>
#include <QUrl>
#include <memory>
#include <optional>

namespace clusterdeck {

class HttpFetch;
struct HttpFetchResponse;

// One /metrics endpoint and the identity its samples get (exporters add no instance label), with its limits.
struct ScrapeTarget {
    QString node; // inventory name, e.g. "was1", "gw"
    QString role; // "was", "redis", "gateway", ...
    QUrl url;
    int timeoutMs = 10000;                    // whole scrape: connect, headers, body and parse
    qint64 maxBodyBytes = 64LL * 1024 * 1024; // after gzip decompression (and before it)
    int maxSamples = 1000000;
    int maxLabelsPerSeries = 256;

    QString describe() const; // "was1 (was) http://127.0.20.1:8080/actuator/prometheus"
};

// The outcome of one scrape: a complete page or an error, never half a page.
struct ScrapeResult {
    quint64 id = 0; // what Scraper::scrape() returned
    ScrapeTarget target;
    std::shared_ptr<const MetricPage> page; // set exactly when error is not
    std::optional<Error> error;             // where = target.describe(), message = the reason
    QDateTime startedAt;                    // wall clock when the request went out
    qint64 durationUs = 0;                  // request + body + parse
    qint64 bodyBytes = 0;                   // exposition bytes (decompressed)
    int httpStatus = 0;                     // 0 when no response arrived
    QString contentType;

    bool ok() const { return !error.has_value() && page != nullptr; }
};

// Fetches and parses /metrics pages, several at once, without blocking: use it from a thread with an event
// loop (the collector thread); results come back through finished() in that thread, and parsing happens
// there too, never on the thread that owns the GUI unless the Scraper lives there.
class Scraper : public QObject {
    Q_OBJECT
public:
    // Prefers OpenMetrics, takes the text format (as Prometheus 2.x asks).
    static constexpr const char *kAcceptHeader =
        "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    explicit Scraper(QObject *parent = nullptr);
    ~Scraper() override;

    // Starts a scrape; returns its id. Any number may run at once. Only http and https URLs are fetched.
    Q_INVOKABLE quint64 scrape(const clusterdeck::ScrapeTarget &target);
    // Ends every running scrape with an "aborted" error result.
    Q_INVOKABLE void abortAll();
    int runningCount() const { return int(m_running.size()); }

signals:
    void finished(const clusterdeck::ScrapeResult &result);

private:
    static constexpr int kMaxHeaderBytes = 64 * 1024;
    static constexpr int kMaxRedirects = 5;

    struct Running {
        quint64 id = 0;
        ScrapeTarget target;
        QDateTime startedAt;
    };

    void onFinished(HttpFetch *fetch, const HttpFetchResponse &response);

    ExpositionParser m_parser;
    QHash<HttpFetch *, Running> m_running;
    quint64 m_nextId = 1;
};

} // namespace clusterdeck

Q_DECLARE_METATYPE(clusterdeck::ScrapeTarget)
Q_DECLARE_METATYPE(clusterdeck::ScrapeResult)
