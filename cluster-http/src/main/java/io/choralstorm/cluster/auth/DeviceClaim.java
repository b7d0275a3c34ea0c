package io.choralstorm.cluster.auth;

import java.util.Objects;

/**
 * A device a request speaks for, and the secret it presented for it (null when it sent none).
 * {@link #toString()} never shows the secret.
 */
public final class DeviceClaim {
    private final String deviceId;
    private final String secret;
    private final int firstIndex;

    public DeviceClaim(String deviceId, String secret, int firstIndex) {
        this.deviceId = Objects.requireNonNull(deviceId, "deviceId");
        this.secret = secret;
        this.firstIndex = firstIndex;
    }

    public String deviceId() {
        return deviceId;
    }

    /** The presented secret, or null. */
    public String secret() {
        return secret;
    }

    /** Index of the first frame of the request with this device and secret. */
    public int firstIndex() {
        return firstIndex;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DeviceClaim)) {
            return false;
        }
        DeviceClaim other = (DeviceClaim) o;
        return deviceId.equals(other.deviceId) && Objects.equals(secret, other.secret);
    }

    @Override
    public int hashCode() {
        return 31 * deviceId.hashCode() + Objects.hashCode(secret);
    }

    @Override
    public String toString() {
        return "DeviceClaim{" + deviceId + (secret == null ? ", no secret" : ", secret presented") + "}";
    }
}
