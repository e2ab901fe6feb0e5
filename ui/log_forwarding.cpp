#include "log_forwarding.h"

#include "models/event_log_model.h"

#include <QList>
#include <QMetaObject>
#include <QMutex>
#include <QMutexLocker>
#include <atomic>
#include <cstdio>
#include <cstring>

namespace clusterdeck {

namespace {

// The handler is installed once per process and stays: another handler may have been installed on top of it
// and chain to it, so taking it out again would cut that chain. With no model registered it only passes on.
struct Forwarding {
    QMutex mutex;
    QList<EventLogModel *> models;
    std::atomic<QtMessageHandler> previous{nullptr};
    bool installed = false;
};

Forwarding &forwarding()
{
    // Never destroyed: messages may be logged during static destruction.
    static auto *instance = new Forwarding;
    return *instance;
}

thread_local bool t_forwarding = false; // a message logged while forwarding is passed on, not forwarded again

bool forwarded(QtMsgType type, const QMessageLogContext &context)
{
    const char *prefix = LogForwarding::categoryPrefix();
    return (type == QtWarningMsg || type == QtCriticalMsg) && context.category &&
           std::strncmp(context.category, prefix, std::strlen(prefix)) == 0;
}

void handleMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    Forwarding &state = forwarding();
    if (!t_forwarding && forwarded(type, context)) {
        t_forwarding = true;
        const LogEvent event{QDateTime::currentDateTime(),
                             type == QtCriticalMsg ? LogEvent::Severity::Error : LogEvent::Severity::Warning,
                             QString::fromLatin1(context.category), message};
        {
            QMutexLocker lock(&state.mutex);
            // Posted under the lock, so a model cannot unregister and die between the look-up and the post; a
            // model deleted before the call is delivered takes the posted call with it.
            for (EventLogModel *model : std::as_const(state.models))
                QMetaObject::invokeMethod(
                    model, [model, event] { model->append(event); }, Qt::QueuedConnection);
        }
        t_forwarding = false;
    }
    if (const QtMessageHandler previous = state.previous.load())
        previous(type, context, message);
    else
        std::fprintf(stderr, "%s\n", qPrintable(qFormatLogMessage(type, context, message)));
}

} // namespace

LogForwarding::LogForwarding(EventLogModel *model) : m_model(model)
{
    Forwarding &state = forwarding();
    QMutexLocker lock(&state.mutex);
    state.models.append(model);
    if (!state.installed) {
        state.installed = true;
        state.previous = qInstallMessageHandler(handleMessage);
    }
}

LogForwarding::~LogForwarding()
{
    Forwarding &state = forwarding();
    QMutexLocker lock(&state.mutex);
    state.models.removeOne(m_model);
}

} // namespace clusterdeck
