package io.choralstorm.bench;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * The frames of a benchmark: {@code devices} devices sending temperature and humidity, frames
 * dealt round-robin, each device's device time strictly increasing. Bodies are built once per
 * request, as small as real frames (about 130 bytes).
 */
public final class BenchFrames {
    private final String prefix;
    private final int devices;
    private final Map<String, String> secrets;
    private final long[] lastTimestamp;

    public BenchFrames(String prefix, int devices, Map<String, String> secrets) {
        this.prefix = prefix;
        this.devices = devices;
        this.secrets = Map.copyOf(secrets);
        this.lastTimestamp = new long[devices];
    }

    public int devices() {
        return devices;
    }

    public String deviceId(int index) {
        return String.format(Locale.ROOT, "%s%04d", prefix, index);
    }

    /** The device of frame or batch number {@code n}. */
    public int deviceOf(long n) {
        return (int) (n % devices);
    }

    /** Device time of the next frame of device {@code index}: now, or just after its previous one. */
    public synchronized long nextTimestamp(int index, long nowMs) {
        lastTimestamp[index] = Math.max(nowMs, lastTimestamp[index] + 1);
        return lastTimestamp[index];
    }

    /** One frame of device {@code index} at {@code timestamp}, as JSON. */
    public String frame(int index, long timestamp) {
        double temperature = 15 + (timestamp % 200) / 10.0;
        double humidity = 40 + (timestamp % 300) / 10.0;
        String id = deviceId(index);
        String secret = secrets.get(id);
        return "{\"device_id\":\"" + id + "\"," + (secret == null ? "" : "\"user_secret\":\"" + secret + "\",")
            + "\"device_data\":{\"temperature\":" + temperature + ",\"humidity\":" + humidity
            + "},\"device_timestamp\":" + timestamp + "}";
    }

    /** {@code count} consecutive frames of device {@code index} as one batch array; returns their times. */
    public byte[] batch(int index, int count, long nowMs, long[] timestampsOut) {
        StringBuilder body = new StringBuilder(count * 160).append('[');
        for (int i = 0; i < count; i++) {
            long ts = nextTimestamp(index, nowMs);
            timestampsOut[i] = ts;
            body.append(i == 0 ? "" : ",").append(frame(index, ts));
        }
        return body.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }
}
