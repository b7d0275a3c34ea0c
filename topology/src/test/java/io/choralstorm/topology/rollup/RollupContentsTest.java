package io.choralstorm.topology.rollup;

import static io.choralstorm.topology.TestFrames.T;
import static io.choralstorm.topology.TestFrames.frame;
import static io.choralstorm.topology.TestFrames.number;
import static io.choralstorm.topology.TestFrames.string;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.Test;

public class RollupContentsTest {
    private static final long MINUTE_START = RollupLevel.MINUTE.windowStart(T);
    private static final RollupWindow MINUTE = new RollupWindow("d1", "t", RollupLevel.MINUTE, MINUTE_START);

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final RollupContents contents = new RollupContents(nanos::get);

    @Test
    public void aMinuteCountsEachDeviceTimeOnce() {
        // given readings of one minute, one of them replayed
        contents.recorded(frame("d1", MINUTE_START + 1_000, number("t", 1.5)));
        contents.recorded(frame("d1", MINUTE_START + 2_000, number("t", 4.0)));
        contents.recorded(frame("d1", MINUTE_START + 1_000, number("t", 1.5)));
        contents.recorded(frame("d1", MINUTE_START + 3_000, number("t", 8.0)));

        // when the minute is loaded (nothing stored before) and rolled up
        WindowContent minute = contents.acquire(MINUTE);
        minute.loaded(Map.of());
        RollupAggregate total = contents.rolledUp(MINUTE, minute);

        // then three readings count
        assertEquals(new RollupAggregate(3, 13.5, 1.5, 8.0), total);
    }

    @Test
    public void aReadingResentWithAnotherValueLeavesTheMinuteToBeReadAgain() {
        // given a loaded minute holding a reading
        contents.recorded(frame("d1", MINUTE_START + 1_000, number("t", 1.0)));
        WindowContent minute = contents.acquire(MINUTE);
        minute.loaded(Map.of());
        contents.release(minute);

        // when the same device time arrives with another value (which of the two writes Cassandra kept
        // last is not known here)
        contents.recorded(frame("d1", MINUTE_START + 1_000, number("t", 2.0)));

        // then the minute is dropped, so its next recomputation reads it from Cassandra
        WindowContent again = contents.acquire(MINUTE);
        assertNotSame("a new content", minute, again);
        assertFalse("to be read", again.isLoaded());
    }

    @Test
    public void theSameReadingAgainChangesNothing() {
        contents.recorded(frame("d1", MINUTE_START + 1_000, number("t", 1.0)));
        WindowContent minute = contents.acquire(MINUTE);
        minute.loaded(Map.of());

        contents.recorded(frame("d1", MINUTE_START + 1_000, number("t", 1.0)));

        assertSame("kept", minute, contents.acquire(MINUTE));
        assertEquals("counted once", 1, minute.total().count());
    }

    @Test
    public void readingsPutBeforeTheLoadWinOverTheStoredRowsOfTheSameTime() {
        contents.recorded(frame("d1", MINUTE_START + 1_000, number("t", 7.0)));
        WindowContent minute = contents.acquire(MINUTE);
        assertFalse("not loaded before the read", minute.isLoaded());

        minute.loaded(Map.of(MINUTE_START + 1_000, RollupAggregate.of(3.0), MINUTE_START + 5_000,
            RollupAggregate.of(1.0)));

        assertTrue(minute.isLoaded());
        assertEquals(new RollupAggregate(2, 8.0, 1.0, 7.0), minute.total());
    }

    @Test
    public void aRolledUpWindowBecomesAPartOfItsParent() {
        contents.recorded(frame("d1", MINUTE_START + 1_000, number("t", 2.0)));
        WindowContent minute = contents.acquire(MINUTE);
        minute.loaded(Map.of());
        contents.rolledUp(MINUTE, minute);

        // the hour, read from storage, had another minute of 10 readings
        RollupWindow hour = MINUTE.parent();
        WindowContent hourContent = contents.acquire(hour);
        long otherMinute = hour.start() == MINUTE_START ? MINUTE_START + 60_000 : hour.start();
        hourContent.loaded(Map.of(otherMinute, new RollupAggregate(10, 50.0, 1.0, 9.0)));

        assertEquals(new RollupAggregate(11, 52.0, 1.0, 9.0), contents.rolledUp(hour, hourContent));
    }

    @Test
    public void theTotalIsTheSameWhateverOrderThePartsArrivedIn() {
        List<Double> values = new ArrayList<>();
        Random random = new Random(7);
        for (int i = 0; i < 500; i++) {
            values.add(random.nextGaussian() * 1e6 + random.nextDouble() / 3);
        }
        WindowContent inOrder = new WindowContent(0);
        inOrder.loaded(Map.of());
        for (int i = 0; i < values.size(); i++) {
            inOrder.put(i, RollupAggregate.of(values.get(i)), false, 0);
        }
        List<Integer> shuffled = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            shuffled.add(i);
        }
        Collections.shuffle(shuffled, random);
        WindowContent outOfOrder = new WindowContent(0);
        outOfOrder.loaded(Map.of());
        shuffled.forEach(i -> outOfOrder.put(i, RollupAggregate.of(values.get(i)), false, 0));

        assertEquals("bit for bit", inOrder.total(), outOfOrder.total());
        assertEquals(500, outOfOrder.size());
    }

    @Test
    public void onlyNumericMetricsCount() {
        contents.recorded(frame("d1", MINUTE_START, number("t", 1.0), string("state", "on")));

        assertEquals("the minute of t only", 1, contents.size());
    }

    @Test
    public void idleContentsAreDroppedButNotWhileInUse() {
        // given a minute in use and another minute idle
        WindowContent busy = contents.acquire(MINUTE);
        RollupWindow other = new RollupWindow("d2", "t", RollupLevel.MINUTE, MINUTE_START);
        WindowContent idle = contents.acquire(other);
        contents.release(idle);

        // when more than the idle time passes and the next acquire sweeps
        nanos.addAndGet(RollupContents.MINUTE_IDLE.toNanos() + 2_000_000_000L);
        RollupWindow third = new RollupWindow("d3", "t", RollupLevel.MINUTE, MINUTE_START);
        contents.acquire(third);

        // then the idle one is gone (acquiring it again starts unloaded), the busy one kept
        assertSame("kept while in use", busy, contents.acquire(MINUTE));
        assertNotSame("dropped when idle", idle, contents.acquire(other));
        assertEquals(3, contents.size());
    }

    @Test
    public void hoursAndDaysStayLongerThanMinutes() {
        RollupWindow hour = MINUTE.parent();
        WindowContent hourContent = contents.acquire(hour);
        contents.release(hourContent);
        WindowContent minute = contents.acquire(MINUTE);
        contents.release(minute);

        nanos.addAndGet(RollupContents.MINUTE_IDLE.toNanos() + 2_000_000_000L);
        contents.acquire(new RollupWindow("d3", "t", RollupLevel.MINUTE, MINUTE_START));

        assertSame("the hour is kept", hourContent, contents.acquire(hour));
        assertNotSame("the minute is dropped", minute, contents.acquire(MINUTE));
    }
}
