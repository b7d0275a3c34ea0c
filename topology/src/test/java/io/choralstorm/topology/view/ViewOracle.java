package io.choralstorm.topology.view;

import static org.junit.Assert.assertEquals;

import io.choralstorm.protocol.Frame;
import io.choralstorm.protocol.Metric;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The statistics a metric's view must show, computed by brute force from the distinct readings (the first
 * frame of each device time counts; a frame delivered again does not), with exact sums: the mean is the
 * exact sum rounded once to a double, divided by the count.
 */
final class ViewOracle {
    private final TreeMap<Long, Double> readings;
    private final long windowMs;

    private ViewOracle(TreeMap<Long, Double> readings, long windowMs) {
        this.readings = readings;
        this.windowMs = windowMs;
    }

    static ViewOracle of(List<Frame> delivered, String metric, long windowMs) {
        TreeMap<Long, Double> readings = new TreeMap<>();
        for (Frame frame : delivered) {
            for (Metric m : frame.metrics()) {
                if (m.name().equals(metric) && m.isNumeric()) {
                    readings.putIfAbsent(frame.deviceTimestamp(), m.number());
                }
            }
        }
        return new ViewOracle(readings, windowMs);
    }

    /** Asserts every statistic of {@code metric} in the view hash, exactly. */
    void assertMatches(Map<String, String> view, String metric, String when) {
        long newest = readings.lastKey();
        Collection<Double> window = readings.tailMap(newest - windowMs, true).values();

        assertEquals("count " + when, readings.size(), Long.parseLong(view.get(metric + ".count")));
        assertEquals("current " + when, readings.get(newest), number(view, metric + ".current"), 0.0);
        assertEquals("current_ts " + when, newest, Long.parseLong(view.get(metric + ".current_ts")));
        assertEquals("min " + when, min(readings.values()), number(view, metric + ".min"), 0.0);
        assertEquals("max " + when, max(readings.values()), number(view, metric + ".max"), 0.0);
        assertEquals("mean " + when, exactMean(readings.values()), number(view, metric + ".mean"), 0.0);
        assertEquals("win_count " + when, window.size(), Long.parseLong(view.get(metric + ".win_count")));
        assertEquals("win_min " + when, min(window), number(view, metric + ".win_min"), 0.0);
        assertEquals("win_max " + when, max(window), number(view, metric + ".win_max"), 0.0);
        assertEquals("win_mean " + when, exactMean(window), number(view, metric + ".win_mean"), 0.0);
    }

    static double exactMean(Collection<Double> values) {
        BigDecimal sum = BigDecimal.ZERO;
        for (double value : values) {
            sum = sum.add(new BigDecimal(value));
        }
        return sum.doubleValue() / values.size();
    }

    private static double min(Collection<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    }

    private static double max(Collection<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    }

    private static double number(Map<String, String> view, String field) {
        String text = view.get(field);
        if (text == null) {
            throw new AssertionError("the view has no field " + field + ": " + view.keySet());
        }
        return Double.parseDouble(text);
    }
}
