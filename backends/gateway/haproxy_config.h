#pragma once

#include "gateway/config_edit.h"

#include <QList>
#include <QString>
#include <utility>

namespace clusterdeck {

struct HaproxyServer {
    QString name;
    QString address;
    int line = 0;
    qsizetype endOfOptions = 0; // after the line's last token: where a drain appends " disabled"
    QList<std::pair<qsizetype, qsizetype>> disabled; // each `disabled` with the blanks before it
    bool enabled = false; // an explicit `enabled`, which overrides default-server's `disabled`
};

struct HaproxyTemplate {
    QString prefix;
    int first = 1;
    int last = 0;
    QString address;
    int line = 0;
};

struct HaproxySection {
    QString keyword; // global, defaults, frontend, backend, listen, ...
    QString name;
    int line = 0;
    QList<HaproxyServer> servers;
    QList<HaproxyTemplate> templates;
    int defaultDisabledLine =
        0; // the default-server line (its own or its defaults section's) saying `disabled`
};

// An HAProxy config read into sections and server lines, every token with its byte offsets.
class HaproxyConfig {
public:
    static Result<HaproxyConfig> parse(const QByteArray &bytes, const QString &fileName);
    const QList<HaproxySection> &sections() const { return m_sections; }

private:
    QList<HaproxySection> m_sections;
};

// Drain: `disabled` appended to the server line (before trailing blanks and comment); readmit takes it out.
Result<ConfigEdit> editHaproxyConfig(ConfigAction action, const QByteArray &config, const QString &fileName,
                                     const ServerSelector &selector);
Result<QList<ConfigUpstream>> listHaproxyUpstreams(const QByteArray &config, const QString &fileName);

} // namespace clusterdeck
