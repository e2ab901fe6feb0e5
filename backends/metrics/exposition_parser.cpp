#include "metrics/exposition_parser.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

namespace clusterdeck {

namespace {

enum : std::uint8_t {
    kMetricStart = 1, // [a-zA-Z_:]
    kMetricChar = 2,  // [a-zA-Z0-9_:]
    kLabelStart = 4,  // [a-zA-Z_]
    kLabelChar = 8,   // [a-zA-Z0-9_]
    kTokenEnd = 16,   // ' ', '\t', '\n', '\r', '\0': ends a value or timestamp token
};

constexpr std::array<std::uint8_t, 256> makeCharClass()
{
    std::array<std::uint8_t, 256> t{};
    for (int c = 0; c < 256; ++c) {
        const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
        const bool digit = c >= '0' && c <= '9';
        std::uint8_t v = 0;
        if (alpha || c == ':')
            v |= kMetricStart;
        if (alpha || digit || c == ':')
            v |= kMetricChar;
        if (alpha)
            v |= kLabelStart;
        if (alpha || digit)
            v |= kLabelChar;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0)
            v |= kTokenEnd;
        t[std::size_t(c)] = v;
    }
    return t;
}
constexpr std::array<std::uint8_t, 256> kClass = makeCharClass();

// Label value bytes: 0 plain ASCII, 1 stops the fast scan ('"', '\\', '\n', NUL), 2 non-ASCII (UTF-8 check).
constexpr std::array<std::uint8_t, 256> makeValueClass()
{
    std::array<std::uint8_t, 256> t{};
    for (int c = 0x80; c < 256; ++c)
        t[std::size_t(c)] = 2;
    t[std::size_t('"')] = 1;
    t[std::size_t('\\')] = 1;
    t[std::size_t('\n')] = 1;
    t[0] = 1;
    return t;
}
constexpr std::array<std::uint8_t, 256> kValueClass = makeValueClass();

inline std::uint8_t cls(char c)
{
    return kClass[static_cast<unsigned char>(c)];
}
inline bool isBlank(char c)
{
    return c == ' ' || c == '\t';
}
inline bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                             1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

bool equalsIgnoreCase(const char *b, const char *e, std::string_view word)
{
    if (std::size_t(e - b) != word.size())
        return false;
    for (std::size_t i = 0; i < word.size(); ++i) {
        char c = b[i];
        if (c >= 'A' && c <= 'Z')
            c = char(c - 'A' + 'a');
        if (c != word[i])
            return false;
    }
    return true;
}

// The float syntax Go's strconv.ParseFloat accepts in expfmt (decimal, no '_', no hex), plus the special
// values: [+-]Inf / [+-]Infinity and NaN in any case. Decimal values that fit Clinger's fast path (at most
// 19 significant digits, mantissa <= 2^53, |exponent| <= 22) are exact with one multiply or divide; the
// rest go through std::from_chars. Overflow is an error (as in Go); underflow gives zero.
bool parseFloat(const char *b, const char *e, double &out)
{
    const char *p = b;
    bool negative = false;
    if (p < e && (*p == '+' || *p == '-')) {
        negative = *p == '-';
        ++p;
    }
    if (p == e)
        return false;
    if (!isDigit(*p) && *p != '.') {
        if (equalsIgnoreCase(p, e, "inf") || equalsIgnoreCase(p, e, "infinity")) {
            out =
                negative ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
            return true;
        }
        if (p == b && equalsIgnoreCase(p, e, "nan")) {
            out = std::numeric_limits<double>::quiet_NaN();
            return true;
        }
        return false;
    }
    const char *unsignedStart = p;
    std::uint64_t mantissa = 0;
    int significant = 0;
    std::int64_t exponent = 0; // a page of digits must not overflow it
    bool anyDigit = false;
    bool tooManyDigits = false;
    for (; p < e && isDigit(*p); ++p) {
        anyDigit = true;
        if (mantissa == 0 && *p == '0')
            continue;
        if (significant < 19) {
            mantissa = mantissa * 10 + std::uint64_t(*p - '0');
            ++significant;
        } else {
            tooManyDigits = true;
            ++exponent;
        }
    }
    if (p < e && *p == '.') {
        for (++p; p < e && isDigit(*p); ++p) {
            anyDigit = true;
            if (mantissa == 0 && *p == '0') {
                --exponent;
                continue;
            }
            if (significant < 19) {
                mantissa = mantissa * 10 + std::uint64_t(*p - '0');
                ++significant;
                --exponent;
            } else {
                tooManyDigits = true;
            }
        }
    }
    if (!anyDigit)
        return false;
    if (p < e && (*p == 'e' || *p == 'E')) {
        ++p;
        bool negativeExponent = false;
        if (p < e && (*p == '+' || *p == '-')) {
            negativeExponent = *p == '-';
            ++p;
        }
        if (p == e || !isDigit(*p))
            return false;
        std::int64_t value = 0;
        for (; p < e && isDigit(*p); ++p) {
            if (value < 100000)
                value = value * 10 + (*p - '0');
        }
        exponent += negativeExponent ? -value : value;
    }
    if (p != e)
        return false;
    if (mantissa == 0) {
        out = negative ? -0.0 : 0.0;
        return true;
    }
    if (!tooManyDigits && mantissa <= (std::uint64_t(1) << 53) && exponent >= -22 && exponent <= 22) {
        double v = double(mantissa);
        v = exponent < 0 ? v / kPow10[-exponent] : v * kPow10[exponent];
        out = negative ? -v : v;
        return true;
    }
    double v = 0;
    const auto result = std::from_chars(unsignedStart, e, v, std::chars_format::general);
    if (result.ptr != e)
        return false;
    if (result.ec == std::errc::result_out_of_range) {
        if (exponent + significant > 0)
            return false; // larger than DBL_MAX
        v = 0;
    } else if (result.ec != std::errc()) {
        return false;
    }
    out = negative ? -v : v;
    return true;
}

bool parseInt64(const char *b, const char *e, std::int64_t &out)
{
    const char *p = b;
    bool negative = false;
    if (p < e && (*p == '+' || *p == '-')) {
        negative = *p == '-';
        ++p;
    }
    if (p == e)
        return false;
    std::uint64_t v = 0;
    const std::uint64_t limit = negative ? std::uint64_t(std::numeric_limits<std::int64_t>::max()) + 1
                                         : std::uint64_t(std::numeric_limits<std::int64_t>::max());
    for (; p < e; ++p) {
        if (!isDigit(*p))
            return false;
        const std::uint64_t d = std::uint64_t(*p - '0');
        if (v > (limit - d) / 10)
            return false;
        v = v * 10 + d;
    }
    out = negative ? std::int64_t(0 - v) : std::int64_t(v);
    return true;
}

// OpenMetrics timestamps are seconds with an optional fraction. Plain decimals convert exactly
// (sub-millisecond digits truncated toward zero, like Prometheus' int64(ts*1000)); other float forms go
// through a double.
bool parseSecondsAsMs(const char *b, const char *e, std::int64_t &out)
{
    const char *p = b;
    bool negative = false;
    if (p < e && (*p == '+' || *p == '-')) {
        negative = *p == '-';
        ++p;
    }
    const char *intStart = p;
    while (p < e && isDigit(*p))
        ++p;
    const char *intEnd = p;
    const char *fracStart = nullptr;
    const char *fracEnd = nullptr;
    if (p < e && *p == '.') {
        fracStart = ++p;
        while (p < e && isDigit(*p))
            ++p;
        fracEnd = p;
    }
    const bool simple =
        p == e && (intEnd > intStart || (fracStart && fracEnd > fracStart)) && intEnd - intStart <= 15;
    if (simple) {
        std::int64_t seconds = 0;
        for (const char *q = intStart; q < intEnd; ++q)
            seconds = seconds * 10 + (*q - '0');
        std::int64_t millis = 0;
        int taken = 0;
        for (const char *q = fracStart; q && q < fracEnd && taken < 3; ++q, ++taken)
            millis = millis * 10 + (*q - '0');
        for (; taken < 3; ++taken)
            millis *= 10;
        const std::int64_t ms = seconds * 1000 + millis;
        out = negative ? -ms : ms;
        return true;
    }
    double seconds = 0;
    if (!parseFloat(b, e, seconds) || !std::isfinite(seconds))
        return false;
    const double ms = seconds * 1000.0;
    if (!(std::fabs(ms) < 9.2e18))
        return false;
    out = std::int64_t(ms);
    return true;
}

bool validUtf8(const unsigned char *s, const unsigned char *e)
{
    while (s < e) {
        const unsigned char c = *s;
        if (c < 0x80) {
            ++s;
            continue;
        }
        int n = 0;
        std::uint32_t cp = 0;
        if (c >= 0xC2 && c <= 0xDF) {
            n = 1;
            cp = c & 0x1Fu;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            cp = c & 0x0Fu;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            cp = c & 0x07u;
        } else {
            return false;
        }
        if (e - s <= n)
            return false;
        for (int i = 1; i <= n; ++i) {
            if ((s[i] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i] & 0x3Fu);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        s += n + 1;
    }
    return true;
}

std::size_t utf8Length(std::string_view s)
{
    std::size_t n = 0;
    for (const char c : s)
        n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return n;
}

// For messages: a token shown like Go's %q, shortened.
std::string quoted(std::string_view s)
{
    std::string out = "\"";
    std::size_t shown = 0;
    for (const char ch : s) {
        if (++shown > 60) {
            out += "...";
            break;
        }
        const unsigned char c = static_cast<unsigned char>(ch);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += ch;
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\r') {
            out += "\\r";
        } else if (c == '\t') {
            out += "\\t";
        } else if (c < 0x20 || c == 0x7F) {
            static const char hex[] = "0123456789abcdef";
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 15];
        } else {
            out += ch;
        }
    }
    out += '"';
    return out;
}

// Label names are short and usually differ in their first bytes: an inline loop beats a call to memcmp.
inline int compareNames(std::string_view a, std::string_view b)
{
    const std::size_t n = std::min(a.size(), b.size());
    for (std::size_t i = 0; i < n; ++i) {
        if (a[i] != b[i])
            return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[i]) ? -1 : 1;
    }
    return a.size() == b.size() ? 0 : (a.size() < b.size() ? -1 : 1);
}

struct Failure {
    std::size_t offset;
    std::string message;
};

constexpr std::uint32_t kNoFamily = 0xFFFFFFFFu;

} // namespace

std::string ParseError::toString() const
{
    return "line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + message;
}

ExpositionFormat expositionFormatForContentType(std::string_view contentType)
{
    const std::size_t semicolon = contentType.find(';');
    std::string_view mediaType = contentType.substr(0, semicolon);
    while (!mediaType.empty() && isBlank(mediaType.front()))
        mediaType.remove_prefix(1);
    while (!mediaType.empty() && isBlank(mediaType.back()))
        mediaType.remove_suffix(1);
    return equalsIgnoreCase(mediaType.data(), mediaType.data() + mediaType.size(),
                            "application/openmetrics-text")
               ? ExpositionFormat::OpenMetrics
               : ExpositionFormat::PrometheusText;
}

// One parse of one page. Errors throw Failure, caught by ExpositionParser::parse: the happy path carries no
// error checks beyond the comparisons it needs anyway. The text is the page's arena, whose std::string NUL
// terminator is a sentinel: scans stop at it without separate bounds checks.
class ParseRun {
public:
    ParseRun(ExpositionParser &parser, MetricPage &page, const char *begin, const char *end)
        : m_parser(parser), m_page(page), m_begin(begin), m_end(end)
    {}

    void parseText();
    void parseOpenMetrics();

private:
    [[noreturn, gnu::cold]] void fail(const char *at, std::string message) const
    {
        throw Failure{std::size_t(at - m_begin), std::move(message)};
    }
    std::string describe(const char *p) const;
    std::string lineOf(std::uint32_t familyIndex) const;

    std::string_view view(detail::StrRef ref) const { return {m_begin + ref.offset, ref.size}; }
    detail::StrRef ref(const char *b, const char *e) const
    {
        return {std::uint32_t(b - m_begin), std::uint32_t(e - b)};
    }
    std::string_view familyName(std::uint32_t f) const { return view(m_page.m_families[f].name); }
    // A label value: in the text, or (when it had escapes) in the decoded scratch.
    std::string_view valueView(detail::StrRef r) const
    {
        const std::size_t textSize = std::size_t(m_end - m_begin);
        return r.offset >= textSize ? std::string_view(m_parser.m_decoded).substr(r.offset - textSize, r.size)
                                    : view(r);
    }

    bool atLineEnd(const char *p) const { return *p == '\n' || (*p == '\r' && p[1] == '\n') || p == m_end; }
    const char *endLine(const char *p) const;
    static const char *skipBlanks(const char *p)
    {
        while (isBlank(*p))
            ++p;
        return p;
    }
    static const char *scanMetricName(const char *p)
    {
        if (!(cls(*p) & kMetricStart))
            return p;
        ++p;
        while (cls(*p) & kMetricChar)
            ++p;
        return p;
    }
    static const char *scanLabelName(const char *p)
    {
        if (!(cls(*p) & kLabelStart))
            return p;
        ++p;
        while (cls(*p) & kLabelChar)
            ++p;
        return p;
    }
    static const char *scanToken(const char *p)
    {
        while (!(cls(*p) & kTokenEnd))
            ++p;
        return p;
    }

    // text format
    const char *textComment(const char *lineStart, const char *hashSign);
    const char *textSample(const char *lineStart, const char *p);
    const char *textLabels(const char *lineStart, const char *p);
    SampleKind textExactKind(std::uint32_t family, const char *at) const;
    std::uint32_t textFamilyForSample(std::string_view name, const char *at, SampleKind &kind);

    // OpenMetrics
    const char *omMetadata(const char *hashSign);
    const char *omSample(const char *p);
    const char *omLabels(const char *lineStart, const char *p, bool keep);
    const char *omExemplar(const char *lineStart, const char *hashSign, SampleKind kind);
    bool omMatch(std::uint32_t family, std::string_view name, SampleKind &kind) const;
    std::optional<std::uint32_t> omOwner(std::string_view series) const;

    // shared
    const char *labelValue(const char *p, detail::StrRef &out);
    const char *labelValueSlow(const char *start, const char *p, detail::StrRef &out, bool nonAscii);
    const char *help(const char *p, std::uint32_t family, bool openMetrics);
    void addSample(const char *lineStart, detail::StrRef name, std::uint32_t family, SampleKind kind,
                   std::uint32_t firstLabel, double value, bool hasTimestamp, std::int64_t timestampMs);
    void sortLabels(const char *lineStart, std::uint32_t first, std::uint32_t count);
    void checkLabelCap(const char *at) const
    {
        const std::size_t maxLabels = m_parser.m_maxLabels;
        if (maxLabels != 0 && m_parser.m_labelColumns.size() >= maxLabels)
            fail(at, "more than " + std::to_string(maxLabels) +
                         " labels on one series: the series exceeds the label cap");
    }
    void checkOpenMetricsDuplicates();
    void checkFloatLabel(const char *lineStart, std::uint32_t first, std::uint32_t count,
                         std::string_view label, const char *what, detail::StrRef sampleName,
                         bool openMetrics, bool unitInterval);

    std::optional<std::uint32_t> lookup(std::string_view name) const
    {
        return lookup(name, detail::nameHash(name));
    }
    std::optional<std::uint32_t> lookup(std::string_view name, std::uint32_t hash) const;
    std::uint32_t createFamily(const char *nameStart, std::size_t size, const char *lineStart,
                               std::uint32_t hash);

    ExpositionParser &m_parser;
    MetricPage &m_page;
    const char *const m_begin;
    const char *const m_end;
    std::uint32_t m_current = kNoFamily;
};

std::string ParseRun::describe(const char *p) const
{
    if (p >= m_end)
        return "end of input";
    const char c = *p;
    if (c == '\n' || (c == '\r' && p[1] == '\n'))
        return "end of line";
    switch (c) {
    case '\'':
        return "'\\''";
    case '\r':
        return "'\\r'";
    case '\t':
        return "'\\t'";
    default:
        break;
    }
    const unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7F) {
        static const char hex[] = "0123456789abcdef";
        return std::string("byte 0x") + hex[u >> 4] + hex[u & 15];
    }
    return std::string("'") + c + "'";
}

std::string ParseRun::lineOf(std::uint32_t familyIndex) const
{
    const std::size_t offset = m_parser.m_familyOffset[familyIndex];
    return std::to_string(1 + std::count(m_begin, m_begin + offset, '\n'));
}

const char *ParseRun::endLine(const char *p) const
{
    if (*p == '\n')
        return p + 1;
    if (*p == '\r' && p[1] == '\n')
        return p + 2;
    if (p == m_end)
        fail(p, "unexpected end of input: the last line has no newline (truncated page?)");
    fail(p, "unexpected " + describe(p) + ", expected end of line");
}

std::optional<std::uint32_t> ParseRun::lookup(std::string_view name, std::uint32_t hash) const
{
    const std::vector<std::uint32_t> &slots = m_page.m_familySlots;
    const std::size_t mask = slots.size() - 1;
    for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
        const std::uint32_t slot = slots[i];
        if (slot == 0)
            return std::nullopt;
        const detail::FamilyRec &f = m_page.m_families[slot - 1];
        if (f.hash == hash && view(f.name) == name)
            return slot - 1;
    }
}

std::uint32_t ParseRun::createFamily(const char *nameStart, std::size_t size, const char *lineStart,
                                     std::uint32_t hash)
{
    std::vector<detail::FamilyRec> &families = m_page.m_families;
    const std::uint32_t index = std::uint32_t(families.size());
    detail::FamilyRec rec;
    rec.name = ref(nameStart, nameStart + size);
    rec.hash = hash;
    families.push_back(rec);
    m_parser.m_familyOffset.push_back(std::uint32_t(lineStart - m_begin));

    std::vector<std::uint32_t> &slots = m_page.m_familySlots;
    if (families.size() * 2 > slots.size()) {
        slots.assign(slots.size() * 2, 0);
        const std::size_t mask = slots.size() - 1;
        for (std::uint32_t f = 0; f < index; ++f) {
            std::size_t i = families[f].hash & mask;
            while (slots[i] != 0)
                i = (i + 1) & mask;
            slots[i] = f + 1;
        }
    }
    const std::size_t mask = slots.size() - 1;
    std::size_t i = hash & mask;
    while (slots[i] != 0)
        i = (i + 1) & mask;
    slots[i] = index + 1;
    return index;
}

// ---------------------------------------------------------------------------------------------------------
// Label values and HELP texts

const char *ParseRun::labelValue(const char *p, detail::StrRef &out)
{
    const char *start = p;
    bool nonAscii = false;
    for (;;) {
        const std::uint8_t c = kValueClass[static_cast<unsigned char>(*p)];
        if (c == 0) {
            ++p;
        } else if (c == 2) {
            nonAscii = true;
            ++p;
        } else {
            break;
        }
    }
    if (*p != '"')
        return labelValueSlow(start, p, out, nonAscii);
    if (nonAscii && !validUtf8(reinterpret_cast<const unsigned char *>(start),
                               reinterpret_cast<const unsigned char *>(p)))
        fail(start, "label value is not valid UTF-8");
    out = ref(start, p);
    return p + 1;
}

// A backslash (or an error) inside the value: decode into the parser's scratch, appended to the arena later.
const char *ParseRun::labelValueSlow(const char *start, const char *p, detail::StrRef &out, bool nonAscii)
{
    std::string &decoded = m_parser.m_decoded;
    const std::size_t first = decoded.size();
    decoded.append(start, std::size_t(p - start));
    for (;;) {
        const char c = *p;
        if (c == '"')
            break;
        if (c == '\\') {
            if (p + 1 >= m_end)
                fail(p + 1, "unexpected end of input inside a label value");
            switch (p[1]) {
            case '\\':
                decoded += '\\';
                break;
            case '"':
                decoded += '"';
                break;
            case 'n':
                decoded += '\n';
                break;
            default:
                fail(p, "invalid escape sequence " + quoted(std::string_view(p, 2)) +
                            " in label value (only \\\\, \\\" and \\n are allowed)");
            }
            p += 2;
            continue;
        }
        if (c == '\n' || (c == '\r' && p[1] == '\n'))
            fail(p, "label value contains an unescaped new-line (missing closing '\"'?)");
        if (p >= m_end)
            fail(p, "unexpected end of input inside a label value");
        if (static_cast<unsigned char>(c) >= 0x80)
            nonAscii = true;
        decoded += c;
        ++p;
    }
    const unsigned char *d = reinterpret_cast<const unsigned char *>(decoded.data());
    if (nonAscii && !validUtf8(d + first, d + decoded.size()))
        fail(start, "label value is not valid UTF-8");
    out = {std::uint32_t(std::size_t(m_end - m_begin) + first), std::uint32_t(decoded.size() - first)};
    return p + 1;
}

const char *ParseRun::help(const char *p, std::uint32_t family, bool openMetrics)
{
    const char *lineEnd = static_cast<const char *>(std::memchr(p, '\n', std::size_t(m_end - p)));
    if (!lineEnd)
        lineEnd = m_end;
    const char *textEnd = (lineEnd > p && lineEnd < m_end && lineEnd[-1] == '\r') ? lineEnd - 1 : lineEnd;
    detail::FamilyRec &rec = m_page.m_families[family];
    rec.hasHelp = true;
    if (!std::memchr(p, '\\', std::size_t(textEnd - p))) {
        rec.help = ref(p, textEnd);
        return endLine(textEnd);
    }
    std::string &decoded = m_parser.m_decoded;
    const std::size_t first = decoded.size();
    for (const char *q = p; q < textEnd; ++q) {
        if (*q != '\\') {
            decoded += *q;
            continue;
        }
        const char next = q + 1 < textEnd ? q[1] : '\0';
        if (next == '\\')
            decoded += '\\';
        else if (next == 'n')
            decoded += '\n';
        else if (next == '"' && openMetrics)
            decoded += '"';
        else if (q + 1 >= textEnd)
            fail(q, "HELP text ends with a lone backslash");
        else
            fail(q, "invalid escape sequence " + quoted(std::string_view(q, 2)) +
                        " in HELP text (only \\\\ and \\n" + (openMetrics ? ", \\\"" : "") + " are allowed)");
        ++q;
    }
    rec.help = {std::uint32_t(std::size_t(m_end - m_begin) + first), std::uint32_t(decoded.size() - first)};
    return endLine(textEnd);
}

// ---------------------------------------------------------------------------------------------------------
// Samples: label order, required labels, the sample cap

void ParseRun::sortLabels(const char *lineStart, std::uint32_t first, std::uint32_t count)
{
    detail::LabelRec *labels = m_page.m_labels.data() + first;
    std::uint32_t *columns = m_parser.m_labelColumns.data();
    bool sorted = true;
    for (std::uint32_t i = 1; i < count; ++i) {
        if (compareNames(view(labels[i - 1].name), view(labels[i].name)) >= 0) {
            sorted = false;
            break;
        }
    }
    if (sorted)
        return;
    if (count <= 16) {
        // Insertion sort: label sets are small. An equal name is always met on the way down, so this also
        // finds duplicates.
        for (std::uint32_t i = 1; i < count; ++i) {
            const detail::LabelRec x = labels[i];
            const std::uint32_t xColumn = columns[i];
            const std::string_view xName = view(x.name);
            std::uint32_t j = i;
            while (j > 0) {
                const int c = compareNames(view(labels[j - 1].name), xName);
                if (c == 0)
                    fail(lineStart + std::max(columns[j - 1], xColumn) - 1,
                         "duplicate label name " + quoted(xName));
                if (c < 0)
                    break;
                labels[j] = labels[j - 1];
                columns[j] = columns[j - 1];
                --j;
            }
            labels[j] = x;
            columns[j] = xColumn;
        }
        return;
    }
    // A long label set (hostile or generated): O(n log n), duplicates are neighbours afterwards.
    std::vector<std::uint32_t> &order = m_parser.m_order;
    order.resize(count);
    for (std::uint32_t i = 0; i < count; ++i)
        order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
        return compareNames(view(labels[a].name), view(labels[b].name)) < 0;
    });
    for (std::uint32_t i = 1; i < count; ++i) {
        if (compareNames(view(labels[order[i - 1]].name), view(labels[order[i]].name)) == 0)
            fail(lineStart + std::max(columns[order[i - 1]], columns[order[i]]) - 1,
                 "duplicate label name " + quoted(view(labels[order[i]].name)));
    }
    std::vector<detail::LabelRec> sortedLabels(count);
    std::vector<std::uint32_t> sortedColumns(count);
    for (std::uint32_t i = 0; i < count; ++i) {
        sortedLabels[i] = labels[order[i]];
        sortedColumns[i] = columns[order[i]];
    }
    std::copy(sortedLabels.begin(), sortedLabels.end(), labels);
    std::copy(sortedColumns.begin(), sortedColumns.end(), columns);
}

void ParseRun::checkFloatLabel(const char *lineStart, std::uint32_t first, std::uint32_t count,
                               std::string_view label, const char *what, detail::StrRef sampleName,
                               bool openMetrics, bool unitInterval)
{
    const detail::LabelRec *labels = m_page.m_labels.data() + first;
    for (std::uint32_t i = 0; i < count; ++i) {
        if (view(labels[i].name) != label)
            continue;
        const std::string_view value = valueView(labels[i].value);
        double v = 0;
        const char *at = lineStart + m_parser.m_labelColumns[i] - 1;
        if (!parseFloat(value.data(), value.data() + value.size(), v))
            fail(at, "expected float as value for '" + std::string(label) + "' label, got " + quoted(value));
        if (openMetrics && std::isnan(v))
            fail(at, "'" + std::string(label) + "' label must not be NaN");
        if (unitInterval && !(v >= 0 && v <= 1))
            fail(at, "'quantile' label must be between 0 and 1, got " + quoted(value));
        return;
    }
    fail(lineStart,
         std::string(what) + ' ' + quoted(view(sampleName)) + " has no '" + std::string(label) + "' label");
}

void ParseRun::addSample(const char *lineStart, detail::StrRef name, std::uint32_t family, SampleKind kind,
                         std::uint32_t firstLabel, double value, bool hasTimestamp, std::int64_t timestampMs)
{
    const std::uint32_t count = std::uint32_t(m_page.m_labels.size()) - firstLabel;
    if (count > 1)
        sortLabels(lineStart, firstLabel, count);
    const bool openMetrics = m_page.m_format == ExpositionFormat::OpenMetrics;
    if (kind == SampleKind::Bucket)
        checkFloatLabel(lineStart, firstLabel, count, "le", "histogram bucket", name, openMetrics, false);
    else if (kind == SampleKind::Quantile)
        checkFloatLabel(lineStart, firstLabel, count, "quantile", "summary quantile", name, openMetrics,
                        openMetrics);
    detail::FamilyRec &fam = m_page.m_families[family];
    if (fam.type == MetricType::StateSet) {
        bool found = false;
        const detail::LabelRec *labels = m_page.m_labels.data() + firstLabel;
        for (std::uint32_t i = 0; i < count && !found; ++i)
            found = view(labels[i].name) == view(fam.name);
        if (!found)
            fail(lineStart, "stateset sample has no label named after its family " + quoted(view(fam.name)));
    }
    const std::size_t maxSamples = m_parser.m_maxSamples;
    if (maxSamples != 0 && m_page.m_samples.size() >= maxSamples)
        fail(lineStart,
             "more than " + std::to_string(maxSamples) + " samples: the page exceeds the sample cap");
    ++fam.sampleCount;
    detail::SampleRec &rec = m_page.m_samples.emplace_back();
    rec.name = name;
    rec.firstLabel = firstLabel;
    rec.labelCount = count;
    rec.family = family;
    rec.kind = kind;
    rec.hasTimestamp = hasTimestamp;
    rec.value = value;
    rec.timestampMs = timestampMs;
}

// ---------------------------------------------------------------------------------------------------------
// Prometheus text format 0.0.4: what expfmt accepts, minus its silent drops (no 'le' on a bucket is an error)

void ParseRun::parseText()
{
    const char *p = m_begin;
    while (p < m_end) {
        const char *lineStart = p;
        p = skipBlanks(p);
        const char c = *p;
        if (c == '\n') {
            ++p;
        } else if (p == m_end) {
            break; // blanks after the last newline
        } else if (c == '\r' && p[1] == '\n') {
            p += 2;
        } else if (c == '#') {
            p = textComment(lineStart, p);
        } else {
            p = textSample(lineStart, p);
        }
    }
}

const char *ParseRun::textComment(const char *lineStart, const char *hashSign)
{
    const char *p = skipBlanks(hashSign + 1);
    if (atLineEnd(p))
        return endLine(p);
    const char *keywordStart = p;
    p = scanToken(p);
    const std::string_view keyword(keywordStart, std::size_t(p - keywordStart));
    if (keyword != "HELP" && keyword != "TYPE") {
        const char *lineEnd = static_cast<const char *>(std::memchr(p, '\n', std::size_t(m_end - p)));
        return endLine(lineEnd ? lineEnd : m_end);
    }
    if (atLineEnd(p))
        return endLine(p);
    p = skipBlanks(p);
    if (atLineEnd(p))
        return endLine(p);
    const char *nameStart = p;
    p = scanMetricName(p);
    if (p == nameStart || !(isBlank(*p) || atLineEnd(p)))
        fail(p, "invalid metric name in " + std::string(keyword) + " line: unexpected " + describe(p));
    const std::string_view name(nameStart, std::size_t(p - nameStart));
    if (atLineEnd(p))
        return endLine(p);
    p = skipBlanks(p);
    std::uint32_t family;
    if (m_current != kNoFamily && familyName(m_current) == name) {
        family = m_current;
    } else {
        const std::uint32_t hash = detail::nameHash(name);
        const auto found = lookup(name, hash);
        family = found ? *found : createFamily(nameStart, name.size(), lineStart, hash);
    }
    m_current = family;
    if (atLineEnd(p))
        return endLine(p);

    detail::FamilyRec &rec = m_page.m_families[family];
    if (keyword == "HELP") {
        if (rec.hasHelp)
            fail(keywordStart, "second HELP line for metric name " + quoted(name));
        return help(p, family, false);
    }
    if (rec.hasType)
        fail(keywordStart, "second TYPE line for metric name " + quoted(name));
    if (rec.sampleCount > 0)
        fail(keywordStart, "TYPE line for metric name " + quoted(name) + " after its samples");
    const char *typeStart = p;
    const char *typeEnd = scanToken(p);
    p = skipBlanks(typeEnd);
    if (!atLineEnd(p))
        fail(p, "unexpected " + describe(p) + " after the metric type");
    struct Known {
        std::string_view name;
        MetricType type;
    };
    static constexpr Known known[] = {{"counter", MetricType::Counter},
                                      {"gauge", MetricType::Gauge},
                                      {"histogram", MetricType::Histogram},
                                      {"summary", MetricType::Summary},
                                      {"untyped", MetricType::Untyped}};
    for (const Known &k : known) {
        if (equalsIgnoreCase(typeStart, typeEnd, k.name)) {
            rec.type = k.type;
            rec.hasType = true;
            return endLine(p);
        }
    }
    fail(typeStart, "unknown metric type " +
                        quoted(std::string_view(typeStart, std::size_t(typeEnd - typeStart))) +
                        " (expected counter, gauge, histogram, summary or untyped)");
}

SampleKind ParseRun::textExactKind(std::uint32_t family, const char *at) const
{
    switch (m_page.m_families[family].type) {
    case MetricType::Summary:
        return SampleKind::Quantile;
    case MetricType::Histogram:
        fail(at, "sample " + quoted(familyName(family)) +
                     " of a histogram needs a _bucket, _sum or _count suffix");
    default:
        return SampleKind::Value;
    }
}

// expfmt's rule: the family of that exact name, else the summary or histogram the _sum/_count/_bucket
// suffix points to, else a new untyped family.
std::uint32_t ParseRun::textFamilyForSample(std::string_view name, const char *at, SampleKind &kind)
{
    if (m_current != kNoFamily) {
        const detail::FamilyRec &cur = m_page.m_families[m_current];
        const std::string_view curName = view(cur.name);
        if (name.size() == curName.size()) {
            if (name == curName) {
                kind = textExactKind(m_current, at);
                return m_current;
            }
        } else if ((cur.type == MetricType::Histogram || cur.type == MetricType::Summary) &&
                   name.size() > curName.size() && name.compare(0, curName.size(), curName) == 0) {
            const std::string_view suffix = name.substr(curName.size());
            if (suffix == "_sum") {
                kind = SampleKind::Sum;
                return m_current;
            }
            if (suffix == "_count") {
                kind = SampleKind::Count;
                return m_current;
            }
            if (suffix == "_bucket" && cur.type == MetricType::Histogram) {
                kind = SampleKind::Bucket;
                return m_current;
            }
        }
    }
    const std::uint32_t hash = detail::nameHash(name);
    if (auto exact = lookup(name, hash)) {
        kind = textExactKind(*exact, at);
        return m_current = *exact;
    }
    struct Suffix {
        std::string_view text;
        SampleKind kind;
        bool summary;
    };
    static constexpr Suffix suffixes[] = {{"_sum", SampleKind::Sum, true},
                                          {"_count", SampleKind::Count, true},
                                          {"_bucket", SampleKind::Bucket, false}};
    for (const Suffix &s : suffixes) {
        if (name.size() <= s.text.size() || !name.ends_with(s.text))
            continue;
        if (auto base = lookup(name.substr(0, name.size() - s.text.size()))) {
            const MetricType type = m_page.m_families[*base].type;
            if (type == MetricType::Histogram || (s.summary && type == MetricType::Summary)) {
                kind = s.kind;
                return m_current = *base;
            }
        }
    }
    kind = SampleKind::Value;
    return m_current = createFamily(at, name.size(), at, hash);
}

const char *ParseRun::textSample(const char *lineStart, const char *p)
{
    const char *nameStart = p;
    p = scanMetricName(p);
    if (p == nameStart)
        fail(p, "expected a metric name, found " + describe(p));
    const std::string_view name(nameStart, std::size_t(p - nameStart));
    SampleKind kind;
    const std::uint32_t family = textFamilyForSample(name, nameStart, kind);
    const std::uint32_t firstLabel = std::uint32_t(m_page.m_labels.size());
    m_parser.m_labelColumns.clear();

    const char *afterName = p;
    p = skipBlanks(p);
    if (*p == '{') {
        p = skipBlanks(textLabels(lineStart, p + 1));
    } else if (p == afterName) {
        if (atLineEnd(p))
            fail(p, "expected a value after the metric name, found " + describe(p));
        fail(p, "unexpected " + describe(p) + " after the metric name");
    }
    const char *valueStart = p;
    p = scanToken(p);
    if (p == valueStart)
        fail(p, "expected a value, found " + describe(p));
    double value = 0;
    if (!parseFloat(valueStart, p, value))
        fail(valueStart, "expected float as value, got " +
                             quoted(std::string_view(valueStart, std::size_t(p - valueStart))));
    bool hasTimestamp = false;
    std::int64_t timestamp = 0;
    p = skipBlanks(p);
    if (!atLineEnd(p)) {
        const char *tsStart = p;
        p = scanToken(p);
        if (p == tsStart)
            fail(p, "unexpected " + describe(p) + " after the value");
        if (!parseInt64(tsStart, p, timestamp))
            fail(tsStart, "expected integer as timestamp (milliseconds), got " +
                              quoted(std::string_view(tsStart, std::size_t(p - tsStart))));
        hasTimestamp = true;
        p = skipBlanks(p);
        if (!atLineEnd(p)) {
            const char *rest = p;
            while (!atLineEnd(p))
                ++p;
            fail(rest,
                 "spurious string after timestamp: " + quoted(std::string_view(rest, std::size_t(p - rest))));
        }
    }
    p = endLine(p);
    addSample(lineStart, ref(nameStart, nameStart + name.size()), family, kind, firstLabel, value,
              hasTimestamp, timestamp);
    return p;
}

const char *ParseRun::textLabels(const char *lineStart, const char *p)
{
    for (;;) {
        p = skipBlanks(p);
        if (*p == '}')
            return p + 1;
        const char *nameStart = p;
        p = scanLabelName(p);
        if (p == nameStart) {
            if (atLineEnd(p))
                fail(p, "unexpected " + describe(p) + " inside the label set (missing '}'?)");
            fail(p, "invalid label name: unexpected " + describe(p));
        }
        const std::string_view name(nameStart, std::size_t(p - nameStart));
        if (name == "__name__")
            fail(nameStart, "label name \"__name__\" is reserved");
        p = skipBlanks(p);
        if (*p != '=')
            fail(p, "expected '=' after label name, found " + describe(p));
        p = skipBlanks(p + 1);
        if (*p != '"')
            fail(p, "expected '\"' at start of label value, found " + describe(p));
        detail::StrRef value;
        p = labelValue(p + 1, value);
        checkLabelCap(nameStart);
        m_page.m_labels.push_back({ref(nameStart, nameStart + name.size()), value});
        m_parser.m_labelColumns.push_back(std::uint32_t(nameStart - lineStart + 1));
        p = skipBlanks(p);
        if (*p == ',') {
            ++p;
            continue;
        }
        if (*p == '}')
            return p + 1;
        fail(p, "expected ',' or '}' after label value, found " + describe(p));
    }
}

// ---------------------------------------------------------------------------------------------------------
// OpenMetrics 1.0 text: single spaces, metadata before samples, families not interleaved, # EOF at the end.

void ParseRun::parseOpenMetrics()
{
    const char *p = m_begin;
    while (p < m_end) {
        if (*p == '#') {
            if (p[1] == ' ' && p[2] == 'E' && p[3] == 'O' && p[4] == 'F' && atLineEnd(p + 5)) {
                const char *after = p + 5;
                if (after < m_end)
                    after = endLine(after);
                if (after != m_end)
                    fail(after, "unexpected content after # EOF");
                checkOpenMetricsDuplicates();
                return;
            }
            p = omMetadata(p);
        } else if (*p == '\n' || (*p == '\r' && p[1] == '\n')) {
            fail(p, "blank line (OpenMetrics does not allow them)");
        } else {
            p = omSample(p);
        }
    }
    fail(m_end, "missing '# EOF' at the end of an OpenMetrics page (truncated page?)");
}

// OpenMetrics: a label set appears once per sample name. Labels are sorted by now, so equal series have equal
// label sequences; hashing keeps this O(n log n) on pages of any size.
void ParseRun::checkOpenMetricsDuplicates()
{
    const std::vector<detail::SampleRec> &samples = m_page.m_samples;
    const auto hashOf = [&](const detail::SampleRec &sample) {
        std::size_t h = std::hash<std::string_view>()(view(sample.name));
        for (std::uint32_t i = 0; i < sample.labelCount; ++i) {
            const detail::LabelRec &label = m_page.m_labels[sample.firstLabel + i];
            h = h * 1000003u ^ std::hash<std::string_view>()(view(label.name));
            h = h * 1000003u ^ std::hash<std::string_view>()(valueView(label.value));
        }
        return h;
    };
    const auto same = [&](const detail::SampleRec &a, const detail::SampleRec &b) {
        if (view(a.name) != view(b.name) || a.labelCount != b.labelCount)
            return false;
        for (std::uint32_t i = 0; i < a.labelCount; ++i) {
            const detail::LabelRec &x = m_page.m_labels[a.firstLabel + i];
            const detail::LabelRec &y = m_page.m_labels[b.firstLabel + i];
            if (view(x.name) != view(y.name) || valueView(x.value) != valueView(y.value))
                return false;
        }
        return true;
    };
    std::vector<std::pair<std::size_t, std::uint32_t>> keys(samples.size());
    for (std::uint32_t i = 0; i < samples.size(); ++i)
        keys[i] = {hashOf(samples[i]), i};
    std::sort(keys.begin(), keys.end());
    std::optional<std::pair<std::uint32_t, std::uint32_t>> first; // the earliest duplicate: (earlier, later)
    for (std::size_t i = 1; i < keys.size(); ++i) {
        for (std::size_t j = i; j-- > 0 && keys[j].first == keys[i].first;) {
            if (!same(samples[keys[j].second], samples[keys[i].second]))
                continue;
            const std::uint32_t later = std::max(keys[i].second, keys[j].second);
            if (!first || later < first->second)
                first = std::pair{std::min(keys[i].second, keys[j].second), later};
            break;
        }
    }
    if (!first)
        return;
    const detail::SampleRec &earlier = samples[first->first];
    const std::string line = std::to_string(1 + std::count(m_begin, m_begin + earlier.name.offset, '\n'));
    fail(m_begin + samples[first->second].name.offset,
         "duplicate series: " + quoted(view(earlier.name)) + " with the same labels as on line " + line);
}

bool ParseRun::omMatch(std::uint32_t family, std::string_view name, SampleKind &kind) const
{
    const detail::FamilyRec &fam = m_page.m_families[family];
    const std::string_view base = view(fam.name);
    if (name.size() < base.size() || name.compare(0, base.size(), base) != 0)
        return false;
    const std::string_view suffix = name.substr(base.size());
    switch (fam.type) {
    case MetricType::Untyped:
    case MetricType::Gauge:
    case MetricType::StateSet:
        kind = SampleKind::Value;
        return suffix.empty();
    case MetricType::Counter:
        if (suffix == "_total")
            kind = SampleKind::Total;
        else if (suffix == "_created")
            kind = SampleKind::Created;
        else
            return false;
        return true;
    case MetricType::Info:
        kind = SampleKind::Info;
        return suffix == "_info";
    case MetricType::Summary:
        if (suffix.empty())
            kind = SampleKind::Quantile;
        else if (suffix == "_sum")
            kind = SampleKind::Sum;
        else if (suffix == "_count")
            kind = SampleKind::Count;
        else if (suffix == "_created")
            kind = SampleKind::Created;
        else
            return false;
        return true;
    case MetricType::Histogram:
        if (suffix == "_bucket")
            kind = SampleKind::Bucket;
        else if (suffix == "_sum")
            kind = SampleKind::Sum;
        else if (suffix == "_count")
            kind = SampleKind::Count;
        else if (suffix == "_created")
            kind = SampleKind::Created;
        else
            return false;
        return true;
    case MetricType::GaugeHistogram:
        if (suffix == "_bucket")
            kind = SampleKind::Bucket;
        else if (suffix == "_gsum")
            kind = SampleKind::GSum;
        else if (suffix == "_gcount")
            kind = SampleKind::GCount;
        else
            return false;
        return true;
    }
    return false;
}

std::optional<std::uint32_t> ParseRun::omOwner(std::string_view series) const
{
    SampleKind kind;
    if (auto exact = lookup(series); exact && omMatch(*exact, series, kind))
        return exact;
    static constexpr std::string_view suffixes[] = {"_total", "_created", "_bucket", "_sum",
                                                    "_count", "_gsum",    "_gcount", "_info"};
    for (const std::string_view suffix : suffixes) {
        if (series.size() <= suffix.size() || !series.ends_with(suffix))
            continue;
        if (auto base = lookup(series.substr(0, series.size() - suffix.size()));
            base && omMatch(*base, series, kind))
            return base;
    }
    return lookup(series);
}

const char *ParseRun::omMetadata(const char *hashSign)
{
    const char *p = hashSign + 1;
    if (*p != ' ')
        fail(p, "expected ' ' after '#', found " + describe(p));
    const char *keywordStart = ++p;
    while (*p >= 'A' && *p <= 'Z')
        ++p;
    const std::string_view keyword(keywordStart, std::size_t(p - keywordStart));
    if (keyword != "HELP" && keyword != "TYPE" && keyword != "UNIT")
        fail(keywordStart, "unknown metadata line: OpenMetrics allows only # HELP, # TYPE, # UNIT and # EOF");
    if (*p != ' ')
        fail(p, "expected ' ' after " + std::string(keyword) + ", found " + describe(p));
    const char *nameStart = ++p;
    p = scanMetricName(p);
    if (p == nameStart)
        fail(p, "expected a metric name, found " + describe(p));
    const std::string_view name(nameStart, std::size_t(p - nameStart));
    if (*p != ' ')
        fail(p, "expected ' ' after the metric name, found " + describe(p));
    ++p;

    std::uint32_t family;
    if (m_current != kNoFamily && familyName(m_current) == name) {
        family = m_current;
        if (m_page.m_families[family].sampleCount > 0)
            fail(keywordStart, std::string(keyword) + " line for " + quoted(name) + " after its samples");
    } else {
        if (auto other = omOwner(name))
            fail(nameStart, "metric family " + quoted(name) + " clashes with family " +
                                quoted(familyName(*other)) + " from line " + lineOf(*other) +
                                " (families must be unique and not interleaved)");
        family = createFamily(nameStart, name.size(), hashSign, detail::nameHash(name));
        m_current = family;
    }
    detail::FamilyRec &rec = m_page.m_families[family];
    if (keyword == "HELP") {
        if (rec.hasHelp)
            fail(keywordStart, "second HELP line for metric name " + quoted(name));
        return help(p, family, true);
    }
    const char *valueStart = p;
    while (!atLineEnd(p))
        ++p;
    const std::string_view value(valueStart, std::size_t(p - valueStart));
    if (keyword == "UNIT") {
        if (rec.hasUnit)
            fail(keywordStart, "second UNIT line for metric name " + quoted(name));
        for (const char c : value) {
            if (!(cls(c) & kMetricChar))
                fail(valueStart, "invalid unit " + quoted(value));
        }
        if (!value.empty() && !(name.size() > value.size() + 1 && name.ends_with(value) &&
                                name[name.size() - value.size() - 1] == '_'))
            fail(valueStart, "unit " + quoted(value) + " does not match metric name " + quoted(name) +
                                 " (the name must end in _" + std::string(value) + ")");
        rec.unit = ref(valueStart, p);
        rec.hasUnit = true;
        return endLine(p);
    }
    if (rec.hasType)
        fail(keywordStart, "second TYPE line for metric name " + quoted(name));
    struct Known {
        std::string_view name;
        MetricType type;
    };
    static constexpr Known known[] = {
        {"counter", MetricType::Counter},     {"gauge", MetricType::Gauge},
        {"histogram", MetricType::Histogram}, {"gaugehistogram", MetricType::GaugeHistogram},
        {"summary", MetricType::Summary},     {"info", MetricType::Info},
        {"stateset", MetricType::StateSet},   {"unknown", MetricType::Untyped}};
    for (const Known &k : known) {
        if (value == k.name) {
            rec.type = k.type;
            rec.hasType = true;
            return endLine(p);
        }
    }
    fail(valueStart,
         "unknown metric type " + quoted(value) +
             " (expected counter, gauge, histogram, gaugehistogram, summary, info, stateset or unknown)");
}

const char *ParseRun::omLabels(const char *lineStart, const char *p, bool keep)
{
    if (*p == '}')
        return p + 1;
    for (;;) {
        const char *nameStart = p;
        p = scanLabelName(p);
        if (p == nameStart)
            fail(p, "expected a label name, found " + describe(p));
        const std::string_view name(nameStart, std::size_t(p - nameStart));
        if (*p != '=')
            fail(p, "expected '=' after label name, found " + describe(p));
        ++p;
        if (*p != '"')
            fail(p, "expected '\"' at start of label value, found " + describe(p));
        detail::StrRef value;
        p = labelValue(p + 1, value);
        if (keep) {
            if (name == "__name__")
                fail(nameStart, "label name \"__name__\" is reserved");
            checkLabelCap(nameStart);
            m_page.m_labels.push_back({ref(nameStart, nameStart + name.size()), value});
            m_parser.m_labelColumns.push_back(std::uint32_t(nameStart - lineStart + 1));
        }
        if (*p == ',') {
            ++p;
            continue;
        }
        if (*p == '}')
            return p + 1;
        fail(p, "expected ',' or '}' after label value, found " + describe(p));
    }
}

const char *ParseRun::omExemplar(const char *lineStart, const char *hashSign, SampleKind kind)
{
    if (kind != SampleKind::Total && kind != SampleKind::Bucket)
        fail(hashSign, "exemplars are only allowed on counter _total and histogram _bucket samples");
    const char *p = hashSign + 1;
    if (*p != ' ')
        fail(p, "expected ' ' after '#' of an exemplar, found " + describe(p));
    ++p;
    if (*p != '{')
        fail(p, "expected '{' to start the exemplar's labels, found " + describe(p));
    // Exemplar labels are checked, then dropped: they go to scratch space that is rolled back.
    const std::size_t labelMark = m_page.m_labels.size();
    const std::size_t columnMark = m_parser.m_labelColumns.size();
    const std::size_t decodedMark = m_parser.m_decoded.size();
    const char *labelsStart = p;
    p = omLabels(lineStart, p + 1, true);
    std::size_t runes = 0;
    for (std::size_t i = labelMark; i < m_page.m_labels.size(); ++i)
        runes += m_page.m_labels[i].name.size + utf8Length(valueView(m_page.m_labels[i].value));
    m_page.m_labels.resize(labelMark);
    m_parser.m_labelColumns.resize(columnMark);
    m_parser.m_decoded.resize(decodedMark);
    if (runes > 128)
        fail(labelsStart, "exemplar labels are longer than 128 characters");
    if (*p != ' ')
        fail(p, "expected ' ' and the exemplar value, found " + describe(p));
    const char *valueStart = ++p;
    p = scanToken(p);
    double value = 0;
    if (p == valueStart || !parseFloat(valueStart, p, value))
        fail(valueStart, "expected float as exemplar value, got " +
                             quoted(std::string_view(valueStart, std::size_t(p - valueStart))));
    if (*p == ' ') {
        const char *tsStart = ++p;
        p = scanToken(p);
        std::int64_t ts = 0;
        if (p == tsStart || !parseSecondsAsMs(tsStart, p, ts))
            fail(tsStart, "expected exemplar timestamp (seconds), got " +
                              quoted(std::string_view(tsStart, std::size_t(p - tsStart))));
    }
    return p;
}

const char *ParseRun::omSample(const char *p)
{
    const char *lineStart = p;
    const char *nameStart = p;
    p = scanMetricName(p);
    if (p == nameStart)
        fail(p, "expected a metric name or '#', found " + describe(p));
    const std::string_view name(nameStart, std::size_t(p - nameStart));

    SampleKind kind = SampleKind::Value;
    std::uint32_t family;
    if (m_current != kNoFamily && omMatch(m_current, name, kind)) {
        family = m_current;
    } else if (auto owner = omOwner(name)) {
        if (*owner == m_current)
            fail(nameStart, "sample name " + quoted(name) + " does not fit " +
                                metricTypeName(m_page.m_families[*owner].type) + " family " +
                                quoted(familyName(*owner)));
        fail(nameStart, "samples of metric family " + quoted(familyName(*owner)) + " (first seen on line " +
                            lineOf(*owner) + ") appear again after other families");
    } else {
        family = m_current = createFamily(nameStart, name.size(), lineStart, detail::nameHash(name));
        kind = SampleKind::Value;
    }

    const std::uint32_t firstLabel = std::uint32_t(m_page.m_labels.size());
    m_parser.m_labelColumns.clear();
    if (*p == '{')
        p = omLabels(lineStart, p + 1, true);
    if (*p != ' ')
        fail(p, "expected ' ' before the value, found " + describe(p));
    const char *valueStart = ++p;
    p = scanToken(p);
    double value = 0;
    if (p == valueStart)
        fail(p, "expected a value, found " + describe(p));
    if (!parseFloat(valueStart, p, value))
        fail(valueStart, "expected float as value, got " +
                             quoted(std::string_view(valueStart, std::size_t(p - valueStart))));
    bool hasTimestamp = false;
    std::int64_t timestamp = 0;
    if (*p == ' ') {
        ++p;
        if (*p != '#') {
            const char *tsStart = p;
            p = scanToken(p);
            if (p == tsStart)
                fail(p, "expected a timestamp or '#', found " + describe(p));
            if (!parseSecondsAsMs(tsStart, p, timestamp))
                fail(tsStart, "expected timestamp (seconds), got " +
                                  quoted(std::string_view(tsStart, std::size_t(p - tsStart))));
            hasTimestamp = true;
            if (*p == ' ') {
                ++p;
                if (*p != '#')
                    fail(p, "expected '#' to start an exemplar, found " + describe(p));
            }
        }
        if (*p == '#')
            p = omExemplar(lineStart, p, kind);
    }
    if (p == m_end)
        fail(p, "unexpected end of input: missing newline and '# EOF' (truncated page?)");
    p = endLine(p);
    addSample(lineStart, ref(nameStart, nameStart + name.size()), family, kind, firstLabel, value,
              hasTimestamp, timestamp);
    return p;
}

// ---------------------------------------------------------------------------------------------------------

std::optional<ParseError> ExpositionParser::parse(std::string_view text, ExpositionFormat format,
                                                  MetricPage &page)
{
    page.clear();
    page.m_format = format;
    if (text.size() >= 0xFFFF0000u) {
        return ParseError{1, 1, "page of " + std::to_string(text.size()) + " bytes is too large to parse"};
    }
    // Size hints: the previous page of this parser, or a guess from the byte count.
    page.m_arena.reserve(text.size() + text.size() / 16 + 1);
    page.m_samples.reserve(std::max(m_lastSamples, text.size() / 80));
    page.m_labels.reserve(std::max(m_lastLabels, text.size() / 40));
    page.m_arena.assign(text.data(), text.size());
    m_decoded.clear();
    m_familyOffset.clear();
    m_labelColumns.clear();
    std::size_t slots = 64; // a power of two, as large as a previous page made it
    while (slots < page.m_familySlots.capacity())
        slots *= 2;
    page.m_familySlots.assign(slots, 0);

    const char *begin = page.m_arena.data();
    try {
        ParseRun run(*this, page, begin, begin + text.size());
        if (format == ExpositionFormat::OpenMetrics)
            run.parseOpenMetrics();
        else
            run.parseText();
    } catch (const Failure &failure) {
        const std::string_view done = text.substr(0, failure.offset);
        const std::size_t lastNewline = done.rfind('\n');
        ParseError error;
        error.line = std::uint32_t(1 + std::count(done.begin(), done.end(), '\n'));
        error.column = std::uint32_t(lastNewline == std::string_view::npos ? failure.offset + 1
                                                                           : failure.offset - lastNewline);
        error.message = failure.message;
        page.clear();
        return error;
    }
    page.m_arena.append(m_decoded);
    page.m_textSize = text.size();
    page.buildIndexes();
    m_lastSamples = page.m_samples.size();
    m_lastLabels = page.m_labels.size();
    return std::nullopt;
}

} // namespace clusterdeck
