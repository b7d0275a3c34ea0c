package io.choralstorm.topology.bolt;

import java.util.function.LongSupplier;
import org.apache.storm.task.OutputCollector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports a bolt's errors to Storm at most once per interval. While a store is down every tuple fails,
 * and Storm logs each reported error at ERROR with its stack trace: one report per interval keeps an
 * outage readable. The errors in between are counted, logged at DEBUG, and summed up at WARN with the
 * next report; their tuples are failed (and replayed) all the same. Used from the executor thread only.
 */
final class ThrottledErrorReports {
    private static final Logger LOG = LoggerFactory.getLogger(ThrottledErrorReports.class);

    private final String component;
    private final long intervalMs;
    private final LongSupplier clockMs;
    private long nextReportMs = Long.MIN_VALUE;
    private long suppressed;

    ThrottledErrorReports(String component, long intervalMs, LongSupplier clockMs) {
        this.component = component;
        this.intervalMs = intervalMs;
        this.clockMs = clockMs;
    }

    void report(OutputCollector collector, Throwable error) {
        long now = clockMs.getAsLong();
        if (now < nextReportMs) {
            suppressed++;
            LOG.debug("[{}] error not reported (at most one per {} ms): {}", component, intervalMs, error.toString());
            return;
        }
        if (suppressed > 0) {
            LOG.warn("[{}] {} more failed tuples since the last reported error, not reported one by one", component,
                suppressed);
        }
        collector.reportError(error);
        nextReportMs = now + intervalMs;
        suppressed = 0;
    }
}
