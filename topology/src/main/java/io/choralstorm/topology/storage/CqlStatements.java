package io.choralstorm.topology.storage;

/** The CQL the writer prepares, and the column names it binds (the tables are in cql/schema.cql). */
public final class CqlStatements {
    static final String DEVICE_ID = "device_id";
    static final String METRIC = "metric";
    static final String BUCKET = "bucket";
    static final String DEVICE_TIMESTAMP = "device_timestamp";
    static final String DEVICE_DATA = "device_data";
    static final String TIME = "time";
    static final String VALUE = "value";
    static final String TEXT = "text";

    private CqlStatements() {
    }

    /** The raw_data INSERT; {@code ttlSecs} 0 keeps rows forever ({@link Retention}). */
    public static String insertRaw(String keyspace, long ttlSecs) {
        return "INSERT INTO " + keyspace + ".raw_data (device_id, bucket, device_timestamp, device_data, time)"
            + " VALUES (?, ?, ?, ?, ?)" + Retention.usingClause(ttlSecs);
    }

    /** The readings INSERT; {@code ttlSecs} 0 keeps rows forever ({@link Retention}). */
    public static String insertReading(String keyspace, long ttlSecs) {
        return "INSERT INTO " + keyspace + ".readings (device_id, metric, bucket, device_timestamp, value, text)"
            + " VALUES (?, ?, ?, ?, ?, ?)" + Retention.usingClause(ttlSecs);
    }
}
