package io.choralstorm.simulator;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/** What to simulate: how many devices, how often each sends, for how long, and where to. */
public final class SimulationOptions {
    private final int devices;
    private final double framesPerSecondPerDevice;
    private final Duration duration;
    private final URI gateway;
    private final String idPrefix;
    private final Map<String, String> secrets;
    private final int maxInFlight;
    private final long seed;

    public SimulationOptions(int devices, double framesPerSecondPerDevice, Duration duration, URI gateway,
                             String idPrefix, Map<String, String> secrets, int maxInFlight, long seed) {
        if (devices < 1) {
            throw new IllegalArgumentException("--devices must be at least 1, got " + devices);
        }
        if (!(framesPerSecondPerDevice > 0)) {
            throw new IllegalArgumentException("--rate must be a positive number of frames per second, got "
                + framesPerSecondPerDevice);
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("--duration must be positive, got " + duration);
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("at least one request must be allowed in flight");
        }
        this.devices = devices;
        this.framesPerSecondPerDevice = framesPerSecondPerDevice;
        this.duration = duration;
        this.gateway = gateway;
        this.idPrefix = idPrefix;
        this.secrets = Map.copyOf(secrets);
        this.maxInFlight = maxInFlight;
        this.seed = seed;
    }

    public int devices() {
        return devices;
    }

    public double framesPerSecondPerDevice() {
        return framesPerSecondPerDevice;
    }

    public Duration duration() {
        return duration;
    }

    public URI gateway() {
        return gateway;
    }

    public String idPrefix() {
        return idPrefix;
    }

    /** The same simulation with these device secrets. */
    public SimulationOptions withSecrets(Map<String, String> deviceSecrets) {
        return new SimulationOptions(devices, framesPerSecondPerDevice, duration, gateway, idPrefix, deviceSecrets,
            maxInFlight, seed);
    }

    /** Device id to secret; a device without an entry sends no secret. */
    public Map<String, String> secrets() {
        return secrets;
    }

    public int maxInFlight() {
        return maxInFlight;
    }

    public long seed() {
        return seed;
    }

    /** The id of device number {@code index} (0-based): prefix plus a zero-padded number. */
    public String deviceId(int index) {
        return String.format("%s%03d", idPrefix, index + 1);
    }

    public long totalFrames() {
        return (long) Math.floor(devices * framesPerSecondPerDevice * duration.toMillis() / 1000.0);
    }
}
