#include "metrics/collector.h"

#include "common/url_text.h"
#include "metrics/kpi_engine.h"
#include "metrics/live_series_store.h"
#include "metrics/node_prober.h"
#include "metrics/prom_kpi_source.h"
#include "metrics/scraper.h"

#include <QDateTime>
#include <QThread>
#include <QTimer>
#include <algorithm>
#include <ctime>

namespace clusterdeck {

namespace {

qint64 threadCpuUs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return qint64(ts.tv_sec) * 1'000'000 + ts.tv_nsec / 1000;
}

} // namespace

void mergeScrapeIntoStatus(TargetStatus &status, const ScrapeResult &scrape, bool hasHealthCheck)
{
    const qint64 finishedMs = scrape.startedAt.isValid()
                                  ? scrape.startedAt.toMSecsSinceEpoch() + scrape.durationUs / 1000
                                  : QDateTime::currentMSecsSinceEpoch();
    status.latencyMs = std::max<int>(status.latencyMs, int(scrape.durationUs / 1000));
    status.checkedAtMs = std::max(status.checkedAtMs, finishedMs);
    const QString url = redactUrl(scrape.target.url);
    if (!hasHealthCheck) {
        // The page is the only sign of life this target gives.
        if (scrape.ok()) {
            status.state = TargetStatus::State::Up;
            status.reason.clear();
        } else {
            status.state = TargetStatus::State::Down;
            status.reason = QStringLiteral("metrics: ") +
                            (scrape.error ? scrape.error->message : QStringLiteral("no page"));
        }
        status.endpoint = url;
        return;
    }
    // Health speaks for the node first: a failed scrape only downs a node its health check let through.
    if (!scrape.ok() && status.state != TargetStatus::State::Down) {
        status.state = TargetStatus::State::Down;
        status.reason =
            QStringLiteral("metrics: ") + (scrape.error ? scrape.error->message : QStringLiteral("no page"));
        status.endpoint = url;
    }
}

// ---- CollectionRoundRunner ----

CollectionRoundRunner::CollectionRoundRunner(const Cluster &cluster, QObject *parent)
    : QObject(parent), m_cluster(cluster), m_healthOnly(cluster), m_prober(new NodeProber(this)),
      m_scraper(new Scraper(this))
{
    qRegisterMetaType<CollectionRound>();
    qRegisterMetaType<ScrapeFailure>();
    qRegisterMetaType<QList<ScrapeFailure>>();
    qRegisterMetaType<KpiPoints>();
    qRegisterMetaType<ScrapeResult>();

    Result<KpiEngine> engine = KpiEngine::forCluster(cluster);
    if (engine) {
        m_engine = std::make_unique<KpiEngine>(std::move(engine).value());
    } else {
        m_setupError = engine.error();
        QList<KpiTarget> targets;
        for (const Gateway &gateway : cluster.gateways)
            targets.append(KpiTarget::fromGateway(gateway));
        for (const Node &node : cluster.nodes)
            targets.append(KpiTarget::fromNode(node));
        m_engine = std::make_unique<KpiEngine>(targets);
    }
    // Same order as the prober's statuses and the engine's targets: gateways, then nodes.
    for (Gateway &gateway : m_healthOnly.gateways) {
        m_metricsUrls.append(gateway.metricsUrl);
        m_hasHealth.append(false);
        gateway.metricsUrl.clear();
    }
    for (Node &node : m_healthOnly.nodes) {
        m_metricsUrls.append(node.metricsUrl);
        m_hasHealth.append(!node.healthUrl.isEmpty());
        node.metricsUrl.clear();
    }
    connect(m_prober, &NodeProber::roundFinished, this, &CollectionRoundRunner::onHealthFinished);
    connect(m_scraper, &Scraper::finished, this, &CollectionRoundRunner::onScrapeFinished);
}

CollectionRoundRunner::~CollectionRoundRunner() = default;

bool CollectionRoundRunner::run()
{
    if (m_running)
        return false;
    m_running = true;
    m_healthDone = false;
    ++m_roundNumber;
    m_startedMs = QDateTime::currentMSecsSinceEpoch();
    m_statuses.clear();
    m_results = QList<std::shared_ptr<const ScrapeResult>>(m_metricsUrls.size());
    m_scrapeTarget.clear();
    m_pendingScrapes = 0;

    for (int i = 0; i < m_metricsUrls.size(); ++i) {
        if (m_metricsUrls[i].isEmpty())
            continue;
        ScrapeTarget target;
        target.node = m_engine->target(i).name;
        const KpiTarget &kt = m_engine->target(i);
        target.role = kt.isGateway ? gatewayKindName(kt.gatewayKind) : roleName(kt.role);
        target.url = m_metricsUrls[i];
        target.timeoutMs = m_cluster.scrapeTimeoutMs;
        ++m_pendingScrapes;
        m_scrapeTarget.insert(m_scraper->scrape(target), i);
    }
    // The prober may report synchronously (no health URL at all); the scrapes are already counted by then.
    m_prober->probe(m_healthOnly);
    return true;
}

void CollectionRoundRunner::onHealthFinished(const QList<TargetStatus> &statuses)
{
    if (!m_running || m_healthDone)
        return;
    m_statuses = statuses;
    m_healthDone = true;
    finishIfDone();
}

void CollectionRoundRunner::onScrapeFinished(const ScrapeResult &result)
{
    const auto it = m_scrapeTarget.find(result.id);
    if (!m_running || it == m_scrapeTarget.end())
        return;
    const int index = it.value();
    m_scrapeTarget.erase(it);
    m_results[index] = std::make_shared<const ScrapeResult>(result);
    --m_pendingScrapes;
    finishIfDone();
}

void CollectionRoundRunner::finishIfDone()
{
    if (!m_healthDone || m_pendingScrapes > 0)
        return;
    CollectionRound round;
    round.number = m_roundNumber;
    round.startedMs = m_startedMs;
    round.statuses = m_statuses;
    if (m_setupError) {
        round.errors.append(ScrapeFailure{m_cluster.name, QString(), m_setupError->toString(), m_startedMs});
    }

    const qint64 cpuStart = threadCpuUs();
    for (int i = 0; i < m_results.size(); ++i) {
        const std::shared_ptr<const ScrapeResult> &result = m_results[i];
        if (!result)
            continue;
        if (i < round.statuses.size())
            mergeScrapeIntoStatus(round.statuses[i], *result, m_hasHealth[i]);
        if (result->ok()) {
            const qint64 scrapedMs =
                result->startedAt.isValid() ? result->startedAt.toMSecsSinceEpoch() : m_startedMs;
            if (m_computeKpis)
                m_engine->ingest(i, *result->page, scrapedMs, round.points);
            if (m_keepPages)
                round.pages.append(ScrapedPage{m_engine->target(i).name, scrapedMs, result->page});
            if (!m_browsedTarget.isEmpty() && m_engine->target(i).name == m_browsedTarget)
                round.browsedPage = ScrapedPage{m_browsedTarget, scrapedMs, result->page};
        } else {
            if (m_computeKpis)
                m_engine->markFailed(i, m_startedMs, round.points);
            round.errors.append(ScrapeFailure{
                m_engine->target(i).name, redactUrl(result->target.url),
                result->error ? result->error->message : QStringLiteral("no page"), m_startedMs});
        }
    }
    if (m_computeKpis)
        m_engine->finishRound(m_startedMs, round.points);
    round.kpiCpuUs = threadCpuUs() - cpuStart;
    round.finishedMs = QDateTime::currentMSecsSinceEpoch();

    m_results = QList<std::shared_ptr<const ScrapeResult>>(m_metricsUrls.size()); // drop the pages now
    m_running = false;
    emit finished(round);
}

// ---- Collector ----

namespace {

// Everything that runs on the collector thread; created and destroyed there.
class CollectorWorker : public QObject {
public:
    CollectorWorker(const Cluster &cluster, Collector *owner, LiveSeriesStore *store, bool keepPages,
                    const QString &browsedTarget)
        : m_owner(owner), m_runner(new CollectionRoundRunner(cluster, this)), m_store(store)
    {
        m_runner->setKeepPages(keepPages);
        m_runner->setBrowsedTarget(browsedTarget);
        connect(m_runner, &CollectionRoundRunner::finished, this, &CollectorWorker::publishRound);
        m_timer.setInterval(cluster.scrapeIntervalMs);
        connect(&m_timer, &QTimer::timeout, this, &CollectorWorker::tick);
        if (cluster.metricsSource == MetricsSource::Prometheus)
            usePrometheus(cluster);
    }

    void begin()
    {
        if (m_prometheus) {
            // Charts start with the recent past; live polling begins once it is in, so points stay in order.
            const QDateTime now = QDateTime::currentDateTimeUtc();
            m_prometheus->backfill(now.addSecs(-kBackfillSeconds), now, m_timer.interval());
        }
        tick();
        m_timer.start();
    }

    void setBrowsedTarget(const QString &target) { m_runner->setBrowsedTarget(target); }

    void fillRange(quint64 requestId, const QDateTime &start, const QDateTime &end, int stepMs)
    {
        if (!m_prometheus)
            return;
        delete m_rangeSource; // its request, if still running, never answers
        m_rangeSource = new PromKpiSource(m_prometheus->plan(), m_prometheus->client().server(), this);
        Collector *owner = m_owner;
        connect(m_rangeSource, &PromKpiSource::backfilled, this,
                [owner, requestId](const KpiPoints &points, const QStringList &errors) {
                    QMetaObject::invokeMethod(
                        owner,
                        [owner, requestId, points, errors] {
                            emit owner->rangeFilled(requestId, points, errors);
                        },
                        Qt::QueuedConnection);
                });
        m_rangeSource->backfill(start, end, stepMs);
    }

private:
    static constexpr int kBackfillSeconds = 15 * 60;

    void usePrometheus(const Cluster &cluster)
    {
        Result<PromKpiPlan> plan = PromKpiPlan::forCluster(cluster);
        if (!plan) {
            m_setupError = plan.error().toString();
            return;
        }
        m_runner->setComputeKpis(false);
        m_prometheus = new PromKpiSource(std::move(plan).value(), cluster.prometheusUrl, this);
        connect(m_prometheus, &PromKpiSource::backfilled, this,
                [this](const KpiPoints &points, const QStringList &errors) {
                    m_backfilled = true;
                    publishKpis(points, errors);
                });
        connect(m_prometheus, &PromKpiSource::polled, this,
                [this](const KpiPoints &points, const QStringList &errors) {
                    publishKpis(points, errors);
                    publishPollStats();
                });
    }

    void tick()
    {
        // A round or poll slower than the interval is left to finish rather than restarted, so slow targets
        // and a slow Prometheus still report; the tick that finds a poll running is counted as skipped.
        m_runner->run();
        if (m_prometheus && m_backfilled && !m_prometheus->poll())
            publishPollStats();
    }

    void publishPollStats()
    {
        Collector *owner = m_owner;
        QMetaObject::invokeMethod(
            owner, [owner, stats = m_prometheus->stats()] { emit owner->promPollStatsUpdated(stats); },
            Qt::QueuedConnection);
    }

    // Signal to signal: the owner's signals are queued into the owner's thread.
    void publishRound(const CollectionRound &round)
    {
        if (m_store)
            m_store->append(round.points);
        Collector *owner = m_owner;
        QList<ScrapeFailure> errors = round.errors;
        if (!m_setupError.isEmpty())
            errors.append(
                ScrapeFailure{QStringLiteral("prometheus"), QString(), m_setupError, round.startedMs});
        const bool kpisFromRound = !m_prometheus;
        QMetaObject::invokeMethod(
            owner,
            [owner, round, errors, kpisFromRound] {
                emit owner->statusesUpdated(round.statuses);
                if (kpisFromRound)
                    emit owner->kpisUpdated(round.points);
                if (!errors.isEmpty())
                    emit owner->scrapeErrors(errors);
                emit owner->roundFinished(round);
            },
            Qt::QueuedConnection);
    }

    void publishKpis(const KpiPoints &points, const QStringList &queryErrors)
    {
        if (m_store)
            m_store->append(points);
        QList<ScrapeFailure> errors;
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        for (const QString &error : queryErrors)
            errors.append(ScrapeFailure{QStringLiteral("prometheus"),
                                        redactUrl(m_prometheus->client().server()), error, now});
        Collector *owner = m_owner;
        QMetaObject::invokeMethod(
            owner,
            [owner, points, errors] {
                emit owner->kpisUpdated(points);
                if (!errors.isEmpty())
                    emit owner->scrapeErrors(errors);
            },
            Qt::QueuedConnection);
    }

    Collector *m_owner;
    CollectionRoundRunner *m_runner;
    LiveSeriesStore *m_store;
    PromKpiSource *m_prometheus = nullptr;
    PromKpiSource *m_rangeSource = nullptr; // fillRange()'s, one at a time
    bool m_backfilled = false;
    QString m_setupError;
    QTimer m_timer{this};
};

} // namespace

Collector::Collector(const Cluster &cluster, QObject *parent)
    : QObject(parent), m_cluster(cluster), m_thread(new QThread(this))
{
    m_thread->setObjectName(QStringLiteral("collector"));
    qRegisterMetaType<TargetStatus>();
    qRegisterMetaType<QList<TargetStatus>>();
    qRegisterMetaType<KpiPoints>();
    qRegisterMetaType<CollectionRound>();
    qRegisterMetaType<QList<ScrapeFailure>>();
    qRegisterMetaType<PromPollStats>();
}

Collector::~Collector()
{
    stop();
}

void Collector::start()
{
    if (m_thread->isRunning())
        return;
    auto *worker = new CollectorWorker(m_cluster, this, m_store, m_keepPages, m_browsedTarget);
    worker->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, worker, &QObject::deleteLater);
    m_worker = worker;
    m_thread->start();
    QMetaObject::invokeMethod(
        worker, [worker] { worker->begin(); }, Qt::QueuedConnection);
}

void Collector::setBrowsedTarget(const QString &target)
{
    m_browsedTarget = target;
    if (auto *worker = static_cast<CollectorWorker *>(m_worker))
        QMetaObject::invokeMethod(
            worker, [worker, target] { worker->setBrowsedTarget(target); }, Qt::QueuedConnection);
}

void Collector::fillRange(quint64 requestId, qint64 startMs, qint64 endMs, int stepMs)
{
    if (auto *worker = static_cast<CollectorWorker *>(m_worker))
        QMetaObject::invokeMethod(
            worker,
            [worker, requestId, startMs, endMs, stepMs] {
                worker->fillRange(requestId, QDateTime::fromMSecsSinceEpoch(startMs, Qt::UTC),
                                  QDateTime::fromMSecsSinceEpoch(endMs, Qt::UTC), std::max(stepMs, 1000));
            },
            Qt::QueuedConnection);
}

void Collector::stop()
{
    if (!m_thread->isRunning())
        return;
    m_thread->quit();
    m_thread->wait();
    m_worker = nullptr;
}

} // namespace clusterdeck
