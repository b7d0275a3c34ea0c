package io.choralstorm.topology.storage;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatementBuilder;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import io.choralstorm.protocol.Frame;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Frames into Cassandra with prepared, idempotent INSERTs, asynchronously, with a bounded number of
 * writes in flight. A column without a value is left unset, never bound to null (a null would write a
 * tombstone). Rows get the configured TTL ({@link Retention}), or none.
 */
public final class CqlFrameStore implements FrameStore {
    private final CqlSession session;
    private final PreparedStatement insertRaw;
    private final PreparedStatement insertReading;
    private final InFlightLimiter limiter;

    /** Rows kept forever; takes ownership of {@code session} (closed by {@link #close}). */
    public CqlFrameStore(CqlSession session, String keyspace, InFlightLimiter limiter) {
        this(session, keyspace, limiter, Retention.KEEP_FOREVER);
    }

    /**
     * Takes ownership of {@code session} (closed by {@link #close}); prepares the statements with a TTL of
     * {@code ttlSecs} (0: none), refused when {@link Retention#isValid} says no.
     */
    public CqlFrameStore(CqlSession session, String keyspace, InFlightLimiter limiter, long ttlSecs) {
        this.session = Objects.requireNonNull(session, "session");
        this.limiter = Objects.requireNonNull(limiter, "limiter");
        this.insertRaw = session.prepare(CqlStatements.insertRaw(keyspace, ttlSecs));
        this.insertReading = session.prepare(CqlStatements.insertReading(keyspace, ttlSecs));
    }

    @Override
    public CompletionStage<Void> write(Frame frame) {
        List<BoundStatement> statements = statements(frame);

        CompletableFuture<?>[] writes = new CompletableFuture<?>[statements.size()];
        for (int i = 0; i < writes.length; i++) {
            BoundStatement statement = statements.get(i);
            writes[i] = limiter.submit(() -> session.executeAsync(statement));
        }
        return CompletableFuture.allOf(writes);
    }

    /**
     * The INSERTs of a frame: its raw_data row, then one readings row per numeric metric. Every bound
     * value is set and none is null; a column without a value (text of a JSON number) is left unset.
     */
    public List<BoundStatement> statements(Frame frame) {
        List<BoundStatement> statements = new ArrayList<>();
        statements.add(bind(FrameRows.raw(frame)));
        FrameRows.readings(frame).forEach(row -> statements.add(bind(row)));
        return statements;
    }

    @Override
    public void close() {
        session.close();
    }

    private BoundStatement bind(RawRow row) {
        return insertRaw.boundStatementBuilder()
            .setString(CqlStatements.DEVICE_ID, row.deviceId())
            .setInt(CqlStatements.BUCKET, row.bucket())
            .setInstant(CqlStatements.DEVICE_TIMESTAMP, row.deviceTimestamp())
            .setString(CqlStatements.DEVICE_DATA, row.deviceData())
            .setInstant(CqlStatements.TIME, row.time())
            .setIdempotence(true)
            .build();
    }

    private BoundStatement bind(ReadingRow row) {
        BoundStatementBuilder builder = insertReading.boundStatementBuilder()
            .setString(CqlStatements.DEVICE_ID, row.deviceId())
            .setString(CqlStatements.METRIC, row.metric())
            .setInt(CqlStatements.BUCKET, row.bucket())
            .setInstant(CqlStatements.DEVICE_TIMESTAMP, row.deviceTimestamp())
            .setDouble(CqlStatements.VALUE, row.value())
            .setIdempotence(true);
        if (row.text() != null) {
            builder.setString(CqlStatements.TEXT, row.text());
        }
        return builder.build();
    }
}
