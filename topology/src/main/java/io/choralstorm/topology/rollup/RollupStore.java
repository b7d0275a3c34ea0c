package io.choralstorm.topology.rollup;

import io.choralstorm.protocol.Frame;
import java.util.concurrent.CompletionStage;

/** Where rollup rows are recomputed. */
public interface RollupStore {

    /** The readings of {@code frame} are durable: they count in their minute windows from now on. Thread-safe. */
    void recorded(Frame frame);

    /**
     * Recomputes {@code window} from the level below it (the readings for a minute) and overwrites its row;
     * the stage completes once the row is durable, or fails with the first error. Called from one thread,
     * never twice at once for the same window; stages complete on any thread.
     */
    CompletionStage<Void> recompute(RollupWindow window);
}
