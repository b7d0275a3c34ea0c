package io.choralstorm.query;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import io.choralstorm.topology.storage.TimeBuckets;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Range queries over raw storage, in the half-open range [from, to), streamed oldest first: the
 * day buckets of the range are read one after another and each is paged by the driver, so memory
 * stays bounded whatever the size of the answer.
 */
public final class RangeQuery {
    private static final int PAGE_SIZE = 5000;

    private final CqlSession session;
    private final PreparedStatement readings;
    private final PreparedStatement frames;

    public RangeQuery(CqlSession session, String keyspace) {
        this.session = session;
        this.readings = session.prepare("SELECT device_timestamp, value, text FROM " + keyspace + ".readings"
            + " WHERE device_id = ? AND metric = ? AND bucket = ? AND device_timestamp >= ? AND device_timestamp < ?"
            + " ORDER BY device_timestamp ASC");
        this.frames = session.prepare("SELECT device_timestamp, device_data, time FROM " + keyspace + ".raw_data"
            + " WHERE device_id = ? AND bucket = ? AND device_timestamp >= ? AND device_timestamp < ?"
            + " ORDER BY device_timestamp ASC");
    }

    /** Streams one metric's readings; returns how many were passed to {@code sink} (at most {@code limit}). */
    public long readings(String device, String metric, long from, long to, long limit, Consumer<StoredReading> sink) {
        checkRange(from, to);
        long count = 0;
        for (int bucket : TimeBuckets.bucketsBetween(from, to)) {
            ResultSet rows = session.execute(readings.bind(device, metric, bucket, Instant.ofEpochMilli(from),
                Instant.ofEpochMilli(to)).setPageSize(PAGE_SIZE));
            for (Row row : rows) {
                if (count >= limit) {
                    return count;
                }
                sink.accept(new StoredReading(row.getInstant(0).toEpochMilli(), row.getDouble(1), row.getString(2)));
                count++;
            }
        }
        return count;
    }

    /** Streams a device's raw frames; returns how many were passed to {@code sink} (at most {@code limit}). */
    public long frames(String device, long from, long to, long limit, Consumer<StoredFrame> sink) {
        checkRange(from, to);
        long count = 0;
        for (int bucket : TimeBuckets.bucketsBetween(from, to)) {
            ResultSet rows = session.execute(frames.bind(device, bucket, Instant.ofEpochMilli(from),
                Instant.ofEpochMilli(to)).setPageSize(PAGE_SIZE));
            for (Row row : rows) {
                if (count >= limit) {
                    return count;
                }
                Instant received = row.getInstant(2);
                sink.accept(new StoredFrame(row.getInstant(0).toEpochMilli(), row.getString(1),
                    received == null ? -1 : received.toEpochMilli()));
                count++;
            }
        }
        return count;
    }

    private static void checkRange(long from, long to) {
        if (from >= to) {
            throw new IllegalArgumentException("--from (" + Instant.ofEpochMilli(from) + ") must be before --to ("
                + Instant.ofEpochMilli(to) + "); the range [from, to) is half-open");
        }
    }
}
