#pragma once

#include "http_types.h"

namespace clusterdeck::lab {

class DbPool;
class ProcessMetrics;
class RequestMetrics;

// Renders /actuator/prometheus: request histograms, HikariCP pool gauges and process basics,
// named and typed as Micrometer's Prometheus registry does for a Spring Boot app.
class WasMetricsPage {
public:
    WasMetricsPage(RequestMetrics &requests, DbPool &db, ProcessMetrics &process);
    HttpReply render();

private:
    RequestMetrics &m_requests;
    DbPool &m_db;
    ProcessMetrics &m_process;
};

} // namespace clusterdeck::lab
