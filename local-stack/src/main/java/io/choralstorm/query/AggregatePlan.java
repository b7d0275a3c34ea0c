package io.choralstorm.query;

import io.choralstorm.topology.rollup.RollupLevel;
import java.util.ArrayList;
import java.util.List;

/**
 * Which table answers which part of an aggregate query's range [from, to), oldest first. The coarsest
 * rollup that tiles the interval answers the part of the range aligned to its windows; the unaligned
 * edges go to the next finer rollup, and what no rollup covers whole to the readings. For example, 1h
 * windows over [10:30, 14:00) read the minutes of [10:30, 11:00) and the hours of [11:00, 14:00).
 */
public final class AggregatePlan {

    /**
     * One part of the range and its source.
     *
     * @param level the rollup to read, or null for the readings
     * @param from first epoch millisecond
     * @param to first epoch millisecond after the part
     */
    public record Segment(RollupLevel level, long from, long to) {
        /** The table this segment reads. */
        public String table() {
            return level == null ? "readings" : level.table();
        }
    }

    private AggregatePlan() {
    }

    /**
     * The segments answering [from, to) when rollups up to {@code coarsest} may be used (null: readings only).
     * Consecutive, in time order, covering the range exactly.
     */
    public static List<Segment> plan(long from, long to, RollupLevel coarsest) {
        List<Segment> segments = new ArrayList<>();
        split(from, to, coarsest, segments);
        return segments;
    }

    private static void split(long from, long to, RollupLevel level, List<Segment> out) {
        if (from >= to) {
            return;
        }
        if (level == null) {
            out.add(new Segment(null, from, to));
            return;
        }
        long alignedFrom = ceil(from, level.windowMs());
        long alignedTo = Math.floorDiv(to, level.windowMs()) * level.windowMs();
        if (alignedFrom >= alignedTo) {
            split(from, to, level.child(), out);
            return;
        }
        split(from, alignedFrom, level.child(), out);
        out.add(new Segment(level, alignedFrom, alignedTo));
        split(alignedTo, to, level.child(), out);
    }

    private static long ceil(long value, long unit) {
        return -Math.floorDiv(-value, unit) * unit;
    }
}
