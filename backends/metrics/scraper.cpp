#include "metrics/scraper.h"

#include "common/version.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

namespace clusterdeck {

namespace {

QString describeNetworkError(QNetworkReply *reply)
{
    switch (reply->error()) {
    case QNetworkReply::ConnectionRefusedError:
        return QStringLiteral("connection refused");
    case QNetworkReply::HostNotFoundError:
        return QStringLiteral("host not found");
    case QNetworkReply::RemoteHostClosedError:
        return QStringLiteral("the server closed the connection before the page was complete");
    case QNetworkReply::TimeoutError:
        return QStringLiteral("network timeout");
    default:
        return reply->errorString();
    }
}

QString formatBytes(qint64 bytes)
{
    return bytes >= 1024 * 1024 ? QStringLiteral("%1 MiB").arg(double(bytes) / (1024.0 * 1024.0), 0, 'f', 1)
                                : QStringLiteral("%1 bytes").arg(bytes);
}

} // namespace

QString ScrapeTarget::describe() const
{
    QString text = node.isEmpty() ? url.toString() : node;
    if (!role.isEmpty())
        text += QStringLiteral(" (%1)").arg(role);
    if (!node.isEmpty())
        text += QLatin1Char(' ') + url.toString();
    return text;
}

Scraper::Scraper(QObject *parent) : QObject(parent)
{
    qRegisterMetaType<clusterdeck::ScrapeTarget>();
    qRegisterMetaType<clusterdeck::ScrapeResult>();
}

Scraper::~Scraper()
{
    // No results out of a destructor: detach the replies first, then let QNAM (our child) delete them.
    for (auto it = m_running.begin(); it != m_running.end(); ++it) {
        it.key()->disconnect(this);
        it.key()->abort();
    }
    m_running.clear();
}

quint64 Scraper::scrape(const ScrapeTarget &target)
{
    if (!m_network)
        m_network = new QNetworkAccessManager(this);

    QNetworkRequest request(target.url);
    request.setRawHeader("Accept", kAcceptHeader);
    request.setRawHeader("User-Agent", "ClusterDeck/" CLUSTERDECK_VERSION);
    request.setRawHeader("X-Prometheus-Scrape-Timeout-Seconds",
                         QByteArray::number(double(target.timeoutMs) / 1000.0, 'g', 6));
    // Accept-Encoding is left to QNAM: it then asks for gzip and decompresses transparently (setting the
    // header ourselves would turn that off). Its own zip-bomb check would refuse ordinary large pages that
    // compress well; maxBodyBytes caps the decompressed size instead.
    request.setDecompressedSafetyCheckThreshold(-1);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);

    Running running;
    running.id = m_nextId++;
    running.target = target;
    running.startedAt = QDateTime::currentDateTimeUtc();
    running.clock.start();

    QNetworkReply *reply = m_network->get(request);
    running.deadline = new QTimer(reply);
    running.deadline->setSingleShot(true);
    connect(running.deadline, &QTimer::timeout, this, [this, reply] {
        const auto it = m_running.constFind(reply);
        if (it != m_running.constEnd())
            cutShort(reply,
                     QStringLiteral("timed out after %1 s").arg(double(it->target.timeoutMs) / 1000.0));
    });
    running.deadline->start(std::max(1, target.timeoutMs));
    const quint64 id = running.id;
    m_running.insert(reply, std::move(running));

    connect(reply, &QNetworkReply::metaDataChanged, this, [this, reply] { onMetaDataChanged(reply); });
    connect(reply, &QNetworkReply::readyRead, this, [this, reply] { onReadyRead(reply); });
    connect(reply, &QNetworkReply::finished, this, [this, reply] { onFinished(reply); });
    return id;
}

void Scraper::abortAll()
{
    const QList<QNetworkReply *> replies = m_running.keys();
    for (QNetworkReply *reply : replies)
        cutShort(reply, QStringLiteral("aborted"));
}

void Scraper::cutShort(QNetworkReply *reply, const QString &reason)
{
    const auto it = m_running.find(reply);
    if (it == m_running.end() || !it->failure.isEmpty())
        return;
    it->failure = reason;
    reply->abort(); // emits finished() → onFinished reports `reason`
}

void Scraper::onMetaDataChanged(QNetworkReply *reply)
{
    const auto it = m_running.constFind(reply);
    if (it == m_running.constEnd())
        return;
    const QVariant length = reply->header(QNetworkRequest::ContentLengthHeader);
    if (!length.isValid())
        return;
    // A compressed body's length is a lower bound of what it decompresses to, except for tiny overheads.
    if (length.toLongLong() > it->target.maxBodyBytes) {
        cutShort(reply, QStringLiteral("the page (%1) exceeds the body cap of %2")
                            .arg(formatBytes(length.toLongLong()), formatBytes(it->target.maxBodyBytes)));
        return;
    }
    m_running[reply].body.reserve(qsizetype(length.toLongLong()));
}

void Scraper::onReadyRead(QNetworkReply *reply)
{
    const auto it = m_running.find(reply);
    if (it == m_running.end() || !it->failure.isEmpty())
        return;
    it->body += reply->readAll();
    if (it->body.size() > it->target.maxBodyBytes)
        cutShort(
            reply,
            QStringLiteral("the page exceeds the body cap of %1").arg(formatBytes(it->target.maxBodyBytes)));
}

void Scraper::onFinished(QNetworkReply *reply)
{
    const auto it = m_running.find(reply);
    if (it == m_running.end())
        return;
    Running running = std::move(it.value());
    m_running.erase(it);
    reply->deleteLater();
    running.deadline->stop();

    ScrapeResult result;
    result.id = running.id;
    result.target = running.target;
    result.startedAt = running.startedAt;
    result.httpStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.contentType = reply->header(QNetworkRequest::ContentTypeHeader).toString();

    const auto fail = [&](const QString &reason) {
        result.error = Error{reason, running.target.describe()};
        result.bodyBytes = running.body.size();
        result.durationUs = running.clock.nsecsElapsed() / 1000;
        emit finished(result);
    };

    if (!running.failure.isEmpty())
        return fail(running.failure);
    if (result.httpStatus != 0 && (result.httpStatus < 200 || result.httpStatus > 299)) {
        const QString phrase = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
        return fail(QStringLiteral("HTTP %1%2")
                        .arg(result.httpStatus)
                        .arg(phrase.isEmpty() ? QString() : QLatin1Char(' ') + phrase));
    }
    if (reply->error() != QNetworkReply::NoError)
        return fail(describeNetworkError(reply));
    if (result.httpStatus == 0)
        return fail(QStringLiteral("no HTTP response"));
    if (result.contentType.startsWith(QLatin1String("text/html"), Qt::CaseInsensitive))
        return fail(
            QStringLiteral("got an HTML page (Content-Type %1), not metrics").arg(result.contentType));

    running.body += reply->readAll();
    if (running.body.size() > running.target.maxBodyBytes)
        return fail(QStringLiteral("the page exceeds the body cap of %1")
                        .arg(formatBytes(running.target.maxBodyBytes)));

    auto page = std::make_shared<MetricPage>();
    m_parser.setMaxSamples(std::size_t(std::max(0, running.target.maxSamples)));
    const ExpositionFormat format = expositionFormatForContentType(result.contentType.toStdString());
    if (auto error = m_parser.parse(
            std::string_view(running.body.constData(), std::size_t(running.body.size())), format, *page)) {
        // JSON or other non-metrics answers fail on their first byte: their Content-Type says more.
        const bool metricsType =
            result.contentType.isEmpty() ||
            result.contentType.startsWith(QLatin1String("text/plain"), Qt::CaseInsensitive) ||
            format == ExpositionFormat::OpenMetrics;
        return fail(QString::fromStdString(error->toString()) +
                    (metricsType ? QString() : QStringLiteral(" (Content-Type %1)").arg(result.contentType)));
    }

    result.page = std::move(page);
    result.bodyBytes = running.body.size();
    result.durationUs = running.clock.nsecsElapsed() / 1000;
    emit finished(result);
}

} // namespace clusterdeck
