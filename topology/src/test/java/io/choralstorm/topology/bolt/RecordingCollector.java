package io.choralstorm.topology.bolt;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.storm.task.IOutputCollector;
import org.apache.storm.task.OutputCollector;
import org.apache.storm.tuple.Tuple;

/** Records what a bolt does with its collector, and on which thread. */
final class RecordingCollector implements IOutputCollector {
    record Emit(String stream, Collection<Tuple> anchors, List<Object> values) {
    }

    final List<Emit> emits = new CopyOnWriteArrayList<>();
    final List<Tuple> acked = new CopyOnWriteArrayList<>();
    final List<Tuple> failed = new CopyOnWriteArrayList<>();
    final List<Throwable> errors = new CopyOnWriteArrayList<>();
    final List<Thread> threads = new CopyOnWriteArrayList<>();

    OutputCollector collector() {
        return new OutputCollector(this);
    }

    List<Emit> emitsOn(String stream) {
        List<Emit> found = new ArrayList<>();
        emits.stream().filter(e -> e.stream().equals(stream)).forEach(found::add);
        return found;
    }

    @Override
    public List<Integer> emit(String streamId, Collection<Tuple> anchors, List<Object> tuple) {
        threads.add(Thread.currentThread());
        emits.add(new Emit(streamId, anchors, tuple));
        return List.of();
    }

    @Override
    public void emitDirect(int taskId, String streamId, Collection<Tuple> anchors, List<Object> tuple) {
        throw new UnsupportedOperationException("no direct emits expected");
    }

    @Override
    public void ack(Tuple input) {
        threads.add(Thread.currentThread());
        acked.add(input);
    }

    @Override
    public void fail(Tuple input) {
        threads.add(Thread.currentThread());
        failed.add(input);
    }

    @Override
    public void resetTimeout(Tuple input) {
    }

    @Override
    public void flush() {
    }

    @Override
    public void reportError(Throwable error) {
        threads.add(Thread.currentThread());
        errors.add(error);
    }
}
