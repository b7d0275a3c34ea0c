package io.choralstorm.topology.view;

import io.choralstorm.protocol.Frame;
import java.util.List;
import java.util.Objects;

/**
 * The frames of one device that one script call applies.
 *
 * @param deviceId the device
 * @param frames its frames, in arrival order
 */
public record DeviceFrames(String deviceId, List<Frame> frames) {
    public DeviceFrames {
        Objects.requireNonNull(deviceId, "deviceId");
        frames = List.copyOf(frames);
    }
}
