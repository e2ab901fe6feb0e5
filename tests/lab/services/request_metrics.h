#pragma once

#include "exposition_writer.h"
#include "time_window_max.h"

#include <QMutex>
#include <QString>
#include <array>
#include <map>
#include <memory>
#include <tuple>

namespace clusterdeck::lab {

// http_server_requests_seconds as Micrometer's Prometheus registry renders it for Spring MVC:
// one histogram (with SLO buckets) and one _max gauge per tag set. Thread-safe.
class RequestMetrics {
public:
    static constexpr std::array<double, 12> kBuckets{0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                     0.5,   1.0,  2.5,   3.0,  5.0, 10.0};

    void record(const QString &method, const QString &uri, int status, double seconds);
    void render(ExpositionWriter &out);

    // Spring's "outcome" tag for a status code.
    static QByteArray outcome(int status);

private:
    // exception, method, outcome, status, uri: Micrometer's tag order (sorted by key)
    using Key = std::tuple<QByteArray, QByteArray, QByteArray, QByteArray, QByteArray>;
    struct Series {
        std::array<quint64, kBuckets.size()> buckets{}; // cumulative: observations <= bound
        quint64 count = 0;
        double sum = 0;
        std::unique_ptr<TimeWindowMax> max = std::make_unique<TimeWindowMax>();
    };
    static Labels labelsOf(const Key &key);

    QMutex m_mutex;
    std::map<Key, Series> m_series;
};

} // namespace clusterdeck::lab
