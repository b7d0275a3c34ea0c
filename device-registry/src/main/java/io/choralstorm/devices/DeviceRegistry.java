package io.choralstorm.devices;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.choralstorm.protocol.FrameException;
import io.choralstorm.protocol.FrameValidator;
import io.choralstorm.protocol.ValidationPolicy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * What an operator does with devices: register one (a new secret, shown once), give it a new
 * secret, list them, revoke one. Device ids follow the protocol's own rule (the validator's), so a
 * registered id is exactly what a frame's device_id becomes.
 */
public final class DeviceRegistry {
    /** What {@link #revoke} did. */
    public enum Revocation { REVOKED, ALREADY_REVOKED }

    private static final FrameValidator ID_RULE = new FrameValidator(ValidationPolicy.defaults());

    private final DeviceStore store;
    private final SecretHasher hasher;
    private final SecretGenerator generator;
    private final Clock clock;

    public DeviceRegistry(DeviceStore store) {
        this(store, new SecretHasher(), new SecretGenerator(), Clock.systemUTC());
    }

    public DeviceRegistry(DeviceStore store, SecretHasher hasher, SecretGenerator generator, Clock clock) {
        this.store = store;
        this.hasher = hasher;
        this.generator = generator;
        this.clock = clock;
    }

    /**
     * Registers {@code deviceId} with a new random secret and returns that secret, the only time it
     * is seen. An active device is refused unless {@code rotate}; a revoked one is registered anew.
     */
    public String add(String deviceId, boolean rotate) {
        String secret = generator.newSecret();
        register(deviceId, secret, rotate);
        return secret;
    }

    /** Registers {@code deviceId} with a secret its firmware already has (same rules as {@link #add}). */
    public void register(String deviceId, String secret, boolean rotate) {
        String id = canonicalId(deviceId);
        int maxLength = ValidationPolicy.DEFAULT_MAX_SECRET_LENGTH;
        if (secret.isEmpty() || secret.length() > maxLength) {
            throw new IllegalArgumentException("a device secret holds 1 to " + maxLength + " characters, got "
                + secret.length());
        }
        DeviceRecord fresh = new DeviceRecord(id, hasher.hash(secret), clock.instant(), null);
        Optional<DeviceRecord> current = find(id);
        boolean stored;
        if (current.isEmpty()) {
            stored = store.insertIfAbsent(fresh);
        } else if (current.get().isActive() && !rotate) {
            throw new IllegalArgumentException("device " + id + " is already registered and active (since "
                + current.get().createdAt() + "); give it a new secret with --rotate, or revoke it first");
        } else {
            stored = store.replace(current.get(), fresh);
        }
        if (!stored) {
            throw new IllegalStateException("device " + id + " was changed by someone else at the same time; "
                + "list the devices and try again");
        }
    }

    public List<DeviceRecord> list() {
        return store.list();
    }

    /** Revokes {@code deviceId}: its frames are refused from then on. An unknown id is an error. */
    public Revocation revoke(String deviceId) {
        String id = canonicalId(deviceId);
        if (store.revoke(id, clock.instant())) {
            return Revocation.REVOKED;
        }
        if (find(id).isEmpty()) {
            throw new IllegalArgumentException("device " + id + " is not registered");
        }
        return Revocation.ALREADY_REVOKED;
    }

    public Optional<DeviceRecord> find(String deviceId) {
        try {
            return store.find(canonicalId(deviceId)).toCompletableFuture().get();
        } catch (ExecutionException | CompletionException e) {
            throw e.getCause() instanceof RuntimeException ? (RuntimeException) e.getCause()
                : new RegistryUnavailableException("the device registry failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryUnavailableException("interrupted while reading device " + deviceId, e);
        }
    }

    /** The id as a frame would carry it (Unicode NFC), or an error saying which rule it breaks. */
    public static String canonicalId(String deviceId) {
        String quoted = new String(JsonStringEncoder.getInstance().quoteAsString(deviceId));
        byte[] frame = ("{\"device_id\":\"" + quoted + "\",\"device_data\":{\"registered\":1}}")
            .getBytes(StandardCharsets.UTF_8);
        try {
            return ID_RULE.parseDeviceFrame(frame, System.currentTimeMillis()).frame().deviceId();
        } catch (FrameException e) {
            throw new IllegalArgumentException("'" + deviceId + "' cannot be a device id: " + e.primary().message(), e);
        }
    }
}
