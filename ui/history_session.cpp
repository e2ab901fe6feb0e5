#include "history_session.h"

#include "history/history_recorder.h"
#include "history/history_store.h"
#include "metrics/collector.h"
#include "metrics/live_series_store.h"

#include <QDateTime>
#include <QFileInfo>
#include <QLabel>
#include <QLocale>
#include <QTimer>
#include <algorithm>

using namespace clusterdeck;

HistorySession::HistorySession(const Cluster &cluster, LiveSeriesStore *store, QObject *parent)
    : QObject(parent), m_path(HistoryStore::pathFor(cluster)),
      m_raw(cluster.recordRaw && cluster.metricsSource == MetricsSource::Direct), m_label(new QLabel),
      m_timer(new QTimer(this))
{
    m_label->setObjectName(QStringLiteral("historyLabel"));
    m_label->setTextInteractionFlags(Qt::LinksAccessibleByMouse);
    connect(m_label, &QLabel::linkActivated, this, [this](const QString &) {
        // The offer made in the label: the damaged file goes aside (never overwritten), a new one starts.
        const Result<QString> moved = HistoryStore::moveAside(m_path);
        if (!moved) {
            m_notRecording = moved.error().toString();
            updateLabel();
            return;
        }
        startRecording();
    });
    // As far back as the store holds (the console's store keeps the longest time window, 6 h).
    backfill(store, qint64(store->capacity()) * std::max(1, cluster.scrapeIntervalMs));
    startRecording();
    connect(m_timer, &QTimer::timeout, this, &HistorySession::updateLabel);
    m_timer->start(2000);
}

HistorySession::~HistorySession() = default; // the recorder's destructor flushes and closes the file

// Before the collector's first round: the live store keeps points in time order and drops older ones.
void HistorySession::backfill(LiveSeriesStore *store, qint64 windowMs)
{
    if (!QFileInfo::exists(m_path))
        return;
    Result<std::unique_ptr<HistoryStore>> reader = HistoryStore::open(m_path, HistoryStore::Access::ReadOnly);
    if (!reader)
        return; // starting the recorder says what is wrong with the file
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const Result<QList<SeriesInfo>> series = (*reader)->series(SeriesKind::Kpi);
    if (!series)
        return;
    KpiPoints points;
    for (const SeriesInfo &info : *series) {
        const Result<QList<SamplePoint>> samples = (*reader)->samples(info.id, now - windowMs, now);
        if (!samples)
            continue;
        for (const SamplePoint &p : *samples)
            points.append(KpiPoint{KpiKey{info.target, info.name, info.labels}, p.timestampMs, p.value});
    }
    std::stable_sort(points.begin(), points.end(),
                     [](const KpiPoint &a, const KpiPoint &b) { return a.timestampMs < b.timestampMs; });
    store->append(points);
    m_backfilled = points.size();
}

void HistorySession::startRecording()
{
    auto recorder = std::make_unique<HistoryRecorder>();
    const Status started = recorder->start(m_path);
    if (!started) {
        m_notRecording = started.error().toString();
        m_recorder.reset();
    } else {
        m_notRecording.clear();
        m_recorder = std::move(recorder);
        connect(m_recorder.get(), &HistoryRecorder::statusChanged, this, &HistorySession::updateLabel);
    }
    updateLabel();
}

void HistorySession::attach(Collector *collector)
{
    collector->setKeepPages(m_raw);
    connect(collector, &Collector::roundFinished, this, [this](const CollectionRound &round) {
        if (m_recorder)
            m_recorder->recordRound(round);
    });
    if (!m_raw) {
        // Prometheus mode: the PromQL points arrive apart from the rounds. (Direct mode's kpisUpdated repeats
        // the round's own points.)
        connect(collector, &Collector::kpisUpdated, this, [this](const KpiPoints &points) {
            if (m_recorder)
                m_recorder->recordKpis(points);
        });
    }
}

bool HistorySession::recordEvent(const clusterdeck::HistoryEvent &event)
{
    if (!m_recorder)
        return false;
    m_recorder->recordEvent(event);
    return true;
}

bool HistorySession::isRecording() const
{
    return m_recorder && !m_recorder->counters().paused;
}

void HistorySession::updateLabel()
{
    const QString file = QFileInfo(m_path).fileName();
    if (!m_recorder) {
        const bool offerMoveAside = m_notRecording.contains(QLatin1String("move it aside"));
        m_label->setText(offerMoveAside
                             ? tr("Not recording: %1 is damaged — <a href=\"move\">move it aside and start a "
                                  "new file</a>")
                                   .arg(file.toHtmlEscaped())
                             : tr("Not recording"));
        m_label->setToolTip(m_notRecording);
        m_label->setStyleSheet(QStringLiteral("color: #b00"));
        return;
    }
    const HistoryRecorder::Counters c = m_recorder->counters();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const double rate = m_lastTickMs && now > m_lastTickMs
                            ? double(c.samples - m_lastSamples) * 1000.0 / double(now - m_lastTickMs)
                            : 0;
    m_lastSamples = c.samples;
    m_lastTickMs = now;
    if (c.paused) {
        m_label->setText(tr("Recording paused (%1)").arg(file));
        m_label->setToolTip(c.error);
        m_label->setStyleSheet(QStringLiteral("color: #b00"));
        return;
    }
    m_label->setText(tr("Recording to %1 · %2 · %3 samples/s")
                         .arg(file, QLocale().formattedDataSize(c.fileBytes))
                         .arg(qRound(rate)));
    m_label->setToolTip(m_path);
    m_label->setStyleSheet(QString());
}
