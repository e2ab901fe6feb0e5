#include "metrics/prometheus_client.h"

#include "common/version.h"
#include "metrics/bounded_reply_body.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QRegularExpression>
#include <QTimer>
#include <QUrlQuery>
#include <algorithm>
#include <cmath>

namespace clusterdeck {

namespace {

QString urlForMessages(const QUrl &url)
{
    // Never echo credentials into logs and error dialogs.
    return url.toString(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment);
}

QString snippet(const QByteArray &body, int max = 80)
{
    QString text = QString::fromUtf8(body.left(max * 4)).simplified();
    if (text.size() > max)
        text = text.left(max) + QStringLiteral("…");
    return text;
}

bool looksLikeHtml(const QByteArray &body, const QString &contentType)
{
    if (contentType.contains(QLatin1String("html"), Qt::CaseInsensitive))
        return true;
    const QByteArray start = body.trimmed().left(64).toLower();
    return start.startsWith("<!doctype html") || start.startsWith("<html") || start.startsWith("<head") ||
           start.startsWith("<body") || start.startsWith("<?xml");
}

QString htmlTitle(const QByteArray &body)
{
    static const QRegularExpression title(QStringLiteral("<title[^>]*>(.*?)</title>"),
                                          QRegularExpression::CaseInsensitiveOption |
                                              QRegularExpression::DotMatchesEverythingOption);
    const QRegularExpressionMatch match = title.match(QString::fromUtf8(body.left(64 * 1024)));
    return match.hasMatch() ? match.captured(1).simplified() : QString();
}

QString httpPrefix(int httpStatus)
{
    return httpStatus > 0 ? QStringLiteral("HTTP %1: ").arg(httpStatus) : QString();
}

// Decodes the envelope shared by every endpoint: {"status": "success"|"error", "data": ..., "errorType",
// "error", "warnings"}; returns the "data" value, or an Error that says what the server answered instead.
Result<QJsonObject> unwrapEnvelope(const QByteArray &body, int httpStatus, const QString &contentType,
                                   const QString &where, QStringList *warnings)
{
    if (body.trimmed().isEmpty()) {
        return Error{QStringLiteral("%1empty answer where Prometheus API JSON was expected")
                         .arg(httpPrefix(httpStatus)),
                     where};
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        if (looksLikeHtml(body, contentType)) {
            const QString title = htmlTitle(body);
            return Error{
                QStringLiteral("%1the server answered with an HTML page%2, not Prometheus API JSON: is this "
                               "the Prometheus URL, or a proxy / login page in front of it?")
                    .arg(httpPrefix(httpStatus),
                         title.isEmpty() ? QString() : QStringLiteral(" (\"%1\")").arg(title)),
                where};
        }
        const QString why =
            parseError.error != QJsonParseError::NoError
                ? QStringLiteral("%1 at offset %2").arg(parseError.errorString()).arg(parseError.offset)
                : QStringLiteral("a JSON value that is not an object");
        return Error{
            QStringLiteral("%1the answer is not Prometheus API JSON (%2%3): \"%4\"")
                .arg(httpPrefix(httpStatus), why,
                     contentType.isEmpty() ? QString() : QStringLiteral(", Content-Type %1").arg(contentType),
                     snippet(body)),
            where};
    }
    const QJsonObject root = document.object();
    if (warnings) {
        for (const QJsonValue &warning : root.value(QLatin1String("warnings")).toArray())
            warnings->append(warning.toString());
    }
    const QString status = root.value(QLatin1String("status")).toString();
    if (status == QLatin1String("error")) {
        const QString type = root.value(QLatin1String("errorType")).toString();
        const QString message = root.value(QLatin1String("error")).toString();
        return Error{QStringLiteral("%1%2%3").arg(
                         httpPrefix(httpStatus), type.isEmpty() ? QString() : type + QStringLiteral(": "),
                         message.isEmpty() ? QStringLiteral("(no error message)") : message),
                     where};
    }
    if (status != QLatin1String("success")) {
        return Error{
            QStringLiteral("%1JSON without the Prometheus API's \"status\": \"success\"|\"error\": \"%2\"")
                .arg(httpPrefix(httpStatus), snippet(body)),
            where};
    }
    if (httpStatus >= 300) {
        return Error{
            QStringLiteral("%1the server reported success with an error status").arg(httpPrefix(httpStatus)),
            where};
    }
    const QJsonValue data = root.value(QLatin1String("data"));
    if (!data.isObject())
        return Error{QStringLiteral("the answer has no \"data\" object"), where};
    return data.toObject();
}

qint64 toMs(double seconds)
{
    return std::llround(seconds * 1000.0);
}

PromLabels toLabels(const QJsonObject &object)
{
    PromLabels labels;
    for (auto it = object.begin(); it != object.end(); ++it)
        labels.insert(it.key(), it.value().toString());
    return labels;
}

// [1435781451.781, "1"]
std::optional<PromPoint> toPoint(const QJsonValue &value)
{
    const QJsonArray pair = value.toArray();
    if (pair.size() != 2 || !pair.at(0).isDouble() || !pair.at(1).isString())
        return std::nullopt;
    const std::optional<double> number = parsePromValue(pair.at(1).toString());
    if (!number)
        return std::nullopt;
    return PromPoint{toMs(pair.at(0).toDouble()), *number};
}

QString describe(const QJsonValue &value)
{
    return QString::fromUtf8(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact))
        .mid(1)
        .chopped(1)
        .left(80);
}

} // namespace

QString promResultTypeName(PromQueryResult::Type type)
{
    switch (type) {
    case PromQueryResult::Type::Vector:
        return QStringLiteral("vector");
    case PromQueryResult::Type::Matrix:
        return QStringLiteral("matrix");
    case PromQueryResult::Type::Scalar:
        return QStringLiteral("scalar");
    case PromQueryResult::Type::String:
        return QStringLiteral("string");
    }
    return QString();
}

std::optional<double> parsePromValue(const QString &text)
{
    // Go's strconv.FormatFloat spellings; Prometheus-compatible servers also use "Inf" and "inf".
    if (text == QLatin1String("NaN"))
        return std::numeric_limits<double>::quiet_NaN();
    if (text == QLatin1String("+Inf") || text == QLatin1String("Inf") ||
        text.compare(QLatin1String("inf"), Qt::CaseInsensitive) == 0 ||
        text.compare(QLatin1String("+inf"), Qt::CaseInsensitive) == 0)
        return std::numeric_limits<double>::infinity();
    if (text.compare(QLatin1String("-Inf"), Qt::CaseInsensitive) == 0)
        return -std::numeric_limits<double>::infinity();
    bool ok = false;
    const double value = text.toDouble(&ok);
    if (!ok)
        return std::nullopt;
    return value;
}

QUrl promApiUrl(const QUrl &server, const QString &endpoint)
{
    QUrl url = server;
    QString path = url.path();
    if (!path.endsWith(QLatin1Char('/')))
        path += QLatin1Char('/');
    url.setPath(path + endpoint);
    url.setQuery(QString());
    url.setFragment(QString());
    return url;
}

Result<PromQueryResult> parsePromQueryBody(const QByteArray &body, int httpStatus, const QString &contentType,
                                           const QString &where)
{
    PromQueryResult result;
    Result<QJsonObject> data = unwrapEnvelope(body, httpStatus, contentType, where, &result.warnings);
    if (!data)
        return data.error();
    const QString type = data->value(QLatin1String("resultType")).toString();
    const QJsonValue payload = data->value(QLatin1String("result"));
    const auto bad = [&where](const QString &what) {
        return Error{QStringLiteral("malformed query answer: %1").arg(what), where};
    };
    if (type == QLatin1String("vector") || type == QLatin1String("matrix")) {
        const bool vector = type == QLatin1String("vector");
        result.type = vector ? PromQueryResult::Type::Vector : PromQueryResult::Type::Matrix;
        if (!payload.isArray())
            return bad(QStringLiteral("\"result\" of a %1 is not an array").arg(type));
        const QJsonArray items = payload.toArray();
        result.series.reserve(items.size());
        for (const QJsonValue &item : items) {
            const QJsonObject object = item.toObject();
            PromSeries series;
            series.labels = toLabels(object.value(QLatin1String("metric")).toObject());
            if (vector) {
                const QJsonValue value = object.value(QLatin1String("value"));
                if (value.isUndefined() && object.contains(QLatin1String("histogram"))) {
                    ++result.skippedNativeHistograms;
                    continue;
                }
                const std::optional<PromPoint> point = toPoint(value);
                if (!point)
                    return bad(
                        QStringLiteral("sample value %1 is not [time, \"number\"]").arg(describe(value)));
                series.points.append(*point);
            } else {
                const QJsonValue values = object.value(QLatin1String("values"));
                if (values.isUndefined() && object.contains(QLatin1String("histograms"))) {
                    ++result.skippedNativeHistograms;
                    continue;
                }
                if (!values.isArray())
                    return bad(QStringLiteral("a matrix series has no \"values\" array"));
                const QJsonArray pairs = values.toArray();
                series.points.reserve(pairs.size());
                for (const QJsonValue &pair : pairs) {
                    const std::optional<PromPoint> point = toPoint(pair);
                    if (!point)
                        return bad(
                            QStringLiteral("sample value %1 is not [time, \"number\"]").arg(describe(pair)));
                    series.points.append(*point);
                }
            }
            result.series.append(std::move(series));
        }
        return result;
    }
    if (type == QLatin1String("scalar")) {
        result.type = PromQueryResult::Type::Scalar;
        const std::optional<PromPoint> point = toPoint(payload);
        if (!point)
            return bad(QStringLiteral("scalar %1 is not [time, \"number\"]").arg(describe(payload)));
        result.scalar = *point;
        return result;
    }
    if (type == QLatin1String("string")) {
        result.type = PromQueryResult::Type::String;
        const QJsonArray pair = payload.toArray();
        if (pair.size() != 2 || !pair.at(0).isDouble() || !pair.at(1).isString())
            return bad(QStringLiteral("string %1 is not [time, \"text\"]").arg(describe(payload)));
        result.scalar.timestampMs = toMs(pair.at(0).toDouble());
        result.string = pair.at(1).toString();
        return result;
    }
    return bad(QStringLiteral("unknown resultType \"%1\"").arg(type));
}

Result<QList<PromTarget>> parsePromTargetsBody(const QByteArray &body, int httpStatus,
                                               const QString &contentType, const QString &where)
{
    Result<QJsonObject> data = unwrapEnvelope(body, httpStatus, contentType, where, nullptr);
    if (!data)
        return data.error();
    const QJsonValue active = data->value(QLatin1String("activeTargets"));
    if (!active.isArray())
        return Error{QStringLiteral("malformed targets answer: no \"activeTargets\" array"), where};
    QList<PromTarget> targets;
    for (const QJsonValue &item : active.toArray()) {
        const QJsonObject object = item.toObject();
        PromTarget target;
        target.labels = toLabels(object.value(QLatin1String("labels")).toObject());
        target.discoveredLabels = toLabels(object.value(QLatin1String("discoveredLabels")).toObject());
        target.scrapePool = object.value(QLatin1String("scrapePool")).toString();
        target.scrapeUrl = QUrl(object.value(QLatin1String("scrapeUrl")).toString());
        target.health = object.value(QLatin1String("health")).toString();
        target.lastError = object.value(QLatin1String("lastError")).toString();
        target.lastScrape =
            QDateTime::fromString(object.value(QLatin1String("lastScrape")).toString(), Qt::ISODateWithMs);
        target.lastScrapeDurationSeconds = object.value(QLatin1String("lastScrapeDuration")).toDouble();
        target.scrapeInterval = object.value(QLatin1String("scrapeInterval")).toString();
        target.scrapeTimeout = object.value(QLatin1String("scrapeTimeout")).toString();
        if (target.job().isEmpty())
            target.labels.insert(QStringLiteral("job"), target.scrapePool);
        if (!target.scrapeUrl.isValid() || target.scrapeUrl.host().isEmpty())
            return Error{
                QStringLiteral("malformed targets answer: target %1 of job '%2' has no valid \"scrapeUrl\"")
                    .arg(target.instance(), target.job()),
                where};
        targets.append(std::move(target));
    }
    return targets;
}

// ---------------------------------------------------------------------------------------------------------------

struct PrometheusClient::Pending {
    QNetworkRequest request;
    QByteArray body; // POST form
    bool post = false;
    QPointer<QNetworkReply> reply; // null while queued
    QTimer *timer = nullptr;
    QElapsedTimer sent;
    BodyHandler handler;
    QString where;
    bool timedOut = false;
    bool tooBig = false;
    std::unique_ptr<BoundedReplyBody> answer; // read and inflated within the cap as it arrives
};

PrometheusClient::PrometheusClient(const QUrl &server, QObject *parent)
    : QObject(parent), m_server(server), m_network(new QNetworkAccessManager(this))
{}

PrometheusClient::~PrometheusClient()
{
    abortAll();
}

void PrometheusClient::setMaxConcurrent(int requests)
{
    m_maxConcurrent = std::max(1, requests);
    dispatchQueued();
}

quint64 PrometheusClient::query(const QString &promql, const QDateTime &time, Callback<PromQueryResult> done)
{
    QList<std::pair<QString, QString>> form{{QStringLiteral("query"), promql}};
    if (time.isValid())
        form.append({QStringLiteral("time"), QString::number(time.toMSecsSinceEpoch() / 1000.0, 'f', 3)});
    return send(QStringLiteral("api/v1/query"), form, true,
                [done = std::move(done)](const QByteArray &body, int status, const QString &type,
                                         const QString &where, const std::optional<Error> &error) {
                    if (error)
                        done(*error);
                    else
                        done(parsePromQueryBody(body, status, type, where));
                });
}

quint64 PrometheusClient::queryRange(const QString &promql, const QDateTime &start, const QDateTime &end,
                                     int stepMs, Callback<PromQueryResult> done)
{
    const QList<std::pair<QString, QString>> form{
        {QStringLiteral("query"), promql},
        {QStringLiteral("start"), QString::number(start.toMSecsSinceEpoch() / 1000.0, 'f', 3)},
        {QStringLiteral("end"), QString::number(end.toMSecsSinceEpoch() / 1000.0, 'f', 3)},
        {QStringLiteral("step"), QString::number(stepMs / 1000.0, 'f', 3)},
    };
    BodyHandler handler = [done = std::move(done)](const QByteArray &body, int status, const QString &type,
                                                   const QString &where, const std::optional<Error> &error) {
        if (error)
            done(*error);
        else
            done(parsePromQueryBody(body, status, type, where));
    };
    if (stepMs <= 0 || !start.isValid() || !end.isValid() || end < start) {
        const quint64 id = m_nextId++;
        failLater(
            id, std::move(handler),
            Error{
                QStringLiteral("query_range needs start <= end and a step > 0 (got step %1 ms)").arg(stepMs),
                urlForMessages(promApiUrl(m_server, QStringLiteral("api/v1/query_range")))});
        return id;
    }
    return send(QStringLiteral("api/v1/query_range"), form, true, std::move(handler));
}

quint64 PrometheusClient::targets(Callback<QList<PromTarget>> done)
{
    return send(QStringLiteral("api/v1/targets"), {{QStringLiteral("state"), QStringLiteral("active")}},
                false,
                [done = std::move(done)](const QByteArray &body, int status, const QString &type,
                                         const QString &where, const std::optional<Error> &error) {
                    if (error)
                        done(*error);
                    else
                        done(parsePromTargetsBody(body, status, type, where));
                });
}

void PrometheusClient::failLater(quint64 id, BodyHandler handler, Error error)
{
    auto pending = std::make_unique<Pending>();
    pending->handler = std::move(handler);
    m_pending.emplace(id, std::move(pending));
    QMetaObject::invokeMethod(
        this,
        [this, id, error = std::move(error)] {
            const auto it = m_pending.find(id);
            if (it == m_pending.end())
                return; // aborted meanwhile
            const BodyHandler callback = std::move(it->second->handler);
            m_pending.erase(it);
            callback({}, 0, {}, error.where, error);
        },
        Qt::QueuedConnection);
}

quint64 PrometheusClient::send(const QString &endpoint, const QList<std::pair<QString, QString>> &form,
                               bool post, BodyHandler handler)
{
    const quint64 id = m_nextId++;
    QUrl url = promApiUrl(m_server, endpoint);
    const QString where = urlForMessages(url);
    if (!m_server.isValid() || m_server.host().isEmpty() ||
        (m_server.scheme() != QLatin1String("http") && m_server.scheme() != QLatin1String("https"))) {
        failLater(id, std::move(handler),
                  Error{QStringLiteral("not an http(s) URL of a Prometheus server: '%1'")
                            .arg(m_server.toString(QUrl::RemoveUserInfo)),
                        QString()});
        return id;
    }

    // Form values are percent-encoded by hand: QUrlQuery leaves '+' alone, which a form decoder reads as a
    // space.
    QByteArray encoded;
    for (const auto &[key, value] : form) {
        if (!encoded.isEmpty())
            encoded += '&';
        encoded += QUrl::toPercentEncoding(key) + '=' + QUrl::toPercentEncoding(value);
    }
    if (!post)
        url.setQuery(QString::fromLatin1(encoded), QUrl::StrictMode);
    const QUrl credentials = url;
    url.setUserInfo(QString());

    QNetworkRequest request(url);
    request.setRawHeader("Accept", "application/json");
    request.setHeader(QNetworkRequest::UserAgentHeader,
                      QByteArrayLiteral("ClusterDeck/" CLUSTERDECK_VERSION));
    if (!credentials.userName().isEmpty()) {
        const QByteArray pair = credentials.userName().toUtf8() + ':' + credentials.password().toUtf8();
        request.setRawHeader("Authorization", "Basic " + pair.toBase64());
    }
    BoundedReplyBody::prepare(request);
    auto pending = std::make_unique<Pending>();
    if (post)
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          QByteArrayLiteral("application/x-www-form-urlencoded"));
    pending->request = request;
    pending->body = encoded;
    pending->post = post;
    pending->handler = std::move(handler);
    pending->where = where;
    pending->answer = std::make_unique<BoundedReplyBody>(m_maxBodyBytes);
    Pending *raw = pending.get();
    m_pending.emplace(id, std::move(pending));
    if (m_sending < m_maxConcurrent && m_queue.empty())
        dispatch(id, *raw);
    else
        m_queue.push_back(id);
    return id;
}

void PrometheusClient::dispatch(quint64 id, Pending &pending)
{
    QNetworkReply *reply =
        pending.post ? m_network->post(pending.request, pending.body) : m_network->get(pending.request);
    ++m_sending;
    pending.body.clear();
    pending.reply = reply;
    pending.timer = new QTimer(reply);
    pending.timer->setSingleShot(true);
    Pending *raw = &pending;
    connect(raw->timer, &QTimer::timeout, reply, [raw, reply] {
        raw->timedOut = true;
        reply->abort();
    });
    connect(reply, &QNetworkReply::readyRead, reply, [raw, reply] {
        if (!raw->tooBig && !raw->answer->read(reply)) {
            raw->tooBig = true; // over the cap, or a body that does not decode: finish() says which
            reply->abort();
        }
    });
    connect(reply, &QNetworkReply::finished, this, [this, id, reply] { finish(id, reply); });
    raw->sent.start();
    raw->timer->start(m_timeoutMs);
}

void PrometheusClient::dispatchQueued()
{
    while (m_sending < m_maxConcurrent && !m_queue.empty()) {
        const quint64 id = m_queue.front();
        m_queue.pop_front();
        const auto it = m_pending.find(id);
        if (it != m_pending.end())
            dispatch(id, *it->second);
    }
}

void PrometheusClient::finish(quint64 id, QNetworkReply *reply)
{
    reply->deleteLater();
    const auto it = m_pending.find(id);
    if (it == m_pending.end())
        return;
    std::unique_ptr<Pending> pending = std::move(it->second);
    m_pending.erase(it);
    pending->timer->stop();
    m_lastAnswerMs = pending->sent.elapsed();
    --m_sending;
    // The next request goes out before the callback runs: the callback may destroy the client.
    dispatchQueued();

    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QString contentType = reply->header(QNetworkRequest::ContentTypeHeader).toString();
    const QString &where = pending->where;
    const QString server =
        m_server.host() + (m_server.port() > 0 ? QStringLiteral(":%1").arg(m_server.port()) : QString());
    std::optional<Error> error;
    if (pending->timedOut) {
        error = Error{
            QStringLiteral("no answer from %1 within %2 ms (timed out)").arg(server).arg(m_timeoutMs), where};
    } else if (pending->tooBig && !pending->answer->overCap()) {
        error = Error{QStringLiteral("the answer cannot be read: %1").arg(pending->answer->error()), where};
    } else if (pending->tooBig) {
        error = Error{QStringLiteral("the answer is larger than %1 MB: narrow the query or the time range")
                          .arg(m_maxBodyBytes / (1024.0 * 1024.0), 0, 'f', 1),
                      where};
    } else if (status == 0) {
        // No HTTP answer at all: a transport problem.
        QString message;
        switch (reply->error()) {
        case QNetworkReply::ConnectionRefusedError:
            message =
                QStringLiteral("connection refused by %1: is Prometheus running there and is the port right?")
                    .arg(server);
            break;
        case QNetworkReply::HostNotFoundError:
            message = QStringLiteral("host not found: %1").arg(m_server.host());
            break;
        case QNetworkReply::RemoteHostClosedError:
            message = QStringLiteral("%1 closed the connection without an answer").arg(server);
            break;
        case QNetworkReply::TimeoutError:
            message = QStringLiteral("connection to %1 timed out").arg(server);
            break;
        case QNetworkReply::SslHandshakeFailedError:
            message = QStringLiteral("TLS handshake with %1 failed: %2").arg(server, reply->errorString());
            break;
        default:
            message = QStringLiteral("request to %1 failed: %2").arg(server, reply->errorString());
            break;
        }
        error = Error{message, where};
    }

    if (error) {
        pending->handler({}, status, contentType, where, error);
        return;
    }
    if (const std::optional<QString> bodyError = pending->answer->finish(reply)) {
        const QString message =
            pending->answer->overCap()
                ? QStringLiteral("the answer is larger than %1 MB: narrow the query or the time range")
                      .arg(m_maxBodyBytes / (1024.0 * 1024.0), 0, 'f', 1)
                : QStringLiteral("the answer cannot be read: %1").arg(*bodyError);
        pending->handler({}, status, contentType, where, Error{message, where});
        return;
    }
    pending->handler(pending->answer->take(), status, contentType, where, std::nullopt);
}

void PrometheusClient::abort(quint64 requestId)
{
    const auto it = m_pending.find(requestId);
    if (it == m_pending.end())
        return;
    std::unique_ptr<Pending> pending = std::move(it->second);
    m_pending.erase(it);
    if (pending->timer)
        pending->timer->stop(); // its slot points at the Pending destroyed below
    if (pending->reply) {
        pending->reply->disconnect();
        pending->reply->abort();
        pending->reply->deleteLater();
        --m_sending;
        dispatchQueued();
    } else {
        const auto queued = std::find(m_queue.begin(), m_queue.end(), requestId);
        if (queued != m_queue.end())
            m_queue.erase(queued);
    }
}

void PrometheusClient::abortAll()
{
    m_queue.clear(); // first, so that aborting a sent request lets none of them out
    while (!m_pending.empty())
        abort(m_pending.begin()->first);
}

Result<QList<PromTarget>> fetchPromTargetsBlocking(const QUrl &server, int timeoutMs)
{
    PrometheusClient client(server);
    client.setTimeoutMs(timeoutMs);
    std::optional<Result<QList<PromTarget>>> outcome;
    QEventLoop loop;
    client.targets([&](Result<QList<PromTarget>> result) {
        outcome = std::move(result);
        loop.quit();
    });
    if (!outcome)
        loop.exec();
    return std::move(*outcome);
}

Result<PromQueryResult> queryPromBlocking(const QUrl &server, const QString &promql, int timeoutMs)
{
    PrometheusClient client(server);
    client.setTimeoutMs(timeoutMs);
    std::optional<Result<PromQueryResult>> outcome;
    QEventLoop loop;
    client.query(promql, {}, [&](Result<PromQueryResult> result) {
        outcome = std::move(result);
        loop.quit();
    });
    if (!outcome)
        loop.exec();
    return std::move(*outcome);
}

} // namespace clusterdeck
