package io.choralstorm.topology.rollup;

import io.choralstorm.protocol.Frame;
import io.choralstorm.topology.storage.FrameStore;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * A frame store that keeps the rollups current: a frame's write completes once its rows are durable and
 * the rollup windows it touched (minute, hour, day of each numeric metric) were recomputed after them.
 */
public final class RollupFrameStore implements FrameStore {
    private final FrameStore rows;
    private final RollupRefresher refresher;

    /** Takes ownership of both (closed by {@link #close}). */
    public RollupFrameStore(FrameStore rows, RollupRefresher refresher) {
        this.rows = Objects.requireNonNull(rows, "rows");
        this.refresher = Objects.requireNonNull(refresher, "refresher");
    }

    @Override
    public CompletionStage<Void> write(Frame frame) {
        return rows.write(frame).thenCompose(written -> refresher.refresh(frame));
    }

    @Override
    public void close() {
        try {
            refresher.close();
        } finally {
            rows.close();
        }
    }
}
