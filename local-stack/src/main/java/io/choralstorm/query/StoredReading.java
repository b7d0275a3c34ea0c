package io.choralstorm.query;

/** One stored numeric reading: its device time, its value, and its text when it was sent as a string. */
public final class StoredReading {
    private final long deviceTimestamp;
    private final double value;
    private final String text;

    public StoredReading(long deviceTimestamp, double value, String text) {
        this.deviceTimestamp = deviceTimestamp;
        this.value = value;
        this.text = text;
    }

    public long deviceTimestamp() {
        return deviceTimestamp;
    }

    public double value() {
        return value;
    }

    /** The value as sent when it was a numeric string, else null. */
    public String text() {
        return text;
    }
}
