package io.choralstorm.topology.view;

import io.choralstorm.protocol.Frame;
import io.choralstorm.protocol.Metric;
import io.choralstorm.protocol.MetricKind;
import io.choralstorm.topology.config.TopologySettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;

/**
 * How many readings per second the real-time view sustains: frames go through {@link ViewFlusher} and
 * {@link RedisViewStore} into a real redis-server on this machine, the way {@link
 * io.choralstorm.topology.bolt.RealtimeViewBolt} sends them (at most {@value #IN_FLIGHT} frames in flight, like
 * topology.max.spout.pending; batches as the flusher forms them). Each device sends one frame per second of device
 * time holding {@code metrics} numeric readings; a warm-up first fills every metric's 5-minute window, so the
 * measured part trims windows as it would in steady state. Prints figures; asserts nothing.
 *
 * <p>Run: {@code java -cp <topology test classpath> io.choralstorm.topology.view.ViewThroughputBenchmark
 * [devices=1000] [metrics=3] [seconds=20] [batchMax=view.batch.max]} (docs/realtime-view.md shows how).
 */
public final class ViewThroughputBenchmark {
    private static final int IN_FLIGHT = 5000;
    private static final long WINDOW_MS = 300_000;
    private static final long HORIZON_MS = 86_400_000;
    private static final long STEP_MS = 1000;
    private static final long T0 = 1_700_000_000_000L;
    private static final Pattern COMMAND_STATS = Pattern.compile("cmdstat_([a-z|]+):calls=(\\d+),usec=(\\d+)");
    private static final int TOP_COMMANDS = 10;
    private static final Pattern CPU = Pattern.compile("used_cpu_(?:user|sys):([0-9.]+)");

    private final int devices;
    private final int metrics;
    private final int batchMax;
    private final Semaphore inFlight = new Semaphore(IN_FLIGHT);
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong flushes = new AtomicLong();
    private final AtomicLong deviceBatches = new AtomicLong();
    private volatile boolean producing = true;
    private ViewFlusher<Integer> flusher;

    private ViewThroughputBenchmark(int devices, int metrics, int batchMax) {
        this.devices = devices;
        this.metrics = metrics;
        this.batchMax = batchMax;
    }

    public static void main(String[] args) throws Exception {
        int devices = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int metrics = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        int batchMax = args.length > 3 ? Integer.parseInt(args[3]) : TopologySettings.defaults()
            .get(TopologySettings.VIEW_BATCH_MAX);
        try (RedisServerProcess redis = RedisServerProcess.start()) {
            new ViewThroughputBenchmark(devices, metrics, batchMax).run(redis, seconds);
        }
    }

    private void run(RedisServerProcess redis, int seconds) throws InterruptedException {
        try (Jedis admin = redis.client()) {
            System.out.printf(Locale.ROOT, "redis-server %s on port %d; %d devices x %d numeric metrics, one frame per"
                + " device per %d ms of device time, window %d s, %d frames in flight, flushes of at most %d%n",
                field(admin.info("server"), "redis_version"), redis.port(), devices, metrics, STEP_MS,
                WINDOW_MS / 1000, IN_FLIGHT, batchMax);

            RedisViewStore store = new RedisViewStore(new JedisPooled("127.0.0.1", redis.port()),
                new ViewKeys("bench"), WINDOW_MS, HORIZON_MS);
            flusher = new ViewFlusher<>(new CountingStore(store), batchMax, this::done,
                "bench-view-flusher");
            flusher.start();
            Thread producer = new Thread(this::produce, "bench-producer");
            producer.start();

            long warmUpFrames = (WINDOW_MS / STEP_MS + 50) * devices;
            long warmStart = System.nanoTime();
            awaitCompleted(warmUpFrames);
            System.out.printf(Locale.ROOT, "warm-up: %d frames in %.1f s (every window full)%n", completed.get(),
                (System.nanoTime() - warmStart) / 1e9);

            measure(admin, seconds);

            producing = false;
            producer.join(10_000);
            flusher.close();
            store.close();
        }
    }

    private void measure(Jedis admin, int seconds) throws InterruptedException {
        Map<String, long[]> commandsBefore = commandStats(admin);
        long cpuBefore = cpuMillis(admin);
        long framesBefore = completed.get();
        long flushesBefore = flushes.get();
        long batchesBefore = deviceBatches.get();
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        long frames = completed.get() - framesBefore;
        double elapsed = (System.nanoTime() - start) / 1e9;
        long flushCount = flushes.get() - flushesBefore;
        long batchCount = deviceBatches.get() - batchesBefore;
        long cpu = cpuMillis(admin) - cpuBefore;

        double framesPerSecond = frames / elapsed;
        System.out.printf(Locale.ROOT, "measured %.1f s: %d frames = %.0f frames/s = %.0f readings/s"
            + " (%d numeric readings per frame); %d failed%n", elapsed, frames, framesPerSecond,
            framesPerSecond * metrics, metrics, failed.get());
        System.out.printf(Locale.ROOT, "flushes: %d, %.0f frames of %.0f devices per flush on average;"
            + " redis-server CPU %.0f%% of one core, %.1f us per frame%n", flushCount,
            (double) frames / Math.max(1, flushCount), (double) batchCount / Math.max(1, flushCount),
            cpu / 10.0 / elapsed, cpu * 1000.0 / Math.max(1, frames));
        printProfile(commandsBefore, commandStats(admin), Math.max(1, frames));
    }

    /** Per command: calls and microseconds inside Redis (commands run by the script included). */
    private static Map<String, long[]> commandStats(Jedis admin) {
        Map<String, long[]> stats = new TreeMap<>();
        Matcher matcher = COMMAND_STATS.matcher(admin.info("commandstats"));
        while (matcher.find()) {
            long calls = Long.parseLong(matcher.group(2));
            stats.put(matcher.group(1), new long[] {calls, Long.parseLong(matcher.group(3))});
        }
        return stats;
    }

    /** Milliseconds of CPU redis-server used so far. */
    private static long cpuMillis(Jedis admin) {
        Matcher cpu = CPU.matcher(admin.info("cpu"));
        double seconds = 0;
        while (cpu.find()) {
            seconds += Double.parseDouble(cpu.group(1));
        }
        return (long) (seconds * 1000);
    }

    private static void printProfile(Map<String, long[]> before, Map<String, long[]> after, long frames) {
        List<Map.Entry<String, long[]>> deltas = new ArrayList<>();
        after.forEach((command, now) -> {
            long[] then = before.getOrDefault(command, new long[2]);
            deltas.add(Map.entry(command, new long[] {now[0] - then[0], now[1] - then[1]}));
        });
        deltas.sort((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]));
        System.out.println("redis time by command (the script's own commands included in evalsha):");
        for (Map.Entry<String, long[]> entry : deltas.subList(0, Math.min(TOP_COMMANDS, deltas.size()))) {
            long[] d = entry.getValue();
            System.out.printf(Locale.ROOT, "  %-18s %8.2f calls/frame %8.2f us/call %8.2f us/frame%n", entry.getKey(),
                (double) d[0] / frames, (double) d[1] / Math.max(1, d[0]), (double) d[1] / frames);
        }
    }

    private void produce() {
        try {
            for (long round = 0; producing; round++) {
                for (int d = 0; d < devices && producing; d++) {
                    inFlight.acquire();
                    submit(d, round);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void submit(int device, long round) {
        List<Metric> values = new ArrayList<>(metrics);
        for (int m = 0; m < metrics; m++) {
            double value = ((device * 31 + round * 7 + m * 13) % 4000) / 100.0 - 10;
            values.add(new Metric("m" + m, MetricKind.NUMBER, Double.toString(value), value));
        }
        long ts = T0 + round * STEP_MS;
        flusher.submit(new Frame(String.format(Locale.ROOT, "bench-%05d", device), ts, ts + 50, false, values), 1);
    }

    private void done(List<Integer> tokens, RuntimeException error) {
        if (error != null) {
            failed.addAndGet(tokens.size());
        }
        completed.addAndGet(tokens.size());
        inFlight.release(tokens.size());
    }

    private void awaitCompleted(long frames) throws InterruptedException {
        while (completed.get() < frames) {
            Thread.sleep(100);
        }
    }

    private static String field(String info, String name) {
        Matcher matcher = Pattern.compile(name + ":(\\S+)").matcher(info);
        return matcher.find() ? matcher.group(1) : "?";
    }

    /** Counts flushes and device batches on their way to the real store. */
    private final class CountingStore implements ViewStore {
        private final ViewStore delegate;

        CountingStore(ViewStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public ViewOutcome apply(List<DeviceFrames> batches) {
            flushes.incrementAndGet();
            deviceBatches.addAndGet(batches.size());
            ViewOutcome outcome = delegate.apply(batches);
            if (!outcome.failures().isEmpty()) {
                Map.Entry<String, RuntimeException> first = outcome.failures().entrySet().iterator().next();
                System.err.println("device " + first.getKey() + " failed: " + first.getValue());
            }
            return outcome;
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
