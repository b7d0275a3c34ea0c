package io.choralstorm.topology.storage;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.Test;

public class InFlightLimiterTest {

    @Test
    public void slotIsFreedWhenTheOperationCompletes() {
        // given a limiter of two slots with two operations in flight
        InFlightLimiter limiter = new InFlightLimiter(2, 50);
        CompletableFuture<String> first = new CompletableFuture<>();
        CompletableFuture<String> second = new CompletableFuture<>();
        limiter.submit(() -> first);
        limiter.submit(() -> second);
        assertEquals("slots free while both run", 0, limiter.available());

        // when one succeeds and the other fails
        first.complete("ok");
        second.completeExceptionally(new IllegalStateException("boom"));

        // then both slots are free again
        assertEquals("slots free after completion", 2, limiter.available());
    }

    @Test
    public void operationWaitingTooLongForASlotFailsWithTimeoutAndIsNotStarted() throws Exception {
        // given a single slot held by an operation that does not complete
        InFlightLimiter limiter = new InFlightLimiter(1, 20);
        limiter.submit(CompletableFuture::new);
        boolean[] started = {false};

        // when another operation is submitted
        CompletableFuture<Object> waiting = limiter.submit(() -> {
            started[0] = true;
            return CompletableFuture.completedFuture("late");
        });

        // then it fails with a timeout that names the setting, and never started
        try {
            waiting.get();
            throw new AssertionError("expected a timeout");
        } catch (ExecutionException e) {
            assertTrue("timeout: " + e.getCause(), e.getCause() instanceof TimeoutException);
            assertTrue("names the setting", e.getCause().getMessage().contains("storage.max.in.flight"));
        }
        assertTrue("not started", !started[0]);
    }

    @Test
    public void operationThrowingOnStartFreesItsSlot() throws Exception {
        // given an operation that throws when started
        InFlightLimiter limiter = new InFlightLimiter(1, 20);
        IllegalStateException boom = new IllegalStateException("session closed");

        // when submitted
        CompletableFuture<Object> result = limiter.submit(() -> {
            throw boom;
        });

        // then the stage fails with the cause and the slot is free
        assertTrue("failed", result.isCompletedExceptionally());
        try {
            result.get();
        } catch (ExecutionException e) {
            assertSame("cause", boom, e.getCause());
        }
        assertEquals("slot free", 1, limiter.available());
    }
}
