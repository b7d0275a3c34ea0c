package io.choralstorm.topology.rollup;

import io.choralstorm.protocol.Frame;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the rollups equal to the aggregate of the stored readings, without counters.
 *
 * <p><b>Design.</b> Counters are not idempotent: a replayed or duplicated reading would count twice. So
 * rollups are never incremented. After a frame's readings are durable, {@link #refresh} recomputes every
 * window the frame touched and overwrites its row: the minute from its readings, then the hour from its
 * minutes, then the day from its hours. The readings are keyed by device time, so replays, duplicates and
 * late readings (any age) give the same rows as a single in-order delivery. The stage of a frame
 * completes when its day windows are rewritten; the writer acks the tuple only then, so a crash anywhere
 * in the chain replays the frame and redoes the chain. The store keeps what each window is made of in
 * memory ({@link CqlRollupStore}), so a recomputation is usually one write and no read.
 *
 * <p><b>Ordering.</b> One recomputation per window runs at a time; touches that arrive while it runs
 * wait for one follow-up recomputation that starts after it, so the last write of a window always
 * follows the last reading written into it. This holds within one writer task: the topology groups the
 * writer by device, so one task owns all windows of a device.
 *
 * <p><b>Cost.</b> A touched minute waits up to {@code lingerMs} before it is recomputed, so that the
 * readings of that time share one recomputation (and one write per level): a device sending ten frames
 * a second costs one minute, one hour and one day write per metric each {@code lingerMs}, not ten.
 * At most {@code maxInFlight} recomputations run at once; windows waiting for a slot keep gathering
 * touches.
 *
 * <p>All state is confined to one thread (the executor), so no locks are needed; {@link #refresh(Frame)}
 * hands the frame's readings to the store on the caller's thread, which the store allows.
 */
public final class RollupRefresher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RollupRefresher.class);

    private final RollupStore store;
    private final int maxInFlight;
    private final Executor executor;
    private final ExecutorService ownedExecutor;
    private final boolean lingering;
    private final Map<RollupWindow, WindowState> windows = new HashMap<>();
    private final Queue<RollupWindow> ready = new ArrayDeque<>();
    private final List<RollupWindow> waiting = new ArrayList<>();
    private int inFlight;

    /**
     * A refresher whose state lives on {@code executor}, which must run tasks one at a time, in order.
     * With {@code lingering}, touched minutes wait for the next {@link #release}; without, they start at once.
     */
    public RollupRefresher(RollupStore store, int maxInFlight, boolean lingering, Executor executor) {
        this(store, maxInFlight, lingering, executor, null);
    }

    private RollupRefresher(RollupStore store, int maxInFlight, boolean lingering, Executor executor,
                            ExecutorService owned) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("rollup.max.in.flight must be >= 1, got " + maxInFlight);
        }
        this.store = Objects.requireNonNull(store, "store");
        this.maxInFlight = maxInFlight;
        this.lingering = lingering;
        this.executor = Objects.requireNonNull(executor, "executor");
        this.ownedExecutor = owned;
    }

    /**
     * A refresher on its own daemon thread named {@code threadName}, stopped by {@link #close}; touched
     * minutes are released every {@code lingerMs} (0: at once).
     */
    public static RollupRefresher start(RollupStore store, int maxInFlight, long lingerMs, String threadName) {
        if (lingerMs < 0) {
            throw new IllegalArgumentException("rollup.linger.ms must be >= 0, got " + lingerMs);
        }
        ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, threadName);
            t.setDaemon(true);
            return t;
        });
        RollupRefresher refresher = new RollupRefresher(store, maxInFlight, lingerMs > 0, thread, thread);
        if (lingerMs > 0) {
            thread.scheduleAtFixedRate(refresher::releaseOrLog, lingerMs, lingerMs, TimeUnit.MILLISECONDS);
        }
        return refresher;
    }

    /**
     * Counts {@code frame}'s readings, which must be durable, and recomputes the windows they touched
     * (see {@link #refresh(Collection)}).
     */
    public CompletionStage<Void> refresh(Frame frame) {
        store.recorded(frame);
        return refresh(RollupWindow.touchedBy(frame));
    }

    /** Starts the recomputation of every minute touched since the last release. */
    public void release() {
        run(this::releaseNow);
    }

    /**
     * Recomputes {@code minuteWindows} and the hours and days holding them. Call it once the readings of
     * those windows are durable. Completes when every chain is rewritten; fails if any recomputation does.
     */
    public CompletionStage<Void> refresh(Collection<RollupWindow> minuteWindows) {
        if (minuteWindows.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        Waiter waiter = new Waiter(minuteWindows.size());
        List<RollupWindow> copy = List.copyOf(minuteWindows);
        run(() -> copy.forEach(window -> enqueue(window, List.of(waiter))));
        return waiter.done;
    }

    @Override
    public void close() {
        if (ownedExecutor != null) {
            ownedExecutor.shutdownNow();
        }
    }

    private void enqueue(RollupWindow window, List<Waiter> waiters) {
        WindowState state = windows.computeIfAbsent(window, w -> new WindowState());
        state.pending.addAll(waiters);
        if (!state.running && !state.queued) {
            state.queued = true;
            if (lingering && window.level() == RollupLevel.MINUTE) {
                waiting.add(window);
                return;
            }
            ready.add(window);
        }
        startReady();
    }

    /** The periodic release: a failure is logged, never allowed to end the schedule (every frame would wait). */
    private void releaseOrLog() {
        try {
            releaseNow();
        } catch (RuntimeException e) {
            LOG.error("[rollup] releasing the lingering minutes failed; retrying at the next release", e);
        }
    }

    private void releaseNow() {
        ready.addAll(waiting);
        waiting.clear();
        startReady();
    }

    private void startReady() {
        while (inFlight < maxInFlight && !ready.isEmpty()) {
            RollupWindow window = ready.poll();
            WindowState state = windows.get(window);
            state.queued = false;
            List<Waiter> batch = state.takeLivePending();
            if (batch.isEmpty()) {
                windows.remove(window);
                continue;
            }
            state.running = true;
            inFlight++;
            recompute(window).whenComplete((done, error) -> run(() -> finished(window, batch, error)));
        }
    }

    private CompletionStage<Void> recompute(RollupWindow window) {
        try {
            return store.recompute(window);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void finished(RollupWindow window, List<Waiter> batch, Throwable error) {
        inFlight--;
        WindowState state = windows.get(window);
        state.running = false;
        if (error != null) {
            LOG.debug("[rollup] recomputing {} failed for {} frames: {}", window, batch.size(), error.toString());
            batch.forEach(waiter -> waiter.fail(error));
        } else if (window.parent() != null) {
            enqueue(window.parent(), batch);
        } else {
            batch.forEach(Waiter::chainDone);
        }

        if (state.pending.isEmpty()) {
            windows.remove(window);
        } else if (!state.queued) {
            state.queued = true;
            ready.add(window);
        }
        startReady();
    }

    private void run(Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.debug("[rollup] refresher closed; dropped a step (its frame replays): {}", e.toString());
        }
    }

    /** The frames waiting on a window, and whether its recomputation runs or waits for a slot. */
    private static final class WindowState {
        private List<Waiter> pending = new ArrayList<>();
        private boolean running;
        private boolean queued;

        /** The waiters still interested (their frame has not failed already); clears the pending list. */
        List<Waiter> takeLivePending() {
            List<Waiter> live = new ArrayList<>(pending.size());
            for (Waiter waiter : pending) {
                if (!waiter.done.isDone()) {
                    live.add(waiter);
                }
            }
            pending = new ArrayList<>();
            return live;
        }
    }

    /** One refresh call: done when each of its chains (minute, hour, day) is rewritten. */
    private static final class Waiter {
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private int chainsLeft;

        Waiter(int chains) {
            this.chainsLeft = chains;
        }

        void chainDone() {
            chainsLeft--;
            if (chainsLeft == 0) {
                done.complete(null);
            }
        }

        void fail(Throwable error) {
            done.completeExceptionally(error);
        }
    }
}
