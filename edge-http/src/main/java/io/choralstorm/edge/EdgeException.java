package io.choralstorm.edge;

import io.choralstorm.protocol.FrameException;
import io.choralstorm.protocol.FrameRejection;
import java.util.List;

/**
 * A request the edge refuses, with the HTTP status, the stable error code and, for overload,
 * the seconds after which the device should retry. Mapped to a response in one place:
 * {@link EdgeResponses#sendError}.
 */
public final class EdgeException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final int retryAfterSeconds;
    private final transient List<FrameRejection> rejections;

    public EdgeException(int status, String code, String message) {
        this(status, code, message, 0);
    }

    public EdgeException(int status, String code, String message, int retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
        this.rejections = List.of();
    }

    private EdgeException(FrameException cause) {
        super(cause.primary().message(), null, false, false);
        this.status = 400;
        this.code = cause.code().wireName();
        this.retryAfterSeconds = 0;
        this.rejections = cause.rejections();
    }

    /** A frame or batch the validator refused: 400 with every rejection listed. */
    public static EdgeException invalidFrame(FrameException cause) {
        return new EdgeException(cause);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** The validator's rejections (empty when the refusal is not about frame content). */
    public List<FrameRejection> rejections() {
        return rejections;
    }
}
