#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>

namespace clusterdeck::lab {

using Labels = QList<QPair<QByteArray, QByteArray>>;

// Writes Prometheus text exposition format 0.0.4, rendering numbers the way Micrometer's
// Prometheus registry does ("3.0", "0.0125", "+Inf").
class ExpositionWriter {
public:
    static constexpr const char *kContentType = "text/plain; version=0.0.4; charset=utf-8";

    // "# HELP" and "# TYPE" lines; type is counter, gauge, histogram, summary or untyped.
    void family(const char *name, const char *help, const char *type);
    void sample(const QByteArray &name, const Labels &labels, double value);
    void sample(const QByteArray &name, double value) { sample(name, {}, value); }

    const QByteArray &text() const { return m_out; }

    static QByteArray formatValue(double value);
    static QByteArray escapeLabelValue(const QByteArray &value);

private:
    QByteArray m_out;
};

} // namespace clusterdeck::lab
