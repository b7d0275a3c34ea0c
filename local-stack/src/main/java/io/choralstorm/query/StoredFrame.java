package io.choralstorm.query;

/** One stored frame: device time, the metrics as JSON (values as sent), and the receive time. */
public final class StoredFrame {
    private final long deviceTimestamp;
    private final String deviceData;
    private final long receivedAt;

    public StoredFrame(long deviceTimestamp, String deviceData, long receivedAt) {
        this.deviceTimestamp = deviceTimestamp;
        this.deviceData = deviceData;
        this.receivedAt = receivedAt;
    }

    public long deviceTimestamp() {
        return deviceTimestamp;
    }

    public String deviceData() {
        return deviceData;
    }

    public long receivedAt() {
        return receivedAt;
    }
}
