// The history store on real SQLite files: codecs, round trips of every sample across chunk boundaries and the
// unsealed head, decimation against brute force, rollups and retention against brute force, events, and the
// error cases (damaged file, newer schema, foreign SQLite file, read-only file, full disk, a second writer).

#include "history/codec.h"
#include "history/history_recorder.h"
#include "history/history_store.h"
#include "history/series_selector.h"
#include "history/time_spec.h"
#include "metrics/exposition_parser.h"
#include "metrics/exposition_writer.h"
#include "metrics/metric_page.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>
#include <cstring>
#include <fcntl.h>
#include <limits>
#include <linux/fs.h>
#include <map>
#include <random>
#include <sqlite3.h>
#include <sys/ioctl.h>
#include <unistd.h>

using namespace clusterdeck;

namespace {

constexpr qint64 kT0 = 1'800'000'000'000; // a round epoch ms, aligned to the hour

bool sameValue(double a, double b)
{
    return (std::isnan(a) && std::isnan(b)) || a == b;
}

std::unique_ptr<HistoryStore> openOrFail(const QString &path,
                                         HistoryStore::Access access = HistoryStore::Access::ReadWrite,
                                         HistoryStore::Options options = {})
{
    Result<std::unique_ptr<HistoryStore>> store = HistoryStore::open(path, access, options);
    if (!store) {
        qWarning("%s", qPrintable(store.error().toString()));
        return nullptr;
    }
    return std::move(store).value();
}

// chattr +i / -i without a child process (a fork in this threaded test would stop ThreadSanitizer).
bool setImmutable(const QString &path, bool on)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY);
    if (fd < 0)
        return false;
    int flags = 0;
    bool ok = ::ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0;
    if (ok) {
        flags = on ? (flags | FS_IMMUTABLE_FL) : (flags & ~FS_IMMUTABLE_FL);
        ok = ::ioctl(fd, FS_IOC_SETFLAGS, &flags) == 0;
    }
    ::close(fd);
    return ok;
}

// Expected samples: series id → ts → value.
using Truth = std::map<qint64, std::map<qint64, double>>;

} // namespace

class TestHistoryStore : public QObject {
    Q_OBJECT
private slots:
    void codecValues_data();
    void codecValues();
    void codecTimestamps();
    void roundTripAcrossChunksAndHead();
    void roundTripOfAPage();
    void decimationKeepsEveryBucketsMinAndMax();
    void rollupsMatchBruteForce();
    void retentionMatchesBruteForce();
    void events();
    void selectorsAndTimes_data();
    void selectorsAndTimes();
    void corruptFile();
    void newerSchema();
    void foreignSqliteFile();
    void readOnlyFile();
    void fullDiskPausesAndResumes();
    void secondWriterOpensReadOnly();
    void recorderCommitsWithinASecond();

private:
    QTemporaryDir m_dir;
};

void TestHistoryStore::codecValues_data()
{
    QTest::addColumn<QList<double>>("values");
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    const double absent = history::absentValue();
    QTest::newRow("still") << QList<double>(300, 42.0);
    QTest::newRow("counter") << QList<double>{1, 5, 9, 9, 9, 1e6, 1e6 + 3, 0, 2};
    QTest::newRow("decimals") << QList<double>{0.001, 0.0015, 12.3, 12.3, 0.123456789, -7.25};
    QTest::newRow("specials") << QList<double>{nan, nan, 1, inf, -inf, 1, nan, 0.0, -0.0};
    QTest::newRow("absent runs") << QList<double>{absent, absent, 3, 3, absent, 3, 4, absent};
    QTest::newRow("all absent") << QList<double>{absent, absent};
    QTest::newRow("huge and tiny") << QList<double>{1e300, 1e-300, 9007199254740993.0, 1.7976931348623157e308,
                                                    5e-324};
    QList<double> random;
    std::mt19937_64 rng(1);
    std::uniform_real_distribution<double> any(-1e12, 1e12);
    for (int i = 0; i < 500; ++i)
        random << any(rng);
    QTest::newRow("random doubles") << random;
}

void TestHistoryStore::codecValues()
{
    QFETCH(QList<double>, values);
    const std::vector<double> in(values.begin(), values.end());
    const std::string blob = history::compressBlob(history::encodeValues(in));
    std::string raw;
    QVERIFY(history::decompressBlob(blob, raw));
    std::vector<double> out;
    QVERIFY(history::decodeValues(raw, in.size(), out));
    QCOMPARE(out.size(), in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        // Bit for bit: -0.0 stays -0.0, absent stays absent, NaN stays NaN.
        std::uint64_t a, b;
        std::memcpy(&a, &in[i], 8);
        std::memcpy(&b, &out[i], 8);
        QVERIFY2(a == b || (std::isnan(in[i]) && std::isnan(out[i]) && !history::isAbsent(in[i]) &&
                            !history::isAbsent(out[i])),
                 qPrintable(QStringLiteral("value %1: %2 came back as %3").arg(i).arg(in[i]).arg(out[i])));
    }
    // A truncated blob is an error, never a crash or a short read.
    if (raw.size() > 2)
        QVERIFY(!history::decodeValues(std::string_view(raw).substr(0, raw.size() - 1), in.size(), out) ||
                raw.back() == 0);
}

void TestHistoryStore::codecTimestamps()
{
    std::vector<std::int64_t> ts;
    std::mt19937_64 rng(2);
    std::uniform_int_distribution<int> jitter(-50, 50);
    for (int i = 0; i < 1000; ++i)
        ts.push_back(kT0 + i * 2000 + jitter(rng));
    const std::string blob = history::encodeTimestamps(ts);
    QVERIFY2(blob.size() < ts.size() * 2 + 16, "a jittered 2 s grid costs about two bytes a scrape");
    std::vector<std::int64_t> out;
    QVERIFY(history::decodeTimestamps(blob, out));
    QVERIFY(out == ts);
}

void TestHistoryStore::roundTripAcrossChunksAndHead()
{
    const QString path = m_dir.filePath(QStringLiteral("roundtrip.sqlite"));
    HistoryStore::Options options;
    options.chunkMaxRows = 7; // many chunk boundaries
    auto store = openOrFail(path, HistoryStore::Access::ReadWrite, options);
    QVERIFY(store);
    Truth truth;
    std::mt19937_64 rng(3);
    std::uniform_real_distribution<double> coin(0, 1);
    std::vector<qint64> ids;
    for (int t = 0; t < 3; ++t) {
        for (int j = 0; j < 20; ++j)
            ids.push_back(store->seriesId(SeriesKind::Raw, QStringLiteral("node%1").arg(t),
                                          QStringLiteral("m"), QStringLiteral("j=\"%1\"").arg(j)));
    }
    std::vector<double> value(ids.size(), 0);
    for (int s = 0; s < 100; ++s) {
        for (int t = 0; t < 3; ++t) {
            const qint64 ts = kT0 + s * 1000 + t * 7;
            std::vector<std::pair<qint64, double>> row;
            for (int j = 0; j < 20; ++j) {
                const std::size_t k = std::size_t(t * 20 + j);
                if (j >= 15 && coin(rng) < 0.3)
                    continue; // comes and goes
                if (coin(rng) < 0.4)
                    value[k] = j % 2 ? std::round(coin(rng) * 1000) / 10 : value[k] + 1;
                row.emplace_back(ids[k], value[k]);
                truth[ids[k]][ts] = value[k];
            }
            store->appendRow(SeriesKind::Raw, QStringLiteral("node%1").arg(t), ts, row);
        }
        if (s % 3 == 0)
            QVERIFY(store->commit());
    }
    QVERIFY(store->commit()); // 100 rows: 14 sealed chunks, 2 rows left in the head

    auto reader = openOrFail(path, HistoryStore::Access::ReadOnly);
    QVERIFY(reader);
    auto check = [&](HistoryStore &from, qint64 lo, qint64 hi) {
        for (const qint64 id : ids) {
            const Result<QList<SamplePoint>> got = from.samples(id, lo, hi);
            if (!got) {
                qWarning("%s", qPrintable(got.error().toString()));
                return false;
            }
            QList<SamplePoint> expected;
            for (const auto &[ts, v] : truth[id]) {
                if (ts >= lo && ts <= hi)
                    expected.append({ts, v});
            }
            if (got->size() != expected.size()) {
                qWarning("series %lld [%lld, %lld]: %lld samples, expected %lld", id, lo - kT0, hi - kT0,
                         qint64(got->size()), qint64(expected.size()));
                return false;
            }
            for (qsizetype i = 0; i < expected.size(); ++i) {
                if (got->at(i).timestampMs != expected[i].timestampMs ||
                    !sameValue(got->at(i).value, expected[i].value))
                    return false;
            }
        }
        return true;
    };
    QVERIFY(check(*reader, kT0 - 1, kT0 + 200'000));
    QVERIFY(check(*reader, kT0 + 6'500, kT0 + 14'003));  // across a chunk boundary
    QVERIFY(check(*reader, kT0 + 97'000, kT0 + 99'500)); // last chunk and the head
    QVERIFY(check(*reader, kT0 + 13'007, kT0 + 13'007)); // one exact sample

    // Closing seals the head; a reopened store (and a new reader) sees exactly the same.
    QVERIFY(store->close());
    store.reset();
    reader = openOrFail(path, HistoryStore::Access::ReadOnly);
    QVERIFY(check(*reader, kT0 - 1, kT0 + 200'000));
    const Result<HistoryStats> stats = reader->stats();
    QVERIFY(stats);
    qint64 total = 0;
    for (const auto &[id, points] : truth)
        total += qint64(points.size());
    QCOMPARE(stats->samples, total);
    QCOMPARE(stats->headSamples, 0);
}

void TestHistoryStore::roundTripOfAPage()
{
    QFile file(QFINDTESTDATA("../fixtures/pages/was_demo_micrometer.prom"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray text = file.readAll();
    ExpositionParser parser;
    MetricPage page;
    QVERIFY(!parser.parse(std::string_view(text.constData(), std::size_t(text.size())),
                          ExpositionFormat::PrometheusText, page));
    const QString path = m_dir.filePath(QStringLiteral("page.sqlite"));
    {
        auto store = openOrFail(path);
        QVERIFY(store);
        store->appendPage(QStringLiteral("was1"), kT0, page);
        store->appendPage(QStringLiteral("was1"), kT0 + 2000, page);
        QVERIFY(store->close());
    }
    auto reader = openOrFail(path, HistoryStore::Access::ReadOnly);
    const Result<QList<SeriesInfo>> series = reader->series(SeriesKind::Raw, QStringLiteral("was1"));
    QVERIFY(series);
    QCOMPARE(qsizetype(series->size()), qsizetype(page.size()));
    // Every sample comes back under its own name and labels (the exposition writer's label text).
    std::map<std::pair<QString, QString>, qint64> byIdentity;
    for (const SeriesInfo &info : *series)
        byIdentity[{info.name, info.labels}] = info.id;
    for (const SampleView sample : page) {
        std::string labels;
        appendLabelsText(labels, sample.labels());
        const auto it =
            byIdentity.find({QString::fromUtf8(sample.name().data(), qsizetype(sample.name().size())),
                             QString::fromStdString(labels)});
        QVERIFY(it != byIdentity.end());
        const Result<QList<SamplePoint>> points = reader->samples(it->second, kT0, kT0 + 2000);
        QVERIFY(points);
        QCOMPARE(points->size(), 2);
        QVERIFY(sameValue(points->at(0).value, sample.value()));
        QCOMPARE(points->at(1).timestampMs, kT0 + 2000);
    }
}

void TestHistoryStore::decimationKeepsEveryBucketsMinAndMax()
{
    const QString path = m_dir.filePath(QStringLiteral("decimate.sqlite"));
    auto store = openOrFail(path);
    QVERIFY(store);
    const qint64 id =
        store->seriesId(SeriesKind::Raw, QStringLiteral("n"), QStringLiteral("spiky"), QString());
    std::vector<SamplePoint> truth;
    std::mt19937_64 rng(4);
    std::uniform_real_distribution<double> noise(0, 1);
    for (int i = 0; i < 5000; ++i) {
        double v = std::round(noise(rng) * 100);
        if (i % 997 == 0)
            v = 1e6; // one-sample spikes
        if (i % 1301 == 0)
            v = -1e6;
        truth.push_back({kT0 + i * 1000, v});
        store->appendRow(SeriesKind::Raw, QStringLiteral("n"), kT0 + i * 1000, {{id, v}});
    }
    QVERIFY(store->commit());
    const qint64 from = kT0 + 333, to = kT0 + 4'900'000;
    const int buckets = 97;
    const Result<DecimatedSeries> got = store->decimated(id, from, to, buckets);
    QVERIFY(got);
    QCOMPARE(got->resolution, QStringLiteral("raw"));
    QVERIFY(got->buckets.size() <= buckets);
    std::map<qint64, std::pair<double, double>> expected; // bucket start → min, max
    for (const SamplePoint &p : truth) {
        if (p.timestampMs < from || p.timestampMs > to)
            continue;
        const qint64 start = from + (p.timestampMs - from) / got->bucketMs * got->bucketMs;
        auto [it, inserted] = expected.try_emplace(start, p.value, p.value);
        it->second.first = std::min(it->second.first, p.value);
        it->second.second = std::max(it->second.second, p.value);
    }
    QCOMPARE(qsizetype(expected.size()), got->buckets.size());
    for (const SeriesBucket &b : got->buckets) {
        QVERIFY(expected.count(b.startMs));
        QCOMPARE(b.min, expected[b.startMs].first);
        QCOMPARE(b.max, expected[b.startMs].second);
    }
    // The drawn points include every spike.
    const QList<SamplePoint> points = got->points();
    QVERIFY(points.size() <= 2 * buckets);
    int spikes = 0;
    for (const SamplePoint &p : points)
        spikes += std::fabs(p.value) == 1e6;
    int truthSpikes = 0;
    for (const SamplePoint &p : truth)
        truthSpikes += std::fabs(p.value) == 1e6 && p.timestampMs >= from && p.timestampMs <= to;
    QCOMPARE(spikes, truthSpikes);
}

void TestHistoryStore::rollupsMatchBruteForce()
{
    const QString path = m_dir.filePath(QStringLiteral("rollups.sqlite"));
    auto store = openOrFail(path);
    QVERIFY(store);
    std::mt19937_64 rng(5);
    std::uniform_real_distribution<double> noise(0, 1);
    const KpiKey key{QStringLiteral("was1"), QStringLiteral("was.tps"), QString()};
    std::vector<SamplePoint> truth;
    // 3 h of KPI points every 5 s with gaps (NaN) now and then, committed in rounds.
    for (qint64 t = kT0; t < kT0 + 3 * 3600'000; t += 5000) {
        const double v =
            noise(rng) < 0.05 ? std::numeric_limits<double>::quiet_NaN() : std::round(noise(rng) * 1000) / 10;
        store->appendKpis({KpiPoint{key, t, v}});
        truth.push_back({t, v});
        if ((t / 5000) % 50 == 0)
            QVERIFY(store->commit());
    }
    QVERIFY(store->commit());
    const qint64 id = store->seriesId(SeriesKind::Kpi, key.target, key.kpi, key.instance);

    struct Agg {
        double min = INFINITY, max = -INFINITY, sum = 0;
        qint64 count = 0;
    };
    auto bruteForce = [&](qint64 from, qint64 width) {
        std::map<qint64, Agg> out;
        for (const SamplePoint &p : truth) {
            if (!std::isfinite(p.value) || p.timestampMs < from)
                continue;
            Agg &a = out[from + (p.timestampMs - from) / width * width];
            a.min = std::min(a.min, p.value);
            a.max = std::max(a.max, p.value);
            a.sum += p.value;
            ++a.count;
        }
        return out;
    };
    struct Case {
        int buckets;
        qint64 width;
        const char *resolution;
    };
    for (const Case c : {Case{12, 15 * 60'000, "1m"}, Case{3, 3600'000, "1h"}, Case{90, 2 * 60'000, "1m"}}) {
        const qint64 from = kT0; // aligned, so rollup intervals nest in the buckets
        const qint64 to = from + c.buckets * c.width - c.buckets;
        const Result<DecimatedSeries> got = store->decimated(id, from, to, c.buckets);
        QVERIFY(got);
        QCOMPARE(got->bucketMs, c.width);
        QCOMPARE(got->resolution, QString::fromLatin1(c.resolution));
        const auto expected = bruteForce(from, c.width);
        QCOMPARE(got->buckets.size(), qsizetype(expected.size()));
        for (const SeriesBucket &b : got->buckets) {
            const auto it = expected.find(b.startMs);
            QVERIFY(it != expected.end());
            QCOMPARE(b.min, it->second.min);
            QCOMPARE(b.max, it->second.max);
            QCOMPARE(b.count, it->second.count);
            QVERIFY(std::fabs(b.sum - it->second.sum) < 1e-6 * std::max(1.0, std::fabs(it->second.sum)));
        }
    }
    // Short windows read raw points (a 1 min rollup would hide the shape).
    const Result<DecimatedSeries> raw = store->decimated(id, kT0, kT0 + 10 * 60'000, 600);
    QVERIFY(raw);
    QCOMPARE(raw->resolution, QStringLiteral("raw"));
}

void TestHistoryStore::retentionMatchesBruteForce()
{
    const QString path = m_dir.filePath(QStringLiteral("retention.sqlite"));
    HistoryStore::Options options;
    options.chunkMaxRows = 10;
    options.retention.rawMs = 3600'000;
    options.retention.kpiMs = 2 * 3600'000;
    options.retention.rollupMs = 4 * 3600'000;
    auto store = openOrFail(path, HistoryStore::Access::ReadWrite, options);
    QVERIFY(store);
    const qint64 raw = store->seriesId(SeriesKind::Raw, QStringLiteral("n"), QStringLiteral("r"), QString());
    const KpiKey key{QStringLiteral("n"), QStringLiteral("was.tps"), QString()};
    std::vector<qint64> times;
    for (qint64 t = kT0; t < kT0 + 6 * 3600'000; t += 60'000) {
        store->appendRow(SeriesKind::Raw, QStringLiteral("n"), t, {{raw, double(t / 1000 % 97)}});
        store->appendKpis({KpiPoint{key, t, 1.0}});
        times.push_back(t);
    }
    QVERIFY(store->close());
    store = openOrFail(path, HistoryStore::Access::ReadWrite, options);
    const qint64 kpi = store->seriesId(SeriesKind::Kpi, key.target, key.kpi, key.instance);
    const qint64 now = kT0 + 6 * 3600'000;
    // Small steps until nothing is left to prune.
    int steps = 0;
    for (;;) {
        const Result<int> n = store->prune(now, 5);
        QVERIFY(n);
        QVERIFY(*n <= 5);
        ++steps;
        if (*n == 0)
            break;
        QVERIFY(steps < 1000);
    }
    QVERIFY(steps > 2);
    // Brute force: a chunk goes when its newest sample is older than the retention, so everything newer than
    // the cutoff stays and nothing older than the cutoff minus one chunk's span is left.
    const qint64 chunkSpan = 10 * 60'000;
    for (const auto &[id, keepMs] :
         {std::pair{raw, options.retention.rawMs}, std::pair{kpi, options.retention.kpiMs}}) {
        const Result<QList<SamplePoint>> left = store->samples(id, 0, now);
        QVERIFY(left);
        const qint64 cutoff = now - keepMs;
        qint64 expectedNewer = 0;
        for (const qint64 t : times)
            expectedNewer += t >= cutoff;
        qint64 newer = 0;
        for (const SamplePoint &p : *left) {
            QVERIFY2(p.timestampMs >= cutoff - chunkSpan,
                     qPrintable(QStringLiteral("series %1: sample at %2 min, cutoff at %3 min")
                                    .arg(id)
                                    .arg((p.timestampMs - kT0) / 60'000)
                                    .arg((cutoff - kT0) / 60'000)));
            newer += p.timestampMs >= cutoff;
        }
        QCOMPARE(newer, expectedNewer);
    }
    // Rollups older than theirs are gone; newer ones remain complete.
    const Result<DecimatedSeries> hours = store->decimated(kpi, kT0, now - 6, 6);
    QVERIFY(hours);
    QCOMPARE(hours->resolution, QStringLiteral("1h"));
    QCOMPARE(hours->buckets.size(), 4);
    QCOMPARE(hours->buckets.first().startMs, now - options.retention.rollupMs);
    for (const SeriesBucket &b : hours->buckets)
        QCOMPARE(b.count, 60);
}

void TestHistoryStore::events()
{
    const QString path = m_dir.filePath(QStringLiteral("events.sqlite"));
    auto store = openOrFail(path);
    QVERIFY(store);
    const QList<HistoryEvent> input = {
        {0, kT0 + 1000, QStringLiteral("health"), QStringLiteral("was2"), EventSeverity::Warning,
         QStringLiteral("recorder"), QStringLiteral("was2 is DOWN"),
         QJsonObject{{QStringLiteral("to"), QStringLiteral("DOWN")}}},
        {0, kT0 + 2000, QStringLiteral("drain"), QStringLiteral("was1"), EventSeverity::Info,
         QStringLiteral("alice"), QStringLiteral("drained"),
         QJsonObject{{QStringLiteral("diff"), QStringLiteral("-server was1\n")}}},
        {0,
         kT0 + 3000,
         QStringLiteral("alert"),
         QStringLiteral("was2"),
         EventSeverity::Critical,
         QStringLiteral("alerts"),
         QStringLiteral("p95 above 3 s"),
         {}},
    };
    for (const HistoryEvent &e : input) {
        const Result<qint64> id = store->recordEvent(e);
        QVERIFY(id);
        QVERIFY(*id > 0);
    }
    // Durable at once: a reader on its own connection sees them without any further commit.
    auto reader = openOrFail(path, HistoryStore::Access::ReadOnly);
    QVERIFY(reader);
    HistoryStore::EventQuery all;
    QCOMPARE(reader->events(all)->size(), 3);
    HistoryStore::EventQuery q;
    q.target = QStringLiteral("was2");
    QCOMPARE(reader->events(q)->size(), 2);
    q.minSeverity = EventSeverity::Critical;
    QCOMPARE(reader->events(q)->size(), 1);
    HistoryStore::EventQuery window;
    window.fromMs = kT0 + 1500;
    window.toMs = kT0 + 2500;
    const auto drained = reader->events(window);
    QCOMPARE(drained->size(), 1);
    QCOMPARE(drained->first().kind, QStringLiteral("drain"));
    QCOMPARE(drained->first().actor, QStringLiteral("alice"));
    QCOMPARE(drained->first().details.value(QStringLiteral("diff")).toString(),
             QStringLiteral("-server was1\n"));
    HistoryStore::EventQuery kind;
    kind.kind = QStringLiteral("health");
    QCOMPARE(reader->events(kind)->first().message, QStringLiteral("was2 is DOWN"));
}

void TestHistoryStore::selectorsAndTimes_data()
{
    QTest::addColumn<QString>("selector");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("labels");
    QTest::addColumn<bool>("matches");
    const QString labels = QStringLiteral(R"(method="GET",status="503",uri="/api/\"x\"")");
    QTest::newRow("name only") << "http_requests"
                               << "http_requests" << labels << true;
    QTest::newRow("other name") << "http_requests"
                                << "http_other" << labels << false;
    QTest::newRow("equal") << R"(http_requests{status="503"})"
                           << "http_requests" << labels << true;
    QTest::newRow("not equal") << R"({status!="503"})"
                               << "http_requests" << labels << false;
    QTest::newRow("regex anchored") << R"({status=~"5.."})"
                                    << "x" << labels << true;
    QTest::newRow("regex partial is no match") << R"({status=~"5"})"
                                               << "x" << labels << false;
    QTest::newRow("not regex") << R"({method!~"G.*", status="503"})"
                               << "x" << labels << false;
    QTest::newRow("escaped value") << R"({uri="/api/\"x\""})"
                                   << "x" << labels << true;
    QTest::newRow("missing label is empty") << R"({instance=""})"
                                            << "x" << labels << true;
}

void TestHistoryStore::selectorsAndTimes()
{
    QFETCH(QString, selector);
    QFETCH(QString, name);
    QFETCH(QString, labels);
    QFETCH(bool, matches);
    const Result<SeriesSelector> s = SeriesSelector::parse(selector);
    QVERIFY2(s, qPrintable(s ? QString() : s.error().toString()));
    QCOMPARE(s->matches(name, labels), matches);
    QVERIFY(!SeriesSelector::parse(QStringLiteral("x{a=b}")));
    QVERIFY(!SeriesSelector::parse(QStringLiteral("x{a=~\"(\"}")));
    QCOMPARE(*parseTimeSpec(QStringLiteral("now"), kT0), kT0);
    QCOMPARE(*parseTimeSpec(QStringLiteral("-1h"), kT0), kT0 - 3600'000);
    QCOMPARE(*parseTimeSpec(QStringLiteral("-90s"), kT0), kT0 - 90'000);
    QCOMPARE(*parseTimeSpec(QStringLiteral("2027-01-15T08:00:00Z"), kT0), kT0);
    QVERIFY(!parseTimeSpec(QStringLiteral("yesterday"), kT0));
}

void TestHistoryStore::corruptFile()
{
    const QString path = m_dir.filePath(QStringLiteral("corrupt.sqlite"));
    {
        auto store = openOrFail(path);
        QVERIFY(store);
        const qint64 id =
            store->seriesId(SeriesKind::Raw, QStringLiteral("n"), QStringLiteral("m"), QString());
        for (int i = 0; i < 2000; ++i)
            store->appendRow(SeriesKind::Raw, QStringLiteral("n"), kT0 + i, {{id, double(i % 7) * 1.5 + i}});
        QVERIFY(store->close());
    }
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadWrite));
    const qint64 size = file.size();
    QVERIFY(size > 4 * 4096);
    // Scribble over the pages after the header page.
    file.seek(4096);
    file.write(QByteArray(int(size - 4096), '\x5a'));
    file.close();
    const QByteArray before = [&] {
        QFile f(path);
        f.open(QIODevice::ReadOnly);
        return f.readAll();
    }();
    Result<std::unique_ptr<HistoryStore>> store = HistoryStore::open(path);
    QVERIFY(!store);
    QVERIFY2(store.error().message.contains(QLatin1String("damaged")), qPrintable(store.error().toString()));
    QVERIFY(store.error().message.contains(QLatin1String("move it aside")));
    QCOMPARE(store.error().where, path);
    // Never a silent overwrite: the file is as it was, until someone moves it aside.
    QFile after(path);
    QVERIFY(after.open(QIODevice::ReadOnly));
    QCOMPARE(after.readAll(), before);
    after.close();
    const Result<QString> moved = HistoryStore::moveAside(path);
    QVERIFY(moved);
    QVERIFY(QFile::exists(*moved));
    QVERIFY(!QFile::exists(path));
    QVERIFY(openOrFail(path));

    // Not SQLite at all.
    const QString text = m_dir.filePath(QStringLiteral("notes.txt"));
    QFile notes(text);
    QVERIFY(notes.open(QIODevice::WriteOnly));
    notes.write(QByteArray(8192, 'x'));
    notes.close();
    const Result<std::unique_ptr<HistoryStore>> garbage = HistoryStore::open(text);
    QVERIFY(!garbage);
    QVERIFY2(garbage.error().message.contains(QLatin1String("not a ClusterDeck history file")),
             qPrintable(garbage.error().toString()));
}

void TestHistoryStore::newerSchema()
{
    const QString path = m_dir.filePath(QStringLiteral("newer.sqlite"));
    QVERIFY(openOrFail(path));
    sqlite3 *db = nullptr;
    QCOMPARE(sqlite3_open(QFile::encodeName(path).constData(), &db), SQLITE_OK);
    QCOMPARE(sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
    for (const auto access : {HistoryStore::Access::ReadWrite, HistoryStore::Access::ReadOnly}) {
        const Result<std::unique_ptr<HistoryStore>> store = HistoryStore::open(path, access);
        QVERIFY(!store);
        QVERIFY2(store.error().message.contains(
                     QLatin1String("newer ClusterDeck (history schema 99; this version reads up to 1)")),
                 qPrintable(store.error().toString()));
    }
}

void TestHistoryStore::foreignSqliteFile()
{
    const QString path = m_dir.filePath(QStringLiteral("foreign.sqlite"));
    sqlite3 *db = nullptr;
    QCOMPARE(sqlite3_open(QFile::encodeName(path).constData(), &db), SQLITE_OK);
    QCOMPARE(sqlite3_exec(db, "CREATE TABLE t(x); INSERT INTO t VALUES(1)", nullptr, nullptr, nullptr),
             SQLITE_OK);
    sqlite3_close(db);
    const Result<std::unique_ptr<HistoryStore>> store = HistoryStore::open(path);
    QVERIFY(!store);
    QVERIFY2(store.error().message.contains(QLatin1String("not a ClusterDeck history file")),
             qPrintable(store.error().toString()));
    QVERIFY(store.error().message.contains(QLatin1String("nothing was changed")));
}

void TestHistoryStore::readOnlyFile()
{
    const QString path = m_dir.filePath(QStringLiteral("readonly.sqlite"));
    {
        auto store = openOrFail(path);
        QVERIFY(store);
        QVERIFY(store->recordEvent({0,
                                    kT0,
                                    QStringLiteral("note"),
                                    QString(),
                                    EventSeverity::Info,
                                    QStringLiteral("t"),
                                    QStringLiteral("before"),
                                    {}}));
        QVERIFY(store->close());
    }
    // Tests run as root, whom chmod does not stop: the immutable attribute does.
    if (!setImmutable(path, true))
        QSKIP("the immutable attribute (chattr +i) does not work on this file system");
    const Result<std::unique_ptr<HistoryStore>> store = HistoryStore::open(path);
    QVERIFY(setImmutable(path, false));
    QVERIFY(!store);
    QVERIFY2(store.error().message.contains(QLatin1String("cannot be written")),
             qPrintable(store.error().toString()));
    // Reading it still works.
    QVERIFY(openOrFail(path, HistoryStore::Access::ReadOnly));
}

void TestHistoryStore::fullDiskPausesAndResumes()
{
    const QString path = m_dir.filePath(QStringLiteral("full.sqlite"));
    HistoryRecorder recorder;
    HistoryRecorder::Options options;
    options.commitIntervalMs = 50;
    options.maxPendingRows = 3000;
    QVERIFY(recorder.start(path, options));
    QSignalSpy status(&recorder, &HistoryRecorder::statusChanged);
    auto roundAt = [](qint64 t, int n) {
        CollectionRound r;
        for (int i = 0; i < n; ++i)
            r.points.append(KpiPoint{
                KpiKey{QStringLiteral("n%1").arg(i), QStringLiteral("was.tps"), QString()}, t, double(i)});
        return r;
    };
    recorder.recordRound(roundAt(kT0, 10));
    QVERIFY(recorder.flush());
    // The file may not grow any more: the next commits fail with SQLITE_FULL.
    QVERIFY(recorder.setMaxPageCount(1));
    recorder.recordRound(roundAt(kT0 + 1000, 3000));
    QTRY_VERIFY(!status.isEmpty());
    QVERIFY2(status.last().first().toString().contains(QLatin1String("full")),
             qPrintable(status.last().first().toString()));
    QVERIFY(recorder.counters().paused);
    const Result<qint64> refused = recorder.recordEventAndWait({0,
                                                                kT0 + 1500,
                                                                QStringLiteral("note"),
                                                                QString(),
                                                                EventSeverity::Info,
                                                                QStringLiteral("t"),
                                                                QStringLiteral("x"),
                                                                {}});
    QVERIFY(!refused);
    // Memory is bounded while paused: with 3,000 rows waiting, the next round is dropped and counted.
    recorder.recordRound(roundAt(kT0 + 2000, 5));
    QTRY_COMPARE(recorder.counters().droppedRounds, 1);
    // Space again: recording resumes and nothing appended meanwhile is lost.
    QVERIFY(recorder.setMaxPageCount(1'000'000));
    QTRY_VERIFY(!recorder.counters().paused);
    QTRY_COMPARE(status.last().first().toString(), QString()); // the signal is queued to this thread
    QVERIFY(recorder.stop());
    auto reader = openOrFail(path, HistoryStore::Access::ReadOnly);
    QCOMPARE(reader->stats()->samples, 3010);
}

void TestHistoryStore::secondWriterOpensReadOnly()
{
    const QString path = m_dir.filePath(QStringLiteral("two.sqlite"));
    auto first = openOrFail(path);
    QVERIFY(first);
    auto second = openOrFail(path);
    QVERIFY(second);
    QVERIFY(second->isReadOnly());
    QVERIFY2(second->readOnlyReason().contains(QLatin1String("is recording into it")),
             qPrintable(second->readOnlyReason()));
    QVERIFY(!second->commit());
    HistoryStore::Options strict;
    strict.requireWriter = true;
    const Result<std::unique_ptr<HistoryStore>> refused =
        HistoryStore::open(path, HistoryStore::Access::ReadWrite, strict);
    QVERIFY(!refused);
    QVERIFY(refused.error().message.contains(QLatin1String("is recording into this file")));
    // The writer goes on; the read-only one sees its commits.
    const qint64 id = first->seriesId(SeriesKind::Raw, QStringLiteral("n"), QStringLiteral("m"), QString());
    first->appendRow(SeriesKind::Raw, QStringLiteral("n"), kT0, {{id, 1.0}});
    QVERIFY(first->commit());
    QCOMPARE(second->samples(id, kT0, kT0)->size(), 1);
    first.reset();
    QVERIFY(openOrFail(path)->isReadOnly() == false);
}

void TestHistoryStore::recorderCommitsWithinASecond()
{
    const QString path = m_dir.filePath(QStringLiteral("recorder.sqlite"));
    HistoryRecorder recorder;
    QVERIFY(recorder.start(path));
    auto reader = openOrFail(path, HistoryStore::Access::ReadOnly);
    QVERIFY(reader);
    CollectionRound round;
    round.points.append(
        KpiPoint{KpiKey{QStringLiteral("was1"), QStringLiteral("was.tps"), QString()}, kT0, 12.5});
    recorder.recordRound(round);
    // No flush, no stop: the writer's periodic commit makes it visible to another connection.
    QTRY_COMPARE_WITH_TIMEOUT(reader->stats()->samples, 1, 5000);
    QSignalSpy recorded(&recorder, &HistoryRecorder::eventRecorded);
    const quint64 ticket = recorder.recordEvent({0,
                                                 kT0,
                                                 QStringLiteral("note"),
                                                 QString(),
                                                 EventSeverity::Info,
                                                 QStringLiteral("t"),
                                                 QStringLiteral("hello"),
                                                 {}});
    QTRY_COMPARE(recorded.size(), 1);
    QCOMPARE(recorded.first().first().toULongLong(), ticket);
    // Reported only once durable: the reader sees it at the moment of the signal.
    QCOMPARE(reader->events({})->size(), 1);
    QVERIFY(recorder.stop());
}

QTEST_GUILESS_MAIN(TestHistoryStore)
#include "tst_history_store.moc"
