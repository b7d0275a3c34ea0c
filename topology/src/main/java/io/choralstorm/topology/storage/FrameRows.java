package io.choralstorm.topology.storage;

import io.choralstorm.protocol.Frame;
import io.choralstorm.protocol.FrameWriter;
import io.choralstorm.protocol.Metric;
import io.choralstorm.protocol.MetricKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows one frame becomes in Cassandra: one {@link RawRow}, and one {@link ReadingRow} per numeric
 * metric (numbers and numeric strings, the same rule as the live view). A replayed frame produces the
 * same primary keys, so writing it again overwrites rather than duplicates.
 */
public final class FrameRows {
    private FrameRows() {
    }

    public static RawRow raw(Frame frame) {
        return new RawRow(frame.deviceId(), TimeBuckets.bucketOf(frame.deviceTimestamp()),
            Instant.ofEpochMilli(frame.deviceTimestamp()), FrameWriter.dataJson(frame),
            Instant.ofEpochMilli(frame.receivedAt()));
    }

    public static List<ReadingRow> readings(Frame frame) {
        int bucket = TimeBuckets.bucketOf(frame.deviceTimestamp());
        Instant timestamp = Instant.ofEpochMilli(frame.deviceTimestamp());
        List<ReadingRow> rows = new ArrayList<>();
        for (Metric metric : frame.metrics()) {
            if (metric.isNumeric()) {
                String text = metric.kind() == MetricKind.NUMERIC_STRING ? metric.text() : null;
                rows.add(new ReadingRow(frame.deviceId(), metric.name(), bucket, timestamp, metric.number(), text));
            }
        }
        return rows;
    }
}
