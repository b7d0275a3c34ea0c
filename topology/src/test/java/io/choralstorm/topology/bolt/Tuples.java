package io.choralstorm.topology.bolt;

import java.util.Arrays;
import java.util.List;
import org.apache.storm.Constants;
import org.apache.storm.Testing;
import org.apache.storm.testing.MkTupleParam;
import org.apache.storm.tuple.Tuple;

/** Real Storm tuples for bolt tests. */
final class Tuples {
    private Tuples() {
    }

    /** A frame tuple as ParseBolt emits it. */
    static Tuple frame(io.choralstorm.protocol.Frame frame) {
        return of(List.of(ParseBolt.DEVICE_ID, ParseBolt.FRAME), frame.deviceId(), frame);
    }

    static Tuple of(List<String> fields, Object... values) {
        MkTupleParam param = new MkTupleParam();
        param.setFieldsList(fields);
        return Testing.testTuple(Arrays.asList(values), param);
    }

    /** A record tuple as the spout emits it; {@code value} may be null (a tombstone). */
    static Tuple record(String key, String value) {
        MkTupleParam param = new MkTupleParam();
        param.setFields(ParseBolt.DEVICE_ID, ParseBolt.VALUE);
        return Testing.testTuple(Arrays.asList(key, value), param);
    }

    static Tuple tick() {
        MkTupleParam param = new MkTupleParam();
        param.setComponent(Constants.SYSTEM_COMPONENT_ID);
        param.setStream(Constants.SYSTEM_TICK_STREAM_ID);
        param.setFields("rate_secs");
        return Testing.testTuple(List.of(1), param);
    }
}
