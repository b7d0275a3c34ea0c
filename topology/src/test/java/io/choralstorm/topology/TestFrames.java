package io.choralstorm.topology;

import io.choralstorm.protocol.Frame;
import io.choralstorm.protocol.Metric;
import io.choralstorm.protocol.MetricKind;
import java.math.BigDecimal;
import java.util.List;

/** Builds frames for tests. */
public final class TestFrames {
    /** 2023-11-14T22:13:20Z, the base device time of the cases. */
    public static final long T = 1_700_000_000_000L;

    private TestFrames() {
    }

    public static Frame frame(String device, long deviceTs, Metric... metrics) {
        return new Frame(device, deviceTs, deviceTs + 123, false, List.of(metrics));
    }

    public static Frame frame(String device, long deviceTs, long receivedAt, Metric... metrics) {
        return new Frame(device, deviceTs, receivedAt, false, List.of(metrics));
    }

    /** A JSON number, its text as a device would write it. */
    public static Metric number(String name, double value) {
        return new Metric(name, MetricKind.NUMBER, BigDecimal.valueOf(value).stripTrailingZeros().toPlainString(),
            value);
    }

    /** A plain decimal sent as a string, such as "21.50". */
    public static Metric numericString(String name, String text) {
        return new Metric(name, MetricKind.NUMERIC_STRING, text, Double.parseDouble(text));
    }

    public static Metric string(String name, String text) {
        return new Metric(name, MetricKind.STRING, text, Double.NaN);
    }

    public static Metric bool(String name, boolean value) {
        return new Metric(name, MetricKind.BOOLEAN, Boolean.toString(value), Double.NaN);
    }
}
