package io.choralstorm.topology.rollup;

import io.choralstorm.protocol.Frame;
import io.choralstorm.protocol.Metric;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * One rollup row's key: a device, a metric, a level and the start of the window (aligned to the level).
 *
 * @param deviceId the device
 * @param metric the flattened metric name
 * @param level the resolution
 * @param start the first epoch millisecond of the window
 */
public record RollupWindow(String deviceId, String metric, RollupLevel level, long start) {
    public RollupWindow {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(level, "level");
        if (!level.isAligned(start)) {
            throw new IllegalArgumentException(level + " window start " + start + " is not aligned to "
                + level.windowMs() + " ms");
        }
    }

    /** The window of {@code level} holding {@code epochMs}. */
    public static RollupWindow of(String deviceId, String metric, RollupLevel level, long epochMs) {
        return new RollupWindow(deviceId, metric, level, level.windowStart(epochMs));
    }

    /** The 1-minute windows a frame's numeric metrics fall into: one per metric stored in readings. */
    public static Set<RollupWindow> touchedBy(Frame frame) {
        Set<RollupWindow> windows = new LinkedHashSet<>();
        for (Metric metric : frame.metrics()) {
            if (metric.isNumeric()) {
                windows.add(of(frame.deviceId(), metric.name(), RollupLevel.MINUTE, frame.deviceTimestamp()));
            }
        }
        return windows;
    }

    /** The first millisecond after the window. */
    public long end() {
        return start + level.windowMs();
    }

    /** The partition bucket of this window's row. */
    public int bucket() {
        return level.bucketOf(start);
    }

    /** The window of the next coarser level that contains this one, or null for a day. */
    public RollupWindow parent() {
        RollupLevel parent = level.parent();
        return parent == null ? null : of(deviceId, metric, parent, start);
    }
}
