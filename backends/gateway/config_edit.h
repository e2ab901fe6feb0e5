#pragma once

#include "cluster/cluster.h"
#include "common/result.h"

#include <QByteArray>
#include <QString>
#include <functional>

namespace clusterdeck {

enum class RotationChange { Drain, Readmit };

// What the persist step writes: the edited config and the diff shown to the operator and recorded.
struct ConfigEdit {
    QByteArray bytes;
    QString diff;
};

// Takes the gateway's config as read and returns it with `node` taken out of rotation (Drain) or put back
// (Readmit), every other byte unchanged; an error when the config does not hold the node as expected.
using ConfigEditor = std::function<Result<ConfigEdit>(const QByteArray &config, const Gateway &gateway,
                                                      const Node &node, RotationChange change)>;

// The editor the drain jobs use by default. Interim (until the lossless HAProxy/Caddyfile editors of the
// gateway-config work land): HAProxy adds/removes a trailing `disabled` on the node's `server` line in the
// backend; Caddy comments out / restores the node's `to` line with a marker comment.
ConfigEditor defaultConfigEditor();

} // namespace clusterdeck
