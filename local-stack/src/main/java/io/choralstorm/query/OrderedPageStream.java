package io.choralstorm.query;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.Statement;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Streams the rows of a sequence of paged statements (one per partition, in time order) to a sink, in
 * statement order, while up to {@code maxInFlight} statements run at once on the async driver.
 *
 * <p>Memory stays bounded whatever the size of the answer: a statement waiting its turn holds at most
 * its first page, and the statement being read holds its current page and the next one (fetched while
 * the current one is consumed), so at most {@code (maxInFlight + 1) * pageSize} rows are buffered.
 *
 * <p>Used by one thread at a time.
 */
final class OrderedPageStream {
    private final CqlSession session;
    private final int maxInFlight;
    private long peakBufferedRows;

    /** One statement and how its rows become {@code T}s. */
    record Part<T>(Statement<?> statement, Function<Row, T> mapper) {
    }

    OrderedPageStream(CqlSession session, int maxInFlight) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("at least one statement must run at a time, got " + maxInFlight);
        }
        this.session = session;
        this.maxInFlight = maxInFlight;
    }

    /**
     * Passes the rows of {@code parts}, in order, to {@code sink} until it returns false or the rows run
     * out; returns the number of rows passed.
     */
    <T> long stream(Iterator<Part<T>> parts, Predicate<T> sink) {
        Progress progress = new Progress();
        Deque<Started<T>> started = new ArrayDeque<>();
        try {
            fill(started, parts, maxInFlight, progress);
            while (!started.isEmpty() && !progress.stopped) {
                Started<T> current = started.poll();
                fill(started, parts, maxInFlight - 1, progress);
                drain(current, sink, progress);
            }
            return progress.delivered;
        } finally {
            started.forEach(part -> part.firstPage().cancel(false));
            peakBufferedRows = Math.max(peakBufferedRows, progress.peakBuffered);
        }
    }

    /** The most rows fetched but not yet passed to the sink, at any moment of any stream so far. */
    long peakBufferedRows() {
        return peakBufferedRows;
    }

    private <T> void drain(Started<T> part, Predicate<T> sink, Progress progress) {
        AsyncResultSet page = await(part.firstPage());
        while (true) {
            CompletableFuture<AsyncResultSet> next = page.hasMorePages()
                ? progress.counted(page.fetchNextPage()) : null;
            for (Row row : page.currentPage()) {
                progress.delivering();
                if (!sink.test(part.mapper().apply(row))) {
                    progress.stopped = true;
                    if (next != null) {
                        next.cancel(false);
                    }
                    return;
                }
            }
            if (next == null) {
                return;
            }
            page = await(next);
        }
    }

    private <T> void fill(Deque<Started<T>> started, Iterator<Part<T>> parts, int upTo, Progress progress) {
        while (started.size() < upTo && parts.hasNext()) {
            Part<T> part = parts.next();
            started.add(new Started<>(progress.counted(session.executeAsync(part.statement())), part.mapper()));
        }
    }

    private static AsyncResultSet await(CompletableFuture<AsyncResultSet> page) {
        try {
            return page.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** A statement whose first page is on its way. */
    private record Started<T>(CompletableFuture<AsyncResultSet> firstPage, Function<Row, T> mapper) {
    }

    /** The rows of one stream: fetched (counted as pages arrive, on driver threads) and delivered. */
    private static final class Progress {
        private final AtomicLong fetched = new AtomicLong();
        private long delivered;
        private long peakBuffered;
        private boolean stopped;

        CompletableFuture<AsyncResultSet> counted(CompletionStage<AsyncResultSet> page) {
            return page.toCompletableFuture().thenApply(result -> {
                fetched.addAndGet(result.remaining());
                return result;
            });
        }

        /** Called before a row is passed on: the row itself is still buffered. */
        void delivering() {
            peakBuffered = Math.max(peakBuffered, fetched.get() - delivered);
            delivered++;
        }
    }
}
