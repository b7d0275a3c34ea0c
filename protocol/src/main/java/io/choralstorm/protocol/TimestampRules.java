package io.choralstorm.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * The device_timestamp rule: integral epoch milliseconds, within [policy minimum, receive time +
 * allowed future skew]. Values that look like another unit are refused with a message naming the
 * unit that was probably sent.
 */
final class TimestampRules {
    /** Below this, a value is taken for epoch seconds (as milliseconds it would be before 1973-03-03). */
    static final long SECONDS_CEILING = 100_000_000_000L;
    /** From this on, a value is taken for microseconds (as milliseconds it would be after the year 5138). */
    static final long MICROS_FLOOR = 100_000_000_000_000L;
    /** From this on, a value is taken for nanoseconds. */
    static final long NANOS_FLOOR = 100_000_000_000_000_000L;

    private TimestampRules() {
    }

    /** Reads an integral JSON number; the range is checked by {@link #checkRange}. */
    static long read(JsonParser parser, JsonToken value, String field) throws IOException, FrameException {
        if (value == JsonToken.VALUE_NUMBER_INT) {
            if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                throw new FrameException(ErrorCode.TIMESTAMP_IN_NANOSECONDS, field, field + " "
                    + FrameReader.truncate(parser.getText()) + " is far too large for epoch milliseconds");
            }
            return parser.getLongValue();
        }
        if (value == JsonToken.VALUE_NUMBER_FLOAT) {
            return integral(parser.getDecimalValue(), parser.getText(), field);
        }
        String hint = value == JsonToken.VALUE_STRING ? "; send the number without quotes" : "";
        throw new FrameException(ErrorCode.WRONG_TYPE, field,
            field + " must be a JSON number of epoch milliseconds, got " + FrameReader.describe(value) + hint);
    }

    static void checkRange(long ts, long receivedAt, ValidationPolicy policy) throws FrameException {
        String field = FrameReader.DEVICE_TIMESTAMP;
        if (ts <= 0) {
            throw new FrameException(ErrorCode.TIMESTAMP_NOT_POSITIVE, field,
                "device_timestamp " + ts + " is not a positive epoch millisecond count");
        }
        if (ts < SECONDS_CEILING) {
            throw new FrameException(ErrorCode.TIMESTAMP_IN_SECONDS, field, "device_timestamp " + ts
                + " looks like epoch seconds; send epoch milliseconds (" + ts + "000)");
        }
        if (ts >= NANOS_FLOOR) {
            throw new FrameException(ErrorCode.TIMESTAMP_IN_NANOSECONDS, field, "device_timestamp " + ts
                + " looks like epoch nanoseconds; send epoch milliseconds (divide by 1000000)");
        }
        if (ts >= MICROS_FLOOR) {
            throw new FrameException(ErrorCode.TIMESTAMP_IN_MICROSECONDS, field, "device_timestamp " + ts
                + " looks like epoch microseconds; send epoch milliseconds (divide by 1000)");
        }
        if (ts < policy.minTimestampMs()) {
            throw new FrameException(ErrorCode.TIMESTAMP_TOO_OLD, field, "device_timestamp " + ts + " ("
                + Instant.ofEpochMilli(ts) + ") is before the earliest accepted time "
                + Instant.ofEpochMilli(policy.minTimestampMs()));
        }
        if (ts > receivedAt + policy.maxFutureSkewMs()) {
            throw new FrameException(ErrorCode.TIMESTAMP_IN_FUTURE, field, "device_timestamp " + ts + " ("
                + Instant.ofEpochMilli(ts) + ") is more than " + policy.maxFutureSkewMs()
                + " ms ahead of the server clock (" + Instant.ofEpochMilli(receivedAt) + "); check the device clock");
        }
    }

    private static long integral(BigDecimal value, String text, String field) throws FrameException {
        BigDecimal stripped = value.stripTrailingZeros();
        if (stripped.scale() > 0) {
            String unit = value.abs().compareTo(BigDecimal.valueOf(SECONDS_CEILING)) < 0
                ? " (it looks like epoch seconds with a fraction)" : "";
            throw new FrameException(ErrorCode.TIMESTAMP_NOT_INTEGRAL, field, field + " "
                + FrameReader.truncate(text) + " has a fraction" + unit + "; send integral epoch milliseconds");
        }
        if (stripped.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new FrameException(ErrorCode.TIMESTAMP_IN_NANOSECONDS, field, field + " "
                + FrameReader.truncate(text) + " is far too large for epoch milliseconds");
        }
        if (stripped.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) < 0) {
            throw new FrameException(ErrorCode.TIMESTAMP_NOT_POSITIVE, field, field + " "
                + FrameReader.truncate(text) + " is not a positive epoch millisecond count");
        }
        return stripped.longValueExact();
    }
}
