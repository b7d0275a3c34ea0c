package io.choralstorm.topology.storage;

import java.time.Instant;

/**
 * One row of {@code raw_data}: a whole frame as sent.
 *
 * @param deviceId partition key, with {@code bucket}
 * @param bucket the UTC epoch day of {@code deviceTimestamp} ({@link TimeBuckets})
 * @param deviceTimestamp clustering key
 * @param deviceData the frame's metrics as one JSON object, values as sent
 * @param time when the edge received the frame
 */
public record RawRow(String deviceId, int bucket, Instant deviceTimestamp, String deviceData, Instant time) {
}
