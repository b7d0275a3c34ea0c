package io.choralstorm.topology.storage;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Bounds the number of asynchronous operations in flight. {@link #submit} waits for a free slot (at most
 * the acquire timeout) before starting the operation; the slot is freed when the operation completes,
 * successfully or not.
 */
public final class InFlightLimiter {
    private final int maxInFlight;
    private final long acquireTimeoutMs;
    private final Semaphore permits;

    public InFlightLimiter(int maxInFlight, long acquireTimeoutMs) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be >= 1, got " + maxInFlight);
        }
        this.maxInFlight = maxInFlight;
        this.acquireTimeoutMs = acquireTimeoutMs;
        this.permits = new Semaphore(maxInFlight);
    }

    /**
     * Starts {@code operation} once a slot is free. The returned stage fails with a {@link TimeoutException}
     * if no slot freed up in time, or with whatever the operation failed with.
     */
    public <T> CompletableFuture<T> submit(Supplier<? extends CompletionStage<T>> operation) {
        try {
            if (!permits.tryAcquire(acquireTimeoutMs, TimeUnit.MILLISECONDS)) {
                return CompletableFuture.failedFuture(new TimeoutException("all " + maxInFlight
                    + " write slots stayed busy for " + acquireTimeoutMs + " ms; raise storage.max.in.flight or"
                    + " check Cassandra's health"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(e);
        }

        CompletionStage<T> started;
        try {
            started = operation.get();
        } catch (RuntimeException e) {
            permits.release();
            return CompletableFuture.failedFuture(e);
        }
        return started.toCompletableFuture().whenComplete((result, error) -> permits.release());
    }

    /** Slots free right now. */
    public int available() {
        return permits.availablePermits();
    }
}
