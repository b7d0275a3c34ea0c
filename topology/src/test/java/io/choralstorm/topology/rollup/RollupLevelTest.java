package io.choralstorm.topology.rollup;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.choralstorm.topology.storage.TimeBuckets;
import java.time.Instant;
import java.util.List;
import org.junit.Test;

public class RollupLevelTest {
    private static final long T = Instant.parse("2024-02-29T13:47:31.250Z").toEpochMilli();

    @Test
    public void windowsAreAlignedToTheUtcEpoch() {
        assertEquals("minute", Instant.parse("2024-02-29T13:47:00Z").toEpochMilli(),
            RollupLevel.MINUTE.windowStart(T));
        assertEquals("hour", Instant.parse("2024-02-29T13:00:00Z").toEpochMilli(), RollupLevel.HOUR.windowStart(T));
        assertEquals("day", Instant.parse("2024-02-29T00:00:00Z").toEpochMilli(), RollupLevel.DAY.windowStart(T));
    }

    @Test
    public void windowStartFloorsBeforeTheEpoch() {
        assertEquals("one ms before 1970", -60_000L, RollupLevel.MINUTE.windowStart(-1));
        assertTrue("aligned", RollupLevel.HOUR.isAligned(-3_600_000L));
        assertFalse("not aligned", RollupLevel.HOUR.isAligned(-1));
    }

    @Test
    public void minutesShareTheReadingsDayBucketAndHoursAndDaysTheUtcYear() {
        long minute = RollupLevel.MINUTE.windowStart(T);

        assertEquals("minute bucket = epoch day", TimeBuckets.bucketOf(T), RollupLevel.MINUTE.bucketOf(minute));
        assertEquals("hour bucket = year", 2024, RollupLevel.HOUR.bucketOf(RollupLevel.HOUR.windowStart(T)));
        assertEquals("day bucket = year", 2024, RollupLevel.DAY.bucketOf(RollupLevel.DAY.windowStart(T)));
        long lastHourOf2023 = Instant.parse("2023-12-31T23:00:00Z").toEpochMilli();
        assertEquals("last hour of a year", 2023, RollupLevel.HOUR.bucketOf(lastHourOf2023));
    }

    @Test
    public void bucketsBetweenCoverEveryPartitionOfTheRangeAndNoMore() {
        long jan2024 = Instant.parse("2024-01-01T00:00:00Z").toEpochMilli();

        assertEquals("within a year", List.of(2024), RollupLevel.HOUR.bucketsBetween(jan2024, jan2024 + 3_600_000L));
        assertEquals("one hour into the year", List.of(2023, 2024),
            RollupLevel.DAY.bucketsBetween(jan2024 - 86_400_000L, jan2024 + 86_400_000L));
        assertEquals("exactly up to the year", List.of(2023),
            RollupLevel.HOUR.bucketsBetween(jan2024 - 3_600_000L, jan2024));
        assertEquals("minutes by day", TimeBuckets.bucketsBetween(jan2024, jan2024 + 2 * 86_400_000L),
            RollupLevel.MINUTE.bucketsBetween(jan2024, jan2024 + 2 * 86_400_000L));
        assertTrue("empty", RollupLevel.DAY.bucketsBetween(jan2024, jan2024).isEmpty());
    }

    @Test
    public void eachLevelIsBuiltFromTheOneBelow() {
        assertEquals(RollupLevel.HOUR, RollupLevel.MINUTE.parent());
        assertEquals(RollupLevel.DAY, RollupLevel.HOUR.parent());
        assertNull("day is the top", RollupLevel.DAY.parent());
        assertNull("minute is built from readings", RollupLevel.MINUTE.child());
        assertEquals(RollupLevel.HOUR, RollupLevel.DAY.child());
    }

    @Test
    public void yearsAfter2038AreBucketedWithoutOverflow() {
        long y2040 = Instant.parse("2040-06-01T10:00:00Z").toEpochMilli();

        assertEquals("year", 2040, RollupLevel.DAY.bucketOf(RollupLevel.DAY.windowStart(y2040)));
        assertEquals("epoch day", y2040 / 86_400_000L,
            RollupLevel.MINUTE.bucketOf(RollupLevel.MINUTE.windowStart(y2040)));
    }

    @Test
    public void unalignedWindowIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RollupWindow("d", "t", RollupLevel.HOUR, T));
    }
}
