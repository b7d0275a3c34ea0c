package io.choralstorm.topology.view;

import io.choralstorm.protocol.Frame;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batches frames for the view store on one background thread.
 *
 * <p>{@link #submit} only enqueues. The flusher takes everything queued (at most {@code batchMax}),
 * groups it by device, applies it in one {@link ViewStore#apply}, and reports each device's tokens to
 * the {@link Listener}, from the flusher thread. At low load a batch is one frame and goes out at once;
 * under load batches grow while the previous one is in Redis.
 *
 * @param <T> what the caller needs back to complete a frame (a tuple)
 */
public final class ViewFlusher<T> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ViewFlusher.class);
    private static final long POLL_MS = 200;
    private static final long JOIN_MS = 10_000;

    /** Receives finished work on the flusher thread. */
    public interface Listener<T> {
        /** {@code error} is null when the frames of {@code tokens} are in the view. */
        void done(List<T> tokens, RuntimeException error);
    }

    private record Pending<T>(Frame frame, T token) {
    }

    private final ViewStore store;
    private final int batchMax;
    private final Listener<T> listener;
    private final BlockingQueue<Pending<T>> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean running = true;

    public ViewFlusher(ViewStore store, int batchMax, Listener<T> listener, String threadName) {
        if (batchMax < 1) {
            throw new IllegalArgumentException("batchMax must be >= 1, got " + batchMax);
        }
        this.store = Objects.requireNonNull(store, "store");
        this.batchMax = batchMax;
        this.listener = Objects.requireNonNull(listener, "listener");
        this.thread = new Thread(this::loop, threadName);
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Queues a frame; {@code token} comes back through the listener. */
    public void submit(Frame frame, T token) {
        queue.add(new Pending<>(Objects.requireNonNull(frame, "frame"), token));
    }

    /** False once closed, or if the flusher thread died of an Error. */
    public boolean isAlive() {
        return thread.isAlive();
    }

    /** Stops the thread; frames still queued are not applied (their tuples time out and replay). */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(JOIN_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("[choralstorm] view flusher {} did not stop within {} ms", thread.getName(), JOIN_MS);
        }
    }

    private void loop() {
        List<Pending<T>> batch = new ArrayList<>(batchMax);
        while (running) {
            try {
                Pending<T> first = queue.poll(POLL_MS, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, batchMax - 1);
                flush(batch);
                batch.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void flush(List<Pending<T>> batch) {
        Map<String, List<Pending<T>>> byDevice = new LinkedHashMap<>();
        for (Pending<T> pending : batch) {
            byDevice.computeIfAbsent(pending.frame().deviceId(), d -> new ArrayList<>()).add(pending);
        }
        List<DeviceFrames> work = new ArrayList<>(byDevice.size());
        byDevice.forEach((device, items) -> work.add(new DeviceFrames(device, items.stream()
            .map(Pending::frame).toList())));

        long start = System.nanoTime();
        ViewOutcome outcome;
        try {
            outcome = store.apply(work);
        } catch (RuntimeException e) {
            listener.done(batch.stream().map(Pending::token).toList(), e);
            return;
        }
        LOG.debug("[choralstorm] view flush: {} frames of {} devices in {} us: {} accepted, {} duplicates, "
            + "{} stale, {} devices failed", batch.size(), work.size(), (System.nanoTime() - start) / 1000,
            outcome.accepted(), outcome.duplicates(), outcome.stale(), outcome.failures().size());

        byDevice.forEach((device, items) ->
            listener.done(items.stream().map(Pending::token).toList(), outcome.failures().get(device)));
    }
}
