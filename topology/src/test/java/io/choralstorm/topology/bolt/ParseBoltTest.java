package io.choralstorm.topology.bolt;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import io.choralstorm.protocol.Frame;
import java.util.List;
import java.util.Map;
import org.apache.storm.tuple.Tuple;
import org.apache.storm.utils.Utils;
import org.junit.Before;
import org.junit.Test;

public class ParseBoltTest {
    private static final String VALID = "{\"device_id\":\"t-01\",\"device_data\":{\"temperature\":21.5},"
        + "\"device_timestamp\":1700000000000,\"received_at\":1700000000123}";

    private final RecordingCollector recorder = new RecordingCollector();
    private final ParseBolt bolt = new ParseBolt();

    @Before
    public void prepare() {
        bolt.prepare(Map.of(), null, recorder.collector());
    }

    @Test
    public void validRecordIsEmittedAsFrameAnchoredAndAcked() {
        // given a valid record
        Tuple input = Tuples.record("t-01", VALID);

        // when parsed
        bolt.execute(input);

        // then (device_id, frame) goes out on the default stream, anchored, and the input is acked
        List<RecordingCollector.Emit> emits = recorder.emitsOn(Utils.DEFAULT_STREAM_ID);
        assertEquals("one emit", 1, emits.size());
        assertEquals("device_id", "t-01", emits.get(0).values().get(0));
        Frame frame = (Frame) emits.get(0).values().get(1);
        assertEquals("metric value", 21.5, frame.metrics().get(0).number(), 0.0);
        assertEquals("received_at kept", 1_700_000_000_123L, frame.receivedAt());
        assertSame("anchored to the input", input, emits.get(0).anchors().iterator().next());
        assertEquals("acked", List.of(input), recorder.acked);
        assertTrue("nothing on the dead-letter stream", recorder.emitsOn(ParseBolt.INVALID_STREAM).isEmpty());
    }

    @Test
    public void badDataGoesToDeadLetterStreamAndIsAckedNeverFailed() {
        // given case 1: device_data is a string
        String bad = "{\"device_id\":\"t-01\",\"device_data\":\"oops\",\"device_timestamp\":1700000000000,"
            + "\"received_at\":1700000000123}";
        Tuple input = Tuples.record("t-01", bad);

        // when parsed
        bolt.execute(input);

        // then it goes to the dead-letter stream with its reason, anchored, and is acked, not failed
        List<RecordingCollector.Emit> dead = recorder.emitsOn(ParseBolt.INVALID_STREAM);
        assertEquals("one dead letter", 1, dead.size());
        List<Object> values = dead.get(0).values();
        assertEquals("key", "t-01", values.get(0));
        assertEquals("original value", bad, values.get(1));
        assertEquals("reason", "wrong_type", values.get(2));
        assertEquals("field", "device_data", values.get(3));
        assertTrue("message says what is wrong: " + values.get(4), ((String) values.get(4)).contains("device_data"));
        assertSame("anchored", input, dead.get(0).anchors().iterator().next());
        assertEquals("acked", List.of(input), recorder.acked);
        assertTrue("never failed", recorder.failed.isEmpty());
        assertTrue("nothing valid emitted", recorder.emitsOn(Utils.DEFAULT_STREAM_ID).isEmpty());
    }

    @Test
    public void timestampInSecondsIsRefusedWithItsReason() {
        // given a timestamp sent in seconds
        bolt.execute(Tuples.record("t-01", VALID.replace("1700000000000", "1700000000")));

        // then the reason names the unit
        List<Object> values = recorder.emitsOn(ParseBolt.INVALID_STREAM).get(0).values();
        assertEquals("reason", "timestamp_in_seconds", values.get(2));
        String message = (String) values.get(4);
        assertTrue("message suggests milliseconds: " + message, message.contains("milliseconds"));
    }

    @Test
    public void recordWithoutValueIsDeadLettered() {
        // given a tombstone (null value) with no key either
        Tuple input = Tuples.record(null, null);

        // when parsed
        bolt.execute(input);

        // then it is dead-lettered as an empty record and acked
        List<Object> values = recorder.emitsOn(ParseBolt.INVALID_STREAM).get(0).values();
        assertNull("key", values.get(0));
        assertEquals("reason", ParseBolt.EMPTY_RECORD, values.get(2));
        assertEquals("acked", List.of(input), recorder.acked);
    }

    @Test
    public void malformedJsonIsDeadLettered() {
        // given bytes that are not JSON
        bolt.execute(Tuples.record("t-01", "{'device_id': 't-01'"));

        // then the reason is malformed_json
        assertEquals("reason", "malformed_json", recorder.emitsOn(ParseBolt.INVALID_STREAM).get(0).values().get(2));
        assertEquals("acked", 1, recorder.acked.size());
    }

    @Test
    public void badRecordAmongValidOnesDoesNotStopTheOthers() {
        // given case 1: a bad record followed by 500 valid ones
        bolt.execute(Tuples.record("t-01", "{\"device_id\":\"t-01\",\"device_data\":\"oops\"}"));
        for (int i = 0; i < 500; i++) {
            bolt.execute(Tuples.record("t-01", VALID.replace("1700000000000", Long.toString(1_700_000_000_000L + i))));
        }

        // then every input is acked, 500 frames go on, one dead letter
        assertEquals("acked", 501, recorder.acked.size());
        assertEquals("valid frames", 500, recorder.emitsOn(Utils.DEFAULT_STREAM_ID).size());
        assertEquals("dead letters", 1, recorder.emitsOn(ParseBolt.INVALID_STREAM).size());
        assertTrue("none failed", recorder.failed.isEmpty());
    }
}
