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
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
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

/** The view script against a real redis-server: statistics, dedup, windows, expiry and pub/sub. */
public class DeviceViewScriptTest {
    private static final long WINDOW_MS = 60_000;
    private static final long HORIZON_MS = 600_000;
    private static final ViewKeys KEYS = new ViewKeys("choral");
    private static final long SEEN_BUCKET_MS = 65_536;

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
        store = openStore(0);
    }

    @After
    public void closeStore() {
        store.close();
        jedis.close();
    }

    @Test
    public void firstReadingSetsMinAndMax() {
        // given a new device, when it sends 5, 7, 6 (case 7)
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
        // given a new device, when it sends -3 then -8 (case 7)
        apply(frame("neg", T, number("t", -3)));
        apply(frame("neg", T + 1000, number("t", -8)));

        // then max is -3 (not 0) and min -8, in the window too
        Map<String, String> view = view("neg");
        assertEquals("max", "-3", view.get("t.max"));
        assertEquals("min", "-8", view.get("t.min"));
        assertEquals("mean", "-5.5", view.get("t.mean"));
        assertEquals("window max", "-3", view.get("t.win_max"));
        assertEquals("window min", "-8", view.get("t.win_min"));
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
    public void sameReadingsInAnyOrderAndNumberOfDeliveriesGiveTheSameView() {
        // given 300 readings with decimals, whose floating-point sum depends on the order of addition
        Random random = new Random(7);
        List<Frame> inOrder = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            inOrder.add(frame("x", T + i * 997L, number("t", random.nextInt(100_000) / 1000.0 - 50)));
        }
        List<Frame> shuffled = new ArrayList<>(inOrder);
        shuffled.addAll(inOrder.subList(0, 100));
        Collections.shuffle(shuffled, random);

        // when one device gets them in order, another shuffled with a third of them delivered twice
        applyInFlushes("in-order", inOrder, random);
        applyInFlushes("shuffled", shuffled, random);

        // then both views are identical, and equal to the statistics of the distinct readings
        assertEquals("view whatever the order", publicFields(view("in-order")), publicFields(view("shuffled")));
        ViewOracle expected = ViewOracle.of(inOrder, "t", WINDOW_MS);
        expected.assertMatches(view("shuffled"), "t", "shuffled device");
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
    public void windowDropsReadingsByDeviceTimeNotByArrival() {
        // given readings that arrive newest first: T+100s (1), then T (2), T+50s (3), T+45s (4)
        apply(frame("wd", T + 100_000, number("t", 1)));
        apply(frame("wd", T, number("t", 2)));
        apply(frame("wd", T + 50_000, number("t", 3)));
        apply(frame("wd", T + 45_000, number("t", 4)));

        // then the window holds the readings within 60 s of T+100s by device time, whatever their arrival
        Map<String, String> view = view("wd");
        assertEquals("window count: T+45s, T+50s and T+100s", "3", view.get("t.win_count"));
        assertEquals("window min", "1", view.get("t.win_min"));
        assertEquals("window max", "4", view.get("t.win_max"));
        assertEquals("window mean", "2.6666666666666665", view.get("t.win_mean"));

        // when a newer reading moves the window on to [T+60s, T+120s]
        apply(frame("wd", T + 120_000, number("t", 9)));

        // then the readings before T+60s leave the window, and the all-time figures keep them
        view = view("wd");
        assertEquals("window count: T+100s and T+120s", "2", view.get("t.win_count"));
        assertEquals("window min", "1", view.get("t.win_min"));
        assertEquals("window max once 4 and 3 left", "9", view.get("t.win_max"));
        assertEquals("window mean", "5", view.get("t.win_mean"));
        assertEquals("all-time count", "5", view.get("t.count"));
        assertEquals("all-time max", "9", view.get("t.max"));
    }

    @Test
    public void incrementalStatisticsMatchTheDistinctReadingsOverRandomFrames() {
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

        // when applied in random flush sizes, checking against the distinct readings after each flush
        List<Frame> applied = new ArrayList<>();
        int next = 0;
        while (next < frames.size()) {
            int end = Math.min(frames.size(), next + 1 + random.nextInt(20));
            List<Frame> flush = frames.subList(next, end);
            apply(flush.toArray(new Frame[0]));
            applied.addAll(flush);
            ViewOracle.of(applied, "t", WINDOW_MS).assertMatches(view("rnd"), "t", "after frame " + end);
            next = end;
        }
    }

    @Test
    public void nonNumericMetricKeepsLastValueByDeviceTime() {
        // given text values arriving out of device-time order
        apply(frame("s", T + 2000, string("mode", "eco"), bool("door", true)));
        apply(frame("s", T + 1000, string("mode", "boost"), bool("door", false)));

        // then the newest by device time wins, with its type, and no statistics exist for them
        Map<String, String> view = view("s");
        assertEquals("mode.last", "eco", view.get("mode.last"));
        assertEquals("mode.last_ts", Long.toString(T + 2000), view.get("mode.last_ts"));
        assertEquals("mode.last_type", "string", view.get("mode.last_type"));
        assertEquals("door.last", "true", view.get("door.last"));
        assertEquals("door.last_type", "boolean", view.get("door.last_type"));
        assertNull("no statistics for text", view.get("mode.count"));
        assertNull("no window for text", jedis.get(KEYS.window("s", "mode")));
    }

    @Test
    public void idsAndNumericLookingTextsKeepTheirTextOutsideTheStatistics() {
        // given case 4: a serial with leading zeros, one with an exponent-like letter, a comma decimal
        apply(frame("c4", T, string("serial", "010003"), string("code", "2414E4"), string("reading", "21,5")));

        // then each is kept as sent, as a string, with no statistics
        Map<String, String> view = view("c4");
        assertEquals("serial", "010003", view.get("serial.last"));
        assertEquals("code", "2414E4", view.get("code.last"));
        assertEquals("comma decimal", "21,5", view.get("reading.last"));
        assertNull("no count for an id", view.get("serial.count"));
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
        assertEquals("mean", (0.1 + 0.2) / 2, Double.parseDouble(view.get("x.mean")), 0.0);
        assertEquals("min text", "0.1", view.get("x.min"));
        assertEquals("window mean", (0.1 + 0.2) / 2, Double.parseDouble(view.get("x.win_mean")), 0.0);
    }

    @Test
    public void hugeValuesNeverMakeStatisticsNonFinite() {
        // given readings whose sum exceeds the double range
        apply(frame("h", T, number("x", 1.7e308)));
        apply(frame("h", T + 1000, number("x", 1.7e308)));
        apply(frame("h", T + 2000, number("x", -1.7e308)));

        // then every public number is finite and the means are still right
        publicFields(view("h")).forEach((field, value) ->
            assertTrue(field + " is finite: " + value, Double.isFinite(Double.parseDouble(value))));
        assertEquals("mean", 1.7e308 / 3, Double.parseDouble(view("h").get("x.mean")), 1e295);
        assertEquals("window mean", 1.7e308 / 3, Double.parseDouble(view("h").get("x.win_mean")), 1e295);
    }

    @Test
    public void framesOlderThanTheDedupHorizonAreLeftOutCountedAsStaleAndSeenIsTrimmed() {
        // given a device whose newest frame is far ahead of an old one
        apply(frame("o", T, number("t", 1)));
        apply(frame("o", T + HORIZON_MS + 60_000, number("t", 2)));

        // when a frame older than newest - horizon arrives, twice
        ViewOutcome outcome = apply(frame("o", T + 500, number("t", 100)));
        ViewOutcome again = apply(frame("o", T, number("t", 1)));

        // then it is stale, changes no statistic, shows in stale_frames, and seen only holds the horizon
        assertEquals("stale frames", 1, outcome.stale());
        assertEquals("an old, counted frame is now stale too, not new", 1, again.stale());
        assertEquals("count", "2", view("o").get("t.count"));
        assertEquals("stale_frames", "2", view("o").get("stale_frames"));
        assertEquals("seen buckets: only the newest frame's", Set.of(bucketOf(T + HORIZON_MS + 60_000)),
            jedis.hkeys(KEYS.seen("o")));
    }

    @Test
    public void seenKeepsTwoBytesPerFrameAndTellsDuplicatesAcrossBucketsOfDeviceTime() {
        // given a 100 Hz device whose 1,000 frames span a bucket boundary of seen
        long start = (T / SEEN_BUCKET_MS + 1) * SEEN_BUCKET_MS - 5_000;
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            frames.add(frame("hz", start + i * 10L, number("t", i)));
        }
        apply(frames.toArray(new Frame[0]));

        // when all of them are delivered again, in two flushes
        ViewOutcome first = apply(frames.subList(0, 600).toArray(new Frame[0]));
        ViewOutcome second = apply(frames.subList(600, 1000).toArray(new Frame[0]));

        // then every one is a duplicate, and seen holds 2 bytes per frame, in the two buckets
        assertEquals("duplicates", 1000, first.duplicates() + second.duplicates());
        assertEquals("count", "1000", view("hz").get("t.count"));
        assertEquals("bytes before the boundary", 2 * 500L, (long) jedis.hstrlen(KEYS.seen("hz"), bucketOf(start)));
        assertEquals("bytes after it", 2 * 500L,
            (long) jedis.hstrlen(KEYS.seen("hz"), bucketOf(start + SEEN_BUCKET_MS)));
    }

    @Test
    public void seenMatchesWholeEntriesOnlyNotBytesStraddlingTwo() {
        // given frames whose remainders in their bucket pack as 01 02 and 02 01
        long bucketStart = (T / SEEN_BUCKET_MS) * SEEN_BUCKET_MS;
        apply(frame("al", bucketStart + 0x0102, number("t", 1)));
        apply(frame("al", bucketStart + 0x0201, number("t", 2)));

        // when a frame whose remainder packs as 02 02 (the middle bytes of those two) arrives
        ViewOutcome outcome = apply(frame("al", bucketStart + 0x0202, number("t", 3)));

        // then it is new, not a duplicate
        assertEquals("accepted", 1, outcome.accepted());
        assertEquals("count", "3", view("al").get("t.count"));
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
    public void deviceIdStartingWithAClosingBraceGetsItsOwnView() {
        // given a device id that would make an empty cluster hash tag, and a device named like its escape
        apply(frame("}x", T, number("t", 4)));
        apply(frame("x", T, number("t", 8)));

        // then each has its own view under its own keys
        assertEquals("view of '}x'", "4", view("}x").get("t.current"));
        assertEquals("view of 'x'", "8", view("x").get("t.current"));
    }

    @Test
    public void idleExpirySetsATtlOnEveryKeyOfTheDevice() {
        // given a store whose devices expire after an hour without a frame
        try (RedisViewStore expiring = openStore(3_600_000)) {
            // when a device sends a number
            expiring.apply(List.of(new DeviceFrames("ttl", List.of(frame("ttl", T, number("t", 1))))));
        }

        // then its hash, seen set and window zsets all expire within the hour; without expiry they do not
        for (String key : List.of(KEYS.view("ttl"), KEYS.seen("ttl"), KEYS.window("ttl", "t"),
                KEYS.windowByValue("ttl", "t"))) {
            long ttl = jedis.pttl(key);
            assertTrue(key + " expires within the hour, pttl " + ttl, ttl > 0 && ttl <= 3_600_000);
        }
        apply(frame("kept", T, number("t", 1)));
        assertEquals("no TTL when idle expiry is 0", -1L, (long) jedis.pttl(KEYS.view("kept")));
    }

    @Test
    public void windowWhoseKeysExpiredWhileTheDeviceLivedOnRestartsFromWhatRemains() {
        // given a device whose metric "a" stops while "b" goes on, with a short idle expiry
        try (RedisViewStore expiring = openStore(200)) {
            apply(expiring, frame("ex", T, number("a", 10), number("b", 1)));
            long[] ts = {T};
            Await.until("a's window keys to expire", 10_000, () -> !jedis.exists(KEYS.window("ex", "a")),
                () -> apply(expiring, frame("ex", ts[0] += 1, number("b", 1))));

            // when "a" comes back within its old window
            apply(expiring, frame("ex", T + 30_000, number("a", 20)));
        }

        // then its window is what its zsets hold (the new reading) and its all-time figures are whole
        Map<String, String> view = view("ex");
        assertEquals("window count", "1", view.get("a.win_count"));
        assertEquals("window mean", "20", view.get("a.win_mean"));
        assertEquals("window min", "20", view.get("a.win_min"));
        assertEquals("all-time count", "2", view.get("a.count"));
        assertEquals("all-time mean", "15", view.get("a.mean"));
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
        Thread subscriber = subscribe(listener, KEYS.deviceChannel("d1"), KEYS.updatesChannel());

        // when a frame with a number and a boolean is applied
        apply(frame("d1", T, T + 123, number("temperature", 21.5), bool("door", true)));

        // then each channel receives the same message, shaped like `choral live --json` plus device figures
        String expected = "{\"device_id\":\"d1\",\"last_seen\":1700000000123,\"last_device_ts\":1700000000000,"
            + "\"frame_count\":1,\"metrics\":{\"temperature\":{\"current\":21.5,\"current_ts\":1700000000000,"
            + "\"count\":1,\"mean\":21.5,\"min\":21.5,\"max\":21.5,\"window\":{\"mean\":21.5,\"min\":21.5,"
            + "\"max\":21.5,\"count\":1}},\"door\":{\"last\":true,\"last_ts\":1700000000000}}}";
        String[] first = messages.poll(10, TimeUnit.SECONDS);
        String[] second = messages.poll(10, TimeUnit.SECONDS);
        listener.unsubscribe();
        subscriber.join(10_000);
        assertEquals("device channel first", "choral:updates:d1", first[0]);
        assertEquals("then the global channel", "choral:updates", second[0]);
        assertEquals("message on the device channel", expected, first[1]);
        assertEquals("message on the global channel", expected, second[1]);
        JsonNode json = new ObjectMapper().readTree(first[1]);
        assertEquals("parses as JSON", 21.5, json.at("/metrics/temperature/window/mean").asDouble(), 0.0);
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
        Thread subscriber = subscribe(listener, KEYS.updatesChannel());

        // when only the duplicate comes again, followed by a new frame of another device
        apply(f);
        apply(frame("marker", T, number("t", 1)));

        // then the first message seen is the marker's: the duplicate published nothing
        String message = messages.poll(10, TimeUnit.SECONDS);
        listener.unsubscribe();
        subscriber.join(10_000);
        assertTrue("first message is the marker's: " + message, message.startsWith("{\"device_id\":\"marker\""));
    }

    private RedisViewStore openStore(long idleExpiryMs) {
        return new RedisViewStore(new JedisPooled("127.0.0.1", redis.port()), redis.url(), KEYS,
            new ViewPolicy(WINDOW_MS, HORIZON_MS, idleExpiryMs));
    }

    private Thread subscribe(JedisPubSub listener, String... channels) {
        Thread subscriber = new Thread(() -> {
            try (Jedis sub = redis.client()) {
                sub.subscribe(listener, channels);
            }
        }, "test-subscriber");
        subscriber.start();
        Await.until("subscriptions", () -> listener.getSubscribedChannels() == channels.length);
        return subscriber;
    }

    private void applyInFlushes(String device, List<Frame> frames, Random random) {
        int next = 0;
        while (next < frames.size()) {
            int end = Math.min(frames.size(), next + 1 + random.nextInt(10));
            Frame[] flush = frames.subList(next, end).stream()
                .map(f -> new Frame(device, f.deviceTimestamp(), f.receivedAt(), false, f.metrics()))
                .toArray(Frame[]::new);
            apply(flush);
            next = end;
        }
    }

    private ViewOutcome apply(Frame... frames) {
        return apply(store, frames);
    }

    private static ViewOutcome apply(RedisViewStore target, Frame... frames) {
        ViewOutcome outcome = target.apply(List.of(new DeviceFrames(frames[0].deviceId(), List.of(frames))));
        assertTrue("no failures: " + outcome.failures(), outcome.failures().isEmpty());
        return outcome;
    }

    private static String bucketOf(long deviceTs) {
        return Long.toString(deviceTs / SEEN_BUCKET_MS);
    }

    private Map<String, String> view(String device) {
        return jedis.hgetAll(KEYS.view(device));
    }

    /** The fields readers use: everything but the script's internal "<metric>._state". */
    private static Map<String, String> publicFields(Map<String, String> hash) {
        Map<String, String> fields = new TreeMap<>(hash);
        fields.keySet().removeIf(field -> field.endsWith("._state"));
        return fields;
    }
}
