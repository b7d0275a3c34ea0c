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
 * requests in flight; the rows of a partition written while an earlier request of it runs go together as
 * one single-partition batch ({@link PartitionWrites}). A column without a value is left unset, never
 * bound to null (a null would write a tombstone). Rows get the configured TTL ({@link Retention}), or none.
 */
public final class CqlFrameStore implements FrameStore {
    /** Rows in one batch: enough to take a 100-frame POST of one device in one request per partition. */
    static final int MAX_BATCH_ROWS = 128;
    /** Characters of text (keys, device_data) in one batch, about what keeps a request under 50 KiB. */
    static final int MAX_BATCH_CHARS = 16_000;
    /** Characters a row counts for beyond its text: keys, timestamps, the value, cell and row headers. */
    private static final int ROW_OVERHEAD_CHARS = 48;
    private static final String RAW = "raw_data";
    private static final String READINGS = "readings";

    private final CqlSession session;
    private final PreparedStatement insertRaw;
    private final PreparedStatement insertReading;
    private final PartitionWrites writes;

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
        this.writes = new PartitionWrites(Objects.requireNonNull(limiter, "limiter"), session::executeAsync,
            MAX_BATCH_ROWS, MAX_BATCH_CHARS);
        this.insertRaw = session.prepare(CqlStatements.insertRaw(keyspace, ttlSecs));
        this.insertReading = session.prepare(CqlStatements.insertReading(keyspace, ttlSecs));
    }

    @Override
    public CompletionStage<Void> write(Frame frame) {
        RawRow raw = FrameRows.raw(frame);
        List<ReadingRow> readings = FrameRows.readings(frame);

        CompletableFuture<?>[] rows = new CompletableFuture<?>[1 + readings.size()];
        rows[0] = writes.write(new Partition(RAW, raw.deviceId(), null, raw.bucket()), raw.deviceTimestamp(),
            bind(raw), ROW_OVERHEAD_CHARS + raw.deviceId().length() + raw.deviceData().length());
        for (int i = 0; i < readings.size(); i++) {
            ReadingRow row = readings.get(i);
            int bytes = ROW_OVERHEAD_CHARS + row.deviceId().length() + row.metric().length()
                + (row.text() == null ? 0 : row.text().length());
            rows[i + 1] = writes.write(new Partition(READINGS, row.deviceId(), row.metric(), row.bucket()),
                row.deviceTimestamp(), bind(row), bytes);
        }
        return CompletableFuture.allOf(rows);
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

    /** A partition of raw_data (metric null) or readings. */
    private record Partition(String table, String deviceId, String metric, int bucket) {
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
