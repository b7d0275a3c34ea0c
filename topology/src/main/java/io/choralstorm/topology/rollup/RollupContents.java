package io.choralstorm.topology.rollup;

import io.choralstorm.protocol.Frame;
import io.choralstorm.protocol.Metric;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The contents of the rollup windows a writer task has touched lately ({@link WindowContent}), so that a
 * recomputation reads nothing in the usual case: a window is read from Cassandra once, when first
 * touched, then kept current in memory as readings are written and child windows recomputed.
 *
 * <p>A content not used for a while is dropped: a minute after {@link #MINUTE_IDLE} (a device's current
 * minute keeps being used; a late reading into an older one reads it again), an hour or a day after
 * {@link #COARSE_IDLE} (they are small and used once a minute by an active device). Memory is therefore
 * about 40 bytes per reading of the last {@code MINUTE_IDLE} plus the few hundred bytes of each active
 * device's hour and day, per metric. Thread-safe.
 */
final class RollupContents {
    static final Duration MINUTE_IDLE = Duration.ofSeconds(15);
    static final Duration COARSE_IDLE = Duration.ofMinutes(5);
    private static final long SWEEP_INTERVAL_NANOS = Duration.ofSeconds(1).toNanos();

    private final ConcurrentHashMap<RollupWindow, WindowContent> contents = new ConcurrentHashMap<>();
    private final LongSupplier nanoTime;
    private final AtomicLong nextSweepNanos;

    RollupContents(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.nextSweepNanos = new AtomicLong(nanoTime.getAsLong() + SWEEP_INTERVAL_NANOS);
    }

    /** Counts the numeric readings of {@code frame}, now durable, in their minute windows. */
    void recorded(Frame frame) {
        long now = nanoTime.getAsLong();
        for (Metric metric : frame.metrics()) {
            if (metric.isNumeric()) {
                RollupWindow minute = RollupWindow.of(frame.deviceId(), metric.name(), RollupLevel.MINUTE,
                    frame.deviceTimestamp());
                putReading(minute, frame.deviceTimestamp(), RollupAggregate.of(metric.number()), now);
            }
        }
    }

    /** The content of {@code window}, kept until {@link #release}d, created unloaded if absent. */
    WindowContent acquire(RollupWindow window) {
        long now = nanoTime.getAsLong();
        sweepIfDue(now);
        return contents.compute(window, (key, content) -> {
            WindowContent held = content == null ? new WindowContent(now) : content;
            held.acquire(now);
            return held;
        });
    }

    void release(WindowContent content) {
        content.release(nanoTime.getAsLong());
    }

    /**
     * The total of {@code window}'s loaded content, which also becomes the part of the window's parent
     * (the minute of its hour, the hour of its day) under the window's start.
     */
    RollupAggregate rolledUp(RollupWindow window, WindowContent content) {
        RollupAggregate total = content.total();
        RollupWindow parent = window.parent();
        if (parent != null) {
            put(parent, window.start(), total, nanoTime.getAsLong());
        }
        return total;
    }

    /** Windows held in memory. */
    int size() {
        return contents.size();
    }

    private void put(RollupWindow window, long key, RollupAggregate part, long now) {
        contents.compute(window, (w, content) -> {
            WindowContent held = content == null ? new WindowContent(now) : content;
            held.put(key, part, false, now);
            return held;
        });
    }

    /**
     * A reading into its minute. A reading already there with another value (a device time resent with a
     * new value, its two writes completing in either order) leaves the minute unknown: it is dropped and
     * read again from Cassandra, which kept the last write, at its next recomputation.
     */
    private void putReading(RollupWindow minute, long deviceTimestamp, RollupAggregate reading, long now) {
        contents.compute(minute, (w, content) -> {
            WindowContent held = content == null ? new WindowContent(now) : content;
            return held.put(deviceTimestamp, reading, true, now) ? held : null;
        });
    }

    private void sweepIfDue(long now) {
        long due = nextSweepNanos.get();
        if (now - due < 0 || !nextSweepNanos.compareAndSet(due, now + SWEEP_INTERVAL_NANOS)) {
            return;
        }
        long minuteIdle = MINUTE_IDLE.toNanos();
        long coarseIdle = COARSE_IDLE.toNanos();
        for (RollupWindow window : contents.keySet()) {
            long idle = window.level() == RollupLevel.MINUTE ? minuteIdle : coarseIdle;
            contents.computeIfPresent(window, (w, content) -> content.isIdle(now, idle) ? null : content);
        }
    }
}
