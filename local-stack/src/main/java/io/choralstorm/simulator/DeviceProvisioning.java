package io.choralstorm.simulator;

import io.choralstorm.devices.DeviceRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Registers a simulation's devices in the registry so that their frames authenticate. Each run
 * gives every device a fresh secret (only hashes are stored, so earlier secrets cannot be read
 * back); a previous run's secrets stop working.
 */
public final class DeviceProvisioning {
    private DeviceProvisioning() {
    }

    /** The options with every simulated device registered anew and its secret filled in. */
    public static SimulationOptions provision(DeviceRegistry registry, SimulationOptions options) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < options.devices(); i++) {
            ids.add(options.deviceId(i));
        }
        Map<String, String> secrets = new ConcurrentHashMap<>();
        ids.parallelStream().forEach(id -> secrets.put(id, registry.add(id, true)));
        return options.withSecrets(secrets);
    }
}
