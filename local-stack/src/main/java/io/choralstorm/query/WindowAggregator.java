package io.choralstorm.query;

import java.util.function.Consumer;

/**
 * Folds parts (readings and rollup rows) arriving in time order into the windows of an interval, passing
 * each window on as soon as a part of a later window arrives. Holds one window at a time.
 */
final class WindowAggregator {
    private final AggregateInterval interval;
    private final Consumer<AggregateWindow> sink;
    private AggregateWindow open;
    private long emitted;

    WindowAggregator(AggregateInterval interval, Consumer<AggregateWindow> sink) {
        this.interval = interval;
        this.sink = sink;
    }

    /** Adds a part recorded at {@code part.start()}; parts must not go back in time. */
    void add(AggregateWindow part) {
        long start = interval.windowStart(part.start());
        if (open != null && open.start() != start) {
            if (start < open.start()) {
                throw new IllegalStateException("part at " + part.start() + " arrived after window " + open.start());
            }
            emit();
        }
        AggregateWindow shifted = new AggregateWindow(start, part.count(), part.sum(), part.min(), part.max());
        open = open == null ? shifted : open.plus(shifted);
    }

    /** Passes on the last window, if any. */
    void finish() {
        if (open != null) {
            emit();
        }
    }

    /** Windows passed on so far. */
    long emitted() {
        return emitted;
    }

    private void emit() {
        sink.accept(open);
        emitted++;
        open = null;
    }
}
