package io.choralstorm.pipeline;

import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.choralstorm.query.LiveViewReader;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Readings of a few devices, delivered out of device-time order with some of them sent twice, and the live
 * view they must give: the statistics of the distinct readings (one per device and device time), with the
 * mean of the exact sum, "current" the newest by device time, the window over the last window_ms of device
 * time before each metric's newest reading.
 */
final class ViewScenario {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] MODES = {"eco", "boost", "off"};

    /** One frame: a number "t", a numeric string "h" (it counts as a number) and a text "mode". */
    record Reading(String device, long ts, double t, String h, String mode) {
        String data() {
            return "{\"t\":" + t + ",\"h\":\"" + h + "\",\"mode\":\"" + mode + "\"}";
        }
    }

    private final List<String> devices;
    private final List<Reading> distinct;
    private final List<Reading> deliveries;

    private ViewScenario(List<String> devices, List<Reading> distinct, List<Reading> deliveries) {
        this.devices = devices;
        this.distinct = distinct;
        this.deliveries = deliveries;
    }

    /**
     * {@code perDevice} readings of each device, one second apart in device time from {@code base}, with
     * decimal and negative values; delivered shuffled, {@code repeats} of them twice.
     */
    static ViewScenario random(String prefix, int deviceCount, int perDevice, int repeats, long base, long seed) {
        Random random = new Random(seed);
        List<String> devices = new ArrayList<>();
        List<Reading> distinct = new ArrayList<>();
        for (int d = 0; d < deviceCount; d++) {
            String device = prefix + d;
            devices.add(device);
            for (int i = 0; i < perDevice; i++) {
                double t = (random.nextInt(8_001) - 2_000) / 100.0;
                String h = BigDecimal.valueOf(random.nextInt(10_000), 2).toPlainString();
                distinct.add(new Reading(device, base + i * 1000L, t, h, MODES[random.nextInt(MODES.length)]));
            }
        }
        List<Reading> deliveries = new ArrayList<>(distinct);
        for (int r = 0; r < repeats; r++) {
            deliveries.add(distinct.get(random.nextInt(distinct.size())));
        }
        Collections.shuffle(deliveries, random);
        return new ViewScenario(devices, distinct, deliveries);
    }

    List<String> devices() {
        return devices;
    }

    int deliveryCount() {
        return deliveries.size();
    }

    /** The deliveries as JSON array bodies of at most {@code perRequest} frames, in delivery order. */
    List<String> bodies(Function<Reading, String> frameJson, int perRequest) {
        List<String> bodies = new ArrayList<>();
        for (int first = 0; first < deliveries.size(); first += perRequest) {
            bodies.add(deliveries.subList(first, Math.min(deliveries.size(), first + perRequest)).stream()
                .map(frameJson).collect(Collectors.joining(",", "[", "]")));
        }
        return bodies;
    }

    /** True once every device's view counts all of its distinct readings. */
    boolean viewsComplete(LiveViewReader views) {
        Map<String, Long> expected = distinct.stream().collect(Collectors.groupingBy(Reading::device,
            Collectors.counting()));
        return expected.entrySet().stream().allMatch(e -> views.read(e.getKey()).stat("t", "count") == e.getValue());
    }

    /** Asserts that the metrics of each device's `live --json` object are exactly those of the distinct readings. */
    void assertViews(LiveViewReader views, long windowMs) {
        for (String device : devices) {
            JsonNode actual = views.read(device).toJson().get("metrics");
            assertEquals("live view of " + device, expectedMetrics(device, windowMs), actual);
        }
    }

    private ObjectNode expectedMetrics(String device, long windowMs) {
        TreeMap<Long, Reading> byTime = new TreeMap<>();
        distinct.stream().filter(r -> r.device().equals(device)).forEach(r -> byTime.put(r.ts(), r));
        ObjectNode metrics = JSON.createObjectNode();
        metrics.set("h", numeric(byTime, r -> Double.parseDouble(r.h()), windowMs));
        Reading newest = byTime.lastEntry().getValue();
        metrics.putObject("mode").put("last", newest.mode()).put("last_ts", newest.ts());
        metrics.set("t", numeric(byTime, Reading::t, windowMs));
        return metrics;
    }

    private static ObjectNode numeric(TreeMap<Long, Reading> byTime, Function<Reading, Double> value, long windowMs) {
        long newest = byTime.lastKey();
        List<Double> all = byTime.values().stream().map(value).toList();
        List<Double> window = byTime.tailMap(newest - windowMs, true).values().stream().map(value).toList();
        ObjectNode node = JSON.createObjectNode();
        node.put("current", value.apply(byTime.get(newest)));
        node.put("current_ts", newest);
        node.put("count", (long) all.size());
        node.put("mean", exactMean(all));
        node.put("min", Collections.min(all));
        node.put("max", Collections.max(all));
        ObjectNode windowNode = node.putObject("window");
        windowNode.put("mean", exactMean(window));
        windowNode.put("min", Collections.min(window));
        windowNode.put("max", Collections.max(window));
        windowNode.put("count", (long) window.size());
        return node;
    }

    /** The exact sum of the values rounded once to a double, divided by their count. */
    private static double exactMean(Collection<Double> values) {
        BigDecimal sum = BigDecimal.ZERO;
        for (double v : values) {
            sum = sum.add(new BigDecimal(v));
        }
        return sum.doubleValue() / values.size();
    }
}
