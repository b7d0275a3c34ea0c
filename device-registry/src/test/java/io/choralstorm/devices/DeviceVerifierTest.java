package io.choralstorm.devices;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.junit.Test;

public class DeviceVerifierTest {
    private static final Duration TTL = Duration.ofSeconds(5);
    private static final Duration STALE_MAX = Duration.ofMinutes(10);

    private final FakeTicker ticker = new FakeTicker();
    private final FlakyStore store = new FlakyStore();
    private final SecretHasher hasher = new SecretHasher(1_000, new SecureRandom());
    private final DeviceRegistry registry = new DeviceRegistry(store, hasher, new SecretGenerator(), Clock.systemUTC());
    private final DeviceVerifier verifier = verifier(Runnable::run);

    @Test
    public void rightSecretIsAcceptedAndEveryOtherCaseIsRefused() throws Exception {
        String secret = registry.add("d1", false);

        assertEquals(Verdict.ACCEPTED, verify("d1", secret));
        assertEquals(Verdict.WRONG_SECRET, verify("d1", secret + "x"));
        assertEquals(Verdict.UNKNOWN_DEVICE, verify("d2", secret));
    }

    @Test
    public void repeatedChecksReadTheStoreAndHashOnlyOnce() throws Exception {
        String secret = registry.add("d1", false);

        for (int i = 0; i < 1000; i++) {
            assertEquals(Verdict.ACCEPTED, verify("d1", secret));
        }

        assertEquals("one store read for 1000 checks", 1, verifier.storeReads());
        assertEquals("one PBKDF2 run for 1000 checks", 1, verifier.hashChecks());
    }

    @Test
    public void revokedDeviceIsRefusedOnceTheCacheTimeHasPassed() throws Exception {
        String secret = registry.add("d1", false);
        assertEquals(Verdict.ACCEPTED, verify("d1", secret));

        registry.revoke("d1");

        ticker.advance(TTL.minusMillis(1));
        assertEquals("still cached: the revocation window is the ttl", Verdict.ACCEPTED, verify("d1", secret));
        ticker.advance(Duration.ofMillis(1));
        assertEquals(Verdict.REVOKED, verify("d1", secret));
    }

    @Test
    public void recordIsReadAgainAfterTheTtlWithoutHashingAgain() throws Exception {
        String secret = registry.add("d1", false);
        verify("d1", secret);

        ticker.advance(TTL);
        assertEquals(Verdict.ACCEPTED, verify("d1", secret));

        assertEquals(2, verifier.storeReads());
        assertEquals("the stored hash did not change, so the old check stands", 1, verifier.hashChecks());
    }

    @Test
    public void rotatedSecretIsAcceptedWithinASecondAndTheOldOneIsRefused() throws Exception {
        String old = registry.add("d1", false);
        assertEquals(Verdict.ACCEPTED, verify("d1", old));

        String fresh = registry.add("d1", true);
        ticker.advance(Duration.ofMillis(DeviceVerifier.RECHECK_MILLIS));

        assertEquals("a refusal reads the record again", Verdict.ACCEPTED, verify("d1", fresh));
        assertEquals(Verdict.WRONG_SECRET, verify("d1", old));
    }

    @Test
    public void newlyRegisteredDeviceIsAcceptedWithinASecondOfBeingUnknown() throws Exception {
        assertEquals(Verdict.UNKNOWN_DEVICE, verify("d1", "anything"));

        String secret = registry.add("d1", false);
        ticker.advance(Duration.ofMillis(DeviceVerifier.RECHECK_MILLIS));

        assertEquals(Verdict.ACCEPTED, verify("d1", secret));
    }

    @Test
    public void repeatedWrongSecretIsNotHashedAgain() throws Exception {
        registry.add("d1", false);

        for (int i = 0; i < 50; i++) {
            assertEquals(Verdict.WRONG_SECRET, verify("d1", "guess"));
        }

        assertEquals(1, verifier.hashChecks());
    }

    @Test
    public void unreadableStoreFailsTheCheckOfAnUnseenDeviceAndTheFailureIsNotCached() throws Exception {
        String secret = registry.add("d1", false);
        store.failing = true;

        try {
            verify("d1", secret);
            fail("a store that cannot answer must not give a verdict on a device it never read");
        } catch (ExecutionException e) {
            assertTrue(String.valueOf(e.getCause()), e.getCause() instanceof RegistryUnavailableException);
        }

        store.failing = false;
        assertEquals("the failure was not cached", Verdict.ACCEPTED, verify("d1", secret));
    }

    @Test
    public void whileTheStoreIsUnreadableDevicesSeenLatelyAreCheckedAgainstTheirLastRecord() throws Exception {
        String secret = registry.add("d1", false);
        assertEquals(Verdict.ACCEPTED, verify("d1", secret));
        store.failing = true;

        ticker.advance(TTL);
        assertEquals("the last record stands in", Verdict.ACCEPTED, verify("d1", secret));
        assertEquals("and still refuses a wrong secret", Verdict.WRONG_SECRET, verify("d1", "guess"));

        ticker.advance(STALE_MAX);
        try {
            verify("d1", secret);
            fail("a record older than the stale limit must not stand in");
        } catch (ExecutionException e) {
            assertTrue(String.valueOf(e.getCause()), e.getCause() instanceof RegistryUnavailableException);
        }
    }

    @Test
    public void hashingRunsOnTheHashExecutorNotOnTheCallersThread() throws Exception {
        Queue<Runnable> queued = new ArrayDeque<>();
        DeviceVerifier queuedVerifier = verifier(queued::add);
        String secret = registry.add("d1", false);

        CompletableFuture<Verdict> first = queuedVerifier.verify("d1", secret);
        CompletableFuture<Verdict> second = queuedVerifier.verify("d1", secret);

        assertFalse("PBKDF2 waits for the hash executor", first.isDone());
        assertEquals("concurrent checks share one PBKDF2 run", 1, queued.size());
        queued.poll().run();
        assertEquals(Verdict.ACCEPTED, first.get());
        assertEquals(Verdict.ACCEPTED, second.get());
    }

    @Test
    public void fullHashExecutorFailsTheCheckAsUnavailable() throws Exception {
        Executor full = task -> {
            throw new RejectedExecutionException("full");
        };
        DeviceVerifier busy = verifier(full);
        String secret = registry.add("d1", false);

        try {
            busy.verify("d1", secret).get();
            fail("a check that cannot be queued must not give a verdict");
        } catch (ExecutionException e) {
            assertTrue(String.valueOf(e.getCause()), e.getCause() instanceof RegistryUnavailableException);
        }
    }

    private DeviceVerifier verifier(Executor hashExecutor) {
        return new DeviceVerifier(store, hasher, TTL, STALE_MAX, 1000, hashExecutor, ticker, Runnable::run);
    }

    private Verdict verify(String device, String secret) throws Exception {
        return verifier.verify(device, secret).get();
    }

    /** The in-memory store, which can be made to fail like an unreachable Cassandra. */
    private static final class FlakyStore implements DeviceStore {
        private final InMemoryDeviceStore delegate = new InMemoryDeviceStore();
        volatile boolean failing;

        @Override
        public CompletionStage<Optional<DeviceRecord>> find(String deviceId) {
            if (failing) {
                return CompletableFuture.failedFuture(new RegistryUnavailableException("store down", null));
            }
            return delegate.find(deviceId);
        }

        @Override
        public boolean insertIfAbsent(DeviceRecord record) {
            return delegate.insertIfAbsent(record);
        }

        @Override
        public boolean replace(DeviceRecord current, DeviceRecord replacement) {
            return delegate.replace(current, replacement);
        }

        @Override
        public boolean revoke(String deviceId, Instant at) {
            return delegate.revoke(deviceId, at);
        }

        @Override
        public List<DeviceRecord> list() {
            return delegate.list();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
