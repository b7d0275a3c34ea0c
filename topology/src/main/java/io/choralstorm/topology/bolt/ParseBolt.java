package io.choralstorm.topology.bolt;

import io.choralstorm.protocol.Frame;
import io.choralstorm.protocol.FrameException;
import io.choralstorm.protocol.FrameValidator;
import io.choralstorm.protocol.ValidationPolicy;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.storm.task.OutputCollector;
import org.apache.storm.task.TopologyContext;
import org.apache.storm.topology.OutputFieldsDeclarer;
import org.apache.storm.topology.base.BaseRichBolt;
import org.apache.storm.tuple.Fields;
import org.apache.storm.tuple.Tuple;
import org.apache.storm.tuple.Values;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads each Kafka record into a {@link Frame} with the shared protocol validator.
 *
 * <p>A valid record is emitted on the default stream as (device_id, frame). A record that cannot be read
 * is never failed (a replay could not fix it and would stall the partition): it is emitted on
 * {@link #INVALID_STREAM} with the reason, for the dead-letter topic. Either way the input is acked
 * after the anchored emit.
 */
public final class ParseBolt extends BaseRichBolt {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ParseBolt.class);

    public static final String INVALID_STREAM = "invalid";
    public static final String DEVICE_ID = "device_id";
    public static final String FRAME = "frame";
    public static final String KEY = "key";
    public static final String VALUE = "value";
    public static final String REASON = "reason";
    public static final String FIELD = "field";
    public static final String MESSAGE = "message";

    /** Reason of a record with no value (a tombstone). */
    public static final String EMPTY_RECORD = "empty_record";
    /** Reason of a record the validator failed on unexpectedly; the error is also reported. */
    public static final String UNREADABLE_RECORD = "unreadable_record";

    private transient FrameValidator validator;
    private transient OutputCollector collector;

    @Override
    public void prepare(Map<String, Object> conf, TopologyContext context, OutputCollector outputCollector) {
        this.collector = outputCollector;
        this.validator = new FrameValidator(ValidationPolicy.defaults());
    }

    @Override
    public void execute(Tuple input) {
        String key = input.getStringByField(DEVICE_ID);
        String value = input.getStringByField(VALUE);
        if (value == null) {
            refuse(input, key, null, EMPTY_RECORD, null, "the record has no value");
        } else {
            parse(input, key, value);
        }
        collector.ack(input);
    }

    @Override
    public void declareOutputFields(OutputFieldsDeclarer declarer) {
        declarer.declare(new Fields(DEVICE_ID, FRAME));
        declarer.declareStream(INVALID_STREAM, new Fields(KEY, VALUE, REASON, FIELD, MESSAGE));
    }

    private void parse(Tuple input, String key, String value) {
        try {
            Frame frame = validator.parseRecord(value.getBytes(StandardCharsets.UTF_8));
            collector.emit(input, new Values(frame.deviceId(), frame));
        } catch (FrameException e) {
            refuse(input, key, value, e.code().wireName(), e.field(), e.primary().message());
        } catch (RuntimeException e) {
            collector.reportError(e);
            refuse(input, key, value, UNREADABLE_RECORD, null, "the validator failed on this record: " + e);
        }
    }

    private void refuse(Tuple input, String key, String value, String reason, String field, String message) {
        LOG.trace("[choralstorm] record refused: {} (field {})", reason, field);
        collector.emit(INVALID_STREAM, input, new Values(key, value, reason, field, message));
    }
}
