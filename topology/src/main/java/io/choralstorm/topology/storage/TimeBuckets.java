package io.choralstorm.topology.storage;

import java.util.ArrayList;
import java.util.List;

/**
 * The partition bucket of raw storage: the UTC epoch day of a device timestamp, so that a partition
 * holds at most one day of one device (or of one metric of one device).
 */
public final class TimeBuckets {
    /** Length of one bucket: one UTC day. */
    public static final long BUCKET_MS = 86_400_000L;
    /**
     * A range query may span at most this many buckets (about 109 years, e.g. 2000 to 2109): the buckets
     * are read a few at a time, so the limit only guards against a mistyped range (such as a year 20000).
     */
    public static final int MAX_BUCKETS_PER_RANGE = 40_000;

    private TimeBuckets() {
    }

    /** The bucket of an epoch-millisecond timestamp: floor(ts / 1 day), also for times before 1970. */
    public static int bucketOf(long epochMs) {
        return Math.toIntExact(Math.floorDiv(epochMs, BUCKET_MS));
    }

    /** The first epoch millisecond of a bucket. */
    public static long startOf(int bucket) {
        return bucket * BUCKET_MS;
    }

    /**
     * The buckets a query over {@code [fromMs, toExclusiveMs)} must read, oldest first; empty when the
     * range is empty.
     */
    public static List<Integer> bucketsBetween(long fromMs, long toExclusiveMs) {
        if (toExclusiveMs <= fromMs) {
            return List.of();
        }
        int first = bucketOf(fromMs);
        int last = bucketOf(toExclusiveMs - 1);
        long count = (long) last - first + 1;
        if (count > MAX_BUCKETS_PER_RANGE) {
            throw new IllegalArgumentException("time range [" + fromMs + ", " + toExclusiveMs + ") spans " + count
                + " day buckets, more than the limit of " + MAX_BUCKETS_PER_RANGE + "; query a shorter range");
        }
        List<Integer> buckets = new ArrayList<>((int) count);
        for (int bucket = first; bucket <= last; bucket++) {
            buckets.add(bucket);
        }
        return buckets;
    }
}
