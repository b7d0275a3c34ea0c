package io.choralstorm.topology.deadletter;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * The value of a dead-letter record:
 * {@code {"reason":"malformed_json","field":"device_data","message":"...","record":"<original value>"}}.
 * {@code reason} is a stable error code; {@code field} and {@code record} are null when unknown or absent.
 * The original record travels as a JSON string, so a record that is not JSON at all survives intact.
 */
public final class DeadLetterRecord {
    private static final JsonFactory JSON = new JsonFactory();

    private DeadLetterRecord() {
    }

    public static String toJson(String reason, String field, String message, String record) {
        StringWriter out = new StringWriter(96 + (record == null ? 0 : record.length()));
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("reason", reason);
            json.writeStringField("field", field);
            json.writeStringField("message", message);
            json.writeStringField("record", record);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing a dead-letter record to memory failed", e);
        }
        return out.toString();
    }
}
