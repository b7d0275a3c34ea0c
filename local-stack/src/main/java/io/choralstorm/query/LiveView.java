package io.choralstorm.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeMap;

/**
 * A device's live view as read from Redis: device-level fields and, per metric, its statistics
 * ({@code current}, {@code current_ts}, {@code count}, {@code mean}, {@code min}, {@code max},
 * {@code win_*} for the moving window, or {@code last}/{@code last_ts} for a non-numeric metric).
 */
public final class LiveView {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String deviceId;
    private final Map<String, String> deviceFields = new TreeMap<>();
    private final Map<String, Map<String, String>> metrics = new TreeMap<>();

    private LiveView(String deviceId) {
        this.deviceId = deviceId;
    }

    /** Builds a view from the fields of the device's Redis hash; a field {@code a.b.stat} is metric a.b. */
    public static LiveView fromHash(String deviceId, Map<String, String> hash) {
        LiveView view = new LiveView(deviceId);
        hash.forEach((field, value) -> {
            int dot = field.lastIndexOf('.');
            if (dot < 0) {
                view.deviceFields.put(field, value);
            } else {
                view.metrics.computeIfAbsent(field.substring(0, dot), name -> new TreeMap<>())
                    .put(field.substring(dot + 1), value);
            }
        });
        return view;
    }

    public String deviceId() {
        return deviceId;
    }

    public boolean isEmpty() {
        return deviceFields.isEmpty() && metrics.isEmpty();
    }

    public Map<String, Map<String, String>> metrics() {
        return metrics;
    }

    /** A statistic as a number, or NaN when absent. */
    public double stat(String metric, String stat) {
        String value = metrics.getOrDefault(metric, Map.of()).get(stat);
        return value == null ? Double.NaN : Double.parseDouble(value);
    }

    public long lastSeen() {
        String value = deviceFields.get("last_seen");
        return value == null ? -1 : (long) Double.parseDouble(value);
    }

    /**
     * {@code {"device_id", "last_seen", "metrics": {NAME: {"current", "current_ts", "count", "mean", "min",
     * "max", "window": {"mean", "min", "max", "count"}}}}}; a non-numeric metric has {@code last}, {@code last_ts}.
     */
    public ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("device_id", deviceId);
        root.put("last_seen", lastSeen());
        ObjectNode all = root.putObject("metrics");
        metrics.forEach((name, stats) -> all.set(name, metricJson(stats)));
        return root;
    }

    private static ObjectNode metricJson(Map<String, String> stats) {
        ObjectNode node = JSON.createObjectNode();
        if (stats.containsKey("last")) {
            node.put("last", stats.get("last"));
            putNumber(node, "last_ts", stats.get("last_ts"), true);
        }
        if (stats.containsKey("count")) {
            putNumber(node, "current", stats.get("current"), false);
            putNumber(node, "current_ts", stats.get("current_ts"), true);
            putNumber(node, "count", stats.get("count"), true);
            putNumber(node, "mean", stats.get("mean"), false);
            putNumber(node, "min", stats.get("min"), false);
            putNumber(node, "max", stats.get("max"), false);
            ObjectNode window = node.putObject("window");
            putNumber(window, "mean", stats.get("win_mean"), false);
            putNumber(window, "min", stats.get("win_min"), false);
            putNumber(window, "max", stats.get("win_max"), false);
            putNumber(window, "count", stats.get("win_count"), true);
        }
        return node;
    }

    private static void putNumber(ObjectNode node, String name, String value, boolean integral) {
        if (value == null) {
            node.putNull(name);
        } else if (integral) {
            node.put(name, (long) Double.parseDouble(value));
        } else {
            node.put(name, Double.parseDouble(value));
        }
    }
}
