package io.choralstorm.protocol;

/**
 * The encoding rule of a body: JSON text in well-formed UTF-8 (RFC 8259 section 8.1). An optional
 * UTF-8 byte order mark at the start is ignored. Refused: overlong forms, encoded surrogates, code
 * points above U+10FFFF, truncated sequences, and any NUL byte (JSON never needs one raw, and
 * UTF-16 or UTF-32 text is full of them).
 */
final class BodyEncoding {
    private BodyEncoding() {
    }

    static void requireUtf8(byte[] body) throws FrameException {
        int i = 0;
        while (i < body.length) {
            byte b = body[i];
            if (b > 0) {
                i++;
            } else if (b == 0) {
                throw refused("a NUL byte at offset " + i + " (UTF-16 or UTF-32 text?)");
            } else {
                i = multiByte(body, i);
            }
        }
    }

    /** Checks the sequence that starts at {@code start} and returns the offset after it. */
    private static int multiByte(byte[] body, int start) throws FrameException {
        int lead = body[start] & 0xFF;
        int length;
        int secondMin = 0x80;
        int secondMax = 0xBF;
        if (lead >= 0xC2 && lead <= 0xDF) {
            length = 2;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            length = 3;
            secondMin = lead == 0xE0 ? 0xA0 : 0x80;
            secondMax = lead == 0xED ? 0x9F : 0xBF;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            length = 4;
            secondMin = lead == 0xF0 ? 0x90 : 0x80;
            secondMax = lead == 0xF4 ? 0x8F : 0xBF;
        } else {
            throw refused(byteAt(lead, start));
        }

        if (start + length > body.length) {
            throw refused("a sequence cut short at offset " + start);
        }
        int second = body[start + 1] & 0xFF;
        if (second < secondMin || second > secondMax) {
            throw refused(byteAt(second, start + 1));
        }
        for (int i = start + 2; i < start + length; i++) {
            int next = body[i] & 0xFF;
            if (next < 0x80 || next > 0xBF) {
                throw refused(byteAt(next, i));
            }
        }
        return start + length;
    }

    private static String byteAt(int value, int offset) {
        return String.format("byte 0x%02X at offset %d", value, offset);
    }

    private static FrameException refused(String what) {
        return new FrameException(ErrorCode.MALFORMED_JSON, null, "the body is not valid UTF-8: " + what
            + "; send JSON text encoded in UTF-8");
    }
}
