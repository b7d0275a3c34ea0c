package io.choralstorm.topology.bolt;

import static io.choralstorm.topology.TestFrames.T;
import static io.choralstorm.topology.TestFrames.frame;
import static io.choralstorm.topology.TestFrames.number;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.choralstorm.topology.Await;
import io.choralstorm.topology.config.TopologySettings;
import io.choralstorm.topology.view.DeviceFrames;
import io.choralstorm.topology.view.OldRedisStandIn;
import io.choralstorm.topology.view.ViewOutcome;
import io.choralstorm.topology.view.ViewStore;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.storm.Config;
import org.apache.storm.tuple.Tuple;
import org.junit.After;
import org.junit.Test;

public class RealtimeViewBoltTest {
    private static final List<DeviceFrames> APPLIED = new CopyOnWriteArrayList<>();
    private static volatile RuntimeException failWith;

    private final RecordingCollector recorder = new RecordingCollector();
    private RealtimeViewBolt bolt;

    @After
    public void cleanup() {
        if (bolt != null) {
            bolt.cleanup();
        }
        APPLIED.clear();
        failWith = null;
    }

    @Test
    public void tupleIsAckedOnTheExecutorThreadOnlyAfterItsFrameIsInTheView() {
        // given a bolt over a store that succeeds
        start();
        Tuple input = Tuples.frame(frame("d1", T, number("t", 1)));

        // when the tuple is executed, and tick tuples follow until it completes
        bolt.execute(input);
        Await.until("the tuple to be acked", 10_000, () -> !recorder.acked.isEmpty(),
            () -> bolt.execute(Tuples.tick()));

        // then it was applied before the ack, and every collector call came from this (the executor) thread
        assertEquals("applied frames", 1, APPLIED.size());
        assertEquals("acked", List.of(input), recorder.acked);
        assertTrue("not failed", recorder.failed.isEmpty());
        assertEquals("collector used only by the executor thread", Set.of(Thread.currentThread()),
            Set.copyOf(recorder.threads));
    }

    @Test
    public void failedFlushIsReportedAndItsTuplesFailed() {
        // given a store that cannot reach Redis
        failWith = new IllegalStateException("connection refused");
        start();
        Tuple input = Tuples.frame(frame("d1", T, number("t", 1)));

        // when the tuple is executed
        bolt.execute(input);
        Await.until("the tuple to be failed", 10_000, () -> !recorder.failed.isEmpty(),
            () -> bolt.execute(Tuples.tick()));

        // then the error is reported once and the tuple failed (it will replay), not acked
        assertEquals("failed", List.of(input), recorder.failed);
        assertEquals("errors reported", 1, recorder.errors.size());
        assertSame("the cause", failWith, recorder.errors.get(0));
        assertTrue("not acked", recorder.acked.isEmpty());
    }

    @Test
    public void tickTupleIsNotTakenForAFrame() {
        // given a started bolt, when only ticks arrive, then nothing is applied and nothing acked
        start();
        bolt.execute(Tuples.tick());
        assertTrue("nothing applied", APPLIED.isEmpty());
        assertTrue("tick tuples are not acked by the bolt", recorder.acked.isEmpty());
    }

    @Test
    public void startFailsClearlyOnARedisOlderThanTheScriptNeeds() throws Exception {
        // given settings pointing at a Redis 3.2
        try (OldRedisStandIn old = new OldRedisStandIn("3.2.12")) {
            bolt = new RealtimeViewBolt(TopologySettings.defaults().with(TopologySettings.REDIS_URL, old.url()));

            // when the bolt starts (what prepare does), then it refuses, naming version, minimum and setting
            IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> bolt.start(recorder.collector(), "test-view-flusher"));
            assertTrue(error.getMessage(), error.getMessage().contains("version 3.2.12"));
            assertTrue(error.getMessage(), error.getMessage().contains("needs 4.0.0 or newer"));
            assertTrue(error.getMessage(), error.getMessage().contains("redis.url"));
            bolt = null;
        }
    }

    @Test
    public void boltAsksForAOneSecondTick() {
        bolt = new RealtimeViewBolt(TopologySettings.defaults(), new FakeStoreFactory());
        assertEquals("tick frequency", 1, bolt.getComponentConfiguration().get(Config.TOPOLOGY_TICK_TUPLE_FREQ_SECS));
    }

    private void start() {
        bolt = new RealtimeViewBolt(TopologySettings.defaults(), new FakeStoreFactory());
        bolt.start(recorder.collector(), "test-view-flusher");
    }

    private static final class FakeStoreFactory implements RealtimeViewBolt.StoreFactory {
        private static final long serialVersionUID = 1L;

        @Override
        public ViewStore open(TopologySettings settings) {
            return new ViewStore() {
                @Override
                public ViewOutcome apply(List<DeviceFrames> batches) {
                    if (failWith != null) {
                        throw failWith;
                    }
                    APPLIED.addAll(batches);
                    return new ViewOutcome(batches.size(), 0, 0, Map.of());
                }

                @Override
                public void close() {
                }
            };
        }
    }
}
