#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace clusterdeck::test {

// Checks `clusterdeckctl drain|readmit --json` output against the shape: stdout is exactly one JSON
// object with node, gateway, action, result (one word), exit_code (== exitCode), total_ms and steps of
// {name, ok, ms, detail} named precheck, runtime, persist, wait, rollback or record. Returns what is wrong,
// empty when it fits; `object` receives the parsed object.
QString checkDrainJson(const QByteArray &out, int exitCode, QJsonObject *object = nullptr);

} // namespace clusterdeck::test
