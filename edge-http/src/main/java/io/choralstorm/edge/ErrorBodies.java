package io.choralstorm.edge;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.choralstorm.protocol.FrameRejection;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * The JSON bodies of edge answers. An error is
 * {@code {"error": {"code", "message", "field", "index"}, "errors": [...]}} where {@code errors}
 * lists every rejection of a batch (the first is repeated as {@code error}).
 */
public final class ErrorBodies {
    private static final JsonFactory JSON = new JsonFactory();

    private ErrorBodies() {
    }

    public static String error(EdgeException e) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeFieldName("error");
            if (e.rejections().isEmpty()) {
                writeError(json, e.code(), e.getMessage(), null, -1);
            } else {
                writeRejection(json, e.rejections().get(0));
                json.writeArrayFieldStart("errors");
                for (FrameRejection rejection : e.rejections()) {
                    writeRejection(json, rejection);
                }
                json.writeEndArray();
            }
            json.writeEndObject();
        } catch (IOException io) {
            throw new UncheckedIOException("writing an error body to memory failed", io);
        }
        return out.toString();
    }

    /** {@code {"accepted": n}}: the answer once Kafka has acknowledged every frame. */
    public static String accepted(int frames) {
        return "{\"accepted\":" + frames + "}";
    }

    private static void writeRejection(JsonGenerator json, FrameRejection rejection) throws IOException {
        writeError(json, rejection.code().wireName(), rejection.message(), rejection.field(), rejection.index());
    }

    private static void writeError(JsonGenerator json, String code, String message, String field, int index)
            throws IOException {
        json.writeStartObject();
        json.writeStringField("code", code);
        json.writeStringField("message", message);
        if (field != null) {
            json.writeStringField("field", field);
        }
        if (index >= 0) {
            json.writeNumberField("index", index);
        }
        json.writeEndObject();
    }
}
