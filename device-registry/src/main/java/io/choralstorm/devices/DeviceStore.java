package io.choralstorm.devices;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Where registered devices are kept. Lookups are asynchronous (they run under request handling);
 * the administrative operations are synchronous and atomic per device. A store that cannot answer
 * fails with {@link RegistryUnavailableException}.
 */
public interface DeviceStore extends AutoCloseable {
    /** The device's record, or empty when the id is not registered. */
    CompletionStage<Optional<DeviceRecord>> find(String deviceId);

    /** Stores {@code record} unless the device id is registered already; true when it was stored. */
    boolean insertIfAbsent(DeviceRecord record);

    /** Replaces the record of a device whose stored secret is still {@code current}'s; true when replaced. */
    boolean replace(DeviceRecord current, DeviceRecord replacement);

    /** Marks an active device revoked at {@code at}; false when it is unknown or already revoked. */
    boolean revoke(String deviceId, Instant at);

    /** Every registered device, revoked ones included. */
    List<DeviceRecord> list();

    @Override
    void close();
}
