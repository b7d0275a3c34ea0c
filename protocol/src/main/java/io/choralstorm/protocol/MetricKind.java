package io.choralstorm.protocol;

/** How a metric value was sent, which decides whether it takes part in statistics. */
public enum MetricKind {
    /** A JSON number. */
    NUMBER,
    /** A JSON string holding a plain decimal such as {@code "21.5"}: statistics use its value. */
    NUMERIC_STRING,
    /** Any other JSON string: stored as sent, kept out of statistics. */
    STRING,
    /** {@code true} or {@code false}: stored as sent, kept out of statistics. */
    BOOLEAN;

    public boolean isNumeric() {
        return this == NUMBER || this == NUMERIC_STRING;
    }
}
