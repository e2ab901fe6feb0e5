#include "drain_json.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace clusterdeck::test {

QString checkDrainJson(const QByteArray &out, int exitCode, QJsonObject *object)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(out, &error); // one value, nothing around it
    if (error.error != QJsonParseError::NoError)
        return QStringLiteral("stdout is not one JSON value: %1 at %2")
            .arg(error.errorString())
            .arg(error.offset);
    if (!document.isObject())
        return QStringLiteral("stdout is not a JSON object");
    const QJsonObject json = document.object();
    if (object)
        *object = json;
    for (const char *key : {"node", "gateway", "action", "result"})
        if (!json.value(QLatin1String(key)).isString())
            return QStringLiteral("'%1' is not a string").arg(QLatin1String(key));
    if (!QRegularExpression(QStringLiteral("^[a-z_]+$"))
             .match(json.value(QStringLiteral("result")).toString())
             .hasMatch())
        return QStringLiteral("result is not one word: %1")
            .arg(json.value(QStringLiteral("result")).toString());
    const QString action = json.value(QStringLiteral("action")).toString();
    if (action != QLatin1String("drain") && action != QLatin1String("readmit"))
        return QStringLiteral("action is '%1'").arg(action);
    if (!json.value(QStringLiteral("exit_code")).isDouble() ||
        json.value(QStringLiteral("exit_code")).toInt() != exitCode)
        return QStringLiteral("exit_code %1, the process exited %2")
            .arg(json.value(QStringLiteral("exit_code")).toVariant().toString())
            .arg(exitCode);
    if (!json.value(QStringLiteral("total_ms")).isDouble() ||
        json.value(QStringLiteral("total_ms")).toDouble() < 0)
        return QStringLiteral("total_ms is not a duration");
    if (!json.value(QStringLiteral("steps")).isArray())
        return QStringLiteral("steps is not an array");
    const QStringList names{QStringLiteral("precheck"), QStringLiteral("runtime"),  QStringLiteral("persist"),
                            QStringLiteral("wait"),     QStringLiteral("rollback"), QStringLiteral("record")};
    for (const QJsonValue &value : json.value(QStringLiteral("steps")).toArray()) {
        const QJsonObject step = value.toObject();
        if (!names.contains(step.value(QStringLiteral("name")).toString()))
            return QStringLiteral("unknown step name '%1'")
                .arg(step.value(QStringLiteral("name")).toString());
        if (!step.value(QStringLiteral("ok")).isBool() || !step.value(QStringLiteral("ms")).isDouble() ||
            step.value(QStringLiteral("ms")).toDouble() < 0 ||
            !step.value(QStringLiteral("detail")).isString())
            return QStringLiteral("step %1 lacks ok, ms or detail")
                .arg(step.value(QStringLiteral("name")).toString());
    }
    return {};
}

} // namespace clusterdeck::test
