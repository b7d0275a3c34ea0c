package io.choralstorm.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.text.Normalizer;

/**
 * The device id rule: a JSON string, normalized to Unicode NFC (so that "café" typed either way
 * names one device), then 1 to {@link ValidationPolicy#maxDeviceIdLength()} code points, not
 * starting or ending with whitespace or a Unicode space (such as U+00A0), without control
 * characters (Cc), invisible format characters (Cf, such as U+200B or U+202E), line or paragraph
 * separators (Zl, Zp) or unpaired surrogates.
 */
final class DeviceIds {
    private DeviceIds() {
    }

    static String read(JsonParser parser, JsonToken value, ValidationPolicy policy)
            throws IOException, FrameException {
        if (value != JsonToken.VALUE_STRING) {
            throw new FrameException(ErrorCode.WRONG_TYPE, FrameReader.DEVICE_ID,
                "device_id must be a string such as \"sensor-17\", got " + FrameReader.describe(parser, value)
                    + (value.isNumeric() ? "; put it in double quotes" : ""));
        }
        String raw = parser.getText();
        String id = belowCombiningMarks(raw) || Normalizer.isNormalized(raw, Normalizer.Form.NFC) ? raw
            : Normalizer.normalize(raw, Normalizer.Form.NFC);
        check(id, policy);
        return id;
    }

    private static void check(String id, ValidationPolicy policy) throws FrameException {
        int length = id.codePointCount(0, id.length());
        if (length == 0 || length > policy.maxDeviceIdLength()) {
            throw invalid("device_id must hold 1 to " + policy.maxDeviceIdLength() + " characters, got " + length
                + (length == 0 ? "" : ": " + FrameReader.quote(id)));
        }
        if (isSpace(id.codePointAt(0)) || isSpace(id.codePointBefore(id.length()))) {
            throw invalid("device_id must not start or end with whitespace: " + FrameReader.quote(id));
        }
        for (int i = 0; i < id.length(); i += Character.charCount(id.codePointAt(i))) {
            int codePoint = id.codePointAt(i);
            if (Character.isSurrogate((char) codePoint) && Character.isBmpCodePoint(codePoint)) {
                throw invalid("device_id holds an unpaired UTF-16 surrogate (U+" + hex(codePoint) + " at position "
                    + i + "); send valid Unicode text");
            }
            if (isInvisible(Character.getType(codePoint))) {
                throw invalid("device_id must not contain control, invisible or separator characters (U+"
                    + hex(codePoint) + " at position " + i + "); use letters, digits and punctuation");
            }
        }
    }

    /** True when every character is below U+0300: such text has nothing to compose and is already NFC. */
    private static boolean belowCombiningMarks(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= '\u0300') {
                return false;
            }
        }
        return true;
    }

    /** Whitespace in Java's sense or any Unicode space separator (so also U+00A0 and U+3000). */
    private static boolean isSpace(int codePoint) {
        return Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint);
    }

    private static boolean isInvisible(int type) {
        return type == Character.CONTROL || type == Character.FORMAT
            || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
    }

    private static String hex(int codePoint) {
        return String.format("%04X", codePoint);
    }

    private static FrameException invalid(String message) {
        return new FrameException(ErrorCode.INVALID_DEVICE_ID, FrameReader.DEVICE_ID, message);
    }
}
