package io.choralstorm.topology.view;

import static io.choralstorm.topology.TestFrames.T;
import static io.choralstorm.topology.TestFrames.bool;
import static io.choralstorm.topology.TestFrames.frame;
import static io.choralstorm.topology.TestFrames.number;
import static io.choralstorm.topology.TestFrames.numericString;
import static org.junit.Assert.assertEquals;

import java.util.List;
import org.junit.Test;

public class ViewScriptCallTest {

    @Test
    public void argumentsListMetricsOnceAndFramesByIndex() {
        // given two frames of one device sharing a metric
        DeviceFrames batch = new DeviceFrames("d1", List.of(
            frame("d1", T, T + 5, number("t", 21.5), bool("door", true)),
            frame("d1", T + 1000, T + 1005, numericString("t", "22.50"))));

        // when the script call is built
        ViewScriptCall call = ViewScriptCall.of(new ViewKeys("p"), batch, new ViewPolicy(60_000, 600_000, 0));

        // then keys are view, seen and two window zsets per distinct metric, and ARGV follows the script's layout
        assertEquals("keys", List.of("p:{d1}:view", "p:{d1}:seen", "p:{d1}:win:t", "p:{d1}:winv:t",
            "p:{d1}:win:door", "p:{d1}:winv:door"), call.keys());
        assertEquals("args", List.of("d1", "60000", "600000", "0", "p:updates", "2", "t", "door", "2",
            Long.toString(T), Long.toString(T + 5), "2", "1", "n", "21.5", "2", "b", "true",
            Long.toString(T + 1000), Long.toString(T + 1005), "1", "1", "n", "22.5"), call.args());
    }

    @Test
    public void numbersTravelAsExactShortestText() {
        // given a value with no short decimal form
        DeviceFrames batch = new DeviceFrames("d", List.of(frame("d", T, number("x", 0.1 + 0.2))));

        // then the argument reads back as the same double
        String sent = ViewScriptCall.of(new ViewKeys("p"), batch, new ViewPolicy(1, 1, 0)).args().get(13);
        assertEquals("numeric text", 0.1 + 0.2, Double.parseDouble(sent), 0.0);
    }

    @Test
    public void wholeNumbersTravelWithoutAFraction() {
        assertEquals("whole", "25", ViewScriptCall.numberText(25.0));
        assertEquals("negative whole", "-8", ViewScriptCall.numberText(-8.0));
        assertEquals("fraction", "21.5", ViewScriptCall.numberText(21.5));
        assertEquals("tiny", 1e-5, Double.parseDouble(ViewScriptCall.numberText(1e-5)), 0.0);
        assertEquals("beyond exact longs", 1e300, Double.parseDouble(ViewScriptCall.numberText(1e300)), 0.0);
    }
}
