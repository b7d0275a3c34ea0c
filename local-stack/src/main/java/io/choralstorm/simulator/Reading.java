package io.choralstorm.simulator;

import java.util.Locale;

/** One simulated frame's content, kept by the simulator to check what the pipeline made of it. */
public final class Reading {
    private final String deviceId;
    private final long timestamp;
    private final double temperature;
    private final double humidity;
    private final boolean asStrings;

    Reading(String deviceId, long timestamp, double temperature, double humidity, boolean asStrings) {
        this.deviceId = deviceId;
        this.timestamp = timestamp;
        this.temperature = temperature;
        this.humidity = humidity;
        this.asStrings = asStrings;
    }

    public String deviceId() {
        return deviceId;
    }

    public long timestamp() {
        return timestamp;
    }

    public double temperature() {
        return temperature;
    }

    public double humidity() {
        return humidity;
    }

    String toJson(String secret) {
        String t = format(temperature);
        String h = format(humidity);
        String secretField = secret == null ? "" : "\"user_secret\":\"" + secret + "\",";
        return "{\"device_id\":\"" + deviceId + "\"," + secretField + "\"device_data\":{\"temperature\":"
            + (asStrings ? "\"" + t + "\"" : t) + ",\"humidity\":" + (asStrings ? "\"" + h + "\"" : h)
            + "},\"device_timestamp\":" + timestamp + "}";
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
