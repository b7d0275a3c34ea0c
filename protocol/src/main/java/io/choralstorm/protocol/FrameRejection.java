package io.choralstorm.protocol;

import java.util.Objects;

/**
 * One reason a frame was refused: a stable code, the field it concerns (a dotted path such as
 * {@code device_data.temperature}, or null for the whole body), the position of the frame in
 * a batch (-1 for a single frame), and a message a firmware author can act on.
 */
public final class FrameRejection {
    private final ErrorCode code;
    private final String field;
    private final int index;
    private final String message;

    public FrameRejection(ErrorCode code, String field, int index, String message) {
        this.code = Objects.requireNonNull(code, "code");
        this.field = field;
        this.index = index;
        this.message = Objects.requireNonNull(message, "message");
    }

    public ErrorCode code() {
        return code;
    }

    public String field() {
        return field;
    }

    public int index() {
        return index;
    }

    public String message() {
        return message;
    }

    FrameRejection atIndex(int newIndex) {
        return new FrameRejection(code, field, newIndex, message);
    }

    @Override
    public String toString() {
        String where = field == null ? "" : " at " + field;
        String position = index < 0 ? "" : " (frame " + index + ")";
        return code.wireName() + where + position + ": " + message;
    }
}
