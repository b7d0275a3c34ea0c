package io.choralstorm.protocol;

import java.time.Instant;

/**
 * The limits a frame must respect. Immutable; {@link #defaults()} gives the documented contract
 * (docs/protocol.md) and the {@code with...} methods derive a policy with one limit changed. The
 * three limits a server may change are read from the settings named by the {@code ..._SETTING} keys.
 */
public final class ValidationPolicy {
    /** The server setting behind {@link #minTimestampMs()}. */
    public static final String MIN_TIMESTAMP_SETTING = "protocol.min.timestamp.ms";
    /** The server setting behind {@link #maxFutureSkewMs()}. */
    public static final String FUTURE_SKEW_SETTING = "protocol.max.future.skew.ms";
    /** The server setting behind {@link #maxBatchSize()}. */
    public static final String BATCH_SIZE_SETTING = "protocol.max.batch.frames";

    /** 2000-01-01T00:00:00Z: readings older than this are refused as implausible. */
    public static final long DEFAULT_MIN_TIMESTAMP_MS = Instant.parse("2000-01-01T00:00:00Z").toEpochMilli();
    public static final long DEFAULT_MAX_FUTURE_SKEW_MS = 10 * 60 * 1000L;
    public static final int DEFAULT_MAX_DEVICE_ID_LENGTH = 128;
    public static final int DEFAULT_MAX_SECRET_LENGTH = 256;
    public static final int DEFAULT_MAX_METRICS = 256;
    public static final int DEFAULT_MAX_METRIC_NAME_LENGTH = 128;
    public static final int DEFAULT_MAX_NESTING_DEPTH = 3;
    public static final int DEFAULT_MAX_STRING_VALUE_LENGTH = 256;
    public static final int DEFAULT_MAX_BATCH_SIZE = 1000;
    /** Longest text of a JSON number in device_data, in characters. */
    public static final int DEFAULT_MAX_NUMBER_LENGTH = 64;
    /** Deepest JSON structure the parser reads at all, counting a batch array and the frame object. */
    public static final int DEFAULT_MAX_JSON_DEPTH = 16;

    private final long minTimestampMs;
    private final long maxFutureSkewMs;
    private final int maxBatchSize;

    private ValidationPolicy(long minTimestampMs, long maxFutureSkewMs, int maxBatchSize) {
        if (minTimestampMs <= 0) {
            throw new IllegalArgumentException("minimum timestamp must be positive epoch ms, got " + minTimestampMs);
        }
        if (maxFutureSkewMs < 0) {
            throw new IllegalArgumentException("future skew must be >= 0 ms, got " + maxFutureSkewMs);
        }
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("batch size limit must be >= 1, got " + maxBatchSize);
        }
        this.minTimestampMs = minTimestampMs;
        this.maxFutureSkewMs = maxFutureSkewMs;
        this.maxBatchSize = maxBatchSize;
    }

    public static ValidationPolicy defaults() {
        return new ValidationPolicy(DEFAULT_MIN_TIMESTAMP_MS, DEFAULT_MAX_FUTURE_SKEW_MS, DEFAULT_MAX_BATCH_SIZE);
    }

    public ValidationPolicy withMinTimestampMs(long value) {
        return new ValidationPolicy(value, maxFutureSkewMs, maxBatchSize);
    }

    public ValidationPolicy withMaxFutureSkewMs(long value) {
        return new ValidationPolicy(minTimestampMs, value, maxBatchSize);
    }

    public ValidationPolicy withMaxBatchSize(int value) {
        return new ValidationPolicy(minTimestampMs, maxFutureSkewMs, value);
    }

    public long minTimestampMs() {
        return minTimestampMs;
    }

    public long maxFutureSkewMs() {
        return maxFutureSkewMs;
    }

    public int maxBatchSize() {
        return maxBatchSize;
    }

    public int maxDeviceIdLength() {
        return DEFAULT_MAX_DEVICE_ID_LENGTH;
    }

    public int maxSecretLength() {
        return DEFAULT_MAX_SECRET_LENGTH;
    }

    public int maxMetrics() {
        return DEFAULT_MAX_METRICS;
    }

    public int maxMetricNameLength() {
        return DEFAULT_MAX_METRIC_NAME_LENGTH;
    }

    public int maxNestingDepth() {
        return DEFAULT_MAX_NESTING_DEPTH;
    }

    public int maxStringValueLength() {
        return DEFAULT_MAX_STRING_VALUE_LENGTH;
    }

    public int maxNumberLength() {
        return DEFAULT_MAX_NUMBER_LENGTH;
    }

    public int maxJsonDepth() {
        return DEFAULT_MAX_JSON_DEPTH;
    }

    @Override
    public String toString() {
        return "ValidationPolicy{minTimestampMs=" + minTimestampMs + ", maxFutureSkewMs=" + maxFutureSkewMs
            + ", maxBatchSize=" + maxBatchSize + "}";
    }
}
