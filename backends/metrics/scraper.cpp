#include "metrics/scraper.h"

#include "common/url_text.h"
#include "common/version.h"
#include "metrics/http_fetch.h"

namespace clusterdeck {

QString ScrapeTarget::describe() const
{
    QString text = node.isEmpty() ? redactUrl(url) : node;
    if (!role.isEmpty())
        text += QStringLiteral(" (%1)").arg(role);
    if (!node.isEmpty())
        text += QLatin1Char(' ') + redactUrl(url);
    return text;
}

Scraper::Scraper(QObject *parent) : QObject(parent)
{
    qRegisterMetaType<clusterdeck::ScrapeTarget>();
    qRegisterMetaType<clusterdeck::ScrapeResult>();
}

Scraper::~Scraper()
{
    // No results out of a destructor: detach the fetches first, then delete them (they are our children).
    for (auto it = m_running.begin(); it != m_running.end(); ++it)
        it.key()->disconnect(this);
    m_running.clear();
}

quint64 Scraper::scrape(const ScrapeTarget &target)
{
    HttpFetchRequest request;
    request.url = target.url;
    request.headers = {
        {"Accept", kAcceptHeader},
        {"User-Agent", "ClusterDeck/" CLUSTERDECK_VERSION},
        {"X-Prometheus-Scrape-Timeout-Seconds",
         QByteArray::number(double(target.timeoutMs) / 1000.0, 'g', 6)},
    };
    request.timeoutMs = target.timeoutMs;
    request.maxBodyBytes = target.maxBodyBytes;
    request.maxHeaderBytes = kMaxHeaderBytes;
    request.maxRedirects = kMaxRedirects;

    Running running;
    running.id = m_nextId++;
    running.target = target;
    running.startedAt = QDateTime::currentDateTimeUtc();

    auto *fetch = new HttpFetch(request, this);
    connect(fetch, &HttpFetch::finished, this,
            [this, fetch](const HttpFetchResponse &response) { onFinished(fetch, response); });
    const quint64 id = running.id;
    m_running.insert(fetch, std::move(running));
    fetch->start();
    return id;
}

void Scraper::abortAll()
{
    const QList<HttpFetch *> fetches = m_running.keys();
    for (HttpFetch *fetch : fetches)
        fetch->cancel(QStringLiteral("aborted"));
}

void Scraper::onFinished(HttpFetch *fetch, const HttpFetchResponse &response)
{
    const auto it = m_running.find(fetch);
    if (it == m_running.end())
        return;
    Running running = std::move(it.value());
    m_running.erase(it);
    fetch->deleteLater();

    ScrapeResult result;
    result.id = running.id;
    result.target = running.target;
    result.startedAt = running.startedAt;
    result.httpStatus = response.status;
    result.contentType = response.contentType;

    const auto fail = [&](const QString &reason) {
        // A server's reason phrase or Content-Type may hold anything, a NUL included: show it, do not obey
        // it.
        result.error = Error{escapeControlCharacters(redactUrlsInText(reason)), running.target.describe()};
        result.bodyBytes = qint64(response.body.size());
        result.durationUs = fetch->elapsedUs();
        emit finished(result);
    };

    if (response.error)
        return fail(*response.error);
    if (result.httpStatus < 200 || result.httpStatus > 299) {
        const QString phrase = QString::fromLatin1(response.reasonPhrase);
        return fail(QStringLiteral("HTTP %1%2")
                        .arg(result.httpStatus)
                        .arg(phrase.isEmpty() ? QString() : QLatin1Char(' ') + phrase));
    }
    if (result.contentType.startsWith(QLatin1String("text/html"), Qt::CaseInsensitive))
        return fail(
            QStringLiteral("got an HTML page (Content-Type %1), not metrics").arg(result.contentType));

    auto page = std::make_shared<MetricPage>();
    m_parser.setMaxSamples(std::size_t(std::max(0, running.target.maxSamples)));
    m_parser.setMaxLabelsPerSeries(std::size_t(std::max(0, running.target.maxLabelsPerSeries)));
    const ExpositionFormat format = expositionFormatForContentType(result.contentType.toStdString());
    if (auto error = m_parser.parse(response.body, format, *page)) {
        // JSON or other non-metrics answers fail on their first byte: their Content-Type says more.
        const bool metricsType =
            result.contentType.isEmpty() ||
            result.contentType.startsWith(QLatin1String("text/plain"), Qt::CaseInsensitive) ||
            format == ExpositionFormat::OpenMetrics;
        return fail(QString::fromStdString(error->toString()) +
                    (metricsType ? QString() : QStringLiteral(" (Content-Type %1)").arg(result.contentType)));
    }

    result.page = std::move(page);
    result.bodyBytes = qint64(response.body.size());
    result.durationUs = fetch->elapsedUs();
    emit finished(result);
}

} // namespace clusterdeck
