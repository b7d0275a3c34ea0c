package io.choralstorm.protocol;

import java.util.Objects;

/** A frame as received from a device, with the secret it presented (null when it sent none). */
public final class DeviceFrame {
    private final Frame frame;
    private final String secret;

    public DeviceFrame(Frame frame, String secret) {
        this.frame = Objects.requireNonNull(frame, "frame");
        this.secret = secret;
    }

    public Frame frame() {
        return frame;
    }

    public String secret() {
        return secret;
    }

    @Override
    public String toString() {
        return frame + (secret == null ? "" : " (secret presented)");
    }
}
