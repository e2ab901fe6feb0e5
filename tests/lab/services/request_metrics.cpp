#include "request_metrics.h"

namespace clusterdeck::lab {

QByteArray RequestMetrics::outcome(int status)
{
    if (status >= 100 && status < 200)
        return "INFORMATIONAL";
    if (status >= 200 && status < 300)
        return "SUCCESS";
    if (status >= 300 && status < 400)
        return "REDIRECTION";
    if (status >= 400 && status < 500)
        return "CLIENT_ERROR";
    if (status >= 500 && status < 600)
        return "SERVER_ERROR";
    return "UNKNOWN";
}

void RequestMetrics::record(const QString &method, const QString &uri, int status, double seconds)
{
    const Key key{"None", method.toLatin1(), outcome(status), QByteArray::number(status), uri.toUtf8()};
    QMutexLocker lock(&m_mutex);
    Series &series = m_series[key];
    for (size_t i = 0; i < kBuckets.size(); ++i) {
        if (seconds <= kBuckets[i])
            ++series.buckets[i];
    }
    ++series.count;
    series.sum += seconds;
    series.max->record(seconds);
}

Labels RequestMetrics::labelsOf(const Key &key)
{
    return Labels{
        {"exception", std::get<0>(key)}, {"method", std::get<1>(key)}, {"outcome", std::get<2>(key)},
        {"status", std::get<3>(key)},    {"uri", std::get<4>(key)},
    };
}

void RequestMetrics::render(ExpositionWriter &out)
{
    QMutexLocker lock(&m_mutex);
    if (m_series.empty())
        return;
    out.family("http_server_requests_seconds", "Duration of HTTP server request handling", "histogram");
    for (const auto &[key, series] : m_series) {
        const Labels labels = labelsOf(key);
        for (size_t i = 0; i < kBuckets.size(); ++i) {
            Labels withLe = labels;
            withLe.append(qMakePair(QByteArray("le"), ExpositionWriter::formatValue(kBuckets[i])));
            out.sample("http_server_requests_seconds_bucket", withLe, static_cast<double>(series.buckets[i]));
        }
        Labels inf = labels;
        inf.append(qMakePair(QByteArray("le"), QByteArray("+Inf")));
        out.sample("http_server_requests_seconds_bucket", inf, static_cast<double>(series.count));
        out.sample("http_server_requests_seconds_count", labels, static_cast<double>(series.count));
        out.sample("http_server_requests_seconds_sum", labels, series.sum);
    }
    out.family("http_server_requests_seconds_max", "Duration of HTTP server request handling", "gauge");
    for (const auto &[key, series] : m_series)
        out.sample("http_server_requests_seconds_max", labelsOf(key), series.max->poll());
}

} // namespace clusterdeck::lab
