package io.choralstorm.topology.deadletter;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.choralstorm.topology.bolt.ParseBolt;
import java.util.Arrays;
import org.apache.storm.Testing;
import org.apache.storm.testing.MkTupleParam;
import org.apache.storm.tuple.Tuple;
import org.junit.Test;

public class DeadLetterMapperTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    public void deadLetterKeepsKeyReasonAndTheOriginalRecordIntact() throws Exception {
        // given an invalid-stream tuple whose record is not even JSON
        String original = "{'device_id': \"t-01\"\n\u00e9";
        Tuple tuple = invalid("t-01", original, "malformed_json", null, "not JSON at line 1");

        // when mapped
        DeadLetterMapper mapper = new DeadLetterMapper();
        JsonNode value = json.readTree(mapper.getMessageFromTuple(tuple));

        // then key and JSON envelope carry everything, the record byte-for-byte as a string
        assertEquals("key", "t-01", mapper.getKeyFromTuple(tuple));
        assertEquals("reason", "malformed_json", value.get("reason").asText());
        assertTrue("field is null", value.get("field").isNull());
        assertEquals("message", "not JSON at line 1", value.get("message").asText());
        assertEquals("record", original, value.get("record").asText());
    }

    @Test
    public void exactEnvelopeFormat() {
        assertEquals("envelope",
            "{\"reason\":\"wrong_type\",\"field\":\"device_data\",\"message\":\"m\",\"record\":\"{}\"}",
            DeadLetterRecord.toJson("wrong_type", "device_data", "m", "{}"));
    }

    @Test
    public void emptyRecordHasNullKeyAndRecord() throws Exception {
        Tuple tuple = invalid(null, null, ParseBolt.EMPTY_RECORD, null, "the record has no value");
        DeadLetterMapper mapper = new DeadLetterMapper();

        assertEquals("key", null, mapper.getKeyFromTuple(tuple));
        assertTrue("record is null", json.readTree(mapper.getMessageFromTuple(tuple)).get("record").isNull());
    }

    private static Tuple invalid(String key, String value, String reason, String field, String message) {
        MkTupleParam param = new MkTupleParam();
        param.setStream(ParseBolt.INVALID_STREAM);
        param.setFields(ParseBolt.KEY, ParseBolt.VALUE, ParseBolt.REASON, ParseBolt.FIELD, ParseBolt.MESSAGE);
        return Testing.testTuple(Arrays.asList(key, value, reason, field, message), param);
    }
}
