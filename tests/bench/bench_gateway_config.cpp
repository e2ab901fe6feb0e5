// Edit time of the gateway config editors on a large config, next to a plain copy of the same bytes measured
// in the same run (the floor any edit that returns a new file pays):
//   bench_gateway_config [--servers N] [--iterations I]
// prints per kind: kind= servers= bytes= drain_us= readmit_us= copy_us= drain_vs_copy=
// The HAProxy config has N server lines in N/50 backends; the Caddyfile N upstreams in `to` lines of N/50
// reverse_proxy blocks. The drained server sits in the middle of the file; a drain parses the whole file,
// splices and writes the unified diff.

#include "gateway/config_edit.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>

using namespace clusterdeck;

namespace {

QByteArray haproxyConfig(int servers)
{
    QByteArray text = "global\n    maxconn 4096\n\ndefaults\n    mode http\n    timeout connect 2s\n"
                      "    timeout client 30s\n    timeout server 30s\n";
    for (int i = 0; i < servers; ++i) {
        if (i % 50 == 0)
            text += "\nbackend b" + QByteArray::number(i / 50) +
                    "\n    balance roundrobin\n    option httpchk GET /actuator/health   # health\n"
                    "    default-server inter 1s fall 2 rise 2\n";
        text += "    server s" + QByteArray::number(i) + " 127.0." + QByteArray::number(i / 250) + '.' +
                QByteArray::number(i % 250 + 1) + ":8080 check weight 10\n";
    }
    return text;
}

QByteArray caddyConfig(int servers)
{
    QByteArray text = "{\n\tauto_https off\n}\n\n:8081 {\n";
    for (int i = 0; i < servers; ++i) {
        if (i % 50 == 0)
            text += (i ? "\t\thealth_uri /actuator/health\n\t}\n" : "") + QByteArray("\treverse_proxy /p") +
                    QByteArray::number(i / 50) + "/* {\n";
        text +=
            "\t\tto 127.0." + QByteArray::number(i / 250) + '.' + QByteArray::number(i % 250 + 1) + ":8080\n";
    }
    return text + "\t\thealth_uri /actuator/health\n\t}\n}\n";
}

template <typename F> double microsPerCall(int iterations, F &&call)
{
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < iterations; ++i)
        call();
    const std::chrono::duration<double, std::micro> elapsed = std::chrono::steady_clock::now() - start;
    return elapsed.count() / iterations;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("clusterdeck.*.debug=false"));
    int servers = 2000;
    int iterations = 200;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (std::strcmp(argv[i], "--servers") == 0)
            servers = std::atoi(argv[i + 1]);
        else if (std::strcmp(argv[i], "--iterations") == 0)
            iterations = std::atoi(argv[i + 1]);
    }
    if (servers < 2 || iterations < 1 || argc % 2 == 0) {
        std::fprintf(stderr, "usage: bench_gateway_config [--servers N>=2] [--iterations I>=1]\n");
        return 2;
    }
    const int middle = servers / 2;
    const QByteArray middleAddress =
        "127.0." + QByteArray::number(middle / 250) + '.' + QByteArray::number(middle % 250 + 1) + ":8080";
    struct Case {
        const char *kind;
        GatewayKind gateway;
        QByteArray bytes;
        ServerSelector selector;
    };
    const Case cases[] = {
        {"haproxy", GatewayKind::HAProxy, haproxyConfig(servers), {{}, QStringLiteral("s%1").arg(middle)}},
        {"caddy", GatewayKind::Caddy, caddyConfig(servers), {{}, QString::fromLatin1(middleAddress)}},
    };
    for (const Case &c : cases) {
        const Result<ConfigEdit> drained =
            editGatewayConfig(c.gateway, ConfigAction::Drain, c.bytes, QStringLiteral("big"), c.selector);
        if (!drained || drained->changedLines.isEmpty()) {
            std::fprintf(stderr, "bench_gateway_config: %s drain failed: %s\n", c.kind,
                         drained ? "nothing changed" : qPrintable(drained.error().toString()));
            return 1;
        }
        qsizetype sink = 0;
        const double copy = microsPerCall(iterations, [&] {
            QByteArray copied(c.bytes.constData(), c.bytes.size()); // a deep copy, as an edit's result is
            sink += copied.size();
        });
        const double drain = microsPerCall(iterations, [&] {
            sink +=
                editGatewayConfig(c.gateway, ConfigAction::Drain, c.bytes, QStringLiteral("big"), c.selector)
                    ->bytes.size();
        });
        const double readmit = microsPerCall(iterations, [&] {
            sink += editGatewayConfig(c.gateway, ConfigAction::Readmit, drained->bytes, QStringLiteral("big"),
                                      c.selector)
                        ->bytes.size();
        });
        std::printf(
            "kind=%s servers=%d bytes=%lld drain_us=%.1f readmit_us=%.1f copy_us=%.2f drain_vs_copy=%.0f "
            "(sink %lld)\n",
            c.kind, servers, static_cast<long long>(c.bytes.size()), drain, readmit, copy, drain / copy,
            static_cast<long long>(sink % 10));
    }
    return 0;
}
