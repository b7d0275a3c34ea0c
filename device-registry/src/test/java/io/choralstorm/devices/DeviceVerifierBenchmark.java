package io.choralstorm.devices;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;

/**
 * How many secret checks per second one thread gets, with and without the verifier's cache (a
 * benchmark, not a test: run its main). The store is in memory, so the cached figure is the cost
 * of the HMAC fingerprint and two cache lookups; the uncached one is PBKDF2 at the default count.
 */
public final class DeviceVerifierBenchmark {
    private static final int DEVICES = 100;
    private static final Duration RUN = Duration.ofSeconds(3);

    private DeviceVerifierBenchmark() {
    }

    public static void main(String[] args) {
        InMemoryDeviceStore store = new InMemoryDeviceStore();
        SecretHasher hasher = new SecretHasher();
        DeviceRegistry registry = new DeviceRegistry(store, hasher, new SecretGenerator(), Clock.systemUTC());
        List<String> secrets = new ArrayList<>();
        for (int i = 0; i < DEVICES; i++) {
            secrets.add(registry.add("bench-" + i, false));
        }

        SecretHash stored = store.list().get(0).secret();
        long start = System.nanoTime();
        int uncached = 0;
        while (System.nanoTime() - start < RUN.toNanos()) {
            hasher.matches(secrets.get(0), stored);
            uncached++;
        }
        report("PBKDF2 on every check (no cache)", uncached, start);

        ExecutorService hashWorkers = Executors.newSingleThreadExecutor();
        DeviceVerifier verifier = new DeviceVerifier(store, hasher, Duration.ofSeconds(5), Duration.ofMinutes(10),
            10_000, hashWorkers, Ticker.systemTicker(), ForkJoinPool.commonPool());
        for (int i = 0; i < DEVICES; i++) {
            verifier.verify("bench-" + i, secrets.get(i)).join();
        }
        start = System.nanoTime();
        long cached = 0;
        while (System.nanoTime() - start < RUN.toNanos()) {
            int device = (int) (cached % DEVICES);
            if (verifier.verify("bench-" + device, secrets.get(device)).join() != Verdict.ACCEPTED) {
                throw new IllegalStateException("bench-" + device + " was refused");
            }
            cached++;
        }
        report("cached verdicts, " + DEVICES + " devices", cached, start);
        System.out.printf("store reads %d, PBKDF2 runs %d%n", verifier.storeReads(), verifier.hashChecks());
        hashWorkers.shutdownNow();
    }

    private static void report(String what, long checks, long startNanos) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        System.out.printf("%s: %,d checks in %.1f s = %,.0f checks/s on one thread%n", what, checks, seconds,
            checks / seconds);
    }
}
