package io.choralstorm.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import io.choralstorm.local.CassandraNode;
import io.choralstorm.local.PortGuard;
import io.choralstorm.protocol.Frame;
import io.choralstorm.protocol.FrameWriter;
import io.choralstorm.protocol.Metric;
import io.choralstorm.protocol.MetricKind;
import io.choralstorm.topology.config.TopologySettings;
import io.choralstorm.topology.rollup.CqlRollupStore;
import io.choralstorm.topology.rollup.RollupFrameStore;
import io.choralstorm.topology.rollup.RollupRefresher;
import io.choralstorm.topology.storage.CassandraSessions;
import io.choralstorm.topology.storage.CqlFrameStore;
import io.choralstorm.topology.storage.CqlStatements;
import io.choralstorm.topology.storage.FrameStore;
import io.choralstorm.topology.storage.InFlightLimiter;
import io.choralstorm.topology.storage.Retention;
import io.choralstorm.topology.storage.SchemaApplier;
import io.choralstorm.topology.storage.TimeBuckets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * Rows per second into a real Cassandra node, written three ways with the same driver and the same
 * number of writes in flight: through the writer bolt's store ({@link CqlFrameStore} and its
 * {@link InFlightLimiter}), directly with prepared statements and a semaphore, and through the bolt's
 * whole store (rows, then the rollup recomputations). Prints figures; asserts nothing. The first two
 * alternate over several rounds; the median and the best round of each are printed (other processes on
 * the machine move single rounds a lot).
 *
 * <pre>java -cp "local-stack/target/local-stack-0.1.0-SNAPSHOT.jar:local-stack/target/lib/*" \
 *   io.choralstorm.bench.StorageThroughputBenchmark [frames per round, default 30000] [in flight, default 256]</pre>
 *
 * It starts its own Cassandra node (1 GiB heap, free ports, a temporary directory) and stops it at the end.
 * A frame has two numeric metrics: one raw_data row and two readings rows.
 */
public final class StorageThroughputBenchmark {
    private static final String KEYSPACE = SchemaApplier.KEYSPACE;
    private static final int DEVICES = 100;
    /** Cassandra's JIT keeps speeding up for a few hundred thousand writes. */
    private static final int WARM_UP_ROUNDS = 2;
    private static final int ROUNDS = 5;
    private static final long BASE = Instant.parse("2024-01-01T00:00:00Z").toEpochMilli();

    private final CqlSession session;
    private final TopologySettings settings;
    private final int inFlight;

    private StorageThroughputBenchmark(CqlSession session, TopologySettings settings, int inFlight) {
        this.session = session;
        this.settings = settings;
        this.inFlight = inFlight;
    }

    public static void main(String[] args) throws Exception {
        int frames = args.length > 0 ? Integer.parseInt(args[0]) : 30_000;
        int inFlight = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        Path home = Files.createTempDirectory("choral-storage-bench");
        int port = PortGuard.freePort();
        CassandraNode cassandra = new CassandraNode(CassandraNode.defaultLibDir(), home.resolve("cassandra"),
            home.resolve("logs"), "127.0.0.1", port, PortGuard.freePort(), 0);
        cassandra.start();
        try {
            TopologySettings settings = TopologySettings.defaults()
                .with(TopologySettings.CASSANDRA_CONTACT_POINTS, "127.0.0.1:" + port);
            try (CqlSession session = CassandraSessions.open(settings)) {
                new SchemaApplier(session).applySchema();
                new StorageThroughputBenchmark(session, settings, inFlight).run(frames);
            }
        } finally {
            cassandra.stop();
            deleteTree(home);
        }
    }

    private void run(int frames) throws Exception {
        System.out.printf(Locale.ROOT, "Cassandra 1 node, %d cores, %d frames a round (%d rows), %d writes in"
            + " flight, %d devices%n", Runtime.getRuntime().availableProcessors(), frames, frames * 3, inFlight,
            DEVICES);
        for (int round = 1; round <= WARM_UP_ROUNDS; round++) {
            store("warm-up " + round, frames);
            direct("warm-up " + round, frames);
        }

        List<Double> viaStore = new ArrayList<>();
        List<Double> viaDriver = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            viaStore.add(store("round " + round, frames));
            viaDriver.add(direct("round " + round, frames));
        }
        double withRollups = rollups(frames / 3);

        System.out.printf(Locale.ROOT, "%nrows/s over %d alternating rounds  median / best%n", ROUNDS);
        System.out.printf(Locale.ROOT, "  bolt store (CqlFrameStore)       %,9.0f / %,9.0f%n", median(viaStore),
            best(viaStore));
        System.out.printf(Locale.ROOT, "  direct driver, same concurrency  %,9.0f / %,9.0f%n", median(viaDriver),
            best(viaDriver));
        System.out.printf(Locale.ROOT, "  ratio bolt store / direct        %9.2f / %9.2f%n",
            median(viaStore) / median(viaDriver), best(viaStore) / best(viaDriver));
        System.out.printf(Locale.ROOT, "bolt store with rollups: %,.0f rows/s (%,.0f frames/s)%n", withRollups,
            withRollups / 3);
    }

    /** Through the bolt's row store: one write call per frame from one thread, as the bolt does. */
    private double store(String label, int frames) {
        CqlFrameStore store = new CqlFrameStore(session, KEYSPACE, limiter());
        return report(label, "bolt store", frames, timed(frames, "store-" + label, store));
    }

    /** The same rows with prepared statements bound here, bounded by a semaphore of the same size. */
    private double direct(String label, int frames) throws InterruptedException {
        PreparedStatement raw = session.prepare(CqlStatements.insertRaw(KEYSPACE, Retention.KEEP_FOREVER));
        PreparedStatement reading = session.prepare(CqlStatements.insertReading(KEYSPACE, Retention.KEEP_FOREVER));
        Semaphore slots = new Semaphore(inFlight);
        AtomicReference<Throwable> failure = new AtomicReference<>();

        long start = System.nanoTime();
        for (int i = 0; i < frames; i++) {
            Frame frame = frame("direct-" + label, i);
            long ts = frame.deviceTimestamp();
            int bucket = TimeBuckets.bucketOf(ts);
            write(slots, failure, raw.bind(frame.deviceId(), bucket, Instant.ofEpochMilli(ts),
                FrameWriter.dataJson(frame), Instant.ofEpochMilli(frame.receivedAt())).setIdempotent(true));
            for (Metric metric : frame.metrics()) {
                write(slots, failure, reading.bind(frame.deviceId(), metric.name(), bucket, Instant.ofEpochMilli(ts),
                    metric.number()).setIdempotent(true));
            }
        }
        slots.acquire(inFlight);
        long nanos = System.nanoTime() - start;
        if (failure.get() != null) {
            throw new IllegalStateException("a direct write failed", failure.get());
        }
        return report(label, "direct driver", frames, nanos);
    }

    /** The bolt's whole store: rows, then the minute, hour and day of each metric recomputed. */
    private double rollups(int frames) {
        int maxInFlight = settings.get(TopologySettings.ROLLUP_MAX_IN_FLIGHT);
        InFlightLimiter limiter = limiter();
        long lingerMs = settings.get(TopologySettings.ROLLUP_LINGER_MS);
        try (RollupRefresher refresher = RollupRefresher.start(new CqlRollupStore(session, KEYSPACE,
                Retention.KEEP_FOREVER), maxInFlight, lingerMs, "bench-rollups")) {
            // The store is not closed: it would close the shared session.
            RollupFrameStore store = new RollupFrameStore(new CqlFrameStore(session, KEYSPACE, limiter), refresher);
            return report("rollups", "bolt store with rollups", frames, timed(frames, "rollups", store));
        }
    }

    /** The bolt's limiter: {@code inFlight} slots, waiting at most the request timeout for one. */
    private InFlightLimiter limiter() {
        return new InFlightLimiter(inFlight, settings.get(TopologySettings.CASSANDRA_REQUEST_TIMEOUT_MS));
    }

    /** Writes the frames from this thread, as the bolt's executor does; returns the nanoseconds until all are done. */
    private static long timed(int frames, String devicePrefix, FrameStore store) {
        List<CompletableFuture<Void>> writes = new ArrayList<>(frames);
        long start = System.nanoTime();
        for (int i = 0; i < frames; i++) {
            writes.add(store.write(frame(devicePrefix, i)).toCompletableFuture());
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).orTimeout(10, TimeUnit.MINUTES).join();
        return System.nanoTime() - start;
    }

    private void write(Semaphore slots, AtomicReference<Throwable> failure, BoundStatement statement)
        throws InterruptedException {
        slots.acquire();
        session.executeAsync(statement).whenComplete((result, error) -> {
            if (error != null) {
                failure.compareAndSet(null, error);
            }
            slots.release();
        });
    }

    /** Frame {@code i}: device i mod 100, one frame a second per device, two numeric metrics. */
    private static Frame frame(String prefix, int i) {
        long ts = BASE + (long) (i / DEVICES) * 1_000L;
        double temperature = 20 + (i % 97) / 10.0;
        double humidity = 40 + (i % 89) / 10.0;
        return new Frame(prefix + "-d" + (i % DEVICES), ts, ts + 5, false, List.of(
            new Metric("temperature", MetricKind.NUMBER, Double.toString(temperature), temperature),
            new Metric("humidity", MetricKind.NUMBER, Double.toString(humidity), humidity)));
    }

    private static double report(String label, String path, int frames, long nanos) {
        double seconds = nanos / 1e9;
        double rows = frames * 3 / seconds;
        System.out.printf(Locale.ROOT, "  %-10s %-24s %,9d rows in %6.2f s = %,9.0f rows/s%n", label, path,
            frames * 3, seconds, rows);
        return rows;
    }

    /** The best round: on a shared machine, the closest to what the path sustains uncontended. */
    private static double best(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Comparator.naturalOrder());
        return sorted.get(sorted.size() / 2);
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
