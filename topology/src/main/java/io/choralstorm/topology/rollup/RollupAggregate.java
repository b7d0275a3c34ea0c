package io.choralstorm.topology.rollup;

/**
 * Count, sum, minimum and maximum of some readings: one rollup row, or one reading (count 1).
 *
 * @param count how many readings
 * @param sum their sum
 * @param min the smallest (positive infinity when count is 0)
 * @param max the largest (negative infinity when count is 0)
 */
public record RollupAggregate(long count, double sum, double min, double max) {
    /** No reading at all. */
    public static final RollupAggregate EMPTY = new RollupAggregate(0, 0, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY);

    /** A single reading of {@code value}. */
    public static RollupAggregate of(double value) {
        return new RollupAggregate(1, value, value, value);
    }
}
