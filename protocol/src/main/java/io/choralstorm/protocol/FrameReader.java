package io.choralstorm.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
            throw new FrameException(ErrorCode.MISSING_FIELD, DEVICE_ID, "device_id is required");
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
                "user_secret must be a string, got " + describe(value));
        }
        String text = parser.getText();
        if (text.isEmpty() || text.length() > policy.maxSecretLength()) {
            throw new FrameException(ErrorCode.INVALID_SECRET, USER_SECRET,
                "user_secret must hold 1 to " + policy.maxSecretLength() + " characters, got " + text.length());
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
        return new FrameException(ErrorCode.UNKNOWN_FIELD, quote(name), "unknown field " + quote(name)
            + "; a frame has device_id, user_secret, device_data and device_timestamp");
    }

    static JsonToken nextOrFail(JsonParser parser) throws IOException, FrameException {
        JsonToken token = parser.nextToken();
        if (token == null) {
            throw new FrameException(ErrorCode.MALFORMED_JSON, null, "the body ends before the JSON value is complete");
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

    static FrameException malformed(JsonProcessingException e) {
        String detail = e.getOriginalMessage();
        String message;
        if (detail.contains("'NaN'") || detail.contains("Infinity'")) {
            message = "NaN and Infinity are not JSON numbers; send a finite number or leave the metric out";
        } else if (detail.contains("UTF-8") || detail.contains("UTF8")) {
            message = "the body is not valid UTF-8";
        } else {
            message = "the body is not valid JSON: " + truncate(detail.replace('\n', ' '));
        }
        var location = e.getLocation();
        if (location != null && location.getLineNr() > 0) {
            message += " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
        }
        return new FrameException(ErrorCode.MALFORMED_JSON, null, message);
    }

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

    static String quote(String text) {
        return "\"" + truncate(text) + "\"";
    }

    static String truncate(String text) {
        return text.length() <= MAX_QUOTED_CHARS ? text : text.substring(0, MAX_QUOTED_CHARS) + "...";
    }

    /** The device id rule: a string of printable characters, compared after Unicode NFC normalization. */
    static final class DeviceIds {
        private DeviceIds() {
        }

        static String read(JsonParser parser, JsonToken value, ValidationPolicy policy)
                throws IOException, FrameException {
            if (value != JsonToken.VALUE_STRING) {
                throw new FrameException(ErrorCode.WRONG_TYPE, DEVICE_ID,
                    "device_id must be a string such as \"sensor-17\", got " + describe(value));
            }
            String raw = parser.getText();
            String id = Normalizer.isNormalized(raw, Normalizer.Form.NFC) ? raw
                : Normalizer.normalize(raw, Normalizer.Form.NFC);
            check(id, policy);
            return id;
        }

        private static void check(String id, ValidationPolicy policy) throws FrameException {
            int length = id.codePointCount(0, id.length());
            if (length == 0 || length > policy.maxDeviceIdLength()) {
                throw invalid("device_id must hold 1 to " + policy.maxDeviceIdLength() + " characters, got " + length);
            }
            if (Character.isWhitespace(id.codePointAt(0)) || Character.isWhitespace(id.codePointBefore(id.length()))) {
                throw invalid("device_id must not start or end with whitespace: " + quote(id));
            }
            for (int i = 0; i < id.length(); i++) {
                char c = id.charAt(i);
                int type = Character.getType(c);
                if (type == Character.CONTROL || type == Character.FORMAT) {
                    throw invalid("device_id must not contain control or invisible characters (U+"
                        + String.format("%04X", (int) c) + " at position " + i + ")");
                }
                if (Character.isHighSurrogate(c) && i + 1 < id.length() && Character.isLowSurrogate(id.charAt(i + 1))) {
                    i++;
                } else if (Character.isSurrogate(c)) {
                    throw invalid("device_id holds an unpaired UTF-16 surrogate at position " + i);
                }
            }
        }

        private static FrameException invalid(String message) {
            return new FrameException(ErrorCode.INVALID_DEVICE_ID, DEVICE_ID, message);
        }
    }

    /** Reads device_data: flattens nested objects to dotted names and classifies each value. */
    static final class MetricsReader {
        private final JsonParser parser;
        private final ValidationPolicy policy;
        private final Map<String, Metric> metrics = new LinkedHashMap<>();

        MetricsReader(JsonParser parser, ValidationPolicy policy) {
            this.parser = parser;
            this.policy = policy;
        }

        Map<String, Metric> read(JsonToken value) throws IOException, FrameException {
            if (value != JsonToken.START_OBJECT) {
                throw new FrameException(ErrorCode.WRONG_TYPE, DEVICE_DATA,
                    "device_data must be an object of metrics such as {\"temperature\": 21.5}, got " + describe(value));
            }
            readInto("", 1);
            if (metrics.isEmpty()) {
                throw new FrameException(ErrorCode.NO_METRICS, DEVICE_DATA,
                    "device_data holds no metric; send at least one, such as {\"temperature\": 21.5}");
            }
            return metrics;
        }

        private void readInto(String prefix, int depth) throws IOException, FrameException {
            for (JsonToken token = nextOrFail(parser); token != JsonToken.END_OBJECT; token = nextOrFail(parser)) {
                String key = parser.currentName();
                String name = prefix.isEmpty() ? key : prefix + "." + key;
                MetricNames.check(key, name, policy);

                JsonToken value = nextOrFail(parser);
                if (value == JsonToken.START_OBJECT) {
                    if (depth >= policy.maxNestingDepth()) {
                        throw new FrameException(ErrorCode.NESTING_TOO_DEEP, DEVICE_DATA + "." + name,
                            "device_data nests at most " + policy.maxNestingDepth() + " objects deep");
                    }
                    readInto(name, depth + 1);
                } else {
                    add(MetricValues.read(parser, value, name, policy));
                }
            }
        }

        private void add(Metric metric) throws FrameException {
            if (metrics.putIfAbsent(metric.name(), metric) != null) {
                throw new FrameException(ErrorCode.DUPLICATE_KEY, DEVICE_DATA + "." + metric.name(),
                    "metric " + quote(metric.name()) + " appears more than once (nested objects are flattened to "
                        + "dotted names, so {\"a\":{\"b\":1}} and {\"a.b\":1} name the same metric)");
            }
            if (metrics.size() > policy.maxMetrics()) {
                throw new FrameException(ErrorCode.TOO_MANY_METRICS, DEVICE_DATA,
                    "device_data holds more than " + policy.maxMetrics() + " metrics; split the frame");
            }
        }
    }
}
