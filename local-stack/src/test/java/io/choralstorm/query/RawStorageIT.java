package io.choralstorm.query;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.choralstorm.cli.Choral;
import io.choralstorm.local.CassandraNode;
import io.choralstorm.local.PortGuard;
import io.choralstorm.protocol.Frame;
import io.choralstorm.protocol.Metric;
import io.choralstorm.protocol.MetricKind;
import io.choralstorm.topology.config.TopologySettings;
import io.choralstorm.topology.rollup.CqlRollupStore;
import io.choralstorm.topology.rollup.RollupFrameStore;
import io.choralstorm.topology.rollup.RollupLevel;
import io.choralstorm.topology.rollup.RollupRefresher;
import io.choralstorm.topology.storage.CassandraSessions;
import io.choralstorm.topology.storage.CqlFrameStore;
import io.choralstorm.topology.storage.FrameStore;
import io.choralstorm.topology.storage.InFlightLimiter;
import io.choralstorm.topology.storage.SchemaApplier;
import io.choralstorm.topology.storage.TimeBuckets;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import picocli.CommandLine;

/**
 * Raw storage, rollups and the query tool against one real Cassandra node started once for the class
 * (about 1.5 GB and 10-20 s; cheaper than a whole stack). Frames are written through the writer bolt's
 * store, so times the edge would refuse (after 2038) can be stored too.
 */
public class RawStorageIT {
    private static final String HOST = "127.0.0.1";
    private static final String KEYSPACE = SchemaApplier.KEYSPACE;
    private static final long DAY = 86_400_000L;
    private static final ObjectMapper JSON = new ObjectMapper();

    @ClassRule
    public static final TemporaryFolder TEMP = new TemporaryFolder();

    private static CassandraNode cassandra;
    private static String contactPoint;
    private static CqlSession session;
    private static FrameStore store;
    private static RangeQuery query;

    @BeforeClass
    public static void startCassandra() {
        int port = PortGuard.freePort();
        cassandra = new CassandraNode(CassandraNode.defaultLibDir(), TEMP.getRoot().toPath().resolve("cassandra"),
            TEMP.getRoot().toPath().resolve("logs"), HOST, port, PortGuard.freePort(), 0);
        cassandra.start();
        contactPoint = HOST + ":" + port;
        TopologySettings settings = TopologySettings.defaults()
            .with(TopologySettings.CASSANDRA_CONTACT_POINTS, contactPoint);
        session = CassandraSessions.open(settings);
        new SchemaApplier(session).applySchema();
        store = writerStore(settings);
        query = new RangeQuery(session, KEYSPACE);
    }

    @AfterClass
    public static void stopCassandra() {
        if (store != null) {
            store.close();
        }
        if (session != null) {
            session.close();
        }
        if (cassandra != null) {
            cassandra.stop();
        }
    }

    @Test
    public void rangeAcrossABucketBoundaryReturnsEveryReadingInTimeOrder() {
        // given readings on both sides of midnight UTC, written newest first
        long midnight = Instant.parse("2019-06-02T00:00:00Z").toEpochMilli();
        long[] times = {midnight + DAY - 1, midnight + 1, midnight, midnight - 1, midnight - DAY + 1};
        for (long t : times) {
            write(frame("bucket-1", t, number("t", t % 1000)));
        }

        // when the range spans three day buckets
        List<StoredReading> rows = readings("bucket-1", "t", midnight - DAY, midnight + DAY);

        // then every reading, oldest first, across the partitions
        assertEquals("timestamps in order", List.of(midnight - DAY + 1, midnight - 1, midnight, midnight + 1,
            midnight + DAY - 1), rows.stream().map(StoredReading::deviceTimestamp).toList());
    }

    @Test
    public void boundsAreExactToTheMillisecondWithTheEndExcluded() {
        // given readings one millisecond apart around both bounds
        long from = Instant.parse("2018-03-04T05:06:07.008Z").toEpochMilli();
        long to = from + 10_000;
        for (long t : new long[] {from - 1, from, from + 1, to - 1, to, to + 1}) {
            write(frame("edges-1", t, number("t", 1)));
        }

        // when querying [from, to) for readings and raw frames
        List<Long> readings = readings("edges-1", "t", from, to).stream().map(StoredReading::deviceTimestamp).toList();
        List<Long> frames = new ArrayList<>();
        query.frames("edges-1", from, to, Long.MAX_VALUE, f -> frames.add(f.deviceTimestamp()));

        // then from is in, to is out
        assertEquals("readings", List.of(from, from + 1, to - 1), readings);
        assertEquals("frames", List.of(from, from + 1, to - 1), frames);
    }

    @Test
    public void timestampsAfter2038AreStoredQueriedAndRolledUp() {
        // given readings past 2038-01-19 (32-bit seconds overflow) and in 2100
        long y2038 = (Integer.MAX_VALUE + 1L) * 1000;
        long y2100 = Instant.parse("2100-02-28T23:59:59.999Z").toEpochMilli();
        write(frame("future-1", y2038, number("t", 1.5)));
        write(frame("future-1", y2100, number("t", 2.5)));

        // when queried raw and by day
        List<StoredReading> rows = readings("future-1", "t", y2038, y2100 + 1);
        List<AggregateWindow> days = aggregate("future-1", "t", RollupLevel.DAY.windowStart(y2100),
            RollupLevel.DAY.windowStart(y2100) + DAY, "1d", true);

        // then both times come back exactly, and the day rollup holds the 2100 reading
        assertEquals("raw", List.of(y2038, y2100), rows.stream().map(StoredReading::deviceTimestamp).toList());
        assertEquals("day of 2100", List.of(new AggregateWindow(RollupLevel.DAY.windowStart(y2100), 1, 2.5, 2.5, 2.5)),
            days);
    }

    @Test
    public void replayedFrameWritesNoExtraRow() {
        // given a frame written once
        long t = Instant.parse("2021-01-01T12:00:00Z").toEpochMilli();
        Frame frame = frame("replay-1", t, number("t", 20), numericString("h", "40.50"));
        write(frame);

        // when it is replayed twice, once with a later receive time (a resend through the edge)
        write(frame);
        write(new Frame("replay-1", t, t + 5_000, false, frame.metrics()));

        // then one raw row, one reading per metric, and a rollup counting it once
        int bucket = TimeBuckets.bucketOf(t);
        assertEquals("raw rows", 1L, count("SELECT count(*) FROM " + KEYSPACE + ".raw_data WHERE device_id = ?"
            + " AND bucket = ?", "replay-1", bucket));
        assertEquals("readings of t", 1L, count("SELECT count(*) FROM " + KEYSPACE + ".readings WHERE device_id = ?"
            + " AND metric = ? AND bucket = ?", "replay-1", "t", bucket));
        assertEquals("minute count", 1L, count("SELECT value_count FROM " + KEYSPACE + ".rollup_minute"
            + " WHERE device_id = ? AND metric = ? AND bucket = ?", "replay-1", "h", bucket));
        assertEquals("text kept for the numeric string", "40.50", session.execute("SELECT text FROM " + KEYSPACE
            + ".readings WHERE device_id = 'replay-1' AND metric = 'h' AND bucket = " + bucket).one().getString(0));
    }

    @Test
    public void absentValuesAreLeftUnsetNeverBoundToNull() {
        // given a frame with a JSON number (no text) and a numeric string (text)
        CqlFrameStore rows = new CqlFrameStore(session, KEYSPACE, new InFlightLimiter(1, 1_000));
        Frame frame = frame("unset-1", 1_700_000_000_000L, number("t", 1), numericString("h", "2.0"));

        // when its statements are bound
        List<BoundStatement> statements = rows.statements(frame);

        // then nothing is bound to null, and the number's text is unset
        for (BoundStatement statement : statements) {
            for (int i = 0; i < statement.size(); i++) {
                assertFalse("value " + i + " of " + statement.getPreparedStatement().getQuery() + " is null",
                    statement.isNull(i));
            }
        }
        assertFalse("text of a JSON number left unset", statements.get(1).isSet("text"));
        assertTrue("text of a numeric string set", statements.get(2).isSet("text"));
    }

    @Test
    public void rollupsEqualTheAggregateOfTheRawReadingsAlsoAfterLateAndDuplicatedReadings() {
        // given readings over three hours around midnight, written in a shuffled order...
        long start = Instant.parse("2022-07-31T22:30:00Z").toEpochMilli();
        Random random = new Random(42);
        Set<Long> used = new HashSet<>();
        Map<Long, Double> stored = new TreeMap<>();
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            long t = distinctTime(random, start, 3 * 3_600_000, used);
            double value = Math.round(random.nextGaussian() * 1000) / 100.0;
            frames.add(frame("roll-1", t, number("t", value)));
        }
        Collections.shuffle(frames, random);
        writeAll(frames);

        // ...then late readings into windows already rolled up, duplicates, and a reading resent with a new value
        List<Frame> more = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            more.add(frame("roll-1", distinctTime(random, start, 3_600_000, used), number("t", i)));
        }
        more.addAll(frames.subList(0, 50));
        Frame changed = frame("roll-1", frames.get(60).deviceTimestamp(), number("t", 99.25));
        more.add(changed);
        writeAll(more);
        for (Frame frame : frames) {
            stored.put(frame.deviceTimestamp(), frame.metrics().get(0).number());
        }
        for (Frame frame : more) {
            stored.put(frame.deviceTimestamp(), frame.metrics().get(0).number());
        }

        // then each level's rows equal the aggregate of the distinct stored readings
        long from = RollupLevel.DAY.windowStart(start);
        long to = from + 2 * DAY;
        for (RollupLevel level : RollupLevel.values()) {
            assertEquals(level + " rollups", expectedWindows(stored, level.windowMs()), rollupRows(level, from, to));
        }
        assertEquals("the changed reading counts with its new value", 99.25,
            readings("roll-1", "t", changed.deviceTimestamp(), changed.deviceTimestamp() + 1).get(0).value(), 0.0);

        // and the query tool gives the same answer from rollups as from the readings
        for (String interval : new String[] {"1m", "1h", "1d", "2h", "90s"}) {
            List<AggregateWindow> fromRollups = aggregate("roll-1", "t", start + 1_234, to, interval, true);
            List<AggregateWindow> fromReadings = aggregate("roll-1", "t", start + 1_234, to, interval, false);
            assertWindowsEqual(interval, fromReadings, fromRollups);
            long inRange = stored.keySet().stream().filter(t -> t >= start + 1_234).count();
            assertEquals(interval + " readings counted", inRange,
                fromRollups.stream().mapToLong(AggregateWindow::count).sum());
        }
    }

    @Test
    public void largeRangeStreamsWithoutHoldingMoreThanAFewPages() throws Exception {
        // given 100,000 readings over four days
        int total = 100_000;
        long start = Instant.parse("2020-02-27T00:00:00Z").toEpochMilli();
        long step = 4 * DAY / total;
        insertReadings("big-1", start, step, total);

        // when streamed with 500-row pages, 8 partitions at a time, counting through a consumer
        RangeQuery small = new RangeQuery(session, KEYSPACE, 500, 8);
        long[] seen = {0, Long.MIN_VALUE};
        long passed = small.readings("big-1", "t", start, start + 4 * DAY, Long.MAX_VALUE, reading -> {
            assertTrue("in time order", reading.deviceTimestamp() > seen[1]);
            seen[1] = reading.deviceTimestamp();
            seen[0]++;
        });

        // then every reading came through while at most (8 + 1) pages were ever held
        assertEquals("rows passed", total, passed);
        assertEquals("rows seen", total, seen[0]);
        assertTrue("held at most 9 pages of 500, held " + small.peakBufferedRows(),
            small.peakBufferedRows() <= 9 * 500);
        assertTrue("the stream was measured", small.peakBufferedRows() >= 500);
    }

    @Test
    public void queryCommandPrintsExactJsonForRawAndAggregatedQueries() throws Exception {
        // given readings at millisecond edges of two hours
        long hour = Instant.parse("2016-05-05T10:00:00Z").toEpochMilli();
        writeAll(List.of(frame("cli-1", hour - 1, number("t", 100)), frame("cli-1", hour, number("t", 1)),
            frame("cli-1", hour + 1_800_000, number("t", 3)), frame("cli-1", hour + 3_599_999, number("t", 5)),
            frame("cli-1", hour + 3_600_000, number("t", 10))));

        // when queried through the command line, raw and hourly, with ISO times without a zone
        JsonNode raw = JSON.readTree(run("query", "--device", "cli-1", "--metric", "t", "--from",
            "2016-05-05T10:00", "--to", String.valueOf(hour + 3_600_000), "--format", "json",
            "--cassandra", contactPoint));
        JsonNode hourly = JSON.readTree(run("query", "--device", "cli-1", "--metric", "t", "--from",
            "2016-05-05T10:00:00Z", "--to", "2016-05-05T12:00:00Z", "--agg", "avg", "--interval", "1h",
            "--format", "json", "--cassandra", contactPoint));

        // then exactly the readings of [from, to), and one object per hour
        assertEquals("raw", JSON.readTree("[{\"device_timestamp\":" + hour + ",\"value\":1.0},"
            + "{\"device_timestamp\":" + (hour + 1_800_000) + ",\"value\":3.0},"
            + "{\"device_timestamp\":" + (hour + 3_599_999) + ",\"value\":5.0}]"), raw);
        assertEquals("hourly", JSON.readTree("[{\"window_start\":" + hour + ",\"value\":3.0,\"count\":3},"
            + "{\"window_start\":" + (hour + 3_600_000) + ",\"value\":10.0,\"count\":1}]"), hourly);
    }

    @Test
    public void schemaApplyIsRepeatableAndPrintsTheRecordedVersion() {
        // given the schema applied once
        String first = run("schema", "apply", "--cassandra", contactPoint);
        long versionRows = count("SELECT count(*) FROM " + KEYSPACE + ".schema_version WHERE schema_name = ?",
            KEYSPACE);

        // when applied again
        String second = run("schema", "apply", "--cassandra", contactPoint);

        // then both runs print the version recorded in the keyspace (2 brought the rollups), and nothing was added
        int recorded = new SchemaApplier(session).recordedVersion().orElseThrow();
        assertTrue("rollups need version 2 or later, recorded " + recorded, recorded >= 2);
        assertTrue("version printed: " + first, first.contains("Schema version: " + recorded));
        assertTrue("same on a second run: " + second, second.contains("Schema version: " + recorded));
        assertEquals("no version row added", versionRows, count("SELECT count(*) FROM " + KEYSPACE
            + ".schema_version WHERE schema_name = ?", KEYSPACE));
    }

    @Test
    public void configuredTtlIsWrittenWithTheRows() throws Exception {
        // given a store with a 2-hour retention
        TopologySettings settings = TopologySettings.defaults()
            .with(TopologySettings.CASSANDRA_CONTACT_POINTS, contactPoint)
            .with(TopologySettings.STORAGE_TTL_SECS, "7200");
        long t = Instant.parse("2023-03-03T03:03:03Z").toEpochMilli();
        try (FrameStore withTtl = writerStore(settings)) {
            // when a frame is written
            withTtl.write(frame("ttl-1", t, number("t", 1))).toCompletableFuture().get(30, TimeUnit.SECONDS);
        }

        // then its rows and rollups expire in at most two hours
        int bucket = TimeBuckets.bucketOf(t);
        int readingTtl = session.execute("SELECT TTL(value) FROM " + KEYSPACE + ".readings WHERE device_id = 'ttl-1'"
            + " AND metric = 't' AND bucket = " + bucket).one().getInt(0);
        int rollupTtl = session.execute("SELECT TTL(value_sum) FROM " + KEYSPACE + ".rollup_day WHERE"
            + " device_id = 'ttl-1' AND metric = 't' AND bucket = 2023").one().getInt(0);
        assertTrue("reading TTL " + readingTtl, readingTtl > 7000 && readingTtl <= 7200);
        assertTrue("rollup TTL " + rollupTtl, rollupTtl > 7000 && rollupTtl <= 7200);
    }

    private static FrameStore writerStore(TopologySettings settings) {
        long ttl = settings.get(TopologySettings.STORAGE_TTL_SECS);
        CqlSession own = CassandraSessions.open(settings);
        CqlFrameStore rows = new CqlFrameStore(own, KEYSPACE, new InFlightLimiter(256, 5_000), ttl);
        return new RollupFrameStore(rows, RollupRefresher.start(new CqlRollupStore(own, KEYSPACE, ttl), 64, 100,
            "it-rollups"));
    }

    /** A random time in [start, start + range) not used before. */
    private static long distinctTime(Random random, long start, int range, Set<Long> used) {
        long t = start + random.nextInt(range);
        while (!used.add(t)) {
            t = start + random.nextInt(range);
        }
        return t;
    }

    private static void write(Frame frame) {
        writeAll(List.of(frame));
    }

    private static void writeAll(List<Frame> frames) {
        CompletableFuture<?>[] writes = frames.stream().map(f -> store.write(f).toCompletableFuture())
            .toArray(CompletableFuture[]::new);
        CompletableFuture.allOf(writes).orTimeout(120, TimeUnit.SECONDS).join();
    }

    /** Inserts readings straight into the table; a write that times out (busy machine) is retried once, alone. */
    private static void insertReadings(String device, long start, long step, int total) throws InterruptedException {
        PreparedStatement insert = session.prepare("INSERT INTO " + KEYSPACE + ".readings (device_id, metric,"
            + " bucket, device_timestamp, value) VALUES (?, 't', ?, ?, ?)");
        Semaphore inFlight = new Semaphore(64);
        List<BoundStatement> failed = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < total; i++) {
            long t = start + i * step;
            BoundStatement statement = insert.bind(device, TimeBuckets.bucketOf(t), Instant.ofEpochMilli(t),
                (double) i).setIdempotent(true);
            inFlight.acquire();
            session.executeAsync(statement).whenComplete((r, e) -> {
                if (e != null) {
                    failed.add(statement);
                }
                inFlight.release();
            });
        }
        inFlight.acquire(64);
        failed.forEach(session::execute);
    }

    private static List<StoredReading> readings(String device, String metric, long from, long to) {
        List<StoredReading> rows = new ArrayList<>();
        query.readings(device, metric, from, to, Long.MAX_VALUE, rows::add);
        return rows;
    }

    private static List<AggregateWindow> aggregate(String device, String metric, long from, long to, String interval,
                                                   boolean useRollups) {
        List<AggregateWindow> windows = new ArrayList<>();
        query.aggregate(device, metric, from, to, AggregateInterval.parse(interval), useRollups, Long.MAX_VALUE,
            windows::add);
        return windows;
    }

    private static List<AggregateWindow> rollupRows(RollupLevel level, long from, long to) {
        List<AggregateWindow> rows = new ArrayList<>();
        for (int bucket : level.bucketsBetween(from, to)) {
            for (Row row : session.execute("SELECT window_start, value_count, value_sum, value_min, value_max FROM "
                    + KEYSPACE + "." + level.table() + " WHERE device_id = 'roll-1' AND metric = 't' AND bucket = "
                    + bucket)) {
                rows.add(new AggregateWindow(row.getInstant(0).toEpochMilli(), row.getLong(1),
                    round(row.getDouble(2)), row.getDouble(3), row.getDouble(4)));
            }
        }
        return rows;
    }

    private static List<AggregateWindow> expectedWindows(Map<Long, Double> stored, long windowMs) {
        TreeMap<Long, AggregateWindow> windows = new TreeMap<>();
        stored.forEach((t, value) -> windows.merge(Math.floorDiv(t, windowMs) * windowMs,
            new AggregateWindow(Math.floorDiv(t, windowMs) * windowMs, 1, value, value, value),
            (a, b) -> new AggregateWindow(a.start(), a.count() + 1, round(a.sum() + b.sum()),
                Math.min(a.min(), b.min()), Math.max(a.max(), b.max()))));
        return new ArrayList<>(windows.values());
    }

    /** Sums of values with two decimals, to six decimals: the same whatever the order of addition. */
    private static double round(double sum) {
        return Math.round(sum * 1e6) / 1e6;
    }

    private static void assertWindowsEqual(String what, List<AggregateWindow> expected, List<AggregateWindow> actual) {
        assertEquals(what + " windows", expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            AggregateWindow e = expected.get(i);
            AggregateWindow a = actual.get(i);
            String which = what + " window " + Instant.ofEpochMilli(e.start());
            assertEquals(which + " start", e.start(), a.start());
            assertEquals(which + " count", e.count(), a.count());
            assertEquals(which + " sum", e.sum(), a.sum(), 1e-6);
            assertEquals(which + " min", e.min(), a.min(), 0.0);
            assertEquals(which + " max", e.max(), a.max(), 0.0);
        }
    }

    private static long count(String cql, Object... values) {
        return session.execute(session.prepare(cql).bind(values)).one().getLong(0);
    }

    /** Runs a choral command in this JVM; returns its standard output, failing on a non-zero exit. */
    private static String run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = new CommandLine(new Choral()).execute(args);
        } finally {
            System.setOut(original);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals("exit code of " + String.join(" ", args) + "; printed " + printed, 0, exit);
        return printed;
    }

    private static Frame frame(String device, long t, Metric... metrics) {
        return new Frame(device, t, t + 100, false, List.of(metrics));
    }

    private static Metric number(String name, double value) {
        return new Metric(name, MetricKind.NUMBER, BigDecimal.valueOf(value).toPlainString(), value);
    }

    private static Metric numericString(String name, String text) {
        return new Metric(name, MetricKind.NUMERIC_STRING, text, Double.parseDouble(text));
    }
}
