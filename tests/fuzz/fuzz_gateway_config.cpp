// libFuzzer target for the gateway config editors (backends/gateway): HAProxy configs and Caddyfiles as
// arbitrary bytes. Byte 0 picks the kind (even: HAProxy, odd: Caddy); the rest is the file. Checks besides
// "no crash, no sanitizer report":
//   - a refusal has a message and says where (the file, most with a line inside the text);
//   - for every upstream in service (at most 16): a drain that edits changes the bytes, the upstream is then
//     listed as drained, and readmit with the same selector gives back the original bytes exactly;
//   - an edit's diff is empty exactly when its bytes equal the input.

#include "gateway/config_edit.h"

#include <QLoggingCategory>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace clusterdeck;

namespace {

[[noreturn]] void failure(const char *what)
{
    std::fprintf(stderr, "fuzz_gateway_config: invariant broken: %s\n", what);
    __builtin_trap();
}

const QString kName = QStringLiteral("fuzz.cfg");

void checkError(const Error &error, const QByteArray &text)
{
    if (error.message.isEmpty())
        failure("an error without a message");
    if (!error.where.startsWith(kName))
        failure("an error that does not name the file");
    if (error.where.size() > kName.size()) {
        bool ok = false;
        const int line = error.where.mid(kName.size() + 1).toInt(&ok);
        if (!ok || line < 1 || line > text.count('\n') + 1)
            failure("an error positioned outside the text");
    }
}

void checkEdit(const ConfigEdit &edit, const QByteArray &before)
{
    if ((edit.bytes == before) != edit.diff.isEmpty())
        failure("a diff that does not match the edit");
    if ((edit.bytes == before) != edit.changedLines.isEmpty())
        failure("changed lines that do not match the edit");
}

// FUZZ_DUMP=PATH keeps the bytes of a failing edit for a hex viewer (the printout stops at a NUL).
void dump(const QByteArray &bytes, const char *suffix)
{
    if (const char *path = std::getenv("FUZZ_DUMP")) {
        if (std::FILE *file = std::fopen((QByteArray(path) + suffix).constData(), "wb")) {
            std::fwrite(bytes.constData(), 1, size_t(bytes.size()), file);
            std::fclose(file);
        }
    }
}

bool hasDrained(const QList<ConfigUpstream> &upstreams, const QString &backend, const QString &name)
{
    for (const ConfigUpstream &upstream : upstreams) {
        if (upstream.drained && upstream.backend == backend && upstream.name == name)
            return true;
    }
    return false;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const bool quiet = [] {
        QLoggingCategory::setFilterRules(QStringLiteral("clusterdeck.*=false"));
        return true;
    }();
    (void)quiet;
    if (size < 1)
        return 0;
    const GatewayKind kind = data[0] % 2 ? GatewayKind::Caddy : GatewayKind::HAProxy;
    const QByteArray original(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    const Result<QList<ConfigUpstream>> upstreams = listGatewayUpstreams(kind, original, kName);
    if (!upstreams) {
        checkError(upstreams.error(), original);
        return 0;
    }
    int tried = 0;
    for (const ConfigUpstream &upstream : *upstreams) {
        if (upstream.drained || upstream.name.isEmpty() || ++tried > 16)
            continue;
        // A file that already holds a drained twin of this upstream makes readmit ambiguous, rightly.
        if (hasDrained(*upstreams, upstream.backend, upstream.name))
            continue;
        const ServerSelector selector{upstream.backend.section(QLatin1Char(' '), 0, 0), upstream.name};
        const Result<ConfigEdit> drained =
            editGatewayConfig(kind, ConfigAction::Drain, original, kName, selector);
        if (!drained) {
            checkError(drained.error(), original);
            continue;
        }
        checkEdit(*drained, original);
        if (!drained->note.isEmpty())
            continue; // already drained (HAProxy: by a default-server line)
        if (drained->bytes == original)
            failure("a drain that changed nothing and said nothing");
        const Result<QList<ConfigUpstream>> after = listGatewayUpstreams(kind, drained->bytes, kName);
        if (!after) {
            std::fprintf(stderr, "selector %s / %s: %s\n%s\n", qPrintable(selector.backend),
                         qPrintable(selector.server), qPrintable(after.error().toString()),
                         drained->bytes.constData());
            dump(drained->bytes, ".drained");
            failure("a drained file that no longer parses");
        }
        if (!hasDrained(*after, upstream.backend, drained->server))
            failure("a drained upstream that is not listed as drained");
        const Result<ConfigEdit> readmitted =
            editGatewayConfig(kind, ConfigAction::Readmit, drained->bytes, kName, selector);
        if (!readmitted)
            failure(
                qPrintable(QStringLiteral("readmit after drain failed: ") + readmitted.error().toString()));
        if (readmitted->bytes != original) {
            std::fprintf(stderr, "selector %s / %s\n--- drained:\n%s\n--- readmitted:\n%s\n",
                         qPrintable(selector.backend), qPrintable(selector.server),
                         drained->bytes.constData(), readmitted->bytes.constData());
            dump(drained->bytes, ".drained");
            dump(readmitted->bytes, ".readmitted");
            failure("readmit after drain did not give back the original bytes");
        }
    }
    return 0;
}
