package io.choralstorm.topology.rollup;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.choralstorm.topology.storage.Retention;
import io.choralstorm.topology.storage.TimeBuckets;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * Recomputes a rollup row with one single-partition aggregate read and one write:
 * <ul>
 *   <li>a minute from {@code readings} (count, sum, min, max of the values in the minute),</li>
 *   <li>an hour from its 60 {@code rollup_minute} rows, a day from its 24 {@code rollup_hour} rows
 *       (sum of counts, sum of sums, min of mins, max of maxes).</li>
 * </ul>
 * The row is overwritten whole (an idempotent INSERT, with the configured TTL), so recomputing a window
 * twice writes the same row. A window whose source is empty (its readings expired) is deleted rather
 * than written with nulls. Reads use the session's consistency, the same as the writes, so a
 * recomputation sees every reading written before it started.
 */
public final class CqlRollupStore implements RollupStore {
    private final CqlSession session;
    private final Map<RollupLevel, PreparedStatement> aggregates = new EnumMap<>(RollupLevel.class);
    private final Map<RollupLevel, PreparedStatement> inserts = new EnumMap<>(RollupLevel.class);
    private final Map<RollupLevel, PreparedStatement> deletes = new EnumMap<>(RollupLevel.class);

    /** Prepares the statements; does not own {@code session}. */
    public CqlRollupStore(CqlSession session, String keyspace, long ttlSecs) {
        this.session = Objects.requireNonNull(session, "session");
        for (RollupLevel level : RollupLevel.values()) {
            aggregates.put(level, session.prepare(aggregate(keyspace, level)));
            inserts.put(level, session.prepare(insert(keyspace, level, ttlSecs)));
            deletes.put(level, session.prepare("DELETE FROM " + keyspace + "." + level.table()
                + " WHERE device_id = ? AND metric = ? AND bucket = ? AND window_start = ?"));
        }
    }

    @Override
    public CompletionStage<Void> recompute(RollupWindow window) {
        BoundStatement read = readSource(window);
        return session.executeAsync(read).thenCompose(result -> write(window, result)).thenApply(done -> null);
    }

    private BoundStatement readSource(RollupWindow window) {
        RollupLevel level = window.level();
        int sourceBucket = level == RollupLevel.MINUTE ? TimeBuckets.bucketOf(window.start())
            : level.child().bucketOf(window.start());
        return aggregates.get(level).bind(window.deviceId(), window.metric(), sourceBucket,
            Instant.ofEpochMilli(window.start()), Instant.ofEpochMilli(window.end())).setIdempotent(true);
    }

    private CompletionStage<AsyncResultSet> write(RollupWindow window, AsyncResultSet result) {
        Row row = result.one();
        long count = row == null ? 0 : row.getLong(0);
        Instant start = Instant.ofEpochMilli(window.start());
        if (count == 0) {
            return session.executeAsync(deletes.get(window.level()).bind(window.deviceId(), window.metric(),
                window.bucket(), start).setIdempotent(true));
        }
        return session.executeAsync(inserts.get(window.level()).bind(window.deviceId(), window.metric(),
            window.bucket(), start, count, row.getDouble(1), row.getDouble(2), row.getDouble(3)).setIdempotent(true));
    }

    static String aggregate(String keyspace, RollupLevel level) {
        if (level == RollupLevel.MINUTE) {
            return "SELECT count(value), sum(value), min(value), max(value) FROM " + keyspace + ".readings"
                + " WHERE device_id = ? AND metric = ? AND bucket = ?"
                + " AND device_timestamp >= ? AND device_timestamp < ?";
        }
        return "SELECT sum(value_count), sum(value_sum), min(value_min), max(value_max) FROM " + keyspace + "."
            + level.child().table()
            + " WHERE device_id = ? AND metric = ? AND bucket = ? AND window_start >= ? AND window_start < ?";
    }

    static String insert(String keyspace, RollupLevel level, long ttlSecs) {
        return "INSERT INTO " + keyspace + "." + level.table()
            + " (device_id, metric, bucket, window_start, value_count, value_sum, value_min, value_max)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)" + Retention.usingClause(ttlSecs);
    }
}
