package io.choralstorm.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.HdrHistogram.Recorder;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.JedisPubSub;

/**
 * Measures POST-to-view latency the way a dashboard sees it: a subscriber on the view's global
 * channel. Each frame is registered with its device time and send moment when it is sent (its update
 * can come before its answer); an update message carrying a device's newest device time settles every
 * registered frame of that device up to it; a refused frame is forgotten.
 */
public final class ViewLatencyProbe implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Deque<long[]>> pending = new ConcurrentHashMap<>();
    private final Recorder latencyMicros = new Recorder(3);
    private final JedisPubSub subscriber;
    private final Thread thread;
    private final CountDownLatch subscribed = new CountDownLatch(1);

    public ViewLatencyProbe(JedisPooled redis, String channel) throws InterruptedException {
        this.subscriber = new JedisPubSub() {
            @Override
            public void onSubscribe(String name, int count) {
                subscribed.countDown();
            }

            @Override
            public void onMessage(String name, String message) {
                settle(message, System.nanoTime());
            }
        };
        this.thread = new Thread(() -> redis.subscribe(subscriber, channel), "bench-view-probe");
        thread.setDaemon(true);
        thread.start();
        subscribed.await();
    }

    /** Registers a frame sent at {@code sentNanos}. Frames of one device must be registered in device-time order. */
    public void sent(String deviceId, long deviceTimestamp, long sentNanos) {
        Deque<long[]> frames = pending.computeIfAbsent(deviceId, id -> new ArrayDeque<>());
        synchronized (frames) {
            frames.add(new long[] {deviceTimestamp, sentNanos});
        }
    }

    /** Forgets frames registered by {@link #sent} that the pipeline refused (their answer was not 202). */
    public void refused(String deviceId, long[] deviceTimestamps) {
        Deque<long[]> frames = pending.get(deviceId);
        if (frames == null) {
            return;
        }
        synchronized (frames) {
            for (long ts : deviceTimestamps) {
                frames.removeIf(frame -> frame[0] == ts);
            }
        }
    }

    /** The latencies recorded since the last call, in microseconds. */
    public org.HdrHistogram.Histogram takeHistogram() {
        return latencyMicros.getIntervalHistogram();
    }

    private void settle(String message, long nowNanos) {
        JsonNode update;
        try {
            update = JSON.readTree(message);
        } catch (IOException e) {
            throw new UncheckedIOException("an update message is not JSON", e);
        }
        Deque<long[]> frames = pending.get(update.path("device_id").asText());
        if (frames == null) {
            return;
        }
        long newest = update.path("last_device_ts").asLong();
        synchronized (frames) {
            while (!frames.isEmpty() && frames.peek()[0] <= newest) {
                latencyMicros.recordValue(Math.max(1, (nowNanos - frames.poll()[1]) / 1000));
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        subscriber.unsubscribe();
        thread.join(5000);
    }
}
