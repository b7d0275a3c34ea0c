package io.choralstorm.topology;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waits on a condition with a deadline instead of sleeping. */
public final class Await {
    private static final long DEFAULT_TIMEOUT_MS = 10_000;
    private static final long POLL_NANOS = 2_000_000;

    private Await() {
    }

    public static void until(String what, BooleanSupplier condition) {
        until(what, DEFAULT_TIMEOUT_MS, condition, () -> { });
    }

    /** Polls {@code condition}, running {@code between} after each miss, until true or the deadline. */
    public static void until(String what, long timeoutMs, BooleanSupplier condition, Runnable between) {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeoutMs + " ms waiting for " + what);
            }
            between.run();
            LockSupport.parkNanos(POLL_NANOS);
        }
    }
}
