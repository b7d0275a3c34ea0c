package io.choralstorm.topology.storage;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.Test;

public class TimeBucketsTest {
    private static final long DAY = 86_400_000L;

    @Test
    public void bucketIsTheUtcEpochDay() {
        assertEquals("epoch start", 0, TimeBuckets.bucketOf(0));
        assertEquals("last ms of day 0", 0, TimeBuckets.bucketOf(DAY - 1));
        assertEquals("first ms of day 1", 1, TimeBuckets.bucketOf(DAY));
        long t = Instant.parse("2023-11-14T22:13:20Z").toEpochMilli();
        assertEquals("2023-11-14", 19_675, TimeBuckets.bucketOf(t));
    }

    @Test
    public void negativeTimestampsFloorToTheDayBefore() {
        assertEquals("one ms before the epoch", -1, TimeBuckets.bucketOf(-1));
        assertEquals("first ms of day -1", -1, TimeBuckets.bucketOf(-DAY));
        assertEquals("one ms earlier", -2, TimeBuckets.bucketOf(-DAY - 1));
    }

    @Test
    public void timesAfter2038DoNotOverflow() {
        // given 2038-01-19T03:14:08Z, where 32-bit epoch seconds overflow, and the year 2500
        long y2038 = (Integer.MAX_VALUE + 1L) * 1000;
        long y2500 = Instant.parse("2500-01-01T00:00:00Z").toEpochMilli();

        // then the buckets are the right days
        assertEquals("2038-01-19", 24_855, TimeBuckets.bucketOf(y2038));
        assertEquals("2500-01-01", y2500 / DAY, TimeBuckets.bucketOf(y2500));
        assertEquals("start of bucket", y2500, TimeBuckets.startOf(TimeBuckets.bucketOf(y2500)));
    }

    @Test
    public void timestampBeyondTheIntDayRangeIsRefused() {
        assertThrows(ArithmeticException.class, () -> TimeBuckets.bucketOf(Long.MAX_VALUE));
    }

    @Test
    public void rangeCoversEveryDayItTouchesAndNoMore() {
        long day = 19_675 * DAY;
        assertEquals("within one day", List.of(19_675), TimeBuckets.bucketsBetween(day, day + DAY));
        assertEquals("one ms into the next day", List.of(19_675, 19_676),
            TimeBuckets.bucketsBetween(day, day + DAY + 1));
        assertEquals("last ms of the previous day", List.of(19_674, 19_675),
            TimeBuckets.bucketsBetween(day - 1, day + 10));
        assertEquals("across the epoch", List.of(-1, 0), TimeBuckets.bucketsBetween(-1, 1));
        assertTrue("empty range", TimeBuckets.bucketsBetween(day, day).isEmpty());
        assertTrue("reversed range", TimeBuckets.bucketsBetween(day + 5, day).isEmpty());
    }

    @Test
    public void overlongRangeIsRefusedWithTheLimit() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> TimeBuckets.bucketsBetween(0, (TimeBuckets.MAX_BUCKETS_PER_RANGE + 1) * DAY));
        assertTrue("message names the limit: " + e.getMessage(),
            e.getMessage().contains(Integer.toString(TimeBuckets.MAX_BUCKETS_PER_RANGE)));
    }
}
