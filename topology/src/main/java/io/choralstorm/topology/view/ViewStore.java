package io.choralstorm.topology.view;

import java.util.List;

/** Where the real-time view lives. Called from one thread at a time. */
public interface ViewStore extends AutoCloseable {

    /**
     * Applies each device's frames atomically per device. Devices whose update failed are named in the
     * outcome; an exception means no device can be assumed applied.
     */
    ViewOutcome apply(List<DeviceFrames> batches);

    @Override
    void close();
}
