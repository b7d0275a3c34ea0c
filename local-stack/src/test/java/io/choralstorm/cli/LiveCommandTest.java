package io.choralstorm.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.choralstorm.local.PortGuard;
import io.choralstorm.local.RedisNode;
import io.choralstorm.protocol.Frame;
import io.choralstorm.protocol.Metric;
import io.choralstorm.protocol.MetricKind;
import io.choralstorm.topology.view.DeviceFrames;
import io.choralstorm.topology.view.RedisViewStore;
import io.choralstorm.topology.view.ViewKeys;
import io.choralstorm.topology.view.ViewOutcome;
import io.choralstorm.topology.view.ViewPolicy;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.After;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;

/** `choral live` against a real redis-server holding views written by the topology's store. */
public class LiveCommandTest {
    private static final long T = 1_700_000_000_000L;

    @ClassRule
    public static final TemporaryFolder TEMP = new TemporaryFolder();

    private static RedisNode redis;
    private static RedisViewStore store;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream originalOut;
    private PrintStream originalErr;

    @BeforeClass
    public static void startRedis() throws Exception {
        redis = new RedisNode(null, TEMP.newFolder("redis").toPath(), TEMP.newFolder("logs").toPath(), "127.0.0.1",
            PortGuard.freePort());
        redis.start();
        store = new RedisViewStore(new JedisPooled(URI.create(redis.uri())), redis.uri(), new ViewKeys("choral"),
            new ViewPolicy(300_000, 86_400_000, 0));
    }

    @AfterClass
    public static void stopRedis() {
        if (store != null) {
            store.close();
        }
        if (redis != null) {
            redis.stop();
        }
    }

    @Before
    public void captureOutput() {
        originalOut = System.out;
        originalErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @After
    public void restoreOutput() {
        System.setOut(originalOut);
        System.setErr(originalErr);
    }

    @Test
    public void jsonIsExactlyTheDocumentedObject() {
        // given case 8 (T+60s 25, T 20, T+30s 21 twice) and a door, received one second after their device time
        apply(frame("late-1", T + 60_000, number("t", 25), bool("door", true)), frame("late-1", T, number("t", 20)),
            frame("late-1", T + 30_000, number("t", 21)), frame("late-1", T + 30_000, number("t", 21)));

        // when the live view is printed as JSON
        int exit = Choral.execute("live", "late-1", "--json", "--redis", redis.uri());

        // then one object: newest device time current, the resend counted once, the door as a boolean
        assertEquals("exit code; stderr: " + err, 0, exit);
        assertEquals("{\"device_id\":\"late-1\",\"last_seen\":1700000061000,\"metrics\":{\"door\":{\"last\":true,"
            + "\"last_ts\":1700000060000},\"t\":{\"current\":25.0,\"current_ts\":1700000060000,\"count\":3,"
            + "\"mean\":22.0,\"min\":20.0,\"max\":25.0,\"window\":{\"mean\":22.0,\"min\":20.0,\"max\":25.0,"
            + "\"count\":3}}}}\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    public void unknownDeviceIsAClearErrorWithANonZeroExit() {
        int exit = Choral.execute("live", "never-sent", "--json", "--redis", redis.uri());

        assertEquals("exit code", Choral.EXIT_FAILURE, exit);
        assertTrue("says why: " + err, err.toString(StandardCharsets.UTF_8).contains("no live view for device"));
    }

    @Test
    public void watchPrintsTheViewThenEveryUpdateAndFailsClearlyWhenRedisDropsIt() throws Exception {
        // given a device with one reading, and `live --watch --json` running
        apply(frame("w-1", T, number("t", 1)));
        ExecutorService executor = Executors.newSingleThreadExecutor();
        Future<Integer> watch = executor.submit(() -> Choral.execute("live", "w-1", "--watch", "--json", "--redis",
            redis.uri()));
        await("the current view printed", () -> lines() == 1);

        // when the device sends two more readings, one per flush
        apply(frame("w-1", T + 1000, number("t", 2)));
        await("the first update printed", () -> lines() == 2);
        apply(frame("w-1", T + 2000, number("t", 6)));
        await("the second update printed", () -> lines() == 3);

        // then each line is the whole view at that point
        String[] printed = out.toString(StandardCharsets.UTF_8).split("\n");
        assertTrue(printed[0], printed[0].contains("\"count\":1"));
        assertTrue(printed[2], printed[2].contains("\"count\":3,\"mean\":3.0"));

        // and when Redis drops the subscriber, the command says so and exits non-zero
        try (Jedis admin = new Jedis(URI.create(redis.uri()))) {
            admin.clientKill(new ClientKillParams().type(ClientType.PUBSUB));
        }
        assertEquals("exit code", Choral.EXIT_FAILURE, (int) watch.get(30, TimeUnit.SECONDS));
        executor.shutdown();
        assertTrue("says why: " + err, err.toString(StandardCharsets.UTF_8).contains("lost the subscription"));
    }

    private int lines() {
        return (int) out.toString(StandardCharsets.UTF_8).chars().filter(c -> c == '\n').count();
    }

    private static void apply(Frame... frames) {
        ViewOutcome outcome = store.apply(List.of(new DeviceFrames(frames[0].deviceId(), List.of(frames))));
        assertTrue("applied: " + outcome.failures(), outcome.failures().isEmpty());
    }

    private static Frame frame(String device, long ts, Metric... metrics) {
        return new Frame(device, ts, ts + 1000, false, List.of(metrics));
    }

    private static Metric number(String name, double value) {
        return new Metric(name, MetricKind.NUMBER, Double.toString(value), value);
    }

    private static Metric bool(String name, boolean value) {
        return new Metric(name, MetricKind.BOOLEAN, Boolean.toString(value), Double.NaN);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 30 s: " + what);
            }
            Thread.sleep(10);
        }
    }
}
