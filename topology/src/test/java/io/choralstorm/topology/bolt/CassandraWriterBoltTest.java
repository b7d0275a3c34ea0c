package io.choralstorm.topology.bolt;

import static io.choralstorm.topology.TestFrames.T;
import static io.choralstorm.topology.TestFrames.frame;
import static io.choralstorm.topology.TestFrames.number;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import io.choralstorm.protocol.Frame;
import io.choralstorm.topology.config.TopologySettings;
import io.choralstorm.topology.storage.FrameStore;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.storm.tuple.Tuple;
import org.junit.Before;
import org.junit.Test;

public class CassandraWriterBoltTest {
    private static final List<CompletableFuture<Void>> WRITES = new CopyOnWriteArrayList<>();

    private final RecordingCollector recorder = new RecordingCollector();
    private CassandraWriterBolt bolt;

    @Before
    public void start() {
        WRITES.clear();
        bolt = new CassandraWriterBolt(TopologySettings.defaults(), new PendingStoreFactory());
        bolt.start(recorder.collector());
    }

    @Test
    public void tupleIsAckedOnlyOnceItsWritesSucceeded() {
        // given a frame whose write is still in flight
        Tuple input = Tuples.frame(frame("d1", T, number("t", 1)));
        bolt.execute(input);
        bolt.execute(Tuples.tick());
        assertTrue("not acked while the write is in flight", recorder.acked.isEmpty());

        // when the write completes on a driver thread, and the next tick arrives
        CompletableFuture.runAsync(() -> WRITES.get(0).complete(null)).join();
        bolt.execute(Tuples.tick());

        // then the tuple is acked on the executor thread
        assertEquals("acked", List.of(input), recorder.acked);
        assertEquals("collector used only by the executor thread", List.of(Thread.currentThread()),
            recorder.threads.stream().distinct().toList());
    }

    @Test
    public void failedWriteIsReportedWithItsCauseAndTheTupleFailed() {
        // given a frame whose write fails
        Tuple input = Tuples.frame(frame("d1", T, number("t", 1)));
        bolt.execute(input);
        IllegalStateException cause = new IllegalStateException("write timeout");
        CompletableFuture.runAsync(() -> WRITES.get(0).completeExceptionally(cause)).join();

        // when the next tuple arrives
        bolt.execute(Tuples.tick());

        // then the cause is reported and the tuple failed so it replays
        assertEquals("failed", List.of(input), recorder.failed);
        assertSame("reported cause", cause, recorder.errors.get(0));
        assertTrue("not acked", recorder.acked.isEmpty());
    }

    /** A store whose writes complete when the test says so. */
    private static final class PendingStoreFactory implements CassandraWriterBolt.StoreFactory {
        private static final long serialVersionUID = 1L;

        @Override
        public FrameStore open(TopologySettings settings) {
            return new FrameStore() {
                @Override
                public CompletionStage<Void> write(Frame frame) {
                    CompletableFuture<Void> write = new CompletableFuture<>();
                    WRITES.add(write);
                    return write.thenApply(v -> v);
                }

                @Override
                public void close() {
                }
            };
        }
    }
}
