#include "history/codec.h"

#include <cmath>
#include <cstring>
#include <zstd.h>

namespace clusterdeck::history {

namespace {

constexpr std::uint64_t kTokRepeat = 0;
constexpr std::uint64_t kTokAbsent = 1;
constexpr std::uint64_t kTokLiteral = 2;
constexpr std::uint64_t kTokDeltaBase = 3;
constexpr int kMaxScale = 9;
constexpr double kPow10[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
constexpr double kMaxExact = 9007199254740992.0; // 2^53

// The smallest scale at which `v` is m·10^-e exactly (decoding m / 10^e gives the same double back), or -1.
int scaleOf(double v)
{
    if (!std::isfinite(v))
        return -1;
    for (int e = 0; e <= kMaxScale; ++e) {
        const double scaled = v * kPow10[e];
        if (std::fabs(scaled) >= kMaxExact)
            return -1;
        const double m = std::nearbyint(scaled);
        if (m / kPow10[e] == v)
            return e;
    }
    return -1;
}

bool fits(double v, int e, std::int64_t &m)
{
    if (!std::isfinite(v) || (v == 0 && std::signbit(v))) // -0.0 would come back as 0
        return false;
    const double scaled = v * kPow10[e];
    if (std::fabs(scaled) >= kMaxExact)
        return false;
    const double r = std::nearbyint(scaled);
    if (r / kPow10[e] != v)
        return false;
    m = std::int64_t(r);
    return true;
}

void putDouble(std::string &out, double v)
{
    char bytes[8];
    std::memcpy(bytes, &v, 8);
    out.append(bytes, 8);
}

} // namespace

double absentValue()
{
    double v;
    std::memcpy(&v, &kAbsentBits, 8);
    return v;
}

bool isAbsent(double value)
{
    std::uint64_t bits;
    std::memcpy(&bits, &value, 8);
    return bits == kAbsentBits;
}

void putVarint(std::string &out, std::uint64_t v)
{
    while (v >= 0x80) {
        out.push_back(char(v | 0x80));
        v >>= 7;
    }
    out.push_back(char(v));
}

bool getVarint(std::string_view &in, std::uint64_t &v)
{
    v = 0;
    for (int shift = 0; shift < 64 && !in.empty(); shift += 7) {
        const auto byte = std::uint8_t(in.front());
        in.remove_prefix(1);
        v |= std::uint64_t(byte & 0x7f) << shift;
        if (!(byte & 0x80))
            return true;
    }
    return false;
}

std::string encodeTimestamps(const std::vector<std::int64_t> &timestamps)
{
    std::string out;
    putVarint(out, timestamps.size());
    std::int64_t prev = 0;
    std::int64_t prevDelta = 0;
    for (std::size_t i = 0; i < timestamps.size(); ++i) {
        const std::int64_t t = timestamps[i];
        if (i == 0) {
            putVarint(out, zigzag(t));
        } else {
            const std::int64_t delta = t - prev;
            putVarint(out, zigzag(i == 1 ? delta : delta - prevDelta));
            prevDelta = delta;
        }
        prev = t;
    }
    return out;
}

bool decodeTimestamps(std::string_view blob, std::vector<std::int64_t> &out)
{
    std::uint64_t count = 0;
    if (!getVarint(blob, count) || count > blob.size() + 1)
        return false;
    out.reserve(out.size() + count);
    std::int64_t prev = 0;
    std::int64_t delta = 0;
    for (std::uint64_t i = 0; i < count; ++i) {
        std::uint64_t v;
        if (!getVarint(blob, v))
            return false;
        if (i == 0)
            prev = unzigzag(v);
        else if (i == 1)
            prev += (delta = unzigzag(v));
        else
            prev += (delta += unzigzag(v));
        out.push_back(prev);
    }
    return true;
}

std::string encodeValues(const std::vector<double> &values)
{
    // The scale that the most demanding exact value needs; values beyond it become literals.
    int scale = 0;
    for (double v : values) {
        if (!isAbsent(v))
            scale = std::max(scale, scaleOf(v));
    }
    std::string out;
    out.push_back(char(scale));
    std::int64_t prevM = 0;
    std::uint64_t prevBits = 0;
    bool havePrev = false;
    std::uint64_t pendingRepeat = 0;
    std::uint64_t pendingAbsent = 0;
    auto flush = [&] {
        if (pendingRepeat) {
            putVarint(out, kTokRepeat);
            putVarint(out, pendingRepeat);
            pendingRepeat = 0;
        }
        if (pendingAbsent) {
            putVarint(out, kTokAbsent);
            putVarint(out, pendingAbsent);
            pendingAbsent = 0;
        }
    };
    for (double v : values) {
        if (isAbsent(v)) {
            if (pendingRepeat)
                flush();
            ++pendingAbsent;
            continue;
        }
        std::uint64_t bits;
        std::memcpy(&bits, &v, 8);
        if (havePrev && bits == prevBits) {
            if (pendingAbsent)
                flush();
            ++pendingRepeat;
            continue;
        }
        flush();
        std::int64_t m = 0;
        if (fits(v, scale, m)) {
            putVarint(out, kTokDeltaBase + zigzag(m - prevM));
            prevM = m;
        } else {
            putVarint(out, kTokLiteral);
            putDouble(out, v);
        }
        prevBits = bits;
        havePrev = true;
    }
    flush();
    return out;
}

bool decodeValues(std::string_view blob, std::size_t count, std::vector<double> &out)
{
    if (blob.empty())
        return false;
    const int scale = std::uint8_t(blob.front());
    blob.remove_prefix(1);
    if (scale > kMaxScale)
        return false;
    const double divisor = kPow10[scale];
    const std::size_t end = out.size() + count;
    out.reserve(end);
    std::int64_t prevM = 0;
    double prev = 0;
    while (out.size() < end) {
        std::uint64_t tok;
        if (!getVarint(blob, tok))
            return false;
        if (tok == kTokRepeat || tok == kTokAbsent) {
            std::uint64_t n;
            if (!getVarint(blob, n) || n > end - out.size())
                return false;
            out.insert(out.end(), n, tok == kTokRepeat ? prev : absentValue());
        } else if (tok == kTokLiteral) {
            if (blob.size() < 8)
                return false;
            std::memcpy(&prev, blob.data(), 8);
            blob.remove_prefix(8);
            out.push_back(prev);
        } else {
            prevM += unzigzag(tok - kTokDeltaBase);
            prev = double(prevM) / divisor;
            out.push_back(prev);
        }
    }
    return blob.empty();
}

std::string compressBlob(std::string_view raw, int level)
{
    std::string out;
    if (raw.size() >= 48) {
        struct Context {
            ZSTD_CCtx *ctx = ZSTD_createCCtx();
            ~Context() { ZSTD_freeCCtx(ctx); }
        };
        thread_local Context context;
        out.resize(1 + ZSTD_compressBound(raw.size()));
        const std::size_t n =
            ZSTD_compressCCtx(context.ctx, out.data() + 1, out.size() - 1, raw.data(), raw.size(), level);
        if (!ZSTD_isError(n) && n < raw.size()) {
            out[0] = 1;
            out.resize(1 + n);
            return out;
        }
    }
    out.assign(1, char(0));
    out.append(raw);
    return out;
}

bool decompressBlob(std::string_view blob, std::string &out, std::size_t maxBytes)
{
    if (blob.empty())
        return false;
    const char flag = blob.front();
    blob.remove_prefix(1);
    if (flag == 0) {
        out.assign(blob);
        return true;
    }
    if (flag != 1)
        return false;
    const unsigned long long size = ZSTD_getFrameContentSize(blob.data(), blob.size());
    if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > maxBytes)
        return false;
    out.resize(size);
    // One context per thread: ZSTD_decompress() would set one up (and allocate) for every small column.
    struct Context {
        ZSTD_DCtx *ctx = ZSTD_createDCtx();
        ~Context() { ZSTD_freeDCtx(ctx); }
    };
    thread_local Context context;
    const std::size_t n = ZSTD_decompressDCtx(context.ctx, out.data(), out.size(), blob.data(), blob.size());
    return !ZSTD_isError(n) && n == size;
}

} // namespace clusterdeck::history
