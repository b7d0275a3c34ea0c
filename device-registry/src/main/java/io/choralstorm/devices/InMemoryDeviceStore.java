package io.choralstorm.devices;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;

/** Devices kept in this process only: for tests and single-process labs. Lost when the process ends. */
public final class InMemoryDeviceStore implements DeviceStore {
    private final ConcurrentMap<String, DeviceRecord> devices = new ConcurrentHashMap<>();

    @Override
    public CompletionStage<Optional<DeviceRecord>> find(String deviceId) {
        return CompletableFuture.completedFuture(Optional.ofNullable(devices.get(deviceId)));
    }

    @Override
    public boolean insertIfAbsent(DeviceRecord record) {
        return devices.putIfAbsent(record.deviceId(), record) == null;
    }

    @Override
    public boolean replace(DeviceRecord current, DeviceRecord replacement) {
        AtomicBoolean replaced = new AtomicBoolean();
        devices.computeIfPresent(current.deviceId(), (id, stored) -> {
            if (!stored.secret().equals(current.secret())) {
                return stored;
            }
            replaced.set(true);
            return replacement;
        });
        return replaced.get();
    }

    @Override
    public boolean revoke(String deviceId, Instant at) {
        AtomicBoolean revoked = new AtomicBoolean();
        devices.computeIfPresent(deviceId, (id, stored) -> {
            if (!stored.isActive()) {
                return stored;
            }
            revoked.set(true);
            return stored.revoked(at);
        });
        return revoked.get();
    }

    @Override
    public List<DeviceRecord> list() {
        List<DeviceRecord> all = new ArrayList<>(devices.values());
        all.sort(Comparator.comparing(DeviceRecord::deviceId));
        return all;
    }

    @Override
    public void close() {
        devices.clear();
    }
}
