package io.choralstorm.devices;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** A registered device: its id, the hash of its secret, when it was registered and, if so, revoked. */
public final class DeviceRecord {
    private final String deviceId;
    private final SecretHash secret;
    private final Instant createdAt;
    private final Instant revokedAt;

    public DeviceRecord(String deviceId, SecretHash secret, Instant createdAt, Instant revokedAt) {
        this.deviceId = Objects.requireNonNull(deviceId, "deviceId");
        this.secret = Objects.requireNonNull(secret, "secret");
        this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
        this.revokedAt = revokedAt;
    }

    public String deviceId() {
        return deviceId;
    }

    public SecretHash secret() {
        return secret;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Optional<Instant> revokedAt() {
        return Optional.ofNullable(revokedAt);
    }

    public boolean isActive() {
        return revokedAt == null;
    }

    public DeviceRecord revoked(Instant at) {
        return new DeviceRecord(deviceId, secret, createdAt, at);
    }

    @Override
    public String toString() {
        return "DeviceRecord{" + deviceId + ", created " + createdAt
            + (revokedAt == null ? "" : ", revoked " + revokedAt) + "}";
    }
}
