package io.choralstorm.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * Writes frames in the form they travel in after the edge: the Kafka record value and the
 * {@code device_data} JSON that raw storage keeps. Values are written as the device sent them
 * (a number keeps its digits, a numeric string stays a string). The secret is never written.
 */
public final class FrameWriter {
    private static final JsonFactory JSON = new JsonFactory();

    private FrameWriter() {
    }

    /** {@code {"device_id":..,"device_data":{..},"device_timestamp":..,"received_at":..}} as UTF-8. */
    public static byte[] toRecord(Frame frame) {
        try (ByteArrayBuilder bytes = new ByteArrayBuilder(128 + 32 * frame.metrics().size());
             JsonGenerator json = JSON.createGenerator(bytes)) {
            json.writeStartObject();
            json.writeStringField(FrameReader.DEVICE_ID, frame.deviceId());
            json.writeFieldName(FrameReader.DEVICE_DATA);
            writeData(json, frame);
            json.writeNumberField(FrameReader.DEVICE_TIMESTAMP, frame.deviceTimestamp());
            json.writeNumberField(FrameReader.RECEIVED_AT, frame.receivedAt());
            json.writeEndObject();
            json.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("writing a frame to memory failed", e);
        }
    }

    /** The frame's metrics as one flat JSON object, values as sent. */
    public static String dataJson(Frame frame) {
        StringWriter out = new StringWriter(32 * frame.metrics().size());
        try (JsonGenerator json = JSON.createGenerator(out)) {
            writeData(json, frame);
        } catch (IOException e) {
            throw new UncheckedIOException("writing a frame to memory failed", e);
        }
        return out.toString();
    }

    private static void writeData(JsonGenerator json, Frame frame) throws IOException {
        json.writeStartObject();
        for (Metric metric : frame.metrics()) {
            json.writeFieldName(metric.name());
            switch (metric.kind()) {
                case NUMBER:
                    json.writeNumber(metric.text());
                    break;
                case BOOLEAN:
                    json.writeBoolean(Boolean.parseBoolean(metric.text()));
                    break;
                default:
                    json.writeString(metric.text());
            }
        }
        json.writeEndObject();
    }
}
