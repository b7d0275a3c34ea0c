package io.choralstorm.query;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

public class WindowAggregatorTest {
    private final List<AggregateWindow> windows = new ArrayList<>();
    private final WindowAggregator aggregator = new WindowAggregator(AggregateInterval.parse("1m"), windows::add);

    @Test
    public void readingsAndRollupRowsOfAWindowMergeAndEachWindowIsPassedOnWhenTheNextStarts() {
        // given two readings and a partial rollup row in the first minute, one reading in the third
        aggregator.add(AggregateWindow.reading(1_000, 4));
        aggregator.add(AggregateWindow.reading(59_999, -2));
        aggregator.add(new AggregateWindow(30_000, 3, 30, 5, 15));
        assertTrue("nothing passed on while the window is open", windows.isEmpty());

        // when a later window starts and the stream ends
        aggregator.add(AggregateWindow.reading(120_000, 7));
        aggregator.finish();

        // then the first minute merges the three parts, the empty second minute is left out
        assertEquals(List.of(new AggregateWindow(0, 5, 32, -2, 15), new AggregateWindow(120_000, 1, 7, 7, 7)),
            windows);
        assertEquals("passed on", 2, aggregator.emitted());
    }

    @Test
    public void eachAggregationReadsTheWindow() {
        AggregateWindow window = new AggregateWindow(0, 4, 10, -1, 6);

        assertEquals("avg", 2.5, Aggregation.avg.of(window), 0.0);
        assertEquals("min", -1, Aggregation.min.of(window), 0.0);
        assertEquals("max", 6, Aggregation.max.of(window), 0.0);
        assertEquals("sum", 10, Aggregation.sum.of(window), 0.0);
        assertEquals("count", 4, Aggregation.count.of(window), 0.0);
    }

    @Test
    public void partGoingBackInTimeIsAnError() {
        aggregator.add(AggregateWindow.reading(120_000, 1));

        assertThrows(IllegalStateException.class, () -> aggregator.add(AggregateWindow.reading(1_000, 1)));
    }
}
