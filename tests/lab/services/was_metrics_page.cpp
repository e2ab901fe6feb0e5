#include "was_metrics_page.h"

#include "db_pool.h"
#include "exposition_writer.h"
#include "process_metrics.h"
#include "request_metrics.h"

namespace clusterdeck::lab {

WasMetricsPage::WasMetricsPage(RequestMetrics &requests, DbPool &db, ProcessMetrics &process)
    : m_requests(requests), m_db(db), m_process(process)
{}

HttpReply WasMetricsPage::render()
{
    ExpositionWriter out;
    const DbPoolStats pool = m_db.stats();
    const Labels poolLabel{{"pool", m_db.name().toUtf8()}};

    out.family("hikaricp_connections_acquire_seconds", "Connection acquire time", "summary");
    out.sample("hikaricp_connections_acquire_seconds_count", poolLabel,
               static_cast<double>(pool.acquireCount));
    out.sample("hikaricp_connections_acquire_seconds_sum", poolLabel, pool.acquireSeconds);
    out.family("hikaricp_connections_acquire_seconds_max", "Connection acquire time", "gauge");
    out.sample("hikaricp_connections_acquire_seconds_max", poolLabel, pool.acquireMax);
    out.family("hikaricp_connections_active", "Active connections", "gauge");
    out.sample("hikaricp_connections_active", poolLabel, pool.active);
    out.family("hikaricp_connections_idle", "Idle connections", "gauge");
    out.sample("hikaricp_connections_idle", poolLabel, pool.idle);
    out.family("hikaricp_connections_max", "Max connections", "gauge");
    out.sample("hikaricp_connections_max", poolLabel, pool.max);
    out.family("hikaricp_connections_min", "Min connections", "gauge");
    out.sample("hikaricp_connections_min", poolLabel, pool.min);
    out.family("hikaricp_connections_pending", "Pending threads", "gauge");
    out.sample("hikaricp_connections_pending", poolLabel, pool.pending);
    out.family("hikaricp_connections", "Total connections", "gauge");
    out.sample("hikaricp_connections", poolLabel, pool.total);
    out.family("hikaricp_connections_timeout_total", "Connection timeout total count", "counter");
    out.sample("hikaricp_connections_timeout_total", poolLabel, static_cast<double>(pool.timeouts));
    out.family("hikaricp_connections_usage_seconds", "Connection usage time", "summary");
    out.sample("hikaricp_connections_usage_seconds_count", poolLabel, static_cast<double>(pool.usageCount));
    out.sample("hikaricp_connections_usage_seconds_sum", poolLabel, pool.usageSeconds);
    out.family("hikaricp_connections_usage_seconds_max", "Connection usage time", "gauge");
    out.sample("hikaricp_connections_usage_seconds_max", poolLabel, pool.usageMax);

    m_requests.render(out);
    m_process.render(out);
    return HttpReply::text(200, out.text(), ExpositionWriter::kContentType);
}

} // namespace clusterdeck::lab
