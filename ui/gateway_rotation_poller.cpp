#include "gateway_rotation_poller.h"

#include "console_log.h"
#include "gateway/caddy_admin.h"
#include "remote/local_host.h"
#include "remote/ssh_config.h"
#include "remote/ssh_host.h"

#include <QTimer>

namespace clusterdeck {

GatewayRotationPoller::GatewayRotationPoller(const Cluster &cluster, QObject *parent, HostFactory hostFactory)
    : QObject(parent), m_cluster(cluster), m_hostFactory(std::move(hostFactory)), m_timer(new QTimer(this))
{
    qRegisterMetaType<GatewayViews>();
    if (!m_hostFactory) {
        m_hostFactory = [](const Gateway &gateway) -> std::unique_ptr<RemoteHost> {
            if (!gateway.ssh.isSet())
                return std::make_unique<LocalHost>();
            const Result<SshConfig> config = SshConfig::load(SshConfig::defaultPath());
            SshConnectOptions options;
            options.config = config ? *config : SshConfig{};
            options.settings = options.config.settingsFor(gateway.ssh);
            return std::make_unique<SshHost>(options);
        };
    }
    for (const Gateway &gateway : cluster.gateways) {
        if (gateway.kind == GatewayKind::Caddy && gateway.adminApi.isValid())
            m_gateways.push_back(std::make_unique<Polled>(Polled{gateway, nullptr, {}}));
    }
    m_pool.setMaxThreadCount(1);
    m_timer->setInterval(cluster.scrapeIntervalMs);
    connect(m_timer, &QTimer::timeout, this, &GatewayRotationPoller::pollNow);
}

GatewayRotationPoller::~GatewayRotationPoller()
{
    m_timer->stop();
    m_pool.waitForDone();
}

void GatewayRotationPoller::start()
{
    if (!hasWork())
        return;
    pollNow();
    m_timer->start();
}

void GatewayRotationPoller::pollNow()
{
    // One poll at a time: a slow gateway delays the next poll rather than piling them up.
    if (!hasWork() || m_busy.exchange(true))
        return;
    m_pool.start([this] {
        const auto timeout = std::chrono::milliseconds(m_cluster.scrapeTimeoutMs);
        for (const std::unique_ptr<Polled> &polled : m_gateways) {
            if (!polled->host)
                polled->host = m_hostFactory(polled->gateway);
            const Result<GatewayViews> views =
                readCaddyRotation(m_cluster, polled->gateway, *polled->host, timeout);
            const QString error = views ? QString() : views.error().toString();
            if (!error.isEmpty() && error != polled->lastError)
                qCWarning(lcUi).noquote()
                    << tr("%1: cannot read Caddy's rotation: %2").arg(polled->gateway.name, error);
            polled->lastError = error;
            QMetaObject::invokeMethod(
                this,
                [this, name = polled->gateway.name, result = views ? *views : GatewayViews{}] {
                    emit viewsUpdated(name, result);
                },
                Qt::QueuedConnection);
        }
        m_busy = false;
    });
}

} // namespace clusterdeck
