#pragma once

#include "cluster/cluster.h"
#include "common/result.h"
#include "metrics/kpi.h"
#include "metrics/prom_poll_stats.h"
#include "metrics/target_status.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QUrl>
#include <memory>
#include <optional>

class QThread;
class QTimer;

namespace clusterdeck {

class KpiEngine;
class MetricPage;
class LiveSeriesStore;
class NodeProber;
class Scraper;
struct ScrapeResult;

// A target whose /metrics page could not be used this round, with the scraper's reason.
struct ScrapeFailure {
    QString target;
    QString url;
    QString reason; // "connection refused", "line 3, column 7: ...", "no answer within 1500 ms", ...
    qint64 timestampMs = 0;
};

// One page scraped in a round, shared read-only (a MetricPage may be read from any thread): what the history
// recorder stores as raw samples. Rounds carry them only when the runner keeps pages.
struct ScrapedPage {
    QString target;         // inventory name
    qint64 timestampMs = 0; // when the scrape went out
    std::shared_ptr<const MetricPage> page;
};

// Everything one collection round learned: reachability, KPI points and the scrapes that failed. A value type
// that crosses threads.
struct CollectionRound {
    quint64 number = 0;   // 1, 2, ... per runner
    qint64 startedMs = 0; // epoch ms
    qint64 finishedMs = 0;
    QList<TargetStatus> statuses; // gateways first, then nodes, in inventory order
    KpiPoints points;
    QList<ScrapeFailure> errors;
    qint64 kpiCpuUs = 0;      // CPU time the KPI engine took this round (diagnostics)
    QList<ScrapedPage> pages; // every page scraped this round, only when kept (setKeepPages)
    // The page of the target someone browses (setBrowsedTarget), shared, not copied; page is null when none.
    ScrapedPage browsedPage;
};

// Health semantics of a round, shared by the collector and `clusterdeckctl status`: the health endpoint
// decides UP/DOWN where there is one (and its reason wins when both fail); a failed scrape makes the target
// DOWN with the scraper's reason; a target with only a metrics URL is UP exactly when its page was scraped.
void mergeScrapeIntoStatus(TargetStatus &status, const ScrapeResult &scrape, bool hasHealthCheck);

// Runs collection rounds for one cluster: health probes (NodeProber, health URLs only) and one scrape of
// every metrics URL (Scraper) concurrently, then the KPI engine over the pages. Lives in one thread with an
// event loop; keeps the engine's counter state from round to round, so the second round onwards has rates.
class CollectionRoundRunner : public QObject {
    Q_OBJECT
public:
    explicit CollectionRoundRunner(const Cluster &cluster, QObject *parent = nullptr);
    ~CollectionRoundRunner() override;

    // A bad `metric_names:` in the inventory: the runner then uses the default names and reports this error.
    const std::optional<Error> &setupError() const { return m_setupError; }

    // Off in Prometheus mode: the pages are still fetched (they decide reachability) but KPIs come from
    // PromQL.
    void setComputeKpis(bool compute) { m_computeKpis = compute; }
    // Rounds carry their scraped pages (CollectionRound::pages) for raw recording.
    void setKeepPages(bool keep) { m_keepPages = keep; }
    // Rounds carry this target's page as browsedPage (empty: none), for a raw-metrics view.
    void setBrowsedTarget(const QString &target) { m_browsedTarget = target; }

    // Starts a round; returns false (and does nothing) while the previous one is still running.
    bool run();
    bool isRunning() const { return m_running; }

signals:
    void finished(const clusterdeck::CollectionRound &round);

private:
    void onHealthFinished(const QList<TargetStatus> &statuses);
    void onScrapeFinished(const ScrapeResult &result);
    void finishIfDone();

    Cluster m_cluster;
    Cluster m_healthOnly; // the cluster without metrics URLs: the scraper fetches those pages once for both
    std::unique_ptr<KpiEngine> m_engine;
    std::optional<Error> m_setupError;
    NodeProber *m_prober;
    Scraper *m_scraper;
    QList<QUrl> m_metricsUrls; // per target (engine/status order)
    QList<bool> m_hasHealth;

    bool m_computeKpis = true;
    bool m_keepPages = false;
    QString m_browsedTarget;
    bool m_running = false;
    bool m_healthDone = false;
    int m_pendingScrapes = 0;
    quint64 m_roundNumber = 0;
    qint64 m_startedMs = 0;
    QList<TargetStatus> m_statuses;
    QList<std::shared_ptr<const ScrapeResult>> m_results; // per target; null when none
    QHash<quint64, int> m_scrapeTarget;                   // scrape id → target index
};

// The collector: owns its own thread and runs a collection round every scrape interval. Results arrive on
// the thread that created the Collector through queued signals, so the GUI thread never waits on the network
// or parses a page. Points also go straight into the LiveSeriesStore if one is set (its append() is
// thread-safe and coalesces notifications for the GUI thread).
class Collector : public QObject {
    Q_OBJECT
public:
    explicit Collector(const Cluster &cluster, QObject *parent = nullptr);
    ~Collector() override;

    // Before start(); the store must outlive the collector's thread (stop() or destroy the collector first).
    void setLiveSeriesStore(LiveSeriesStore *store) { m_store = store; }
    // Before start(): rounds carry their scraped pages (raw recording into the history).
    void setKeepPages(bool keep) { m_keepPages = keep; }

    void start();
    void stop();
    const Cluster &cluster() const { return m_cluster; }
    // Any time: the rounds from now on carry this target's parsed page (CollectionRound::browsedPage), the
    // same shared page the KPI engine read; empty stops it.
    void setBrowsedTarget(const QString &target);
    // Prometheus mode: evaluates the catalogue's queries as query_range over [startMs, endMs] every stepMs on
    // the collector thread and answers with rangeFilled(requestId, ...). A newer request drops an older one
    // still running (it never answers). Does nothing in direct mode.
    void fillRange(quint64 requestId, qint64 startMs, qint64 endMs, int stepMs);

signals:
    void statusesUpdated(const QList<clusterdeck::TargetStatus> &statuses);
    // The KPI points of one round (after statusesUpdated of the same round).
    void kpisUpdated(const clusterdeck::KpiPoints &points);
    // Targets whose page could not be used this round; not emitted when every scrape worked.
    void scrapeErrors(const QList<clusterdeck::ScrapeFailure> &errors);
    // The whole round, for consumers that want it in one piece (history writer, alerts).
    void roundFinished(const clusterdeck::CollectionRound &round);
    // Prometheus mode only: after every completed poll and every tick skipped because a poll was running.
    void promPollStatsUpdated(const clusterdeck::PromPollStats &stats);
    // The answer to fillRange(): the points of every query that worked (not put into the live store), and a
    // line per failed query.
    void rangeFilled(quint64 requestId, const clusterdeck::KpiPoints &points, const QStringList &errors);

private:
    Cluster m_cluster;
    QThread *m_thread;
    QObject *m_worker = nullptr; // lives in m_thread; owns the timer and the round runner
    LiveSeriesStore *m_store = nullptr;
    bool m_keepPages = false;
    QString m_browsedTarget;
};

} // namespace clusterdeck

Q_DECLARE_METATYPE(clusterdeck::ScrapeFailure)
Q_DECLARE_METATYPE(clusterdeck::CollectionRound)
