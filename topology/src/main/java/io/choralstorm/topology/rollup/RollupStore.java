package io.choralstorm.topology.rollup;

import java.util.concurrent.CompletionStage;

/** Where rollup rows are recomputed. Called from one thread; stages complete on any thread. */
public interface RollupStore {

    /**
     * Recomputes {@code window} from the level below it (the readings for a minute) and overwrites its row;
     * the stage completes once the row is durable, or fails with the first error.
     */
    CompletionStage<Void> recompute(RollupWindow window);
}
