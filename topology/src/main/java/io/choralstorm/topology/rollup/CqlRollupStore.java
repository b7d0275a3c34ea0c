package io.choralstorm.topology.rollup;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.choralstorm.protocol.Frame;
import io.choralstorm.topology.storage.Retention;
import io.choralstorm.topology.storage.TimeBuckets;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Recomputes rollup rows from window contents held in memory ({@link RollupContents}), so that the usual
 * recomputation is one write and no read:
 * <ul>
 *   <li>a minute is the aggregate of its readings (count, sum, min, max), each counted once by device time;</li>
 *   <li>an hour is the aggregate of its minute rows, a day of its hour rows.</li>
 * </ul>
 * A window not held in memory (first touched since the task started, or dropped while idle) is read once
 * from its source: a minute from {@code readings}, an hour from {@code rollup_minute}, a day from
 * {@code rollup_hour}. The row is overwritten whole (an idempotent INSERT with the configured TTL), so
 * writing a window twice writes the same row. A window whose source is empty (its readings expired) is
 * deleted rather than written with nulls. With {@code storage.ttl.secs} shorter than a window, a content
 * kept in memory still counts parts whose rows have expired, until it is dropped while idle.
 */
public final class CqlRollupStore implements RollupStore {
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final CqlSession session;
    private final RollupContents contents;
    private final Map<RollupLevel, PreparedStatement> sources = new EnumMap<>(RollupLevel.class);
    private final Map<RollupLevel, PreparedStatement> inserts = new EnumMap<>(RollupLevel.class);
    private final Map<RollupLevel, PreparedStatement> deletes = new EnumMap<>(RollupLevel.class);

    /** Prepares the statements; does not own {@code session}. */
    public CqlRollupStore(CqlSession session, String keyspace, long ttlSecs) {
        this.session = Objects.requireNonNull(session, "session");
        this.contents = new RollupContents(System::nanoTime);
        for (RollupLevel level : RollupLevel.values()) {
            sources.put(level, session.prepare(source(keyspace, level)));
            inserts.put(level, session.prepare(insert(keyspace, level, ttlSecs)));
            deletes.put(level, session.prepare("DELETE FROM " + keyspace + "." + level.table()
                + " WHERE device_id = ? AND metric = ? AND bucket = ? AND window_start = ?"));
        }
    }

    @Override
    public void recorded(Frame frame) {
        contents.recorded(frame);
    }

    @Override
    public CompletionStage<Void> recompute(RollupWindow window) {
        WindowContent content = contents.acquire(window);
        try {
            CompletionStage<Void> loaded = content.isLoaded() ? DONE : readSource(window).thenAccept(content::loaded);
            return loaded.thenCompose(done -> write(window, contents.rolledUp(window, content)))
                .whenComplete((done, error) -> contents.release(content));
        } catch (RuntimeException e) {
            contents.release(content);
            throw e;
        }
    }

    private CompletionStage<Map<Long, RollupAggregate>> readSource(RollupWindow window) {
        RollupLevel level = window.level();
        int sourceBucket = level == RollupLevel.MINUTE ? TimeBuckets.bucketOf(window.start())
            : level.child().bucketOf(window.start());
        CompletionStage<AsyncResultSet> first = session.executeAsync(sources.get(level).bind(window.deviceId(),
            window.metric(), sourceBucket, Instant.ofEpochMilli(window.start()), Instant.ofEpochMilli(window.end()))
            .setIdempotent(true));
        return first.thenCompose(page -> collect(level, page, new HashMap<>()));
    }

    private static CompletionStage<Map<Long, RollupAggregate>> collect(RollupLevel level, AsyncResultSet page,
                                                                       Map<Long, RollupAggregate> parts) {
        for (Row row : page.currentPage()) {
            long key = row.getInstant(0).toEpochMilli();
            parts.put(key, level == RollupLevel.MINUTE ? RollupAggregate.of(row.getDouble(1))
                : new RollupAggregate(row.getLong(1), row.getDouble(2), row.getDouble(3), row.getDouble(4)));
        }
        if (!page.hasMorePages()) {
            return CompletableFuture.completedFuture(parts);
        }
        return page.fetchNextPage().thenCompose(next -> collect(level, next, parts));
    }

    private CompletionStage<Void> write(RollupWindow window, RollupAggregate total) {
        Instant start = Instant.ofEpochMilli(window.start());
        CompletionStage<AsyncResultSet> write;
        if (total.count() == 0) {
            write = session.executeAsync(deletes.get(window.level()).bind(window.deviceId(), window.metric(),
                window.bucket(), start).setIdempotent(true));
        } else {
            write = session.executeAsync(inserts.get(window.level()).bind(window.deviceId(), window.metric(),
                window.bucket(), start, total.count(), total.sum(), total.min(), total.max()).setIdempotent(true));
        }
        return write.thenApply(result -> null);
    }

    /** The rows a window is made of: a minute's readings, or the child windows of an hour or a day. */
    static String source(String keyspace, RollupLevel level) {
        if (level == RollupLevel.MINUTE) {
            return "SELECT device_timestamp, value FROM " + keyspace + ".readings"
                + " WHERE device_id = ? AND metric = ? AND bucket = ?"
                + " AND device_timestamp >= ? AND device_timestamp < ?";
        }
        return "SELECT window_start, value_count, value_sum, value_min, value_max FROM " + keyspace + "."
            + level.child().table()
            + " WHERE device_id = ? AND metric = ? AND bucket = ? AND window_start >= ? AND window_start < ?";
    }

    static String insert(String keyspace, RollupLevel level, long ttlSecs) {
        return "INSERT INTO " + keyspace + "." + level.table()
            + " (device_id, metric, bucket, window_start, value_count, value_sum, value_min, value_max)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)" + Retention.usingClause(ttlSecs);
    }
}
