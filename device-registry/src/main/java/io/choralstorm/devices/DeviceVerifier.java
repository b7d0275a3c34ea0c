package io.choralstorm.devices;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a device's presented secret against the registry, cached so that it costs a frame almost
 * nothing:
 * <ul>
 *   <li>a device's record is read from the store at most once per {@code ttl} (so a revocation or a
 *       new secret takes effect within {@code ttl}), unknown ids included;</li>
 *   <li>the PBKDF2 check of a presented secret runs once per (device, secret, stored hash), on
 *       {@code hashExecutor}, never on the caller's thread; its result is kept under the device id,
 *       a keyed HMAC of the secret (the key is random per process) and the stored hash, so the
 *       secret itself is never kept, and a rotated secret never matches an old result;</li>
 *   <li>a refusal based on a record older than {@value #RECHECK_MILLIS} ms reads the record again
 *       once, so a device registered or rotated a moment ago is let in at once;</li>
 *   <li>while the store cannot be read, a device's last record read within {@code staleMax} is used
 *       (a revocation cannot be written then either), so an outage of the store does not stop
 *       devices that were already sending; devices not seen within it fail as unavailable.</li>
 * </ul>
 * Concurrent checks of the same device share one store read and one PBKDF2 run.
 */
public final class DeviceVerifier {
    static final long RECHECK_MILLIS = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(DeviceVerifier.class);
    private static final Duration PROOF_IDLE = Duration.ofHours(1);
    private static final long WARN_INTERVAL_NANOS = Duration.ofSeconds(10).toNanos();

    private final DeviceStore store;
    private final SecretHasher hasher;
    private final Executor hashExecutor;
    private final Ticker ticker;
    private final long recheckNanos;
    private final AsyncLoadingCache<String, Lookup> records;
    private final AsyncCache<ProofKey, Proof> proofs;
    private final Cache<String, Lookup> lastRead;
    private final ThreadLocal<Mac> fingerprints;
    private final LongAdder storeReads = new LongAdder();
    private final LongAdder hashChecks = new LongAdder();
    private final AtomicLong nextWarnNanos = new AtomicLong(Long.MIN_VALUE);

    /**
     * @param ttl          how long a device's record is trusted before it is read again
     * @param staleMax     how long a record read last may stand in while the store cannot be read (0: never)
     * @param maxDevices   most devices (and as many secret checks) kept in memory
     * @param hashExecutor where PBKDF2 runs; a rejected task fails the check as unavailable
     * @param ticker       nanosecond time source of the caches (tests pass a fake one)
     * @param cacheExecutor where the caches run their upkeep and completions
     */
    public DeviceVerifier(DeviceStore store, SecretHasher hasher, Duration ttl, Duration staleMax, int maxDevices,
                          Executor hashExecutor, Ticker ticker, Executor cacheExecutor) {
        this.store = store;
        this.hasher = hasher;
        this.hashExecutor = hashExecutor;
        this.ticker = ticker;
        this.recheckNanos = Math.min(ttl.toNanos(), Duration.ofMillis(RECHECK_MILLIS).toNanos());
        this.records = Caffeine.newBuilder()
            .expireAfterWrite(ttl)
            .maximumSize(maxDevices)
            .ticker(ticker)
            .executor(cacheExecutor)
            .buildAsync((deviceId, executor) -> load(deviceId));
        this.proofs = Caffeine.newBuilder()
            .expireAfterAccess(PROOF_IDLE)
            .maximumSize(maxDevices)
            .ticker(ticker)
            .executor(cacheExecutor)
            .buildAsync();
        this.lastRead = Caffeine.newBuilder()
            .expireAfterWrite(staleMax)
            .maximumSize(maxDevices)
            .ticker(ticker)
            .executor(cacheExecutor)
            .build();
        this.fingerprints = fingerprintMacs();
    }

    /** A verifier whose devices fail as unavailable as soon as the store cannot be read. */
    public DeviceVerifier(DeviceStore store, SecretHasher hasher, Duration ttl, int maxDevices, Executor hashExecutor,
                          Ticker ticker, Executor cacheExecutor) {
        this(store, hasher, ttl, Duration.ZERO, maxDevices, hashExecutor, ticker, cacheExecutor);
    }

    /** A verifier with the system clock and the JDK's common pool for cache upkeep. */
    public static DeviceVerifier create(DeviceStore store, Duration ttl, Duration staleMax, int maxDevices,
                                        Executor hashExecutor) {
        return new DeviceVerifier(store, new SecretHasher(), ttl, staleMax, maxDevices, hashExecutor,
            Ticker.systemTicker(), ForkJoinPool.commonPool());
    }

    /**
     * The verdict on {@code secret} for {@code deviceId}. Completes at once when cached; fails with
     * {@link RegistryUnavailableException} when the store cannot answer or the hash workers are full.
     */
    public CompletableFuture<Verdict> verify(String deviceId, String secret) {
        byte[] fingerprint = fingerprint(secret);
        return records.get(deviceId)
            .thenCompose(lookup -> judge(deviceId, secret, fingerprint, lookup)
                .thenCompose(verdict -> lookup.worthRechecking(verdict, ticker.read(), recheckNanos)
                    ? recheck(deviceId, secret, fingerprint)
                    : CompletableFuture.completedFuture(verdict)));
    }

    /** Reads of the store so far (cache misses). */
    public long storeReads() {
        return storeReads.sum();
    }

    /** PBKDF2 checks run so far. */
    public long hashChecks() {
        return hashChecks.sum();
    }

    private CompletableFuture<Verdict> recheck(String deviceId, String secret, byte[] fingerprint) {
        records.synchronous().invalidate(deviceId);
        return records.get(deviceId).thenCompose(fresh -> judge(deviceId, secret, fingerprint, fresh));
    }

    private CompletableFuture<Verdict> judge(String deviceId, String secret, byte[] fingerprint, Lookup lookup) {
        if (lookup.failure != null) {
            records.synchronous().invalidate(deviceId);
            return CompletableFuture.failedFuture(lookup.failure);
        }
        if (lookup.record.isEmpty()) {
            return CompletableFuture.completedFuture(Verdict.UNKNOWN_DEVICE);
        }
        DeviceRecord record = lookup.record.get();
        if (!record.isActive()) {
            return CompletableFuture.completedFuture(Verdict.REVOKED);
        }
        ProofKey key = new ProofKey(deviceId, fingerprint, record.secret().hashBytes());
        return proofs.get(key, (k, executor) -> check(secret, record.secret())).thenCompose(proof -> {
            if (proof == Proof.NOT_RUN) {
                proofs.synchronous().invalidate(key);
                return CompletableFuture.failedFuture(new RegistryUnavailableException(
                    "too many device secrets are being checked right now", null));
            }
            return CompletableFuture.completedFuture(proof == Proof.MATCH ? Verdict.ACCEPTED : Verdict.WRONG_SECRET);
        });
    }

    /** Runs PBKDF2 on the hash executor; NOT_RUN (not cached for long: see judge) when it is full. */
    private CompletableFuture<Proof> check(String secret, SecretHash stored) {
        try {
            return CompletableFuture.supplyAsync(() -> {
                hashChecks.increment();
                return hasher.matches(secret, stored) ? Proof.MATCH : Proof.MISMATCH;
            }, hashExecutor);
        } catch (RejectedExecutionException e) {
            warn("too many secret checks are queued; refusing new ones until some finish", e);
            return CompletableFuture.completedFuture(Proof.NOT_RUN);
        }
    }

    /** A failed read becomes a value, so the cache neither keeps it for long nor logs it per request. */
    private CompletableFuture<Lookup> load(String deviceId) {
        storeReads.increment();
        return store.find(deviceId).toCompletableFuture().handle((record, error) -> {
            if (error == null) {
                Lookup lookup = new Lookup(record, null, ticker.read());
                lastRead.put(deviceId, lookup);
                return lookup;
            }
            Lookup stale = lastRead.getIfPresent(deviceId);
            if (stale != null) {
                warn("the device registry cannot be read; devices seen lately are checked against their last "
                    + "record meanwhile", error);
                return stale;
            }
            warn("the device registry cannot be read", error);
            Throwable cause = unwrap(error);
            RegistryUnavailableException failure = cause instanceof RegistryUnavailableException
                ? (RegistryUnavailableException) cause
                : new RegistryUnavailableException("the device registry failed: " + cause.getMessage(), cause);
            return new Lookup(Optional.empty(), failure, ticker.read());
        });
    }

    private void warn(String what, Throwable error) {
        long now = ticker.read();
        long next = nextWarnNanos.get();
        if (now >= next && nextWarnNanos.compareAndSet(next, now + WARN_INTERVAL_NANOS)) {
            LOG.warn("[device-registry] {}: {} (this warning repeats at most every {} s)",
                what, unwrap(error).getMessage(), WARN_INTERVAL_NANOS / 1_000_000_000L);
        }
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    private byte[] fingerprint(String secret) {
        return fingerprints.get().doFinal(secret.getBytes(StandardCharsets.UTF_8));
    }

    private static ThreadLocal<Mac> fingerprintMacs() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        SecretKeySpec spec = new SecretKeySpec(key, "HmacSHA256");
        return ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(spec);
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("this JVM lacks HmacSHA256", e);
            }
        });
    }

    /** The outcome of one PBKDF2 check. */
    private enum Proof { MATCH, MISMATCH, NOT_RUN }

    /** A record as read from the store (or why it could not be), and when (ticker nanos). */
    private static final class Lookup {
        final Optional<DeviceRecord> record;
        final RegistryUnavailableException failure;
        final long readAt;

        Lookup(Optional<DeviceRecord> record, RegistryUnavailableException failure, long readAt) {
            this.record = record;
            this.failure = failure;
            this.readAt = readAt;
        }

        /** A refusal from a record read at least {@code nanos} ago is checked once more against a fresh read. */
        boolean worthRechecking(Verdict verdict, long now, long nanos) {
            return verdict != Verdict.ACCEPTED && now - readAt >= nanos;
        }
    }

    /** Device, HMAC of the presented secret, and the stored hash it was checked against. */
    private static final class ProofKey {
        private final String deviceId;
        private final byte[] fingerprint;
        private final byte[] storedHash;
        private final int hash;

        ProofKey(String deviceId, byte[] fingerprint, byte[] storedHash) {
            this.deviceId = deviceId;
            this.fingerprint = fingerprint;
            this.storedHash = storedHash;
            this.hash = 31 * (31 * deviceId.hashCode() + Arrays.hashCode(fingerprint)) + Arrays.hashCode(storedHash);
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof ProofKey)) {
                return false;
            }
            ProofKey other = (ProofKey) o;
            return deviceId.equals(other.deviceId) && Arrays.equals(fingerprint, other.fingerprint)
                && Arrays.equals(storedHash, other.storedHash);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
