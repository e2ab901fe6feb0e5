#pragma once

namespace clusterdeck {

class EventLogModel;

// While it lives, warnings and critical messages of the clusterdeck.* log categories, logged on any thread,
// also reach `model` (on the model's thread, by queued invocation). Every message still goes to the message
// handler that was installed before, so stderr and --verbose keep working.
class LogForwarding {
public:
    explicit LogForwarding(EventLogModel *model);
    ~LogForwarding();
    LogForwarding(const LogForwarding &) = delete;
    LogForwarding &operator=(const LogForwarding &) = delete;

    // The category prefix that is forwarded.
    static const char *categoryPrefix() { return "clusterdeck."; }

private:
    EventLogModel *m_model;
};

} // namespace clusterdeck
