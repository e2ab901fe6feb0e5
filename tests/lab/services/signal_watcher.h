#pragma once

#include <QObject>

class QSocketNotifier;

namespace clusterdeck::lab {

// Turns SIGTERM/SIGINT into a Qt signal (self-pipe), so shutdown runs on the event loop.
// Also ignores SIGPIPE: a peer that closed its socket must not kill the process.
class SignalWatcher final : public QObject {
    Q_OBJECT

public:
    explicit SignalWatcher(QObject *parent = nullptr);
    ~SignalWatcher() override;

signals:
    // count is 1 for the first signal, 2 for the next one, ...
    void terminationRequested(int signalNumber, int count);

private:
    void readSignal();

    QSocketNotifier *m_notifier = nullptr;
    int m_count = 0;
};

} // namespace clusterdeck::lab
