package io.choralstorm.cluster.auth;

import io.choralstorm.devices.CassandraDeviceStore;
import io.choralstorm.devices.DeviceStore;
import io.choralstorm.devices.DeviceVerifier;
import io.choralstorm.devices.Verdict;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates devices against the shared registry through a {@link DeviceVerifier}: cached
 * verdicts, PBKDF2 on its own bounded pool of hash workers (never an HTTP I/O thread).
 */
public final class RegistryAuthenticator implements DeviceAuthenticator {
    /** Refusals are logged here, at DEBUG, with the reason the device is not told. */
    private static final Logger CLIENT_ERRORS = LoggerFactory.getLogger("io.choralstorm.cluster.client-errors");

    private final DeviceVerifier verifier;
    private final DeviceStore store;
    private final ExecutorService hashWorkers;
    private final String description;

    public RegistryAuthenticator(DeviceVerifier verifier, DeviceStore store, ExecutorService hashWorkers,
                                 String description) {
        this.verifier = verifier;
        this.store = store;
        this.hashWorkers = hashWorkers;
        this.description = description;
    }

    /**
     * Connects to the registry in Cassandra.
     *
     * @param ttl         how long a device's record is trusted (a revocation takes effect within it)
     * @param staleMax    how long a device's last record stands in while Cassandra cannot be read
     * @param hashThreads threads that run PBKDF2
     * @param maxQueued   PBKDF2 checks that may wait for a thread; more are answered 503
     */
    public static RegistryAuthenticator connect(String contactPoints, String localDatacenter, String keyspace,
                                                Duration requestTimeout, Duration ttl, Duration staleMax,
                                                int maxDevices, int hashThreads, int maxQueued) {
        CassandraDeviceStore store = CassandraDeviceStore.connect(contactPoints, localDatacenter, keyspace,
            requestTimeout);
        ExecutorService workers = hashWorkers(hashThreads, maxQueued);
        DeviceVerifier verifier = DeviceVerifier.create(store, ttl, staleMax, maxDevices, workers);
        String description = "registry in Cassandra " + contactPoints + " (" + keyspace + ".devices), records trusted "
            + ttl.toMillis() + " ms, " + hashThreads + " hash thread(s)";
        return new RegistryAuthenticator(verifier, store, workers, description);
    }

    @Override
    public CompletableFuture<AuthOutcome> authenticate(List<DeviceClaim> claims) {
        for (DeviceClaim claim : claims) {
            if (claim.secret() == null) {
                CLIENT_ERRORS.debug("refused device {}: frame {} presents no secret", claim.deviceId(),
                    claim.firstIndex());
                return CompletableFuture.completedFuture(AuthOutcome.NO_SECRET);
            }
        }
        if (claims.size() == 1) {
            return check(claims.get(0));
        }
        List<CompletableFuture<AuthOutcome>> checks = claims.stream().map(this::check).toList();
        return CompletableFuture.allOf(checks.toArray(new CompletableFuture<?>[0])).thenApply(done -> checks.stream()
            .map(CompletableFuture::join)
            .filter(outcome -> outcome != AuthOutcome.ACCEPTED)
            .findFirst()
            .orElse(AuthOutcome.ACCEPTED));
    }

    private CompletableFuture<AuthOutcome> check(DeviceClaim claim) {
        return verifier.verify(claim.deviceId(), claim.secret()).thenApply(verdict -> {
            if (verdict == Verdict.ACCEPTED) {
                return AuthOutcome.ACCEPTED;
            }
            CLIENT_ERRORS.debug("refused device {} (frame {}): {}", claim.deviceId(), claim.firstIndex(), verdict);
            return AuthOutcome.REFUSED;
        });
    }

    @Override
    public String describe() {
        return description;
    }

    /** PBKDF2 checks run so far (each costs about 40 ms of a core). */
    public long hashChecks() {
        return verifier.hashChecks();
    }

    /** {@code secret_checks}: PBKDF2 runs; {@code registry_reads}: device records read from Cassandra. */
    @Override
    public Map<String, Long> counters() {
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("secret_checks", verifier.hashChecks());
        counters.put("registry_reads", verifier.storeReads());
        return counters;
    }

    @Override
    public void close() {
        hashWorkers.shutdownNow();
        store.close();
    }

    private static ExecutorService hashWorkers(int threads, int maxQueued) {
        AtomicInteger count = new AtomicInteger();
        ThreadFactory factory = task -> {
            Thread thread = new Thread(task, "choral-secret-check-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(maxQueued), factory, new ThreadPoolExecutor.AbortPolicy());
    }
}
