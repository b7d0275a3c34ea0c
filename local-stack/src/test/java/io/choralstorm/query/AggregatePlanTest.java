package io.choralstorm.query;

import static org.junit.Assert.assertEquals;

import io.choralstorm.query.AggregatePlan.Segment;
import io.choralstorm.topology.rollup.RollupLevel;
import java.time.Instant;
import java.util.List;
import org.junit.Test;

public class AggregatePlanTest {

    @Test
    public void alignedRangeIsReadWholeFromTheCoarsestRollup() {
        long from = at("2024-01-01T00:00:00Z");
        long to = at("2024-02-01T00:00:00Z");

        assertEquals(List.of(new Segment(RollupLevel.DAY, from, to)), AggregatePlan.plan(from, to, RollupLevel.DAY));
    }

    @Test
    public void unalignedEdgesGoToFinerRollupsThenToTheReadings() {
        // given a range starting at 10:30:15.5 and ending at 14:20 on the same day, for 1h windows
        long from = at("2024-01-01T10:30:15.500Z");
        long to = at("2024-01-01T14:20:00Z");

        List<Segment> plan = AggregatePlan.plan(from, to, RollupLevel.HOUR);

        // then readings up to the next minute, minutes up to the hour, hours, and minutes after the last hour
        assertEquals(List.of(
            new Segment(null, from, at("2024-01-01T10:31:00Z")),
            new Segment(RollupLevel.MINUTE, at("2024-01-01T10:31:00Z"), at("2024-01-01T11:00:00Z")),
            new Segment(RollupLevel.HOUR, at("2024-01-01T11:00:00Z"), at("2024-01-01T14:00:00Z")),
            new Segment(RollupLevel.MINUTE, at("2024-01-01T14:00:00Z"), to)), plan);
    }

    @Test
    public void rangeShorterThanAnyRollupWindowIsReadFromTheReadings() {
        long from = at("2024-01-01T10:30:15Z");
        long to = at("2024-01-01T10:30:45Z");

        assertEquals(List.of(new Segment(null, from, to)), AggregatePlan.plan(from, to, RollupLevel.DAY));
    }

    @Test
    public void withoutARollupEverythingIsReadFromTheReadings() {
        long from = at("2024-01-01T00:00:00Z");
        long to = at("2024-01-02T00:00:00Z");

        assertEquals(List.of(new Segment(null, from, to)), AggregatePlan.plan(from, to, null));
    }

    @Test
    public void segmentsAreConsecutiveAndCoverTheRangeExactly() {
        long from = at("2023-12-30T23:59:59.999Z");
        long to = at("2024-01-03T00:00:00.001Z");

        List<Segment> plan = AggregatePlan.plan(from, to, RollupLevel.DAY);

        assertEquals("starts at from", from, plan.get(0).from());
        assertEquals("ends at to", to, plan.get(plan.size() - 1).to());
        for (int i = 1; i < plan.size(); i++) {
            assertEquals("no gap or overlap before segment " + i, plan.get(i - 1).to(), plan.get(i).from());
        }
        assertEquals("the whole days from days", new Segment(RollupLevel.DAY, at("2023-12-31T00:00:00Z"),
            at("2024-01-03T00:00:00Z")), plan.get(1));
    }

    private static long at(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }
}
