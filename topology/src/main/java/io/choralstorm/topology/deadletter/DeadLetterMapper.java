package io.choralstorm.topology.deadletter;

import io.choralstorm.topology.bolt.ParseBolt;
import org.apache.storm.kafka.bolt.mapper.TupleToKafkaMapper;
import org.apache.storm.tuple.Tuple;

/**
 * Maps a tuple of {@link ParseBolt#INVALID_STREAM} to a dead-letter record: the original key, and a
 * {@link DeadLetterRecord} as value.
 */
public final class DeadLetterMapper implements TupleToKafkaMapper<String, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public String getKeyFromTuple(Tuple tuple) {
        return tuple.getStringByField(ParseBolt.KEY);
    }

    @Override
    public String getMessageFromTuple(Tuple tuple) {
        return DeadLetterRecord.toJson(tuple.getStringByField(ParseBolt.REASON),
            tuple.getStringByField(ParseBolt.FIELD), tuple.getStringByField(ParseBolt.MESSAGE),
            tuple.getStringByField(ParseBolt.VALUE));
    }
}
