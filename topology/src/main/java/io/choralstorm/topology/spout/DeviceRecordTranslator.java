package io.choralstorm.topology.spout;

import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.storm.kafka.spout.RecordTranslator;
import org.apache.storm.tuple.Fields;
import org.apache.storm.tuple.Values;

/** Turns a frame record (key = device_id, value = frame JSON) into the tuple (device_id, value). */
public final class DeviceRecordTranslator implements RecordTranslator<String, String> {
    private static final long serialVersionUID = 1L;

    public static final String DEVICE_ID = "device_id";
    public static final String VALUE = "value";
    private static final Fields FIELDS = new Fields(DEVICE_ID, VALUE);

    @Override
    public List<Object> apply(ConsumerRecord<String, String> record) {
        return new Values(record.key(), record.value());
    }

    @Override
    public Fields getFieldsFor(String stream) {
        return FIELDS;
    }
}
