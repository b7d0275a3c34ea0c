package io.choralstorm.topology.view;

import io.choralstorm.protocol.Frame;
import io.choralstorm.protocol.Metric;
import io.choralstorm.protocol.MetricKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The KEYS and ARGV of one call of the view script for one device (layout documented in the script).
 * Numbers travel as round-trip decimal text, so the script sees the exact double.
 */
public final class ViewScriptCall {
    static final String NUMERIC = "n";
    static final String STRING = "s";
    static final String BOOLEAN = "b";
    /** Below this magnitude every whole double is exactly a long. */
    private static final double WHOLE_LIMIT = 0x1p53;

    private final List<String> keys;
    private final List<String> args;

    private ViewScriptCall(List<String> keys, List<String> args) {
        this.keys = keys;
        this.args = args;
    }

    /** Builds the call applying {@code batch} under {@code policy}. */
    public static ViewScriptCall of(ViewKeys names, DeviceFrames batch, ViewPolicy policy) {
        String device = batch.deviceId();
        Map<String, Integer> metricIndex = indexMetrics(batch.frames());

        List<String> keys = new ArrayList<>(2 + 2 * metricIndex.size());
        keys.add(names.view(device));
        keys.add(names.seen(device));
        for (String metric : metricIndex.keySet()) {
            keys.add(names.window(device, metric));
            keys.add(names.windowByValue(device, metric));
        }

        List<String> args = new ArrayList<>(8 + metricIndex.size() + batch.frames().size() * 12);
        args.add(device);
        args.add(Long.toString(policy.windowMs()));
        args.add(Long.toString(policy.dedupHorizonMs()));
        args.add(Long.toString(policy.idleExpiryMs()));
        args.add(names.updatesChannel());
        args.add(Integer.toString(metricIndex.size()));
        args.addAll(metricIndex.keySet());
        args.add(Integer.toString(batch.frames().size()));
        batch.frames().forEach(frame -> addFrame(args, frame, metricIndex));
        return new ViewScriptCall(keys, args);
    }

    public List<String> keys() {
        return keys;
    }

    public List<String> args() {
        return args;
    }

    /** Round-trip text of a finite double; whole numbers without ".0" ({@code 25}, not {@code 25.0}). */
    static String numberText(double value) {
        if (value == Math.rint(value) && Math.abs(value) < WHOLE_LIMIT) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }

    private static Map<String, Integer> indexMetrics(List<Frame> frames) {
        Map<String, Integer> index = new LinkedHashMap<>();
        for (Frame frame : frames) {
            for (Metric metric : frame.metrics()) {
                index.putIfAbsent(metric.name(), index.size() + 1);
            }
        }
        return index;
    }

    private static void addFrame(List<String> args, Frame frame, Map<String, Integer> metricIndex) {
        args.add(Long.toString(frame.deviceTimestamp()));
        args.add(Long.toString(frame.receivedAt()));
        args.add(Integer.toString(frame.metrics().size()));
        for (Metric metric : frame.metrics()) {
            args.add(metricIndex.get(metric.name()).toString());
            if (metric.isNumeric()) {
                args.add(NUMERIC);
                args.add(numberText(metric.number()));
            } else {
                args.add(metric.kind() == MetricKind.BOOLEAN ? BOOLEAN : STRING);
                args.add(metric.text());
            }
        }
    }
}
