#pragma once

#include <QObject>
#include <QString>
#include <memory>

class QLabel;
class QTimer;

namespace clusterdeck {
class Collector;
class HistoryRecorder;
struct HistoryEvent;
class LiveSeriesStore;
struct Cluster;
} // namespace clusterdeck

// The console's recording: back-fills the live charts from the cluster's history file at start-up (as far
// back as the live store holds, so a restart shows it at once), then records every round on the recorder's
// writer thread and shows file, size and samples/s (or why it is not recording) in a status-bar label. The
// GUI thread never writes.
class HistorySession : public QObject {
    Q_OBJECT
public:
    HistorySession(const clusterdeck::Cluster &cluster, clusterdeck::LiveSeriesStore *store,
                   QObject *parent = nullptr);
    ~HistorySession() override;

    // Before collector->start(): rounds carry their pages (raw recording) and go to the recorder.
    void attach(clusterdeck::Collector *collector);
    QLabel *statusLabel() const { return m_label; }
    bool isRecording() const;
    // Queues an event (a drain's report, an alert) to the recorder's writer thread; false when not recording.
    bool recordEvent(const clusterdeck::HistoryEvent &event);
    const QString &path() const { return m_path; }
    qint64 backfilledPoints() const { return m_backfilled; }

private:
    void backfill(clusterdeck::LiveSeriesStore *store, qint64 windowMs);
    void startRecording();
    void updateLabel();

    QString m_path;
    bool m_raw = true;
    std::unique_ptr<clusterdeck::HistoryRecorder> m_recorder;
    QString m_notRecording; // why not, when starting failed
    QLabel *m_label;
    QTimer *m_timer;
    qint64 m_lastSamples = 0;
    qint64 m_lastTickMs = 0;
    qint64 m_backfilled = 0;
};
