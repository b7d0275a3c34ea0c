package io.choralstorm.simulator;

import java.util.Random;

/**
 * One simulated sensor: temperature and humidity drifting in a random walk. Like the original
 * device simulator, some devices send their values as numeric strings ({@code "21.5"}).
 */
final class SimulatedDevice {
    private final String id;
    private final boolean sendsStrings;
    private final Random random;
    private double temperature;
    private double humidity;
    private long lastTimestamp;

    SimulatedDevice(String id, boolean sendsStrings, long seed) {
        this.id = id;
        this.sendsStrings = sendsStrings;
        this.random = new Random(seed);
        this.temperature = 15 + random.nextInt(100) / 10.0;
        this.humidity = 35 + random.nextInt(200) / 10.0;
    }

    String id() {
        return id;
    }

    /** The next reading, at a device time strictly after the previous one. */
    Reading next(long nowMs) {
        temperature = round(clamp(temperature + (random.nextInt(11) - 5) / 10.0, -30, 50));
        humidity = round(clamp(humidity + (random.nextInt(11) - 5) / 10.0, 0, 100));
        lastTimestamp = Math.max(nowMs, lastTimestamp + 1);
        return new Reading(id, lastTimestamp, temperature, humidity, sendsStrings);
    }

    private static double clamp(double value, double min, double max) {
        return Math.max(min, Math.min(max, value));
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
