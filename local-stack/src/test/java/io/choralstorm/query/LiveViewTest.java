package io.choralstorm.query;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Map;
import org.junit.Test;

public class LiveViewTest {

    @Test
    public void jsonHasExactlyTheDocumentedShapeForANumericMetric() {
        // given the hash of a device with one numeric metric, including the script's internal state
        Map<String, String> hash = Map.ofEntries(Map.entry("last_seen", "1700000060123"),
            Map.entry("last_device_ts", "1700000060000"), Map.entry("frame_count", "3"),
            Map.entry("t.current", "25"), Map.entry("t.current_ts", "1700000060000"), Map.entry("t.count", "3"),
            Map.entry("t.mean", "22"), Map.entry("t.min", "20"), Map.entry("t.max", "25"),
            Map.entry("t.win_count", "3"), Map.entry("t.win_mean", "22"), Map.entry("t.win_min", "20"),
            Map.entry("t.win_max", "25"), Map.entry("t._state", "3|66|22|25|1700000060000|20|25|3|66|22|20|25"));

        // when printed as JSON
        String json = LiveView.fromHash("late-1", hash).toJson().toString();

        // then it is the object of `choral live --json`, members in the documented order, nothing internal
        assertEquals("{\"device_id\":\"late-1\",\"last_seen\":1700000060123,\"metrics\":{\"t\":{\"current\":25.0,"
            + "\"current_ts\":1700000060000,\"count\":3,\"mean\":22.0,\"min\":20.0,\"max\":25.0,\"window\":"
            + "{\"mean\":22.0,\"min\":20.0,\"max\":25.0,\"count\":3}}}}", json);
    }

    @Test
    public void nonNumericMetricsShowTheirLastValueAsSent() {
        // given a string, a boolean, and a metric that received a number and, later, a text
        Map<String, String> hash = Map.ofEntries(Map.entry("last_seen", "5"),
            Map.entry("mode.last", "eco"), Map.entry("mode.last_ts", "3"), Map.entry("mode.last_type", "string"),
            Map.entry("door.last", "true"), Map.entry("door.last_ts", "4"), Map.entry("door.last_type", "boolean"),
            Map.entry("flag.last", "true"), Map.entry("flag.last_ts", "4"), Map.entry("flag.last_type", "string"));

        // when printed as JSON
        String json = LiveView.fromHash("s", hash).toJson().toString();

        // then a boolean is a JSON boolean, a string (even "true") stays a string, with its device time
        assertTrue(json, json.contains("\"door\":{\"last\":true,\"last_ts\":4}"));
        assertTrue(json, json.contains("\"mode\":{\"last\":\"eco\",\"last_ts\":3}"));
        assertTrue(json, json.contains("\"flag\":{\"last\":\"true\",\"last_ts\":4}"));
    }

    @Test
    public void internalFieldsAreNotMetricsAndStaleFramesAreReported() {
        // given a hash with a stale count and internal fields only for metric t
        LiveView view = LiveView.fromHash("d", Map.of("stale_frames", "2", "t._state", "x"));

        // then no metric appears, and the stale deliveries are known
        assertTrue("no metrics: " + view.metrics(), view.metrics().isEmpty());
        assertEquals("stale frames", 2, view.staleFrames());
    }
}
