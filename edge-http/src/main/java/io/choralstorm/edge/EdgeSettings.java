package io.choralstorm.edge;

import io.choralstorm.protocol.ValidationPolicy;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * The settings every edge server shares (the gateway and each cluster server read frames by the
 * same rules), defined once here.
 */
public final class EdgeSettings {
    public static final String MAX_BODY_BYTES = "edge.max.body.bytes";
    public static final String MAX_BATCH_FRAMES = "protocol.max.batch.frames";
    public static final String MAX_FUTURE_SKEW_MS = "protocol.max.future.skew.ms";
    public static final String MIN_TIMESTAMP_MS = "protocol.min.timestamp.ms";

    private EdgeSettings() {
    }

    /** Adds the shared keys to {@code def}. */
    public static ConfigDef define(ConfigDef def) {
        return def
            .define(MAX_BODY_BYTES, Type.INT, 1 << 20, Range.atLeast(1024), Importance.MEDIUM,
                "Largest request body in bytes, on the wire and after gzip inflation; larger bodies get 413.")
            .define(MAX_BATCH_FRAMES, Type.INT, ValidationPolicy.DEFAULT_MAX_BATCH_SIZE, Range.atLeast(1),
                Importance.MEDIUM, "Most frames in one batch request.")
            .define(MAX_FUTURE_SKEW_MS, Type.LONG, ValidationPolicy.DEFAULT_MAX_FUTURE_SKEW_MS, Range.atLeast(0),
                Importance.MEDIUM, "How far ahead of the server clock a device_timestamp may be, in ms.")
            .define(MIN_TIMESTAMP_MS, Type.LONG, ValidationPolicy.DEFAULT_MIN_TIMESTAMP_MS, Range.atLeast(1),
                Importance.LOW, "Earliest accepted device_timestamp, in epoch ms (default 2000-01-01).");
    }

    public static ValidationPolicy validationPolicy(AbstractConfig config) {
        return ValidationPolicy.defaults()
            .withMaxBatchSize(config.getInt(MAX_BATCH_FRAMES))
            .withMaxFutureSkewMs(config.getLong(MAX_FUTURE_SKEW_MS))
            .withMinTimestampMs(config.getLong(MIN_TIMESTAMP_MS));
    }

    public static RequestBodyReader bodyReader(AbstractConfig config) {
        return new RequestBodyReader(config.getInt(MAX_BODY_BYTES));
    }
}
