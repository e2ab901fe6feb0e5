#include "exposition_writer.h"

#include "metrics/exposition_writer.h"

#include <charconv>
#include <cmath>

namespace clusterdeck::lab {

void ExpositionWriter::family(const char *name, const char *help, const char *type)
{
    m_out += "# HELP ";
    m_out += name;
    m_out += ' ';
    // HELP text escapes only backslash and newline.
    QByteArray escaped(help);
    escaped.replace("\\", "\\\\").replace("\n", "\\n");
    m_out += escaped;
    m_out += "\n# TYPE ";
    m_out += name;
    m_out += ' ';
    m_out += type;
    m_out += '\n';
}

void ExpositionWriter::sample(const QByteArray &name, const Labels &labels, double value)
{
    m_out += name;
    if (!labels.isEmpty()) {
        m_out += '{';
        for (qsizetype i = 0; i < labels.size(); ++i) {
            if (i > 0)
                m_out += ',';
            m_out += labels[i].first;
            m_out += "=\"";
            m_out += escapeLabelValue(labels[i].second);
            m_out += '"';
        }
        m_out += '}';
    }
    m_out += ' ';
    m_out += formatValue(value);
    m_out += '\n';
}

QByteArray ExpositionWriter::formatValue(double value)
{
    if (std::isnan(value))
        return "NaN";
    if (std::isinf(value))
        return value > 0 ? "+Inf" : "-Inf";
    // Shortest text that reads back as the same double; integers keep Java's ".0".
    char buffer[64];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), value);
    if (ec != std::errc())
        return QByteArray::number(value, 'g', 17);
    QByteArray text(buffer, static_cast<qsizetype>(end - buffer));
    if (!text.contains('.') && !text.contains('e') && !text.contains('E'))
        text += ".0";
    return text;
}

QByteArray ExpositionWriter::escapeLabelValue(const QByteArray &value)
{
    std::string out;
    clusterdeck::appendEscapedLabelValue(out, std::string_view(value.constData(), std::size_t(value.size())));
    return QByteArray::fromStdString(out);
}

} // namespace clusterdeck::lab
