package io.choralstorm.topology.storage;

import java.time.Instant;

/**
 * One row of {@code readings}: one numeric metric of one frame.
 *
 * @param deviceId partition key, with {@code metric} and {@code bucket}
 * @param metric the flattened metric name
 * @param bucket the UTC epoch day of {@code deviceTimestamp} ({@link TimeBuckets})
 * @param deviceTimestamp clustering key
 * @param value the numeric value
 * @param text the value as sent when it was a numeric string (such as {@code "21.50"}), else null
 *     (the column is then left unset, never bound to null)
 */
public record ReadingRow(String deviceId, String metric, int bucket, Instant deviceTimestamp, double value,
                         String text) {
}
