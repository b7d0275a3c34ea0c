package io.choralstorm.cluster.admission;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.Test;

public class DeviceRateLimiterTest {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final DeviceRateLimiter limiter = new DeviceRateLimiter(10, 20, 1000, nanos::get);

    @Test
    public void burstPassesThenTheDeviceIsRefusedWithTheWaitForOneFrame() {
        for (int i = 0; i < 20; i++) {
            assertTrue("frame " + i + " of the burst", limiter.tryAcquire(Map.of("d1", 1)).admitted());
        }

        DeviceRateLimiter.Decision refused = limiter.tryAcquire(Map.of("d1", 1));

        assertFalse(refused.admitted());
        assertEquals("d1", refused.deviceId());
        assertEquals("one frame refills in 0.1 s: retry after 1 s", 1, refused.retryAfterSeconds());
    }

    @Test
    public void tokensComeBackAtTheConfiguredRate() {
        limiter.tryAcquire(Map.of("d1", 20));

        nanos.addAndGet(500_000_000L);

        assertTrue("5 frames after 0.5 s", limiter.tryAcquire(Map.of("d1", 5)).admitted());
        assertFalse("not a sixth", limiter.tryAcquire(Map.of("d1", 1)).admitted());
    }

    @Test
    public void retryAfterCoversTheWholeRequest() {
        limiter.tryAcquire(Map.of("d1", 20));

        assertEquals("15 frames need 1.5 s", 2, limiter.tryAcquire(Map.of("d1", 15)).retryAfterSeconds());
    }

    @Test
    public void devicesHaveTheirOwnBuckets() {
        limiter.tryAcquire(Map.of("d1", 20));

        assertTrue(limiter.tryAcquire(Map.of("d2", 20)).admitted());
    }

    @Test
    public void refusedBatchTakesNothingFromItsOtherDevices() {
        limiter.tryAcquire(Map.of("d2", 20));
        Map<String, Integer> batch = new LinkedHashMap<>();
        batch.put("d1", 10);
        batch.put("d2", 1);

        assertFalse(limiter.tryAcquire(batch).admitted());

        assertTrue("d1's 10 tokens were given back", limiter.tryAcquire(Map.of("d1", 20)).admitted());
    }

    @Test
    public void batchLargerThanTheBurstIsRefusedAsSuch() {
        DeviceRateLimiter.Decision decision = limiter.tryAcquire(Map.of("d1", 21));

        assertFalse(decision.admitted());
        assertTrue(decision.overBurst());
        assertTrue("a full bucket takes 2 s", decision.retryAfterSeconds() >= 2);
    }

    @Test
    public void zeroRateTurnsLimitingOff() {
        DeviceRateLimiter off = new DeviceRateLimiter(0, 1, 10, nanos::get);

        for (int i = 0; i < 10_000; i++) {
            assertTrue(off.tryAcquire(Map.of("d1", 1000)).admitted());
        }
        assertEquals("off", off.describe());
    }
}
