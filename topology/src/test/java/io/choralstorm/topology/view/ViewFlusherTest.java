package io.choralstorm.topology.view;

import static io.choralstorm.topology.TestFrames.T;
import static io.choralstorm.topology.TestFrames.frame;
import static io.choralstorm.topology.TestFrames.number;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;

import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.Test;

public class ViewFlusherTest {
    private record Done(List<String> tokens, RuntimeException error) {
    }

    private final BlockingQueue<Done> done = new LinkedBlockingQueue<>();
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private ViewFlusher<String> flusher;

    @After
    public void stop() {
        if (flusher != null) {
            flusher.close();
        }
    }

    @Test
    public void framesQueuedDuringAFlushGoOutTogetherGroupedByDevice() throws Exception {
        // given a store whose first flush is held until three more frames are queued
        List<List<DeviceFrames>> calls = new CopyOnWriteArrayList<>();
        start(new FakeStore(batches -> {
            calls.add(batches);
            holdFirst(calls.size());
            return ok(batches);
        }), 100);

        // when one frame is submitted, then three more while the first flush is in Redis
        flusher.submit(frame("a", T, number("t", 1)), "a1");
        await(entered);
        flusher.submit(frame("a", T + 1, number("t", 1)), "a2");
        flusher.submit(frame("b", T, number("t", 1)), "b1");
        flusher.submit(frame("a", T + 2, number("t", 1)), "a3");
        release.countDown();
        assertEquals("first flush alone", List.of("a1"), next().tokens());

        // then the second flush takes all three, one group per device in arrival order
        Done first = next();
        Done second = next();
        assertEquals("device a's tokens", List.of("a2", "a3"), first.tokens());
        assertEquals("device b's tokens", List.of("b1"), second.tokens());
        assertEquals("two devices in the second flush", 2, calls.get(1).size());
        assertNull("no error", first.error());
    }

    @Test
    public void batchIsCappedAtBatchMax() throws Exception {
        // given a held first flush and a cap of two frames per flush
        List<Integer> sizes = new CopyOnWriteArrayList<>();
        start(new FakeStore(batches -> {
            sizes.add(batches.stream().mapToInt(b -> b.frames().size()).sum());
            holdFirst(sizes.size());
            return ok(batches);
        }), 2);

        // when five frames wait behind the first flush
        flusher.submit(frame("a", T, number("t", 1)), "x");
        await(entered);
        for (int i = 1; i <= 5; i++) {
            flusher.submit(frame("a", T + i, number("t", 1)), "x" + i);
        }
        release.countDown();
        for (int i = 0; i < 4; i++) {
            next();
        }

        // then they go out in flushes of at most two
        assertEquals("flush sizes", List.of(1, 2, 2, 1), sizes);
    }

    @Test
    public void failedDeviceFailsOnlyItsTokens() throws Exception {
        // given a store failing device "bad", whose first flush is held
        RuntimeException cause = new IllegalStateException("WRONGTYPE");
        List<Integer> devicesPerFlush = new CopyOnWriteArrayList<>();
        start(new FakeStore(batches -> {
            devicesPerFlush.add(batches.size());
            holdFirst(devicesPerFlush.size());
            return new ViewOutcome(1, 0, 0, Map.of("bad", cause));
        }), 10);

        // when a bad and a good device end up in one flush
        flusher.submit(frame("first", T, number("t", 1)), "first");
        await(entered);
        flusher.submit(frame("bad", T, number("t", 1)), "bad1");
        flusher.submit(frame("good", T, number("t", 1)), "good1");
        release.countDown();
        next();
        Done bad = next();
        Done good = next();

        // then only the bad device's tokens carry the cause
        assertEquals("devices in the second flush", 2, (int) devicesPerFlush.get(1));
        assertEquals("bad tokens", List.of("bad1"), bad.tokens());
        assertSame("bad cause", cause, bad.error());
        assertEquals("good tokens", List.of("good1"), good.tokens());
        assertNull("good device has no error", good.error());
    }

    @Test
    public void storeExceptionFailsTheWholeFlush() throws Exception {
        // given a store that cannot reach Redis
        RuntimeException down = new IllegalStateException("connection refused");
        start(new FakeStore(batches -> {
            throw down;
        }), 10);

        // when a frame is flushed
        flusher.submit(frame("a", T, number("t", 1)), "a1");

        // then its token comes back failed with the cause
        Done result = next();
        assertEquals("tokens", List.of("a1"), result.tokens());
        assertSame("cause", down, result.error());
    }

    @Test
    public void closeStopsTheThread() {
        // given a running flusher
        start(new FakeStore(ViewFlusherTest::ok), 10);

        // when closed, then its thread is gone
        flusher.close();
        assertFalse("flusher thread alive after close", flusher.isAlive());
    }

    private void start(ViewStore store, int batchMax) {
        flusher = new ViewFlusher<>(store, batchMax, (tokens, error) -> done.add(new Done(tokens, error)),
            "test-flusher");
        flusher.start();
    }

    /** Called by a fake store on its n-th flush: holds the first one until the test releases it. */
    private void holdFirst(int flushNumber) {
        if (flushNumber == 1) {
            entered.countDown();
            await(release);
        }
    }

    private Done next() throws InterruptedException {
        Done result = done.poll(10, TimeUnit.SECONDS);
        if (result == null) {
            throw new AssertionError("no flush completed within 10 s");
        }
        return result;
    }

    private static ViewOutcome ok(List<DeviceFrames> batches) {
        return new ViewOutcome(batches.stream().mapToInt(b -> b.frames().size()).sum(), 0, 0, Map.of());
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("test latch not released within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static final class FakeStore implements ViewStore {
        private final java.util.function.Function<List<DeviceFrames>, ViewOutcome> behaviour;

        FakeStore(java.util.function.Function<List<DeviceFrames>, ViewOutcome> behaviour) {
            this.behaviour = behaviour;
        }

        @Override
        public ViewOutcome apply(List<DeviceFrames> batches) {
            return behaviour.apply(batches);
        }

        @Override
        public void close() {
        }
    }
}
