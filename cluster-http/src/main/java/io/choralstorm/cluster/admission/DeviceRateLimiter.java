package io.choralstorm.cluster.admission;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Frames per second per device: a token bucket per device (Bucket4j) holding up to {@code burst}
 * frames and refilled at {@code framesPerSecond}. A request takes one token per frame for each of
 * its devices, all or none. Buckets of devices that stopped sending are dropped once they would be
 * full again, so memory follows the active devices (at most {@code maxDevices}).
 */
public final class DeviceRateLimiter {
    /** Whether a request may pass and, if not, which device is over its rate and when to retry. */
    public static final class Decision {
        private static final Decision ADMITTED = new Decision(true, null, 0, false);

        private final boolean admitted;
        private final String deviceId;
        private final int retryAfterSeconds;
        private final boolean overBurst;

        private Decision(boolean admitted, String deviceId, int retryAfterSeconds, boolean overBurst) {
            this.admitted = admitted;
            this.deviceId = deviceId;
            this.retryAfterSeconds = retryAfterSeconds;
            this.overBurst = overBurst;
        }

        public boolean admitted() {
            return admitted;
        }

        /** The device over its rate (null when admitted). */
        public String deviceId() {
            return deviceId;
        }

        /** Whole seconds until enough tokens are back, at least 1. */
        public int retryAfterSeconds() {
            return retryAfterSeconds;
        }

        /** True when the request alone holds more frames of the device than the bucket can ever hold. */
        public boolean overBurst() {
            return overBurst;
        }
    }

    private final int framesPerSecond;
    private final int burst;
    private final TimeMeter time;
    private final Cache<String, Bucket> buckets;

    /**
     * @param framesPerSecond refill rate per device; 0 turns limiting off
     * @param burst           most frames a device may send at once after a pause
     * @param nanoClock       monotonic nanoseconds (tests pass a fake one)
     */
    public DeviceRateLimiter(int framesPerSecond, int burst, int maxDevices, LongSupplier nanoClock) {
        if (framesPerSecond < 0 || (framesPerSecond > 0 && burst < 1)) {
            throw new IllegalArgumentException("a device rate needs frames per second >= 0 and a burst >= 1, got "
                + framesPerSecond + " and " + burst);
        }
        this.framesPerSecond = framesPerSecond;
        this.burst = burst;
        this.time = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return nanoClock.getAsLong();
            }

            @Override
            public boolean isWallClockBased() {
                return false;
            }
        };
        long refillMillis = framesPerSecond == 0 ? 1 : (long) Math.ceil(burst * 1000.0 / framesPerSecond);
        this.buckets = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMillis(refillMillis + 1000))
            .maximumSize(maxDevices)
            .ticker(nanoClock::getAsLong)
            .build();
    }

    public static DeviceRateLimiter off() {
        return new DeviceRateLimiter(0, 0, 1, System::nanoTime);
    }

    public boolean enabled() {
        return framesPerSecond > 0;
    }

    public String describe() {
        return enabled() ? framesPerSecond + " frames/s per device, bursts of up to " + burst + " frames" : "off";
    }

    /** Takes {@code frames} tokens from each device's bucket, or none at all when one device is over its rate. */
    public Decision tryAcquire(Map<String, Integer> framesPerDevice) {
        if (!enabled()) {
            return Decision.ADMITTED;
        }
        List<Map.Entry<Bucket, Integer>> taken = new ArrayList<>(framesPerDevice.size());
        for (Map.Entry<String, Integer> device : framesPerDevice.entrySet()) {
            int frames = device.getValue();
            if (frames > burst) {
                giveBack(taken);
                return new Decision(false, device.getKey(), secondsFor(burst), true);
            }
            Bucket bucket = buckets.get(device.getKey(), id -> newBucket());
            ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(frames);
            if (!probe.isConsumed()) {
                giveBack(taken);
                return new Decision(false, device.getKey(), seconds(probe.getNanosToWaitForRefill()), false);
            }
            taken.add(Map.entry(bucket, frames));
        }
        return Decision.ADMITTED;
    }

    private Bucket newBucket() {
        return Bucket.builder()
            .addLimit(Bandwidth.builder().capacity(burst).refillGreedy(framesPerSecond, Duration.ofSeconds(1)).build())
            .withCustomTimePrecision(time)
            .build();
    }

    private static void giveBack(List<Map.Entry<Bucket, Integer>> taken) {
        taken.forEach(entry -> entry.getKey().addTokens(entry.getValue()));
    }

    private int secondsFor(int frames) {
        return seconds((long) Math.ceil(frames * 1e9 / framesPerSecond));
    }

    private static int seconds(long nanos) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (nanos + 999_999_999L) / 1_000_000_000L));
    }
}
