package io.choralstorm.topology.storage;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchableStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.cql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.junit.Test;

public class PartitionWritesTest {
    private final List<Statement<?>> sent = new ArrayList<>();
    private final List<CompletableFuture<Void>> inFlight = new ArrayList<>();
    private final InFlightLimiter limiter = new InFlightLimiter(8, 100);
    private final PartitionWrites writes = new PartitionWrites(limiter, this::execute, 3, 1_000);

    @Test
    public void aRowOfAnIdlePartitionGoesOutAtOnceAlone() {
        SimpleStatement row = row();

        CompletableFuture<Void> done = writes.write("p1", 1L, row, 10);

        assertEquals(List.of(row), sent);
        inFlight.get(0).complete(null);
        assertTrue(done.isDone() && !done.isCompletedExceptionally());
        assertEquals("idle again", 0, writes.partitionsBusy());
        assertEquals("slot freed", 8, limiter.available());
    }

    @Test
    public void rowsWrittenWhileTheirPartitionIsBusyShareTheNextRequestInOrder() {
        // given a request of p1 in flight
        writes.write("p1", 1L, row(), 10);

        // when two more rows of p1 and one of p2 are written
        SimpleStatement second = row();
        SimpleStatement third = row();
        CompletableFuture<Void> a = writes.write("p1", 2L, second, 10);
        CompletableFuture<Void> b = writes.write("p1", 3L, third, 10);
        writes.write("p2", 1L, row(), 10);

        // then p2 goes out at once, and p1's two wait, then go as one unlogged batch
        assertEquals("p1's first and p2's", 2, sent.size());
        inFlight.get(0).complete(null);
        assertEquals(3, sent.size());
        BatchStatement batch = (BatchStatement) sent.get(2);
        assertEquals(DefaultBatchType.UNLOGGED, batch.getBatchType());
        assertEquals(List.of(second, third), statements(batch));
        assertFalse("not before the batch completes", a.isDone());
        inFlight.get(2).complete(null);
        assertTrue(a.isDone() && b.isDone());
    }

    @Test
    public void aRowWrittenAgainWhileItWaitsGoesOnceWithItsLatestStatement() {
        writes.write("p1", 1L, row(), 10);
        SimpleStatement old = row();
        SimpleStatement latest = row();
        CompletableFuture<Void> first = writes.write("p1", 2L, old, 10);
        CompletableFuture<Void> second = writes.write("p1", 2L, latest, 10);

        inFlight.get(0).complete(null);

        assertSame("alone, the latest", latest, sent.get(1));
        inFlight.get(1).complete(null);
        assertTrue("both callers done", first.isDone() && second.isDone());
    }

    @Test
    public void aBatchTakesAtMostMaxRowsAndMaxBytes() {
        writes.write("p1", 0L, row(), 10);
        for (long row = 1; row <= 4; row++) {
            writes.write("p1", row, row(), 10);
        }
        writes.write("p1", 5L, row(), 995);

        inFlight.get(0).complete(null);
        assertEquals("3 rows at most", 3, statements((BatchStatement) sent.get(1)).size());
        inFlight.get(1).complete(null);
        assertTrue("row 4 alone: row 5 would pass 1,000 bytes", sent.get(2) instanceof SimpleStatement);
        inFlight.get(2).complete(null);
        assertTrue("then row 5", sent.get(3) instanceof SimpleStatement);
    }

    @Test
    public void aFailedRequestFailsItsRowsAndTheNextBatchStillGoesOut() {
        writes.write("p1", 1L, row(), 10);
        CompletableFuture<Void> failing = writes.write("p1", 2L, row(), 10);
        inFlight.get(0).complete(null);
        CompletableFuture<Void> later = writes.write("p1", 3L, row(), 10);

        IllegalStateException timeout = new IllegalStateException("write timeout");
        inFlight.get(1).completeExceptionally(timeout);

        CompletionException error = assertThrows(CompletionException.class, failing::join);
        assertSame(timeout, error.getCause());
        inFlight.get(2).complete(null);
        assertTrue(later.isDone() && !later.isCompletedExceptionally());
    }

    @Test
    public void whenNoSlotFreesUpTheWaitingRowsFail() {
        PartitionWrites full = new PartitionWrites(new InFlightLimiter(1, 20), this::execute, 3, 1_000);
        full.write("p1", 1L, row(), 10);

        CompletableFuture<Void> starved = full.write("p2", 1L, row(), 10);

        assertTrue("failed after the acquire timeout", starved.isCompletedExceptionally());
        assertEquals("p1 still in flight", 1, full.partitionsBusy());
    }

    private static SimpleStatement row() {
        return SimpleStatement.newInstance("INSERT INTO t (k, c) VALUES (?, ?)", "p", 1);
    }

    private CompletionStage<?> execute(Statement<?> statement) {
        sent.add(statement);
        CompletableFuture<Void> request = new CompletableFuture<>();
        inFlight.add(request);
        return request;
    }

    private static List<BatchableStatement<?>> statements(BatchStatement batch) {
        List<BatchableStatement<?>> statements = new ArrayList<>();
        batch.forEach(statements::add);
        return statements;
    }
}
