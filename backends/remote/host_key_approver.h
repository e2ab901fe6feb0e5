#pragma once

#include <QString>

namespace clusterdeck {

// A host key known_hosts does not have yet, as the operator must see it before trusting it.
struct UnknownHostKey {
    QString host; // as known_hosts names it: "host" or "[host]:port"
    QString keyType;
    QString fingerprint; // "SHA256:..."
    QString knownHostsFile;
};

// Decides whether to trust a host key seen for the first time; approved keys are appended to known_hosts.
// The console asks in a dialog, clusterdeckctl approves only with --accept-new. Called on the SSH worker
// thread: a GUI implementation must block on a queued call to the GUI thread.
class HostKeyApprover {
public:
    virtual ~HostKeyApprover() = default;
    virtual bool approve(const UnknownHostKey &key) = 0;
};

// Approves nothing (the default) or everything (clusterdeckctl --accept-new: OpenSSH's StrictHostKeyChecking=
// accept-new; a changed key is refused either way).
class FixedHostKeyApprover : public HostKeyApprover {
public:
    explicit FixedHostKeyApprover(bool approve) : m_approve(approve) {}
    bool approve(const UnknownHostKey &) override { return m_approve; }

private:
    bool m_approve;
};

} // namespace clusterdeck
