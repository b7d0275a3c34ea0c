package io.choralstorm.protocol;

/**
 * Why a frame was refused. The wire names are a stable API: device firmware and dashboards
 * match on them, so a name is never changed or reused.
 */
public enum ErrorCode {
    MALFORMED_JSON("malformed_json"),
    NOT_AN_OBJECT("not_an_object"),
    MISSING_FIELD("missing_field"),
    WRONG_TYPE("wrong_type"),
    DUPLICATE_KEY("duplicate_key"),
    UNKNOWN_FIELD("unknown_field"),
    INVALID_DEVICE_ID("invalid_device_id"),
    INVALID_SECRET("invalid_secret"),
    INVALID_METRIC_NAME("invalid_metric_name"),
    INVALID_METRIC_VALUE("invalid_metric_value"),
    NO_METRICS("no_metrics"),
    TOO_MANY_METRICS("too_many_metrics"),
    NESTING_TOO_DEEP("nesting_too_deep"),
    TIMESTAMP_NOT_INTEGRAL("timestamp_not_integral"),
    TIMESTAMP_IN_SECONDS("timestamp_in_seconds"),
    TIMESTAMP_IN_MICROSECONDS("timestamp_in_microseconds"),
    TIMESTAMP_IN_NANOSECONDS("timestamp_in_nanoseconds"),
    TIMESTAMP_NOT_POSITIVE("timestamp_not_positive"),
    TIMESTAMP_TOO_OLD("timestamp_too_old"),
    TIMESTAMP_IN_FUTURE("timestamp_in_future"),
    EMPTY_BATCH("empty_batch"),
    BATCH_TOO_LARGE("batch_too_large");

    private final String wireName;

    ErrorCode(String wireName) {
        this.wireName = wireName;
    }

    /** The code as it appears in error bodies and dead-letter records. */
    public String wireName() {
        return wireName;
    }
}
