package io.choralstorm.protocol;

/**
 * The metric name rule: dot-separated segments of ASCII letters, digits, '_' and '-', each
 * non-empty; the whole flattened name at most {@link ValidationPolicy#maxMetricNameLength()}.
 */
public final class MetricNames {
    private MetricNames() {
    }

    /** True when {@code name} is an acceptable flattened metric name. */
    public static boolean isValid(String name, int maxLength) {
        if (name.isEmpty() || name.length() > maxLength) {
            return false;
        }
        boolean segmentEmpty = true;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '.') {
                if (segmentEmpty) {
                    return false;
                }
                segmentEmpty = true;
            } else if (isNameChar(c)) {
                segmentEmpty = false;
            } else {
                return false;
            }
        }
        return !segmentEmpty;
    }

    static void check(String key, String flattened, ValidationPolicy policy) throws FrameException {
        if (!isValid(key, policy.maxMetricNameLength()) || flattened.length() > policy.maxMetricNameLength()) {
            throw new FrameException(ErrorCode.INVALID_METRIC_NAME, FrameReader.DEVICE_DATA + "."
                + FrameReader.truncate(flattened), "metric name " + FrameReader.quote(flattened)
                + " is not allowed: use letters, digits, '_' and '-', dots only between parts, at most "
                + policy.maxMetricNameLength() + " characters in all");
        }
    }

    private static boolean isNameChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }
}
