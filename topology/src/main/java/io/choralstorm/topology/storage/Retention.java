package io.choralstorm.topology.storage;

/**
 * How long stored rows live: a Cassandra TTL in seconds, counted from the write (not from the device
 * time), or {@link #KEEP_FOREVER}. A TTL under an hour would expire rows before a replay or a rollup
 * recomputation could rely on them; Cassandra refuses TTLs above 20 years.
 */
public final class Retention {
    /** No TTL: rows stay until deleted. */
    public static final long KEEP_FOREVER = 0;
    /** The shortest TTL accepted: one hour. */
    public static final long MIN_TTL_SECS = 3_600;
    /** The longest TTL Cassandra accepts: 20 years (its MAX_TTL). */
    public static final long MAX_TTL_SECS = 630_720_000;
    /** The rule, as settings errors state it. */
    public static final String RULE = "must be 0 (keep rows forever) or a TTL from " + MIN_TTL_SECS
        + " (1 hour) to " + MAX_TTL_SECS + " (20 years, Cassandra's maximum) seconds";

    private Retention() {
    }

    public static boolean isValid(long ttlSecs) {
        return ttlSecs == KEEP_FOREVER || (ttlSecs >= MIN_TTL_SECS && ttlSecs <= MAX_TTL_SECS);
    }

    /** {@code " USING TTL n"} for an INSERT, or "" to keep rows forever; refuses an invalid TTL. */
    public static String usingClause(long ttlSecs) {
        if (!isValid(ttlSecs)) {
            throw new IllegalArgumentException("TTL " + ttlSecs + " s " + RULE + "; change storage.ttl.secs");
        }
        return ttlSecs == KEEP_FOREVER ? "" : " USING TTL " + ttlSecs;
    }
}
