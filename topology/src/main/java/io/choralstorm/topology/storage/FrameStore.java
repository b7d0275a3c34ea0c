package io.choralstorm.topology.storage;

import io.choralstorm.protocol.Frame;
import java.util.concurrent.CompletionStage;

/** Raw storage of frames. {@link #write} is called from one thread; stages complete on any thread. */
public interface FrameStore extends AutoCloseable {

    /** Writes every row of {@code frame}; completes once all are durable, or fails with the first error. */
    CompletionStage<Void> write(Frame frame);

    @Override
    void close();
}
