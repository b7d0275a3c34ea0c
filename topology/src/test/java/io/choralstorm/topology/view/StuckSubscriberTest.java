package io.choralstorm.topology.view;

import static io.choralstorm.topology.TestFrames.T;
import static io.choralstorm.topology.TestFrames.frame;
import static io.choralstorm.topology.TestFrames.number;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.choralstorm.topology.Await;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;

/**
 * A subscriber that never reads cannot stall or fail view updates: PUBLISH only appends to each subscriber's
 * output buffer and never waits for it; once that buffer passes the pubsub client-output-buffer-limit,
 * Redis disconnects the subscriber.
 */
public class StuckSubscriberTest {
    private static final int DEVICES = 200;
    private static final int ROUNDS = 100;
    private static final long DEADLINE_S = 120;
    private static final ViewKeys KEYS = new ViewKeys("choral");

    private static RedisServerProcess redis;

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

    @Test
    public void subscriberThatNeverReadsNeitherStallsNorFailsUpdatesAndIsDisconnected() throws Exception {
        // given a small pubsub output limit (the default is 32 MB) and a subscriber to every update that never reads
        try (Jedis admin = redis.client(); Socket stuck = stuckSubscriber(KEYS.updatesChannel());
             RedisViewStore store = new RedisViewStore(new JedisPooled("127.0.0.1", redis.port()), redis.url(), KEYS,
                 new ViewPolicy(60_000, 600_000, 0))) {
            admin.configSet("client-output-buffer-limit", "pubsub 256kb 64kb 1");
            Await.until("the stuck subscriber to be subscribed",
                () -> admin.pubsubNumSub(KEYS.updatesChannel()).get(KEYS.updatesChannel()) == 1);

            // when 20,000 updates (megabytes of messages) are applied, on another thread with a deadline
            ExecutorService executor = Executors.newSingleThreadExecutor();
            Future<long[]> run = executor.submit(() -> applyRounds(store));
            long[] outcome = run.get(DEADLINE_S, TimeUnit.SECONDS);
            executor.shutdown();

            // then every update completed and counted, and Redis dropped the subscriber instead of waiting for it
            assertEquals("frames accepted", DEVICES * ROUNDS, outcome[0]);
            assertEquals("devices failed", 0, outcome[1]);
            assertEquals("a device's count", Integer.toString(ROUNDS), admin.hget(KEYS.view("dev-7"), "t.count"));
            Await.until("Redis to disconnect the stuck subscriber",
                () -> admin.pubsubNumSub(KEYS.updatesChannel()).get(KEYS.updatesChannel()) == 0);
            assertTrue("Redis still answers", "PONG".equals(admin.ping()));
        }
    }

    /** Applies ROUNDS flushes of one frame for each of DEVICES devices; returns {accepted, failed devices}. */
    private static long[] applyRounds(RedisViewStore store) {
        long accepted = 0;
        long failed = 0;
        for (int round = 0; round < ROUNDS; round++) {
            List<DeviceFrames> flush = new ArrayList<>(DEVICES);
            for (int d = 0; d < DEVICES; d++) {
                String device = "dev-" + d;
                flush.add(new DeviceFrames(device, List.of(frame(device, T + round * 1000L,
                    number("t", round + d / 10.0), number("h", 40 + round % 7)))));
            }
            ViewOutcome outcome = store.apply(flush);
            accepted += outcome.accepted();
            failed += outcome.failures().size();
        }
        return new long[] {accepted, failed};
    }

    /** A raw connection that subscribes and then never reads, with a small receive buffer. */
    private static Socket stuckSubscriber(String channel) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress("127.0.0.1", redis.port()));
        String command = "*2\r\n$9\r\nSUBSCRIBE\r\n$" + channel.length() + "\r\n" + channel + "\r\n";
        socket.getOutputStream().write(command.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return socket;
    }
}
