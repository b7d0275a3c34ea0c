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
    /** From this on, a value with a fraction is taken for epoch seconds (1973-03-03 in seconds). */
    static final long SECONDS_FLOOR = 100_000_000L;
    /** From this on, a value is taken for microseconds (as milliseconds it would be after the year 5138). */
    static final long MICROS_FLOOR = 100_000_000_000_000L;
    /** From this on, a value is taken for nanoseconds. */
    static final long NANOS_FLOOR = 100_000_000_000_000_000L;
    /** Magnitudes from this on cannot be held by a long (a bound with room for rounding of the double). */
    private static final double LONG_RANGE = 9.2e18;

    private TimestampRules() {
    }

    /** Reads an integral JSON number; the range is checked by {@link #checkRange}. */
    static long read(JsonParser parser, JsonToken value, String field) throws IOException, FrameException {
        if (!value.isNumeric()) {
            String hint = value == JsonToken.VALUE_STRING ? "; send the number without quotes"
                : value == JsonToken.VALUE_NULL ? "; leave the field out to use the server's receive time" : "";
            throw new FrameException(ErrorCode.WRONG_TYPE, field, field + " must be a JSON number of epoch "
                + "milliseconds such as 1700000000000, got " + FrameReader.describe(parser, value) + hint);
        }
        String text = parser.getText();
        double approximate = parser.getDoubleValue();
        if (!(Math.abs(approximate) < LONG_RANGE)) {
            throw outsideLong(text, field, approximate > 0);
        }
        if (value == JsonToken.VALUE_NUMBER_INT) {
            return parser.getLongValue();
        }
        BigDecimal exact;
        try {
            exact = parser.getDecimalValue();
        } catch (NumberFormatException e) {
            throw outsideLong(text, field, false);
        }
        return integral(exact, text, field);
    }

    /** Refuses a value beyond the range of a long: far too large, or zero, or negative. */
    private static FrameException outsideLong(String text, String field, boolean positive) {
        if (positive) {
            return new FrameException(ErrorCode.TIMESTAMP_IN_NANOSECONDS, field, field + " "
                + FrameReader.truncate(text) + " is far too large for epoch milliseconds; send 13 digits such as "
                + "1700000000000");
        }
        return notPositive(text, field);
    }

    private static FrameException notPositive(String text, String field) {
        return new FrameException(ErrorCode.TIMESTAMP_NOT_POSITIVE, field, field + " " + FrameReader.truncate(text)
            + " is not a positive epoch millisecond count; send milliseconds since 1970-01-01T00:00:00Z");
    }

    static void checkRange(long ts, long receivedAt, ValidationPolicy policy) throws FrameException {
        String field = FrameReader.DEVICE_TIMESTAMP;
        if (ts <= 0) {
            throw notPositive(Long.toString(ts), field);
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
                + Instant.ofEpochMilli(policy.minTimestampMs()) + " (server setting "
                + ValidationPolicy.MIN_TIMESTAMP_SETTING + "); check the device clock");
        }
        if (ts > receivedAt + policy.maxFutureSkewMs()) {
            throw new FrameException(ErrorCode.TIMESTAMP_IN_FUTURE, field, "device_timestamp " + ts + " ("
                + Instant.ofEpochMilli(ts) + ") is more than " + policy.maxFutureSkewMs() + " ms (server setting "
                + ValidationPolicy.FUTURE_SKEW_SETTING + ") ahead of the server clock ("
                + Instant.ofEpochMilli(receivedAt) + "); check the device clock");
        }
    }

    private static long integral(BigDecimal value, String text, String field) throws FrameException {
        BigDecimal stripped = value.stripTrailingZeros();
        if (stripped.scale() > 0) {
            BigDecimal magnitude = value.abs();
            boolean secondsLike = magnitude.compareTo(BigDecimal.valueOf(SECONDS_FLOOR)) >= 0
                && magnitude.compareTo(BigDecimal.valueOf(SECONDS_CEILING)) < 0;
            String unit = secondsLike ? " (it looks like epoch seconds with a fraction)" : "";
            throw new FrameException(ErrorCode.TIMESTAMP_NOT_INTEGRAL, field, field + " "
                + FrameReader.truncate(text) + " has a fraction" + unit + "; send integral epoch milliseconds");
        }
        return stripped.longValueExact();
    }
}
