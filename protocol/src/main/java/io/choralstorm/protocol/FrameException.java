package io.choralstorm.protocol;

import java.util.List;

/**
 * A body that is not an acceptable frame or batch. Carries every rejection found; the first is
 * the primary one. Nothing of a refused body may be published.
 */
public class FrameException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient List<FrameRejection> rejections;

    public FrameException(List<FrameRejection> rejections) {
        super(rejections.get(0).toString(), null, false, false);
        this.rejections = List.copyOf(rejections);
    }

    public FrameException(FrameRejection rejection) {
        this(List.of(rejection));
    }

    public FrameException(ErrorCode code, String field, String message) {
        this(new FrameRejection(code, field, -1, message));
    }

    public ErrorCode code() {
        return rejections.get(0).code();
    }

    public String field() {
        return rejections.get(0).field();
    }

    public FrameRejection primary() {
        return rejections.get(0);
    }

    public List<FrameRejection> rejections() {
        return rejections;
    }
}
