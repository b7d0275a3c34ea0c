package io.choralstorm.topology.rollup;

import io.choralstorm.topology.storage.TimeBuckets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The rollup resolutions, finest first, with their tables and partition buckets (cql/schema.cql).
 * Windows are aligned to the UTC epoch: a window starts at a multiple of its length. Each level is
 * recomputed from the one below it (1 minute from the readings).
 */
public enum RollupLevel {
    /** 1-minute windows; bucket = UTC epoch day, as the readings (at most 1,440 rows a partition). */
    MINUTE("1m", 60_000L, "rollup_minute") {
        @Override
        public int bucketOf(long windowStart) {
            return TimeBuckets.bucketOf(windowStart);
        }
    },
    /** 1-hour windows; bucket = UTC year (at most 8,784 rows a partition). */
    HOUR("1h", 3_600_000L, "rollup_hour") {
        @Override
        public int bucketOf(long windowStart) {
            return yearOf(windowStart);
        }
    },
    /** 1-day (UTC) windows; bucket = UTC year (at most 366 rows a partition). */
    DAY("1d", 86_400_000L, "rollup_day") {
        @Override
        public int bucketOf(long windowStart) {
            return yearOf(windowStart);
        }
    };

    private final String label;
    private final long windowMs;
    private final String table;

    RollupLevel(String label, long windowMs, String table) {
        this.label = label;
        this.windowMs = windowMs;
        this.table = table;
    }

    /** The partition bucket of the window starting at {@code windowStart}. */
    public abstract int bucketOf(long windowStart);

    /** As written on the command line: 1m, 1h, 1d. */
    public String label() {
        return label;
    }

    public long windowMs() {
        return windowMs;
    }

    public String table() {
        return table;
    }

    /** The start of the window holding {@code epochMs} (floor, also before 1970). */
    public long windowStart(long epochMs) {
        return Math.floorDiv(epochMs, windowMs) * windowMs;
    }

    /** True when {@code epochMs} is the start of a window of this level. */
    public boolean isAligned(long epochMs) {
        return Math.floorMod(epochMs, windowMs) == 0;
    }

    /** The level this one is summed into (MINUTE to HOUR, HOUR to DAY), or null for DAY. */
    public RollupLevel parent() {
        return this == DAY ? null : values()[ordinal() + 1];
    }

    /** The level this one is recomputed from (HOUR from MINUTE, DAY from HOUR), or null for MINUTE. */
    public RollupLevel child() {
        return this == MINUTE ? null : values()[ordinal() - 1];
    }

    /** The buckets holding the windows that start in [fromMs, toExclusiveMs), oldest first. */
    public List<Integer> bucketsBetween(long fromMs, long toExclusiveMs) {
        List<Integer> buckets = new ArrayList<>();
        if (toExclusiveMs <= fromMs) {
            return buckets;
        }
        if (this == MINUTE) {
            return TimeBuckets.bucketsBetween(fromMs, toExclusiveMs);
        }
        for (int year = yearOf(fromMs); year <= yearOf(toExclusiveMs - 1); year++) {
            buckets.add(year);
        }
        return buckets;
    }

    static int yearOf(long epochMs) {
        return Instant.ofEpochMilli(epochMs).atOffset(ZoneOffset.UTC).getYear();
    }
}
