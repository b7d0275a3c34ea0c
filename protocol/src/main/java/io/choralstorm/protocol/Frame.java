package io.choralstorm.protocol;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * A validated Choral Protocol frame: one device's readings at one device time.
 *
 * <p>The secret a device presented is deliberately not part of a frame: it is checked at the
 * edge and never travels further (not to Kafka, Redis, Cassandra or a log).
 */
public final class Frame implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String deviceId;
    private final long deviceTimestamp;
    private final long receivedAt;
    private final boolean timestampAssigned;
    private final List<Metric> metrics;

    public Frame(String deviceId, long deviceTimestamp, long receivedAt, boolean timestampAssigned,
                 List<Metric> metrics) {
        this.deviceId = Objects.requireNonNull(deviceId, "deviceId");
        this.deviceTimestamp = deviceTimestamp;
        this.receivedAt = receivedAt;
        this.timestampAssigned = timestampAssigned;
        this.metrics = List.copyOf(metrics);
    }

    public String deviceId() {
        return deviceId;
    }

    /** Epoch milliseconds of the reading, as the device sent it (or the receive time, see below). */
    public long deviceTimestamp() {
        return deviceTimestamp;
    }

    /** Epoch milliseconds at which the edge server received the frame. */
    public long receivedAt() {
        return receivedAt;
    }

    /** True when the device sent no timestamp and the server's receive time was used instead. */
    public boolean timestampAssigned() {
        return timestampAssigned;
    }

    /** The readings in the order sent, nested objects flattened to dotted names. */
    public List<Metric> metrics() {
        return metrics;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Frame)) {
            return false;
        }
        Frame other = (Frame) o;
        return deviceTimestamp == other.deviceTimestamp
            && receivedAt == other.receivedAt
            && timestampAssigned == other.timestampAssigned
            && deviceId.equals(other.deviceId)
            && metrics.equals(other.metrics);
    }

    @Override
    public int hashCode() {
        return Objects.hash(deviceId, deviceTimestamp, receivedAt, metrics);
    }

    @Override
    public String toString() {
        return "Frame{device=" + deviceId + ", ts=" + deviceTimestamp + ", metrics=" + metrics.size() + "}";
    }
}
