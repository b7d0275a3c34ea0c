package io.choralstorm.topology.rollup;

import static io.choralstorm.topology.TestFrames.T;
import static io.choralstorm.topology.TestFrames.frame;
import static io.choralstorm.topology.TestFrames.number;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import io.choralstorm.protocol.Frame;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.junit.Test;

public class RollupRefresherTest {
    private static final RollupWindow MINUTE = RollupWindow.of("d1", "t", RollupLevel.MINUTE, T);
    private static final RollupWindow OTHER_MINUTE = RollupWindow.of("d1", "t", RollupLevel.MINUTE, T + 60_000);

    private final ManualExecutor executor = new ManualExecutor();
    private final PendingStore store = new PendingStore();

    @Test
    public void refreshCompletesOnlyAfterTheMinuteThenTheHourThenTheDayWereRewritten() {
        // given
        RollupRefresher refresher = new RollupRefresher(store, 8, false, executor);

        // when a frame's minute window is refreshed and each level completes in turn
        CompletableFuture<Void> done = refresher.refresh(Set.of(MINUTE)).toCompletableFuture();
        executor.runAll();
        store.completeNext();
        executor.runAll();
        assertFalse("not done after the minute", done.isDone());
        store.completeNext();
        executor.runAll();
        assertFalse("not done after the hour", done.isDone());
        store.completeNext();
        executor.runAll();

        // then the chain ran minute, hour, day, and only then the refresh completed
        assertEquals("recomputed in order", List.of(MINUTE, MINUTE.parent(), MINUTE.parent().parent()), store.started);
        assertTrue("done after the day", done.isDone() && !done.isCompletedExceptionally());
    }

    @Test
    public void touchesDuringARecomputationShareOneFollowUpThatStartsAfterIt() {
        // given a recomputation of a minute in flight
        RollupRefresher refresher = new RollupRefresher(store, 8, false, executor);
        CompletableFuture<Void> first = refresher.refresh(Set.of(MINUTE)).toCompletableFuture();
        executor.runAll();

        // when three more readings of the same minute are written meanwhile
        List<CompletableFuture<Void>> later = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            later.add(refresher.refresh(Set.of(MINUTE)).toCompletableFuture());
        }
        executor.runAll();
        assertEquals("no second recomputation while the first runs", 1, store.started.size());
        completeEverything();

        // then exactly one follow-up recomputation served the three, after the first
        assertEquals("minute recomputed twice in all", 2, store.started.stream().filter(MINUTE::equals).count());
        assertTrue("first done", first.isDone());
        later.forEach(f -> assertTrue("later done", f.isDone() && !f.isCompletedExceptionally()));
    }

    @Test
    public void failedRecomputationFailsTheFramesWaitingOnItAndNoOthers() {
        // given two frames touching different minutes
        RollupRefresher refresher = new RollupRefresher(store, 8, false, executor);
        CompletableFuture<Void> failing = refresher.refresh(Set.of(MINUTE)).toCompletableFuture();
        CompletableFuture<Void> healthy = refresher.refresh(Set.of(OTHER_MINUTE)).toCompletableFuture();
        executor.runAll();

        // when the first minute's recomputation fails
        IllegalStateException cause = new IllegalStateException("write timeout");
        store.pending.get(0).completeExceptionally(cause);
        executor.runAll();
        completeEverything();

        // then its frame fails with the cause, the other completes
        CompletionException error = org.junit.Assert.assertThrows(CompletionException.class, failing::join);
        assertSame("cause", cause, error.getCause());
        assertTrue("other frame done", healthy.isDone() && !healthy.isCompletedExceptionally());
    }

    @Test
    public void aFrameWithSeveralMetricsCompletesWhenAllItsChainsDo() {
        RollupRefresher refresher = new RollupRefresher(store, 8, false, executor);
        RollupWindow humidity = RollupWindow.of("d1", "h", RollupLevel.MINUTE, T);

        CompletableFuture<Void> done = refresher.refresh(Set.of(MINUTE, humidity)).toCompletableFuture();
        executor.runAll();
        for (int i = 0; i < 5; i++) {
            store.completeNext();
            executor.runAll();
        }
        assertFalse("one day window still running", done.isDone());
        completeEverything();

        assertTrue("done", done.isDone());
        assertEquals("two chains of three", 6, store.started.size());
    }

    @Test
    public void atMostMaxInFlightRecomputationsRunAtOnce() {
        // given a limit of 2
        RollupRefresher refresher = new RollupRefresher(store, 2, false, executor);

        // when five different minutes are touched
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            all.add(refresher.refresh(Set.of(RollupWindow.of("d" + i, "t", RollupLevel.MINUTE, T)))
                .toCompletableFuture());
        }
        executor.runAll();

        // then two start, and the rest follow as slots free
        assertEquals("running", 2, store.pending.size());
        int maxRunning = 0;
        while (!store.pending.isEmpty()) {
            maxRunning = Math.max(maxRunning, store.pending.size());
            store.completeNext();
            executor.runAll();
        }
        assertEquals("never more than the limit", 2, maxRunning);
        all.forEach(f -> assertTrue("done", f.isDone()));
        assertEquals("5 chains of 3", 15, store.started.size());
    }

    @Test
    public void lingeringMinutesWaitForTheReleaseAndShareOneRecomputation() {
        // given a lingering refresher
        RollupRefresher refresher = new RollupRefresher(store, 8, true, executor);

        // when ten frames touch the same minute before a release
        List<CompletableFuture<Void>> frames = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            frames.add(refresher.refresh(Set.of(MINUTE)).toCompletableFuture());
        }
        executor.runAll();
        assertTrue("nothing starts before the release", store.started.isEmpty());
        refresher.release();
        completeEverything();

        // then one chain served all ten
        assertEquals(List.of(MINUTE, MINUTE.parent(), MINUTE.parent().parent()), store.started);
        frames.forEach(f -> assertTrue("done", f.isDone() && !f.isCompletedExceptionally()));
    }

    @Test
    public void refreshingAFrameRecordsItsReadingsBeforeRecomputing() {
        RollupRefresher refresher = new RollupRefresher(store, 8, false, executor);

        refresher.refresh(frame("d1", T, number("t", 1.0)));
        executor.runAll();

        assertEquals("recorded", 1, store.recorded.size());
        assertEquals("then its minute recomputed", List.of(MINUTE), store.started);
    }

    @Test
    public void refreshingNoWindowCompletesAtOnce() {
        RollupRefresher refresher = new RollupRefresher(store, 1, false, executor);

        assertTrue("done", refresher.refresh(Set.of()).toCompletableFuture().isDone());
        assertTrue("nothing recomputed", store.started.isEmpty());
    }

    private void completeEverything() {
        executor.runAll();
        while (!store.pending.isEmpty()) {
            store.completeNext();
            executor.runAll();
        }
    }

    /** Runs queued tasks when the test says so, on the test thread, one at a time. */
    private static final class ManualExecutor implements Executor {
        private final Queue<Runnable> tasks = new ArrayDeque<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        void runAll() {
            for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) {
                task.run();
            }
        }
    }

    /** Records each frame and recomputation; each completes when the test says so. */
    private static final class PendingStore implements RollupStore {
        private final List<RollupWindow> started = new ArrayList<>();
        private final List<CompletableFuture<Void>> pending = new ArrayList<>();

        private final List<Frame> recorded = new ArrayList<>();

        @Override
        public void recorded(Frame frame) {
            recorded.add(frame);
        }

        @Override
        public CompletionStage<Void> recompute(RollupWindow window) {
            started.add(window);
            CompletableFuture<Void> write = new CompletableFuture<>();
            pending.add(write);
            return write.whenComplete((v, e) -> pending.remove(write));
        }

        void completeNext() {
            pending.get(0).complete(null);
        }
    }
}
