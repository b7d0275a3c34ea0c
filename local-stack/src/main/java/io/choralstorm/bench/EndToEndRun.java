package io.choralstorm.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import io.choralstorm.topology.storage.TimeBuckets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

/**
 * Load steps through the running pipeline: frames POSTed to the gateway at a fixed rate, then a wait
 * until every accepted frame is in the live view and in Cassandra, timed, so that the rates of
 * acceptance, of view updates and of storage are measured for the same frames.
 */
public final class EndToEndRun {
    private static final Duration CATCH_UP_LIMIT = Duration.ofSeconds(60);

    private final InetSocketAddress gateway;
    private final int connections;
    private final BenchFrames frames;
    private final JedisPooled redis;
    private final String keyPrefix;
    private final CqlSession session;
    private final PreparedStatement countRows;
    private final ViewLatencyProbe probe;
    private final ProcessSampler sampler;
    private final ClusterHealth cluster;
    private final long[] acceptedPerDevice;

    public EndToEndRun(InetSocketAddress gateway, int connections, BenchFrames frames, JedisPooled redis,
                       String keyPrefix, CqlSession session, String keyspace, ViewLatencyProbe probe,
                       ProcessSampler sampler, ClusterHealth cluster) {
        this.gateway = gateway;
        this.connections = connections;
        this.frames = frames;
        this.redis = redis;
        this.keyPrefix = keyPrefix;
        this.session = session;
        this.countRows = session.prepare("SELECT COUNT(*) FROM " + keyspace + ".raw_data WHERE device_id = ? AND "
            + "bucket = ? AND device_timestamp >= ? AND device_timestamp < ?");
        this.probe = probe;
        this.sampler = sampler;
        this.cluster = cluster;
        this.acceptedPerDevice = new long[frames.devices()];
    }

    /** The view's frame counts before the run, so that earlier runs on the same stack do not count. */
    public void baseline() {
        long[] counts = viewCounts();
        System.arraycopy(counts, 0, acceptedPerDevice, 0, counts.length);
    }

    /** One step: {@code framesPerSecond} offered in requests of {@code framesPerRequest} frames. */
    public StepResult step(String mode, double framesPerSecond, int framesPerRequest, Duration duration,
                           Consumer<String> progress) throws InterruptedException {
        return step(mode, framesPerSecond, framesPerRequest, duration, Duration.ofSeconds(30), progress);
    }

    /** As {@link #step}, waiting up to {@code drain} after the last request was due for the answers. */
    public StepResult step(String mode, double framesPerSecond, int framesPerRequest, Duration duration,
                           Duration drain, Consumer<String> progress) throws InterruptedException {
        Histogram post = new Histogram(3);
        Map<String, Long> answers = new HashMap<>();
        Map<Long, long[]> timestamps = new HashMap<>();
        long[] stepAccepted = new long[frames.devices()];
        long startMs = System.currentTimeMillis();
        probe.takeHistogram();
        ProcessSampler.Sample before = sampler.sample();
        long checksBefore = secretChecks();
        long start = System.nanoTime();

        new HttpLoadGenerator(gateway, connections).run(framesPerSecond / framesPerRequest, duration,
            (n, due) -> request(n, due, framesPerRequest, timestamps),
            (n, status, latencyNanos) -> {
                post.recordValue(Math.max(1, latencyNanos / 1000));
                answers.merge(status < 0 ? "io-error" : String.valueOf(status), 1L, Long::sum);
                long[] sent = timestamps.remove(n);
                int device = frames.deviceOf(n);
                if (status == 202) {
                    stepAccepted[device] += sent.length;
                    acceptedPerDevice[device] += sent.length;
                } else {
                    probe.refused(frames.deviceId(device), sent);
                }
            }, drain);

        double loadSeconds = (System.nanoTime() - start) / 1e9;
        Map<String, ProcessSampler.Usage> usage = ProcessSampler.between(before, sampler.sample());
        long secretChecks = secretChecks() - checksBefore;
        long accepted = java.util.Arrays.stream(stepAccepted).sum();
        long endMs = System.currentTimeMillis() + 60_000;
        double[] caughtUp = awaitPipeline(start, stepAccepted, startMs, endMs, progress);
        return new StepResult(mode, framesPerRequest, framesPerSecond, accepted / loadSeconds,
            accepted / caughtUp[0], accepted / caughtUp[1], accepted, caughtUp[2] > 0, post, probe.takeHistogram(),
            answers, usage, secretChecks);
    }

    private long secretChecks() throws InterruptedException {
        try {
            return cluster.secretChecks();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the cluster server's health", e);
        }
    }

    /**
     * Request {@code n}: its frames are registered with the probe as sent at {@code dueNanos} now, in device
     * time order, because the view can show them before the answer reaches the load generator.
     */
    private byte[] request(long n, long dueNanos, int framesPerRequest, Map<Long, long[]> timestamps) {
        int device = frames.deviceOf(n);
        long now = System.currentTimeMillis();
        long[] sent = new long[framesPerRequest];
        byte[] body;
        if (framesPerRequest == 1) {
            sent[0] = frames.nextTimestamp(device, now);
            body = frames.frame(device, sent[0]).getBytes(StandardCharsets.UTF_8);
        } else {
            body = frames.batch(device, framesPerRequest, now, sent);
        }
        timestamps.put(n, sent);
        for (long ts : sent) {
            probe.sent(frames.deviceId(device), ts, dueNanos);
        }
        return HttpLoadGenerator.post(gateway.getHostString(), "/v1/frames", "", body);
    }

    /** Seconds from {@code start} until the view, then storage, held every accepted frame; [view, stored, ok]. */
    private double[] awaitPipeline(long start, long[] stepAccepted, long fromMs, long toMs, Consumer<String> progress)
            throws InterruptedException {
        long deadline = System.nanoTime() + CATCH_UP_LIMIT.toNanos();
        double viewSeconds = Double.NaN;
        double storedSeconds = Double.NaN;
        while (System.nanoTime() < deadline && (Double.isNaN(viewSeconds) || Double.isNaN(storedSeconds))) {
            if (Double.isNaN(viewSeconds) && viewHoldsAll()) {
                viewSeconds = (System.nanoTime() - start) / 1e9;
            }
            if (Double.isNaN(storedSeconds) && storedRows(fromMs, toMs, stepAccepted)) {
                storedSeconds = (System.nanoTime() - start) / 1e9;
            }
            if (Double.isNaN(viewSeconds) || Double.isNaN(storedSeconds)) {
                progress.accept("waiting for the pipeline to catch up");
                Thread.sleep(500);
            }
        }
        boolean ok = !Double.isNaN(viewSeconds) && !Double.isNaN(storedSeconds);
        double limit = CATCH_UP_LIMIT.toNanos() / 1e9;
        return new double[] {ok ? viewSeconds : limit, ok ? storedSeconds : limit, ok ? 1 : 0};
    }

    private boolean viewHoldsAll() {
        long[] counts = viewCounts();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] < acceptedPerDevice[i]) {
                return false;
            }
        }
        return true;
    }

    private long[] viewCounts() {
        long[] counts = new long[frames.devices()];
        List<Response<String>> replies = new ArrayList<>();
        try (Pipeline pipeline = redis.pipelined()) {
            for (int i = 0; i < counts.length; i++) {
                replies.add(pipeline.hget(keyPrefix + ":{" + frames.deviceId(i) + "}:view", "frame_count"));
            }
            pipeline.sync();
        }
        for (int i = 0; i < counts.length; i++) {
            String value = replies.get(i).get();
            counts[i] = value == null ? 0 : (long) Double.parseDouble(value);
        }
        return counts;
    }

    private boolean storedRows(long fromMs, long toMs, long[] expected) {
        List<CompletableFuture<Long>> counts = new ArrayList<>();
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] > 0) {
                counts.add(countDevice(frames.deviceId(i), fromMs, toMs));
            }
        }
        long stored = counts.stream().mapToLong(CompletableFuture::join).sum();
        return stored >= java.util.Arrays.stream(expected).sum();
    }

    private CompletableFuture<Long> countDevice(String device, long fromMs, long toMs) {
        CompletableFuture<Long> total = CompletableFuture.completedFuture(0L);
        for (int bucket : TimeBuckets.bucketsBetween(fromMs, toMs)) {
            CompletionStage<AsyncResultSet> rows = session.executeAsync(countRows.bind(device, bucket,
                Instant.ofEpochMilli(fromMs), Instant.ofEpochMilli(toMs)));
            total = total.thenCombine(rows.thenApply(r -> r.one().getLong(0)), Long::sum);
        }
        return total;
    }
}
