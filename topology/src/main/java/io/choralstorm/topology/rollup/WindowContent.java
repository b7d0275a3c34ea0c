package io.choralstorm.topology.rollup;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one rollup window is made of, held in memory so that recomputing it needs no read: for a minute
 * its readings by device time, for an hour its minute rows, for a day its hour rows. Each part is a
 * count, a sum, a minimum and a maximum (a reading is a part of count 1), kept sorted by key in
 * parallel arrays.
 *
 * <p>A content starts unloaded: parts put before its rows were read from Cassandra are held aside and
 * win over the rows read ({@link #loaded}): a part is put once what it stands for is durable (a reading's
 * row, a child window's recomputation), so it is at least as new as what the read can see. Where a part
 * is put for a write that then fails, the frame replays and puts it again, so the content converges to
 * what is stored. The total folds the parts in key order, so the same parts always give the same sum,
 * whatever order they arrived in. Thread-safe: every method holds the content's monitor.
 */
final class WindowContent {
    private static final int INITIAL_CAPACITY = 8;

    private long[] keys = new long[INITIAL_CAPACITY];
    private long[] counts = new long[INITIAL_CAPACITY];
    private double[] sums = new double[INITIAL_CAPACITY];
    private double[] mins = new double[INITIAL_CAPACITY];
    private double[] maxs = new double[INITIAL_CAPACITY];
    private int size;
    private boolean loaded;
    private Map<Long, RollupAggregate> heldAside = new TreeMap<>();
    private int users;
    private long lastUsedNanos;

    WindowContent(long nowNanos) {
        this.lastUsedNanos = nowNanos;
    }

    /**
     * Sets the part under {@code key} (a reading's device time, or a child window's start). Returns false,
     * changing nothing, when {@code onlyIfNew} and a different part is already under the key: two writes of
     * one reading with different values completed in an order this content cannot know.
     */
    synchronized boolean put(long key, RollupAggregate part, boolean onlyIfNew, long nowNanos) {
        lastUsedNanos = nowNanos;
        RollupAggregate known = loaded ? get(key) : heldAside.get(key);
        if (onlyIfNew && known != null && !known.equals(part)) {
            return false;
        }
        if (loaded) {
            set(key, part);
        } else {
            heldAside.put(key, part);
        }
        return true;
    }

    /** The parts read from Cassandra; the parts put meanwhile replace those of the same key. */
    synchronized void loaded(Map<Long, RollupAggregate> stored) {
        if (loaded) {
            return;
        }
        stored.forEach(this::set);
        heldAside.forEach(this::set);
        heldAside = null;
        loaded = true;
    }

    synchronized boolean isLoaded() {
        return loaded;
    }

    /** The aggregate of every part, folded in key order; count 0 when there is none. */
    synchronized RollupAggregate total() {
        if (size == 0) {
            return RollupAggregate.EMPTY;
        }
        long count = 0;
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < size; i++) {
            count += counts[i];
            sum += sums[i];
            min = Math.min(min, mins[i]);
            max = Math.max(max, maxs[i]);
        }
        return new RollupAggregate(count, sum, min, max);
    }

    synchronized int size() {
        return size;
    }

    /** Marks the content as in use (a recomputation of its window runs): it is not evicted meanwhile. */
    synchronized void acquire(long nowNanos) {
        users++;
        lastUsedNanos = nowNanos;
    }

    synchronized void release(long nowNanos) {
        users--;
        lastUsedNanos = nowNanos;
    }

    /** True when no recomputation uses the content and it was last used {@code idleNanos} ago or more. */
    synchronized boolean isIdle(long nowNanos, long idleNanos) {
        return users == 0 && nowNanos - lastUsedNanos >= idleNanos;
    }

    private RollupAggregate get(long key) {
        int at = Arrays.binarySearch(keys, 0, size, key);
        return at < 0 ? null : new RollupAggregate(counts[at], sums[at], mins[at], maxs[at]);
    }

    private void set(long key, RollupAggregate part) {
        int at = size > 0 && keys[size - 1] < key ? -(size + 1) : Arrays.binarySearch(keys, 0, size, key);
        if (at < 0) {
            at = -(at + 1);
            grow();
            System.arraycopy(keys, at, keys, at + 1, size - at);
            System.arraycopy(counts, at, counts, at + 1, size - at);
            System.arraycopy(sums, at, sums, at + 1, size - at);
            System.arraycopy(mins, at, mins, at + 1, size - at);
            System.arraycopy(maxs, at, maxs, at + 1, size - at);
            size++;
        }
        keys[at] = key;
        counts[at] = part.count();
        sums[at] = part.sum();
        mins[at] = part.min();
        maxs[at] = part.max();
    }

    private void grow() {
        if (size < keys.length) {
            return;
        }
        int capacity = keys.length * 2;
        keys = Arrays.copyOf(keys, capacity);
        counts = Arrays.copyOf(counts, capacity);
        sums = Arrays.copyOf(sums, capacity);
        mins = Arrays.copyOf(mins, capacity);
        maxs = Arrays.copyOf(maxs, capacity);
    }
}
