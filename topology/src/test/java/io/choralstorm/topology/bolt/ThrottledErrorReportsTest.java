package io.choralstorm.topology.bolt;

import static org.junit.Assert.assertEquals;

import java.util.List;
import org.junit.Test;

public class ThrottledErrorReportsTest {
    private final RecordingCollector recorder = new RecordingCollector();
    private long nowMs = 1_000_000;
    private final ThrottledErrorReports reports = new ThrottledErrorReports("test", 1_000, () -> nowMs);

    @Test
    public void firstErrorIsReportedAndTheRestOfTheIntervalIsNot() {
        // given three errors within one second
        RuntimeException first = new RuntimeException("first");
        reports.report(recorder.collector(), first);
        nowMs += 500;
        reports.report(recorder.collector(), new RuntimeException("second"));
        nowMs += 499;
        reports.report(recorder.collector(), new RuntimeException("third"));

        // then only the first reached Storm
        assertEquals("reported", List.of(first), recorder.errors);
    }

    @Test
    public void nextErrorAfterTheIntervalIsReported() {
        RuntimeException first = new RuntimeException("first");
        RuntimeException later = new RuntimeException("later");
        reports.report(recorder.collector(), first);
        reports.report(recorder.collector(), new RuntimeException("suppressed"));

        nowMs += 1_000;
        reports.report(recorder.collector(), later);

        assertEquals("one report per interval", List.of(first, later), recorder.errors);
    }
}
