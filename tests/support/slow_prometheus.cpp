#include "slow_prometheus.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QUrlQuery>
#include <algorithm>
#include <cmath>

namespace clusterdeck::testing {

namespace {

QByteArray response(int status, const QByteArray &reason, const QByteArray &body)
{
    return "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason +
           "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) +
           "\r\nConnection: keep-alive\r\n\r\n" + body;
}

QString formValue(const QByteArray &form, const QString &key)
{
    // The client sends '+' as %2B and spaces as %20, so plain percent-decoding reads it back.
    return QUrlQuery(QString::fromLatin1(form)).queryItemValue(key, QUrl::FullyDecoded);
}

} // namespace

SlowPrometheus::SlowPrometheus(QObject *parent) : QObject(parent), m_server(new QTcpServer(this))
{
    connect(m_server, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket *socket = m_server->nextPendingConnection()) {
            socket->setParent(this);
            connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        }
    });
}

SlowPrometheus::~SlowPrometheus() = default;

bool SlowPrometheus::listen(const QHostAddress &address, quint16 port)
{
    return m_server->listen(address, port);
}

QUrl SlowPrometheus::url() const
{
    return QUrl(
        QStringLiteral("http://%1:%2").arg(m_server->serverAddress().toString()).arg(m_server->serverPort()));
}

void SlowPrometheus::resetCounts()
{
    m_requests = 0;
    m_peakInFlight = m_inFlight;
}

void SlowPrometheus::onReadyRead(QTcpSocket *socket)
{
    QByteArray buffer = socket->property("buffer").toByteArray() + socket->readAll();
    for (;;) {
        const qsizetype headerEnd = buffer.indexOf("\r\n\r\n");
        if (headerEnd < 0)
            break;
        const QByteArray head = buffer.left(headerEnd);
        qsizetype bodyLength = 0;
        for (const QByteArray &line : head.split('\n')) {
            const QByteArray trimmed = line.trimmed();
            if (trimmed.toLower().startsWith("content-length:"))
                bodyLength = trimmed.mid(15).trimmed().toLongLong();
        }
        if (buffer.size() < headerEnd + 4 + bodyLength)
            break;
        const QByteArray body = buffer.mid(headerEnd + 4, bodyLength);
        buffer.remove(0, headerEnd + 4 + bodyLength);

        const QList<QByteArray> requestLine = head.left(head.indexOf("\r\n")).split(' ');
        QByteArray target = requestLine.value(1);
        QByteArray path = target;
        QByteArray form = body;
        if (const qsizetype q = target.indexOf('?'); q >= 0) {
            path = target.left(q);
            if (form.isEmpty())
                form = target.mid(q + 1);
        }
        ++m_requests;
        m_peakInFlight = std::max(m_peakInFlight, ++m_inFlight);
        emit requestReceived(path, form);
        const QByteArray reply = answer(path, form);
        // One timer per request: the delays of requests on different connections overlap.
        QPointer<QTcpSocket> guard(socket);
        QTimer::singleShot(m_delayMs, Qt::PreciseTimer, this, [this, guard, reply] {
            --m_inFlight;
            if (guard && guard->state() == QAbstractSocket::ConnectedState)
                guard->write(reply);
        });
    }
    socket->setProperty("buffer", buffer);
}

QByteArray SlowPrometheus::answer(const QByteArray &path, const QByteArray &form) const
{
    const bool range = path.endsWith("/api/v1/query_range");
    if (!range && !path.endsWith("/api/v1/query")) {
        return response(404, "Not Found",
                        R"({"status":"error","errorType":"not_found","error":"no such endpoint"})");
    }
    if (formValue(form, QStringLiteral("query")).isEmpty()) {
        return response(400, "Bad Request",
                        R"({"status":"error","errorType":"bad_data","error":"no query given"})");
    }
    // A batched KPI query tags each part with label_replace(..., "kpi", "<id>", "", ""): answer every part.
    QStringList kpis;
    static const QRegularExpression tag(QStringLiteral(R"re("kpi", "([^"]+)")re"));
    for (auto it = tag.globalMatch(formValue(form, QStringLiteral("query"))); it.hasNext();)
        kpis << it.next().captured(1);
    if (kpis.isEmpty())
        kpis << QString();
    const auto labels = [](const QString &instance, const QString &kpi) {
        QJsonObject metric{{QStringLiteral("instance"), instance}};
        if (!kpi.isEmpty())
            metric.insert(QStringLiteral("kpi"), kpi);
        return metric;
    };
    QJsonArray result;
    if (range) {
        const double start = formValue(form, QStringLiteral("start")).toDouble();
        const double end = formValue(form, QStringLiteral("end")).toDouble();
        const double step = formValue(form, QStringLiteral("step")).toDouble();
        if (step <= 0 || end < start) {
            return response(400, "Bad Request",
                            R"({"status":"error","errorType":"bad_data","error":"bad range"})");
        }
        const qint64 steps = qint64(std::floor((end - start) / step));
        QJsonArray values;
        for (qint64 i = std::max<qint64>(0, steps - m_maxRangePoints + 1); i <= steps; ++i)
            values.append(QJsonArray{start + double(i) * step, QStringLiteral("1")});
        for (const QString &kpi : std::as_const(kpis)) {
            for (const QString &instance : m_instances)
                result.append(QJsonObject{{QStringLiteral("metric"), labels(instance, kpi)},
                                          {QStringLiteral("values"), values}});
        }
    } else {
        const QString time = formValue(form, QStringLiteral("time"));
        const double at =
            time.isEmpty() ? double(QDateTime::currentMSecsSinceEpoch()) / 1000.0 : time.toDouble();
        for (const QString &kpi : std::as_const(kpis)) {
            for (const QString &instance : m_instances)
                result.append(QJsonObject{{QStringLiteral("metric"), labels(instance, kpi)},
                                          {QStringLiteral("value"), QJsonArray{at, QStringLiteral("1")}}});
        }
    }
    const QJsonObject envelope{
        {QStringLiteral("status"), QStringLiteral("success")},
        {QStringLiteral("data"), QJsonObject{{QStringLiteral("resultType"),
                                              range ? QStringLiteral("matrix") : QStringLiteral("vector")},
                                             {QStringLiteral("result"), result}}}};
    return response(200, "OK", QJsonDocument(envelope).toJson(QJsonDocument::Compact));
}

QByteArray labLikeClusterYaml(const QUrl &prometheus, int scrapeIntervalMs)
{
    return QStringLiteral(R"(name: slow-prometheus
prometheus: %1
source: prometheus
scrape_interval: %2ms
gateways:
  - {name: haproxy, kind: haproxy, url: http://127.0.97.10:8080, metrics: http://127.0.97.10:8404/metrics, backend: was}
nodes:
  - {name: was1, role: was, metrics: http://127.0.97.11:8080/actuator/prometheus, upstream: 127.0.97.11:8080}
  - {name: was2, role: was, metrics: http://127.0.97.12:8080/actuator/prometheus, upstream: 127.0.97.12:8080}
  - {name: was3, role: was, metrics: http://127.0.97.13:8080/actuator/prometheus, upstream: 127.0.97.13:8080}
  - {name: redis, role: redis, metrics: http://127.0.97.21:9121/metrics}
  - {name: queue, role: kafka, metrics: http://127.0.97.22:9308/metrics}
  - {name: mariadb, role: db, metrics: http://127.0.97.23:9104/metrics}
)")
        .arg(prometheus.toString())
        .arg(scrapeIntervalMs)
        .toUtf8();
}

QStringList labLikeInstances()
{
    return {QStringLiteral("127.0.97.10:8404"), QStringLiteral("127.0.97.11:8080"),
            QStringLiteral("127.0.97.12:8080"), QStringLiteral("127.0.97.13:8080"),
            QStringLiteral("127.0.97.21:9121"), QStringLiteral("127.0.97.22:9308"),
            QStringLiteral("127.0.97.23:9104")};
}

} // namespace clusterdeck::testing
