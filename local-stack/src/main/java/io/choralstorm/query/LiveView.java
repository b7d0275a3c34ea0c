package io.choralstorm.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeMap;

/**
 * A device's live view as read from its Redis hash (docs/realtime-view.md): device-level fields and, per
 * metric, its statistics ({@code current}, {@code current_ts}, {@code count}, {@code mean}, {@code min},
 * {@code max}, {@code win_*} for the moving window) or, for non-numeric values, {@code last}, {@code last_ts}
 * and {@code last_type}. The script's internal fields ({@code <metric>._state}) are left out.
 */
public final class LiveView {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INTERNAL = "_";

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
            } else if (!field.startsWith(INTERNAL, dot + 1)) {
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
        return longField("last_seen", -1);
    }

    /** Deliveries left out of the view because they were older than the device's dedup horizon. */
    public long staleFrames() {
        return longField("stale_frames", 0);
    }

    /**
     * Exactly {@code {"device_id", "last_seen", "metrics": {NAME: {...}}}}. A numeric metric has
     * {@code "current", "current_ts", "count", "mean", "min", "max", "window": {"mean", "min", "max", "count"}};
     * a non-numeric one has {@code "last"} (its newest value by device time: a JSON string, or true/false for a
     * boolean) and {@code "last_ts"}; a metric that received both kinds has both sets of members.
     */
    public ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("device_id", deviceId);
        root.put("last_seen", lastSeen());
        ObjectNode all = root.putObject("metrics");
        metrics.forEach((name, stats) -> all.set(name, metricJson(stats)));
        return root;
    }

    private long longField(String field, long absent) {
        String value = deviceFields.get(field);
        return value == null ? absent : (long) Double.parseDouble(value);
    }

    private static ObjectNode metricJson(Map<String, String> stats) {
        ObjectNode node = JSON.createObjectNode();
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
            putNumber(window, "count", stats.getOrDefault("win_count", "0"), true);
        }
        if (stats.containsKey("last")) {
            String last = stats.get("last");
            boolean literal = "boolean".equals(stats.get("last_type")) && ("true".equals(last) || "false".equals(last));
            if (literal) {
                node.put("last", Boolean.parseBoolean(last));
            } else {
                node.put("last", last);
            }
            putNumber(node, "last_ts", stats.get("last_ts"), true);
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
