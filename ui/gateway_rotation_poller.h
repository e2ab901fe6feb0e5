#pragma once

#include "cluster/cluster.h"
#include "metrics/gateway_view.h"
#include "remote/remote_host.h"

#include <QObject>
#include <QThreadPool>
#include <atomic>
#include <functional>
#include <memory>
#include <vector>

class QTimer;

namespace clusterdeck {

// Reads each Caddy gateway's rotation (readCaddyRotation: its running config and in-flight requests, through
// the admin API over the gateway's RemoteHost) at the scrape interval on a thread of its own, and hands the
// views to the GUI thread. HAProxy needs none of this: its metrics say DRAIN and MAINT.
class GatewayRotationPoller : public QObject {
    Q_OBJECT
public:
    using HostFactory = std::function<std::unique_ptr<RemoteHost>(const Gateway &)>;

    // Default host: LocalHost without an ssh target, else SshHost that asks nobody (a known host key and
    // the agent or a key without passphrase; otherwise the poll fails and says so once).
    GatewayRotationPoller(const Cluster &cluster, QObject *parent = nullptr, HostFactory hostFactory = {});
    ~GatewayRotationPoller() override;

    bool hasWork() const { return !m_gateways.empty(); }
    void start();
    void pollNow();

signals:
    // Empty views when the gateway could not be read (its rotation is then unknown, not assumed).
    void viewsUpdated(const QString &gateway, const clusterdeck::GatewayViews &views);

private:
    struct Polled {
        Gateway gateway;
        std::unique_ptr<RemoteHost> host; // used on the pool's thread only
        QString lastError;
    };
    Cluster m_cluster;
    HostFactory m_hostFactory;
    std::vector<std::unique_ptr<Polled>> m_gateways;
    QTimer *m_timer;
    std::atomic<bool> m_busy{false};
    QThreadPool m_pool; // last: destroyed first, waiting for a poll in flight
};

} // namespace clusterdeck
