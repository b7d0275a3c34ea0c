package io.choralstorm.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads device_data: nested objects are flattened to dotted names ({@code {"dht":{"t":1}}} is the
 * metric {@code dht.t}), at most {@link ValidationPolicy#maxNestingDepth()} objects deep counting
 * device_data itself. Every flattened name, of a value or of a nested object, may appear once: a
 * duplicate key at any level, or two spellings of one name ({@code "a.b"} and {@code {"a":{"b":..}}}),
 * is refused. One instance per frame.
 */
final class MetricsReader {
    private final JsonParser parser;
    private final ValidationPolicy policy;
    private final Map<String, Metric> metrics = new LinkedHashMap<>();
    private Set<String> objectNames;

    MetricsReader(JsonParser parser, ValidationPolicy policy) {
        this.parser = parser;
        this.policy = policy;
    }

    Map<String, Metric> read(JsonToken value) throws IOException, FrameException {
        if (value != JsonToken.START_OBJECT) {
            throw new FrameException(ErrorCode.WRONG_TYPE, FrameReader.DEVICE_DATA,
                "device_data must be an object of metrics such as {\"temperature\": 21.5}, got "
                    + FrameReader.describe(parser, value));
        }
        readInto("", 1);
        if (metrics.isEmpty()) {
            throw new FrameException(ErrorCode.NO_METRICS, FrameReader.DEVICE_DATA,
                "device_data holds no metric; send at least one, such as {\"temperature\": 21.5}");
        }
        return metrics;
    }

    private void readInto(String prefix, int depth) throws IOException, FrameException {
        for (JsonToken token = FrameReader.nextOrFail(parser); token != JsonToken.END_OBJECT;
                token = FrameReader.nextOrFail(parser)) {
            String key = parser.currentName();
            String name = prefix.isEmpty() ? key : prefix + "." + key;
            MetricNames.check(key, name, policy);

            JsonToken value = FrameReader.nextOrFail(parser);
            if (value == JsonToken.START_OBJECT) {
                readNested(name, depth);
            } else {
                add(MetricValues.read(parser, value, name, policy));
            }
        }
    }

    private void readNested(String name, int depth) throws IOException, FrameException {
        if (depth >= policy.maxNestingDepth()) {
            throw new FrameException(ErrorCode.NESTING_TOO_DEEP, field(name), "device_data nests at most "
                + policy.maxNestingDepth() + " objects deep (device_data included); " + FrameReader.quote(name)
                + " goes deeper: send a flatter object or dotted names such as \"dht.t\"");
        }
        if (objectNames == null) {
            objectNames = new HashSet<>();
        }
        if (metrics.containsKey(name) || !objectNames.add(name)) {
            throw duplicate(name);
        }

        int before = metrics.size();
        readInto(name, depth + 1);
        if (metrics.size() == before) {
            throw new FrameException(ErrorCode.INVALID_METRIC_VALUE, field(name), "the object "
                + FrameReader.quote(name) + " holds no metric; leave it out when the sensor has no value");
        }
    }

    private void add(Metric metric) throws FrameException {
        boolean nameOfObject = objectNames != null && objectNames.contains(metric.name());
        if (nameOfObject || metrics.putIfAbsent(metric.name(), metric) != null) {
            throw duplicate(metric.name());
        }
        if (metrics.size() > policy.maxMetrics()) {
            throw new FrameException(ErrorCode.TOO_MANY_METRICS, FrameReader.DEVICE_DATA,
                "device_data holds more than " + policy.maxMetrics() + " metrics (counted after flattening); "
                    + "split the readings over several frames");
        }
    }

    private static FrameException duplicate(String name) {
        return new FrameException(ErrorCode.DUPLICATE_KEY, field(name), "metric " + FrameReader.quote(name)
            + " appears more than once; send each name once (nested objects are flattened to dotted names, "
            + "so {\"a\":{\"b\":1}} and {\"a.b\":1} name the same metric)");
    }

    private static String field(String name) {
        return FrameReader.DEVICE_DATA + "." + FrameReader.truncate(name);
    }
}
