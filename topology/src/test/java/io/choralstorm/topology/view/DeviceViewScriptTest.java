package io.choralstorm.topology.view;

import static io.choralstorm.topology.TestFrames.T;
import static io.choralstorm.topology.TestFrames.bool;
import static io.choralstorm.topology.TestFrames.frame;
import static io.choralstorm.topology.TestFrames.number;
import static io.choralstorm.topology.TestFrames.numericString;
import static io.choralstorm.topology.TestFrames.string;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.choralstorm.protocol.Frame;
import io.choralstorm.topology.Await;
import java.util.ArrayList;
import java.util.DoubleSummaryStatistics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.JedisPubSub;

/** The view script against a real redis-server: statistics, dedup, windows and pub/sub. */
public class DeviceViewScriptTest {
    private static final long WINDOW_MS = 60_000;
    private static final long HORIZON_MS = 600_000;
    private static final ViewKeys KEYS = new ViewKeys("choral");

    private static RedisServerProcess redis;
    private RedisViewStore store;
    private Jedis jedis;

    @BeforeClass
    public static void startRedis() throws Exception {
        redis = RedisServerProcess.start();
    }

    @AfterClass
    public static void stopRedis() throws Exception {
        if (redis != null) {
            redis.close();
        }
    }

    @Before
    public void openStore() {
        jedis = redis.client();
        jedis.flushAll();
        store = new RedisViewStore(new JedisPooled("127.0.0.1", redis.port()), KEYS, WINDOW_MS, HORIZON_MS);
    }

    @After
    public void closeStore() {
        store.close();
        jedis.close();
    }

    @Test
    public void firstReadingSetsMinAndMax() {
        // given a new device, when it sends 5, 7, 6
        apply(frame("d1", T, number("t", 5)));
        apply(frame("d1", T + 1000, number("t", 7)));
        apply(frame("d1", T + 2000, number("t", 6)));

        // then min/max come from the readings, not from zero
        Map<String, String> view = view("d1");
        assertEquals("min", "5", view.get("t.min"));
        assertEquals("max", "7", view.get("t.max"));
        assertEquals("mean", "6", view.get("t.mean"));
        assertEquals("current", "6", view.get("t.current"));
        assertEquals("count", "3", view.get("t.count"));
    }

    @Test
    public void negativeOnlyDeviceKeepsNegativeMinAndMax() {
        // given a new device, when it sends -3 then -8
        apply(frame("neg", T, number("t", -3)));
        apply(frame("neg", T + 1000, number("t", -8)));

        // then max is -3 (not 0) and min -8
        Map<String, String> view = view("neg");
        assertEquals("max", "-3", view.get("t.max"));
        assertEquals("min", "-8", view.get("t.min"));
        assertEquals("mean", "-5.5", view.get("t.mean"));
    }

    @Test
    public void lateFrameDoesNotReplaceCurrentValueAndResendCountsOnce() {
        // given case 8: T+60s 25, then T 20, then T+30s 21, then the T+30s frame again, one per flush
        Frame resent = frame("d8", T + 30_000, number("t", 21));
        apply(frame("d8", T + 60_000, number("t", 25)));
        apply(frame("d8", T, number("t", 20)));
        apply(resent);
        ViewOutcome again = apply(resent);

        // then three readings count, the newest device time stays current, the resend changed nothing
        Map<String, String> view = view("d8");
        assertEquals("the resend is recognised as a duplicate", 1, again.duplicates());
        assertEquals("count", "3", view.get("t.count"));
        assertEquals("current is the newest by device time", "25", view.get("t.current"));
        assertEquals("current_ts", Long.toString(T + 60_000), view.get("t.current_ts"));
        assertEquals("mean", "22", view.get("t.mean"));
        assertEquals("sum", "66", view.get("t.sum"));
        assertEquals("frame_count", "3", view.get("frame_count"));
    }

    @Test
    public void caseEightInOneBatchGivesTheSameView() {
        // given case 8 arriving within one flush
        apply(frame("d8", T + 60_000, number("t", 25)), frame("d8", T, number("t", 20)),
            frame("d8", T + 30_000, number("t", 21)), frame("d8", T + 30_000, number("t", 21)));

        // then the same view as when the frames came one by one
        Map<String, String> view = view("d8");
        assertEquals("count", "3", view.get("t.count"));
        assertEquals("current", "25", view.get("t.current"));
        assertEquals("mean", "22", view.get("t.mean"));
    }

    @Test
    public void replayedBatchChangesNothing() {
        // given a batch applied once
        Frame[] batch = {frame("r", T, number("t", 1.25), bool("door", true)),
            frame("r", T + 5000, number("t", 2.5), string("mode", "eco"))};
        apply(batch);
        Map<String, String> before = view("r");
        List<String> windowBefore = jedis.zrange(KEYS.window("r", "t"), 0, -1);

        // when Storm replays it
        ViewOutcome replay = apply(batch);

        // then every frame is a duplicate and the view is unchanged
        assertEquals("accepted on replay", 0, replay.accepted());
        assertEquals("duplicates on replay", 2, replay.duplicates());
        assertEquals("view after replay", before, view("r"));
        assertEquals("window after replay", windowBefore, jedis.zrange(KEYS.window("r", "t"), 0, -1));
    }

    @Test
    public void windowKeepsOnlyReadingsWithinWindowOfNewestDeviceTime() {
        // given readings at T, T+30s and T+90s with a 60 s window
        apply(frame("w", T, number("t", 10)));
        apply(frame("w", T + 30_000, number("t", 20)));
        apply(frame("w", T + 90_000, number("t", 30)));

        // then the window is [T+30s, T+90s]: T is trimmed, T+30s sits exactly on the edge and stays
        Map<String, String> view = view("w");
        assertEquals("win_count", "2", view.get("t.win_count"));
        assertEquals("win_mean", "25", view.get("t.win_mean"));
        assertEquals("win_min", "20", view.get("t.win_min"));
        assertEquals("win_max", "30", view.get("t.win_max"));
        assertEquals("all-time count", "3", view.get("t.count"));

        // when a late reading older than the window arrives, it counts overall but not in the window
        apply(frame("w", T + 10_000, number("t", 5)));
        view = view("w");
        assertEquals("win_count after an out-of-window late reading", "2", view.get("t.win_count"));
        assertEquals("all-time min includes the late reading", "5", view.get("t.min"));

        // when a late reading inside the window arrives, it joins the window
        apply(frame("w", T + 60_000, number("t", 40)));
        view = view("w");
        assertEquals("win_count after an in-window late reading", "3", view.get("t.win_count"));
        assertEquals("win_max", "40", view.get("t.win_max"));
        assertEquals("current is still the newest", "30", view.get("t.current"));
        assertEquals("window zset size", 3L, jedis.zcard(KEYS.window("w", "t")));
        assertEquals("window-by-value zset size", 3L, jedis.zcard(KEYS.windowByValue("w", "t")));
    }

    @Test
    public void incrementalStatisticsMatchBruteForceOverRandomFrames() {
        // given 3000 random frames: 10% late by up to two windows, 5% resent, values with two decimals
        Random random = new Random(20231114L);
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            long ts = T + i * 1000L;
            if (random.nextInt(10) == 0) {
                ts -= random.nextInt((int) (2 * WINDOW_MS));
            }
            double value = (random.nextInt(20_001) - 10_000) / 100.0;
            frames.add(frame("rnd", ts, number("t", value)));
            if (random.nextInt(20) == 0) {
                frames.add(frames.get(random.nextInt(frames.size())));
            }
        }

        // when applied in random flush sizes, checking against a brute-force oracle after each flush
        Map<Long, Double> accepted = new HashMap<>();
        int next = 0;
        while (next < frames.size()) {
            int end = Math.min(frames.size(), next + 1 + random.nextInt(20));
            List<Frame> flush = frames.subList(next, end);
            apply(flush.toArray(new Frame[0]));
            flush.forEach(f -> accepted.putIfAbsent(f.deviceTimestamp(), f.metrics().get(0).number()));
            assertMatchesOracle(accepted, view("rnd"), "after frame " + end);
            next = end;
        }
    }

    @Test
    public void nonNumericMetricKeepsLastValueByDeviceTime() {
        // given text values arriving out of device-time order
        apply(frame("s", T + 2000, string("mode", "eco"), bool("door", true)));
        apply(frame("s", T + 1000, string("mode", "boost"), bool("door", false)));

        // then the newest by device time wins, and no statistics exist for them
        Map<String, String> view = view("s");
        assertEquals("mode.last", "eco", view.get("mode.last"));
        assertEquals("mode.last_ts", Long.toString(T + 2000), view.get("mode.last_ts"));
        assertEquals("door.last", "true", view.get("door.last"));
        assertNull("no statistics for text", view.get("mode.count"));
    }

    @Test
    public void numericStringCountsAsNumber() {
        // given "21.50" sent as a string and 22.5 as a number
        apply(frame("ns", T, numericString("t", "21.50")));
        apply(frame("ns", T + 1000, number("t", 22.5)));

        // then both take part in the statistics
        Map<String, String> view = view("ns");
        assertEquals("count", "2", view.get("t.count"));
        assertEquals("mean", "22", view.get("t.mean"));
        assertNull("a numeric string has no text 'last'", view.get("t.last"));
    }

    @Test
    public void valuesKeepFullPrecision() {
        // given 0.1 and 0.2, whose double sum is 0.30000000000000004
        apply(frame("p", T, number("x", 0.1)));
        apply(frame("p", T + 1000, number("x", 0.2)));

        // then the stored numbers read back as the exact doubles
        Map<String, String> view = view("p");
        assertEquals("sum", 0.1 + 0.2, Double.parseDouble(view.get("x.sum")), 0.0);
        assertEquals("sum text", "0.30000000000000004", view.get("x.sum"));
        assertEquals("mean", (0.1 + 0.2) / 2, Double.parseDouble(view.get("x.mean")), 0.0);
        assertEquals("min text", "0.1", view.get("x.min"));
    }

    @Test
    public void hugeValuesNeverMakeStatisticsNonFinite() {
        // given readings whose sum exceeds the double range
        apply(frame("h", T, number("x", 1.7e308)));
        apply(frame("h", T + 1000, number("x", 1.7e308)));
        apply(frame("h", T + 2000, number("x", -1.7e308)));

        // then every stored number is finite and the mean is still right
        Map<String, String> view = view("h");
        view.forEach((field, value) -> {
            if (!field.endsWith(".last")) {
                assertTrue(field + " is finite: " + value, Double.isFinite(Double.parseDouble(value)));
            }
        });
        assertEquals("mean", 1.7e308 / 3, Double.parseDouble(view.get("x.mean")), 1e295);
        assertEquals("window mean", 1.7e308 / 3, Double.parseDouble(view.get("x.win_mean")), 1e295);
    }

    @Test
    public void framesOlderThanTheDedupHorizonAreLeftOutAndSeenIsTrimmed() {
        // given a device whose newest frame is far ahead of an old one
        apply(frame("o", T, number("t", 1)));
        apply(frame("o", T + HORIZON_MS + 1000, number("t", 2)));

        // when a frame older than newest - horizon arrives
        ViewOutcome outcome = apply(frame("o", T + 500, number("t", 100)));

        // then it is stale, changes nothing, and seen only holds timestamps within the horizon
        assertEquals("stale frames", 1, outcome.stale());
        assertEquals("count", "2", view("o").get("t.count"));
        assertEquals("seen entries", 1L, jedis.zcard(KEYS.seen("o")));
        assertEquals("the old frame is now stale, not new", 1, apply(frame("o", T, number("t", 1))).stale());
    }

    @Test
    public void lastSeenIsTheLatestReceiveTime() {
        // given frames received out of order
        apply(frame("ls", T, T + 5000, number("t", 1)));
        apply(frame("ls", T + 1000, T + 3000, number("t", 1)));

        // then last_seen is the max received_at, last_device_ts the max device time
        assertEquals("last_seen", Long.toString(T + 5000), view("ls").get("last_seen"));
        assertEquals("last_device_ts", Long.toString(T + 1000), view("ls").get("last_device_ts"));
    }

    @Test
    public void devicesOfOneFlushAreUpdatedIndependently() {
        // given one flush holding two devices
        ViewOutcome outcome = store.apply(List.of(new DeviceFrames("a", List.of(frame("a", T, number("t", 1)))),
            new DeviceFrames("b", List.of(frame("b", T, number("t", 2)), frame("b", T + 1, number("t", 4))))));

        // then each has its own view
        assertEquals("accepted", 3, outcome.accepted());
        assertTrue("no failures", outcome.failures().isEmpty());
        assertEquals("a.mean", "1", view("a").get("t.mean"));
        assertEquals("b.mean", "3", view("b").get("t.mean"));
    }

    @Test
    public void scriptIsLoadedAgainAfterRedisForgetsIt() {
        // given Redis lost its script cache
        jedis.scriptFlush();

        // when a flush runs
        ViewOutcome outcome = apply(frame("nf", T, number("t", 1)));

        // then the script is reloaded and the frame applied
        assertEquals("accepted", 1, outcome.accepted());
        assertTrue("no failures", outcome.failures().isEmpty());
        assertEquals("count", "1", view("nf").get("t.count"));
    }

    @Test
    public void wrongTypeKeyFailsOnlyThatDevice() {
        // given a key of another type where a device's view should be
        jedis.set(KEYS.view("broken"), "not a hash");

        // when a flush holds that device and a healthy one
        ViewOutcome outcome = store.apply(List.of(
            new DeviceFrames("broken", List.of(frame("broken", T, number("t", 1)))),
            new DeviceFrames("ok", List.of(frame("ok", T, number("t", 1))))));

        // then only the broken device fails
        assertEquals("failed devices", List.of("broken"), new ArrayList<>(outcome.failures().keySet()));
        assertEquals("healthy device applied", "1", view("ok").get("t.count"));
    }

    @Test
    public void updatePublishesOneJsonMessageOnDeviceAndGlobalChannels() throws Exception {
        // given subscribers on both channels
        BlockingQueue<String[]> messages = new LinkedBlockingQueue<>();
        JedisPubSub listener = new JedisPubSub() {
            @Override
            public void onMessage(String channel, String message) {
                messages.add(new String[] {channel, message});
            }
        };
        Thread subscriber = new Thread(() -> {
            try (Jedis sub = redis.client()) {
                sub.subscribe(listener, KEYS.deviceChannel("d1"), KEYS.updatesChannel());
            }
        }, "test-subscriber");
        subscriber.start();
        Await.until("both subscriptions", () -> listener.getSubscribedChannels() == 2);

        // when a frame with a number and a boolean is applied
        apply(frame("d1", T, T + 123, number("temperature", 21.5), bool("door", true)));

        // then each channel receives the same message
        String expected = "{\"device_id\":\"d1\",\"last_seen\":1700000000123,\"last_device_ts\":1700000000000,"
            + "\"frame_count\":1,\"metrics\":{\"temperature\":{\"current\":21.5,\"current_ts\":1700000000000,"
            + "\"count\":1,\"sum\":21.5,\"mean\":21.5,\"min\":21.5,\"max\":21.5,\"win_count\":1,\"win_mean\":21.5,"
            + "\"win_min\":21.5,\"win_max\":21.5},\"door\":{\"last\":\"true\",\"last_ts\":1700000000000}}}";
        String[] first = messages.poll(10, TimeUnit.SECONDS);
        String[] second = messages.poll(10, TimeUnit.SECONDS);
        listener.unsubscribe();
        subscriber.join(10_000);
        assertEquals("device channel first", "choral:updates:d1", first[0]);
        assertEquals("then the global channel", "choral:updates", second[0]);
        assertEquals("message on the device channel", expected, first[1]);
        assertEquals("message on the global channel", expected, second[1]);
        JsonNode json = new ObjectMapper().readTree(first[1]);
        assertEquals("parses as JSON", 21.5, json.at("/metrics/temperature/mean").asDouble(), 0.0);
        assertFalse("subscriber thread stopped", subscriber.isAlive());
    }

    @Test
    public void duplicateOnlyFlushPublishesNothing() throws Exception {
        // given a frame already applied, and a subscriber
        Frame f = frame("dup", T, number("t", 1));
        apply(f);
        BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        JedisPubSub listener = new JedisPubSub() {
            @Override
            public void onMessage(String channel, String message) {
                messages.add(message);
            }
        };
        Thread subscriber = new Thread(() -> {
            try (Jedis sub = redis.client()) {
                sub.subscribe(listener, KEYS.updatesChannel());
            }
        }, "test-subscriber");
        subscriber.start();
        Await.until("subscription", () -> listener.getSubscribedChannels() == 1);

        // when only the duplicate comes again, followed by a new frame of another device
        apply(f);
        apply(frame("marker", T, number("t", 1)));

        // then the first message seen is the marker's: the duplicate published nothing
        String message = messages.poll(10, TimeUnit.SECONDS);
        listener.unsubscribe();
        subscriber.join(10_000);
        assertTrue("first message is the marker's: " + message, message.startsWith("{\"device_id\":\"marker\""));
    }

    private static void assertMatchesOracle(Map<Long, Double> readings, Map<String, String> view, String when) {
        long newest = readings.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
        DoubleSummaryStatistics all = readings.values().stream().mapToDouble(Double::doubleValue).summaryStatistics();
        DoubleSummaryStatistics window = readings.entrySet().stream().filter(e -> e.getKey() >= newest - WINDOW_MS)
            .mapToDouble(Map.Entry::getValue).summaryStatistics();

        assertEquals("count " + when, all.getCount(), Long.parseLong(view.get("t.count")));
        assertEquals("min " + when, all.getMin(), Double.parseDouble(view.get("t.min")), 0.0);
        assertEquals("max " + when, all.getMax(), Double.parseDouble(view.get("t.max")), 0.0);
        assertEquals("mean " + when, all.getAverage(), Double.parseDouble(view.get("t.mean")), 1e-9);
        assertEquals("current " + when, readings.get(newest), Double.parseDouble(view.get("t.current")), 0.0);
        assertEquals("win_count " + when, window.getCount(), Long.parseLong(view.get("t.win_count")));
        assertEquals("win_min " + when, window.getMin(), Double.parseDouble(view.get("t.win_min")), 0.0);
        assertEquals("win_max " + when, window.getMax(), Double.parseDouble(view.get("t.win_max")), 0.0);
        assertEquals("win_mean " + when, window.getAverage(), Double.parseDouble(view.get("t.win_mean")), 1e-9);
    }

    private ViewOutcome apply(Frame... frames) {
        ViewOutcome outcome = store.apply(List.of(new DeviceFrames(frames[0].deviceId(), List.of(frames))));
        assertTrue("no failures: " + outcome.failures(), outcome.failures().isEmpty());
        return outcome;
    }

    private Map<String, String> view(String device) {
        return jedis.hgetAll(KEYS.view(device));
    }
}
