package io.choralstorm.topology.storage;

import static io.choralstorm.topology.TestFrames.T;
import static io.choralstorm.topology.TestFrames.bool;
import static io.choralstorm.topology.TestFrames.frame;
import static io.choralstorm.topology.TestFrames.number;
import static io.choralstorm.topology.TestFrames.numericString;
import static io.choralstorm.topology.TestFrames.string;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import io.choralstorm.protocol.Frame;
import java.time.Instant;
import java.util.List;
import org.junit.Test;

public class FrameRowsTest {
    private final Frame frame = frame("t-01", T, T + 123, number("temperature", 21.5),
        numericString("humidity", "40.0"), string("serial", "010003"), bool("door", true));

    @Test
    public void rawRowKeepsTheWholeFrameAsSent() {
        RawRow raw = FrameRows.raw(frame);

        assertEquals("device", "t-01", raw.deviceId());
        assertEquals("bucket", TimeBuckets.bucketOf(T), raw.bucket());
        assertEquals("device time", Instant.ofEpochMilli(T), raw.deviceTimestamp());
        assertEquals("receive time", Instant.ofEpochMilli(T + 123), raw.time());
        assertEquals("data as sent", "{\"temperature\":21.5,\"humidity\":\"40.0\",\"serial\":\"010003\",\"door\":true}",
            raw.deviceData());
    }

    @Test
    public void onlyNumericMetricsBecomeReadings() {
        List<ReadingRow> rows = FrameRows.readings(frame);

        assertEquals("numbers and numeric strings only", List.of("temperature", "humidity"),
            rows.stream().map(ReadingRow::metric).toList());
        assertEquals("value", 21.5, rows.get(0).value(), 0.0);
        assertNull("a JSON number leaves text unset", rows.get(0).text());
        assertEquals("a numeric string keeps its text", "40.0", rows.get(1).text());
        assertEquals("numeric string value", 40.0, rows.get(1).value(), 0.0);
    }

    @Test
    public void replayedFrameProducesTheSameKeys() {
        assertEquals("raw row", FrameRows.raw(frame), FrameRows.raw(frame));
        assertEquals("readings", FrameRows.readings(frame), FrameRows.readings(frame));
    }
}
