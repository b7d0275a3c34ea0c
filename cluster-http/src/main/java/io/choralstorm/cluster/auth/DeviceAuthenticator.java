package io.choralstorm.cluster.auth;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Decides whether the devices a request speaks for may send. Never blocks the calling thread. */
public interface DeviceAuthenticator extends AutoCloseable {
    /**
     * The outcome for all of {@code claims} together (ACCEPTED only when each is). Fails with
     * {@link io.choralstorm.devices.RegistryUnavailableException} when the registry cannot answer.
     */
    CompletableFuture<AuthOutcome> authenticate(List<DeviceClaim> claims);

    /** One line for the start-up log: how devices are authenticated. */
    String describe();

    /**
     * Running totals of the work done so far, by name (such as {@code secret_checks}), for the health
     * answer; empty when there is nothing to count.
     */
    default Map<String, Long> counters() {
        return Map.of();
    }

    @Override
    void close();

    /** Lab mode: every device is accepted, with or without a secret. */
    static DeviceAuthenticator open() {
        return new DeviceAuthenticator() {
            @Override
            public CompletableFuture<AuthOutcome> authenticate(List<DeviceClaim> claims) {
                return CompletableFuture.completedFuture(AuthOutcome.ACCEPTED);
            }

            @Override
            public String describe() {
                return "OPEN: no device is authenticated";
            }

            @Override
            public void close() {
            }
        };
    }
}
