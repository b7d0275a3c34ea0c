package io.choralstorm.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * The metric value rule. Numbers must be finite. A string that is a plain decimal (an optional
 * minus, digits without a leading zero unless the integer part is 0, an optional fraction, at most
 * {@value #MAX_NUMERIC_STRING_LENGTH} characters, such as {@code "21.5"} or {@code "-12"}) counts as a
 * number for statistics; any other string ({@code "21,5"}, {@code "010003"}, {@code "2414E4"}, {@code "nan"})
 * and booleans are stored as sent and kept out of statistics. Null and arrays are refused.
 */
public final class MetricValues {
    static final int MAX_NUMERIC_STRING_LENGTH = 32;

    private MetricValues() {
    }

    /** True when {@code text} is a plain decimal that statistics take as a number. */
    public static boolean isPlainDecimal(String text) {
        int length = text.length();
        if (length == 0 || length > MAX_NUMERIC_STRING_LENGTH) {
            return false;
        }
        int i = text.charAt(0) == '-' ? 1 : 0;
        int integerStart = i;
        while (i < length && isDigit(text.charAt(i))) {
            i++;
        }
        int integerDigits = i - integerStart;
        if (integerDigits == 0 || (integerDigits > 1 && text.charAt(integerStart) == '0')) {
            return false;
        }
        if (i == length) {
            return true;
        }
        if (text.charAt(i) != '.' || i == length - 1) {
            return false;
        }
        for (i++; i < length; i++) {
            if (!isDigit(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    static Metric read(JsonParser parser, JsonToken value, String name, ValidationPolicy policy)
            throws IOException, FrameException {
        String field = FrameReader.DEVICE_DATA + "." + name;
        switch (value) {
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return number(parser, name, field);
            case VALUE_STRING:
                return string(parser.getText(), name, field, policy);
            case VALUE_TRUE:
                return new Metric(name, MetricKind.BOOLEAN, "true", Double.NaN);
            case VALUE_FALSE:
                return new Metric(name, MetricKind.BOOLEAN, "false", Double.NaN);
            case VALUE_NULL:
                throw new FrameException(ErrorCode.INVALID_METRIC_VALUE, field,
                    "null is not a reading; leave the metric out when the sensor has no value");
            case START_ARRAY:
                throw new FrameException(ErrorCode.INVALID_METRIC_VALUE, field,
                    "arrays are not accepted as values; send one metric per value (for example "
                        + "{\"accel\": {\"x\": 0.1, \"y\": 0.2}}) or a batch of frames");
            default:
                throw new FrameException(ErrorCode.INVALID_METRIC_VALUE, field,
                    "a metric value must be a number, a string or a boolean, got " + FrameReader.describe(value));
        }
    }

    private static Metric number(JsonParser parser, String name, String field) throws IOException, FrameException {
        String text = parser.getText();
        double number = parser.getDoubleValue();
        if (!Double.isFinite(number)) {
            throw new FrameException(ErrorCode.INVALID_METRIC_VALUE, field,
                "the number " + FrameReader.truncate(text) + " is outside the range of a 64-bit float");
        }
        return new Metric(name, MetricKind.NUMBER, text, number);
    }

    private static Metric string(String text, String name, String field, ValidationPolicy policy)
            throws FrameException {
        if (text.length() > policy.maxStringValueLength()) {
            throw new FrameException(ErrorCode.INVALID_METRIC_VALUE, field, "a string value holds at most "
                + policy.maxStringValueLength() + " characters, got " + text.length());
        }
        if (isPlainDecimal(text)) {
            return new Metric(name, MetricKind.NUMERIC_STRING, text, Double.parseDouble(text));
        }
        return new Metric(name, MetricKind.STRING, text, Double.NaN);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
