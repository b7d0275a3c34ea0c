package io.choralstorm.topology.rollup;

import static io.choralstorm.topology.TestFrames.T;
import static io.choralstorm.topology.TestFrames.bool;
import static io.choralstorm.topology.TestFrames.frame;
import static io.choralstorm.topology.TestFrames.number;
import static io.choralstorm.topology.TestFrames.numericString;
import static io.choralstorm.topology.TestFrames.string;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import io.choralstorm.protocol.Frame;
import java.util.List;
import java.util.Set;
import org.junit.Test;

public class RollupWindowTest {

    @Test
    public void aFrameTouchesTheMinuteOfEachNumericMetric() {
        Frame frame = frame("d1", T + 59_999, number("temperature", 21.5), numericString("humidity", "40.0"),
            string("serial", "0100"), bool("door", true));

        Set<RollupWindow> windows = RollupWindow.touchedBy(frame);

        long minute = Math.floorDiv(T + 59_999, 60_000L) * 60_000L;
        assertEquals("numeric metrics only, their minute", List.of(
            new RollupWindow("d1", "temperature", RollupLevel.MINUTE, minute),
            new RollupWindow("d1", "humidity", RollupLevel.MINUTE, minute)), List.copyOf(windows));
    }

    @Test
    public void parentsClimbToTheDayThenStop() {
        RollupWindow minute = RollupWindow.of("d1", "t", RollupLevel.MINUTE, T);

        RollupWindow hour = minute.parent();
        RollupWindow day = hour.parent();

        assertEquals("hour", RollupLevel.HOUR.windowStart(T), hour.start());
        assertEquals("day", RollupLevel.DAY.windowStart(T), day.start());
        assertEquals("day end", day.start() + 86_400_000L, day.end());
        assertNull("no parent of a day", day.parent());
    }
}
