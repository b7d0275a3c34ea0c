package io.choralstorm.topology.storage;

import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchableStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes rows so that each partition has at most one request in flight: the rows of a partition that
 * arrive meanwhile wait, then go together as one single-partition UNLOGGED batch. At low load a row goes
 * out at once, alone; under load (a device's burst, batched POSTs, a replay after an outage) many rows
 * share one request, which Cassandra applies as one mutation. A partition's requests hold one slot of
 * the {@link InFlightLimiter} until its queue is empty, so waiting for a slot never happens on a
 * driver thread.
 *
 * <p>Order: a partition's requests go out one after the other, in the order the rows were written; a row
 * written again while it waits (same partition and clustering key) replaces its waiting statement, so
 * the later write wins, and both callers complete with it. A batch takes at most {@code maxRows} rows
 * and about {@code maxBytes} bytes, to keep requests small; what is left goes in the next one. (Cassandra
 * checks its batch size thresholds on multi-partition batches only.)
 */
final class PartitionWrites {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionWrites.class);

    private final InFlightLimiter limiter;
    private final Function<Statement<?>, CompletionStage<?>> executor;
    private final int maxRows;
    private final int maxBytes;
    private final Map<Object, Queue> partitions = new HashMap<>();

    /**
     * @param executor sends a statement (the session's {@code executeAsync})
     * @param maxRows  most rows in one batch
     * @param maxBytes most bytes (as estimated by the callers) in one batch, but always at least one row
     */
    PartitionWrites(InFlightLimiter limiter, Function<Statement<?>, CompletionStage<?>> executor, int maxRows,
                    int maxBytes) {
        this.limiter = Objects.requireNonNull(limiter, "limiter");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.maxRows = maxRows;
        this.maxBytes = maxBytes;
    }

    /**
     * Writes {@code statement}, the row {@code row} of {@code partition}, of about {@code bytes} bytes. The
     * stage completes when the request carrying it (or a later write of the same row) succeeded, and fails
     * with its error otherwise. Keys compare with {@code equals}.
     */
    CompletableFuture<Void> write(Object partition, Object row, BatchableStatement<?> statement, int bytes) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        boolean start;
        synchronized (this) {
            Queue queue = partitions.computeIfAbsent(partition, key -> new Queue());
            queue.add(row, statement, bytes, done);
            start = !queue.draining;
            queue.draining = true;
        }
        if (start) {
            limiter.submit(() -> drain(partition)).handle((drained, error) -> {
                if (error != null) {
                    failWaiting(partition, error);
                }
                return null;
            }).exceptionally(error -> {
                LOG.error("[cassandra-writer] rows of a partition could not be failed; they replay on timeout", error);
                return null;
            });
        }
        return done;
    }

    /** Partitions with rows waiting or in flight. */
    synchronized int partitionsBusy() {
        return partitions.size();
    }

    /** Sends the partition's waiting rows, batch after batch; completes when none is left. */
    private CompletionStage<Void> drain(Object partition) {
        CompletableFuture<Void> idle = new CompletableFuture<>();
        sendNext(partition, idle);
        return idle;
    }

    private void sendNext(Object partition, CompletableFuture<Void> idle) {
        List<Row> batch = nextBatch(partition);
        if (batch.isEmpty()) {
            idle.complete(null);
            return;
        }
        send(batch).whenComplete((result, error) -> {
            batch.forEach(row -> row.complete(error));
            sendNext(partition, idle);
        });
    }

    private CompletionStage<?> send(List<Row> batch) {
        Statement<?> statement;
        if (batch.size() == 1) {
            statement = batch.get(0).statement;
        } else {
            List<BatchableStatement<?>> statements = new ArrayList<>(batch.size());
            batch.forEach(row -> statements.add(row.statement));
            statement = BatchStatement.newInstance(DefaultBatchType.UNLOGGED, statements).setIdempotent(true);
        }
        try {
            return executor.apply(statement);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The next batch of the partition, or none (and the partition is idle again). */
    private synchronized List<Row> nextBatch(Object partition) {
        Queue queue = partitions.get(partition);
        List<Row> batch = queue.take(maxRows, maxBytes);
        if (batch.isEmpty()) {
            partitions.remove(partition);
        }
        return batch;
    }

    /** No slot freed up for the partition: every row waiting in it fails. */
    private void failWaiting(Object partition, Throwable error) {
        List<Row> waiting;
        synchronized (this) {
            Queue queue = partitions.remove(partition);
            waiting = queue == null ? List.of() : queue.take(Integer.MAX_VALUE, Integer.MAX_VALUE);
        }
        waiting.forEach(row -> row.complete(error));
    }

    /** The rows of one partition waiting for a request, in the order they were first written. */
    private static final class Queue {
        private final LinkedHashMap<Object, Row> rows = new LinkedHashMap<>();
        private boolean draining;

        void add(Object key, BatchableStatement<?> statement, int bytes, CompletableFuture<Void> done) {
            Row row = rows.computeIfAbsent(key, k -> new Row());
            row.statement = statement;
            row.bytes = bytes;
            row.callers.add(done);
        }

        List<Row> take(int maxRows, int maxBytes) {
            List<Row> batch = new ArrayList<>();
            long bytes = 0;
            Iterator<Row> waiting = rows.values().iterator();
            while (waiting.hasNext() && batch.size() < maxRows) {
                Row row = waiting.next();
                if (!batch.isEmpty() && bytes + row.bytes > maxBytes) {
                    break;
                }
                bytes += row.bytes;
                batch.add(row);
                waiting.remove();
            }
            return batch;
        }
    }

    /** A row waiting for its request, with everyone waiting on it. */
    private static final class Row {
        private BatchableStatement<?> statement;
        private int bytes;
        private final List<CompletableFuture<Void>> callers = new ArrayList<>(1);

        void complete(Throwable error) {
            for (CompletableFuture<Void> caller : callers) {
                if (error == null) {
                    caller.complete(null);
                } else {
                    caller.completeExceptionally(error);
                }
            }
        }
    }
}
