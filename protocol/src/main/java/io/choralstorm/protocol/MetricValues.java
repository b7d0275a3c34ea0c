package io.choralstorm.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * The metric value rule. Numbers must be finite as a 64-bit float and written in at most
 * {@link ValidationPolicy#maxNumberLength()} characters; their text is kept as sent. A string that is
 * a plain decimal (an optional minus, digits without a leading zero unless the integer part is 0, an
 * optional fraction, at most {@value #MAX_NUMERIC_STRING_LENGTH} characters, such as {@code "21.5"} or
 * {@code "-12"}) counts as a number for statistics; any other string ({@code "21,5"}, {@code "010003"},
 * {@code "2414E4"}, {@code "nan"}) and booleans are stored as sent and kept out of statistics. Strings
 * hold at most {@link ValidationPolicy#maxStringValueLength()} characters of valid Unicode (no unpaired
 * surrogate). Null and arrays are refused.
 */
public final class MetricValues {
    public static final int MAX_NUMERIC_STRING_LENGTH = 32;

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
        switch (value) {
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return number(parser, name, policy);
            case VALUE_STRING:
                return string(parser.getText(), name, policy);
            case VALUE_TRUE:
                return new Metric(name, MetricKind.BOOLEAN, "true", Double.NaN);
            case VALUE_FALSE:
                return new Metric(name, MetricKind.BOOLEAN, "false", Double.NaN);
            case VALUE_NULL:
                throw invalid(name, "null is not a reading; leave the metric out when the sensor has no value");
            case START_ARRAY:
                throw invalid(name, "arrays are not accepted as values; send one metric per value (for example "
                    + "{\"accel\": {\"x\": 0.1, \"y\": 0.2}}) or a batch of frames");
            default:
                throw invalid(name, "a metric value must be a number, a string or a boolean, got "
                    + FrameReader.describe(value));
        }
    }

    private static Metric number(JsonParser parser, String name, ValidationPolicy policy)
            throws IOException, FrameException {
        String text = parser.getText();
        if (text.length() > policy.maxNumberLength()) {
            throw invalid(name, "a number is written in at most " + policy.maxNumberLength() + " characters, got "
                + text.length() + " (" + FrameReader.truncate(text) + "); round it or send it as a string");
        }
        double number = parser.getDoubleValue();
        if (!Double.isFinite(number)) {
            throw invalid(name, "the number " + FrameReader.truncate(text)
                + " is outside the range of a 64-bit float (about 1.8e308); send a finite number");
        }
        return new Metric(name, MetricKind.NUMBER, text, number);
    }

    private static Metric string(String text, String name, ValidationPolicy policy) throws FrameException {
        int max = policy.maxStringValueLength();
        int length = text.length() > max ? text.codePointCount(0, text.length()) : text.length();
        if (length > max) {
            throw invalid(name, "a string value holds at most " + max + " characters, got " + length + " ("
                + FrameReader.quote(text) + "); shorten it");
        }
        int surrogate = unpairedSurrogate(text);
        if (surrogate >= 0) {
            throw invalid(name, String.format("the string holds an unpaired UTF-16 surrogate (\\u%04x at "
                + "position %d); send valid Unicode text", (int) text.charAt(surrogate), surrogate));
        }
        if (isPlainDecimal(text)) {
            return new Metric(name, MetricKind.NUMERIC_STRING, text, Double.parseDouble(text));
        }
        return new Metric(name, MetricKind.STRING, text, Double.NaN);
    }

    /** A refusal of the value of metric {@code name}; its field path is built only then. */
    private static FrameException invalid(String name, String message) {
        return new FrameException(ErrorCode.INVALID_METRIC_VALUE, FrameReader.DEVICE_DATA + "." + name, message);
    }

    /** The position of the first surrogate that is not part of a pair, or -1. */
    static int unpairedSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!Character.isSurrogate(c)) {
                continue;
            }
            boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length()
                && Character.isLowSurrogate(text.charAt(i + 1));
            if (!paired) {
                return i;
            }
            i++;
        }
        return -1;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
