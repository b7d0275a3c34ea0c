package io.choralstorm.query;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.choralstorm.topology.rollup.RollupLevel;
import java.time.Instant;
import org.junit.Test;

public class AggregateIntervalTest {

    @Test
    public void eachUnitIsRead() {
        assertEquals("ms", 250L, AggregateInterval.parse("250ms").millis());
        assertEquals("s", 90_000L, AggregateInterval.parse("90s").millis());
        assertEquals("m", 900_000L, AggregateInterval.parse("15m").millis());
        assertEquals("h", 7_200_000L, AggregateInterval.parse("2h").millis());
        assertEquals("d", 7 * 86_400_000L, AggregateInterval.parse("7d").millis());
        assertEquals("upper case and spaces", 3_600_000L, AggregateInterval.parse(" 1H ").millis());
    }

    @Test
    public void malformedIntervalIsRefusedShowingTheValueAndTheForms() {
        for (String bad : new String[] {"", "m", "1", "1x", "-1h", "1.5h", "1 h", "1w", "h1"}) {
            IllegalArgumentException e = assertThrows("refused: '" + bad + "'", IllegalArgumentException.class,
                () -> AggregateInterval.parse(bad));

            assertTrue("shows the value: " + e.getMessage(), e.getMessage().contains("'" + bad + "'"));
            assertTrue("shows the forms: " + e.getMessage(), e.getMessage().contains("1m, 15m, 1h, 1d"));
        }
    }

    @Test
    public void zeroAndOverlongIntervalsAreRefused() {
        assertThrows("zero", IllegalArgumentException.class, () -> AggregateInterval.parse("0m"));
        assertThrows("over 10000 days", IllegalArgumentException.class, () -> AggregateInterval.parse("10001d"));
        assertEquals("10000 days", AggregateInterval.MAX_MS, AggregateInterval.parse("10000d").millis());
    }

    @Test
    public void windowsAreAlignedToTheUtcEpochAlsoBeforeIt() {
        AggregateInterval quarter = AggregateInterval.parse("15m");
        long t = Instant.parse("2024-05-05T10:44:59.999Z").toEpochMilli();

        assertEquals("10:30", Instant.parse("2024-05-05T10:30:00Z").toEpochMilli(), quarter.windowStart(t));
        long start = t - 14 * 60_000 - 59_999;
        assertEquals("a window start is its own", start, quarter.windowStart(start));
        assertEquals("before 1970", -900_000L, quarter.windowStart(-1));
    }

    @Test
    public void coarsestRollupIsTheLargestThatDividesTheInterval() {
        assertEquals("1d", RollupLevel.DAY, AggregateInterval.parse("1d").coarsestRollup());
        assertEquals("7d", RollupLevel.DAY, AggregateInterval.parse("7d").coarsestRollup());
        assertEquals("48h = 2d", RollupLevel.DAY, AggregateInterval.parse("48h").coarsestRollup());
        assertEquals("6h", RollupLevel.HOUR, AggregateInterval.parse("6h").coarsestRollup());
        assertEquals("90m", RollupLevel.MINUTE, AggregateInterval.parse("90m").coarsestRollup());
        assertEquals("120s = 2m", RollupLevel.MINUTE, AggregateInterval.parse("120s").coarsestRollup());
        assertNull("90s has no rollup", AggregateInterval.parse("90s").coarsestRollup());
        assertNull("500ms has no rollup", AggregateInterval.parse("500ms").coarsestRollup());
    }
}
