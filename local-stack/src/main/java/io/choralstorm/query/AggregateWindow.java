package io.choralstorm.query;

/**
 * The readings of one window, or a part of them: how many, their sum, minimum and maximum. A reading is
 * the part {@code (1, v, v, v)}; parts of the same window merge.
 *
 * @param start the window's first epoch millisecond (for a part: the time it was recorded at)
 * @param count the number of readings
 * @param sum their sum
 * @param min the smallest
 * @param max the largest
 */
public record AggregateWindow(long start, long count, double sum, double min, double max) {

    /** One reading as a part. */
    public static AggregateWindow reading(long timestamp, double value) {
        return new AggregateWindow(timestamp, 1, value, value, value);
    }

    /** This window with {@code part} added, keeping this window's start. */
    AggregateWindow plus(AggregateWindow part) {
        return new AggregateWindow(start, count + part.count, sum + part.sum, Math.min(min, part.min),
            Math.max(max, part.max));
    }
}
