package io.choralstorm.bench;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.Test;

public class BenchReportTest {
    @Test
    public void aSaturatedStepIsNoCollapseWhileItKeepsAboveTheRatioAndLosesNothing() {
        BenchReport report = withCeilings();
        report.step(step("single", 1000, 700, true));

        assertEquals(List.of(), report.collapses(0.05));
        assertEquals(0, report.sustained("single"), 0.0);
        assertEquals(700, report.best("single"), 0.0);
    }

    @Test
    public void aStepUnderTheRatioOfTheSlowestCeilingIsACollapse() {
        BenchReport report = withCeilings();
        report.step(step("batch", 3000, 40, true));

        List<String> collapses = report.collapses(0.05);

        assertEquals(1, collapses.size());
        assertTrue(collapses.get(0), collapses.get(0).contains("0.040 of the slowest ceiling (1000/s)"));
    }

    @Test
    public void aStepThatLeftFramesBehindIsACollapse() {
        BenchReport report = withCeilings();
        report.step(step("single", 500, 500, false));

        List<String> collapses = report.collapses(0.05);

        assertEquals(1, collapses.size());
        assertTrue(collapses.get(0), collapses.get(0).startsWith("single at 500 frames/s: accepted frames missing"));
    }

    private static BenchReport withCeilings() {
        BenchReport report = new BenchReport();
        report.ceiling("Kafka produce", 20_000);
        report.ceiling("Cassandra writes", 1_000);
        return report;
    }

    private static StepResult step(String mode, double offered, double rate, boolean caughtUp) {
        return new StepResult(mode, 1, offered, rate, rate, rate, (long) rate * 5, caughtUp, new Histogram(3),
            new Histogram(3), Map.of("202", (long) rate * 5), Map.of(), 0);
    }
}
