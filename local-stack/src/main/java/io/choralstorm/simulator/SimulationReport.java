package io.choralstorm.simulator;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/** What a simulation sent and what the gateway answered. */
public final class SimulationReport {
    private final long sent;
    private final Map<String, Long> answers;
    private final List<Reading> accepted;
    private final Histogram latencyMicros;
    private final Duration elapsed;

    SimulationReport(long sent, Map<String, Long> answers, List<Reading> accepted, Histogram latencyMicros,
                     Duration elapsed) {
        this.sent = sent;
        this.answers = new TreeMap<>(answers);
        this.accepted = List.copyOf(accepted);
        this.latencyMicros = latencyMicros;
        this.elapsed = elapsed;
    }

    public long sent() {
        return sent;
    }

    /** Count per answer: an HTTP status ("202", "400", ...) or "io-error" when no answer came. */
    public Map<String, Long> answers() {
        return answers;
    }

    /** The readings the gateway answered 202 for. */
    public List<Reading> accepted() {
        return accepted;
    }

    public Histogram latencyMicros() {
        return latencyMicros;
    }

    public Duration elapsed() {
        return elapsed;
    }

    public long failed() {
        return sent - accepted.size();
    }
}
