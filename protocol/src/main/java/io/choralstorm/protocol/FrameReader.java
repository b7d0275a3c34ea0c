package io.choralstorm.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Map;

/** Reads one frame object from a positioned parser. One instance per frame; not thread-safe. */
final class FrameReader {
    enum Mode { DEVICE, RECORD }

    static final String DEVICE_ID = "device_id";
    static final String USER_SECRET = "user_secret";
    static final String DEVICE_DATA = "device_data";
    static final String DEVICE_TIMESTAMP = "device_timestamp";
    static final String RECEIVED_AT = "received_at";

    private static final int MAX_QUOTED_CHARS = 60;

    private final JsonParser parser;
    private final ValidationPolicy policy;
    private final Mode mode;
    private final long now;

    private String deviceId;
    private String secret;
    private Long deviceTimestamp;
    private Long receivedAt;
    private Map<String, Metric> metrics;
    private boolean secretSeen;

    FrameReader(JsonParser parser, ValidationPolicy policy, Mode mode, long now) {
        this.parser = parser;
        this.policy = policy;
        this.mode = mode;
        this.now = now;
    }

    /** Reads the fields of the object whose START_OBJECT the parser is on, through its END_OBJECT. */
    DeviceFrame readObject() throws IOException, FrameException {
        for (JsonToken token = nextOrFail(parser); token != JsonToken.END_OBJECT; token = nextOrFail(parser)) {
            String name = parser.currentName();
            readField(name, nextOrFail(parser));
        }

        if (deviceId == null) {
            throw new FrameException(ErrorCode.MISSING_FIELD, DEVICE_ID,
                "device_id is required: the device's id as a string, such as \"sensor-17\"");
        }
        if (metrics == null) {
            throw new FrameException(ErrorCode.MISSING_FIELD, DEVICE_DATA,
                "device_data is required: an object of metrics such as {\"temperature\": 21.5}");
        }
        long arrival = receivedAt != null ? receivedAt : now;
        boolean assigned = deviceTimestamp == null;
        long timestamp = assigned ? arrival : deviceTimestamp;
        if (!assigned) {
            TimestampRules.checkRange(timestamp, arrival, policy);
        }
        Frame frame = new Frame(deviceId, timestamp, arrival, assigned, new ArrayList<>(metrics.values()));
        return new DeviceFrame(frame, mode == Mode.DEVICE ? secret : null);
    }

    private void readField(String name, JsonToken value) throws IOException, FrameException {
        switch (name) {
            case DEVICE_ID:
                requireFirst(deviceId == null, name);
                deviceId = DeviceIds.read(parser, value, policy);
                break;
            case USER_SECRET:
                requireFirst(!secretSeen, name);
                secretSeen = true;
                secret = readSecret(value);
                break;
            case DEVICE_DATA:
                requireFirst(metrics == null, name);
                metrics = new MetricsReader(parser, policy).read(value);
                break;
            case DEVICE_TIMESTAMP:
                requireFirst(deviceTimestamp == null, name);
                deviceTimestamp = TimestampRules.read(parser, value, DEVICE_TIMESTAMP);
                break;
            case RECEIVED_AT:
                if (mode != Mode.RECORD) {
                    throw unknownField(name);
                }
                requireFirst(receivedAt == null, name);
                receivedAt = TimestampRules.read(parser, value, RECEIVED_AT);
                break;
            default:
                throw unknownField(name);
        }
    }

    private String readSecret(JsonToken value) throws IOException, FrameException {
        if (value != JsonToken.VALUE_STRING) {
            throw new FrameException(ErrorCode.WRONG_TYPE, USER_SECRET,
                "user_secret must be a string, got " + describe(value) + "; send the device's secret in quotes");
        }
        String text = parser.getText();
        if (text.isEmpty() || text.length() > policy.maxSecretLength()) {
            throw new FrameException(ErrorCode.INVALID_SECRET, USER_SECRET, "user_secret must hold 1 to "
                + policy.maxSecretLength() + " characters, got " + text.length()
                + "; leave the field out to send none");
        }
        if (MetricValues.unpairedSurrogate(text) >= 0) {
            throw new FrameException(ErrorCode.INVALID_SECRET, USER_SECRET,
                "user_secret holds an unpaired UTF-16 surrogate; send valid Unicode text");
        }
        return text;
    }

    private static void requireFirst(boolean first, String name) throws FrameException {
        if (!first) {
            throw new FrameException(ErrorCode.DUPLICATE_KEY, name,
                name + " appears more than once; send each field once");
        }
    }

    private static FrameException unknownField(String name) {
        return new FrameException(ErrorCode.UNKNOWN_FIELD, truncate(name), "unknown field " + quote(name)
            + "; a frame has only device_id, user_secret, device_data and device_timestamp (put readings "
            + "inside device_data)");
    }

    static JsonToken nextOrFail(JsonParser parser) throws IOException, FrameException {
        JsonToken token = parser.nextToken();
        if (token == null) {
            throw new FrameException(ErrorCode.MALFORMED_JSON, null,
                "the body holds no JSON value (it is empty or only whitespace); send one frame object or a "
                    + "batch array");
        }
        return token;
    }

    static void requireEnd(JsonParser parser) throws IOException, FrameException {
        if (parser.nextToken() != null) {
            throw new FrameException(ErrorCode.MALFORMED_JSON, null,
                "unexpected content after the JSON value; send one object or one array per request");
        }
    }

    /** Advances the parser until it is back in the container at {@code depth}, e.g. after a refused element. */
    static void skipTo(JsonParser parser, int depth) throws IOException, FrameException {
        while (parser.getParsingContext().getNestingDepth() > depth) {
            nextOrFail(parser);
        }
    }

    /** What the parser is on, with the value itself for a number, a string or a literal. */
    static String describe(JsonParser parser, JsonToken token) throws IOException {
        switch (token) {
            case VALUE_STRING:
                return "the string " + quote(parser.getText());
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return "the number " + truncate(parser.getText());
            case VALUE_TRUE:
            case VALUE_FALSE:
            case VALUE_NULL:
                return parser.getText();
            default:
                return describe(token);
        }
    }

    /** What the parser is on, by kind only (for values that must not be repeated, such as a secret). */
    static String describe(JsonToken token) {
        switch (token) {
            case START_OBJECT:
                return "an object";
            case START_ARRAY:
                return "an array";
            case VALUE_STRING:
                return "a string";
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return "a number";
            case VALUE_TRUE:
            case VALUE_FALSE:
                return "a boolean";
            case VALUE_NULL:
                return "null";
            default:
                return token.asString() == null ? token.name() : token.asString();
        }
    }

    /** The text in double quotes, cut to {@value #MAX_QUOTED_CHARS} characters. */
    static String quote(String text) {
        return "\"" + truncate(text) + "\"";
    }

    /** The text cut to {@value #MAX_QUOTED_CHARS} characters (never inside a surrogate pair), "..." marking a cut. */
    static String truncate(String text) {
        if (text.length() <= MAX_QUOTED_CHARS) {
            return text;
        }
        boolean pairCut = Character.isHighSurrogate(text.charAt(MAX_QUOTED_CHARS - 1));
        int end = pairCut ? MAX_QUOTED_CHARS - 1 : MAX_QUOTED_CHARS;
        return text.substring(0, end) + "...";
    }
}
