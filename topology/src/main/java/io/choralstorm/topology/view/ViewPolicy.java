package io.choralstorm.topology.view;

import java.io.Serializable;

/**
 * How the view script treats a device's readings, in milliseconds of device time except the expiry.
 *
 * @param windowMs length of each metric's moving window, up to its newest reading
 * @param dedupHorizonMs how far behind the device's newest reading a frame is still counted (and recognised
 *     as a duplicate); an older one is left out of the view as stale. At least {@code windowMs}.
 * @param idleExpiryMs wall-clock TTL set on every key of a device at each update; 0 keeps them forever
 */
public record ViewPolicy(long windowMs, long dedupHorizonMs, long idleExpiryMs) implements Serializable {
    public ViewPolicy {
        if (windowMs <= 0) {
            throw new IllegalArgumentException("window must be > 0 ms, got " + windowMs);
        }
        if (dedupHorizonMs < windowMs) {
            throw new IllegalArgumentException("dedup horizon (" + dedupHorizonMs + " ms) must be >= the window ("
                + windowMs + " ms)");
        }
        if (idleExpiryMs < 0) {
            throw new IllegalArgumentException("idle expiry must be >= 0 ms (0 = never), got " + idleExpiryMs);
        }
    }
}
