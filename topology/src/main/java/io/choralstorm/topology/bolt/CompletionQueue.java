package io.choralstorm.topology.bolt;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BiConsumer;
import org.apache.storm.task.OutputCollector;
import org.apache.storm.tuple.Tuple;

/**
 * Hands finished work from client threads back to the executor thread, the only thread allowed to use
 * the {@link OutputCollector}. {@link #add} may be called from any thread; {@link #drainTo} only from
 * the executor thread.
 */
final class CompletionQueue {
    private record Completion(List<Tuple> tuples, Throwable error) {
    }

    private final Queue<Completion> done = new ConcurrentLinkedQueue<>();
    private final BiConsumer<OutputCollector, Throwable> errorReports;

    /** Reports every error to Storm. */
    CompletionQueue() {
        this(OutputCollector::reportError);
    }

    /** Reports errors through {@code errorReports} (such as {@link ThrottledErrorReports#report}). */
    CompletionQueue(BiConsumer<OutputCollector, Throwable> errorReports) {
        this.errorReports = errorReports;
    }

    /** Records that {@code tuples} finished; {@code error} is null on success. */
    void add(List<Tuple> tuples, Throwable error) {
        done.add(new Completion(tuples, error));
    }

    void add(Tuple tuple, Throwable error) {
        add(List.of(tuple), error);
    }

    /**
     * Acks what succeeded; for each failed group, reports its error once and fails its tuples so they
     * replay. Returns the number of tuples completed.
     */
    int drainTo(OutputCollector collector) {
        int count = 0;
        for (Completion completion = done.poll(); completion != null; completion = done.poll()) {
            if (completion.error() == null) {
                completion.tuples().forEach(collector::ack);
            } else {
                errorReports.accept(collector, completion.error());
                completion.tuples().forEach(collector::fail);
            }
            count += completion.tuples().size();
        }
        return count;
    }
}
