package io.choralstorm.bench;

import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/** The figures of one load step: what was offered, what the pipeline did with it, and at what cost. */
public final class StepResult {
    public final String mode;
    public final int framesPerRequest;
    public final double offeredFramesPerSecond;
    public final double acceptedFramesPerSecond;
    public final double viewFramesPerSecond;
    public final double storedFramesPerSecond;
    public final long acceptedFrames;
    public final boolean caughtUp;
    public final Histogram postLatencyMicros;
    public final Histogram viewLatencyMicros;
    public final Map<String, Long> answers;
    public final Map<String, ProcessSampler.Usage> processes;
    /** PBKDF2 checks of device secrets the cluster server ran during the step (0 once every device is warm). */
    public final long secretChecks;

    StepResult(String mode, int framesPerRequest, double offered, double accepted, double view, double stored,
               long acceptedFrames, boolean caughtUp, Histogram postLatencyMicros, Histogram viewLatencyMicros,
               Map<String, Long> answers, Map<String, ProcessSampler.Usage> processes, long secretChecks) {
        this.mode = mode;
        this.framesPerRequest = framesPerRequest;
        this.offeredFramesPerSecond = offered;
        this.acceptedFramesPerSecond = accepted;
        this.viewFramesPerSecond = view;
        this.storedFramesPerSecond = stored;
        this.acceptedFrames = acceptedFrames;
        this.caughtUp = caughtUp;
        this.postLatencyMicros = postLatencyMicros;
        this.viewLatencyMicros = viewLatencyMicros;
        this.answers = new TreeMap<>(answers);
        this.processes = processes;
        this.secretChecks = secretChecks;
    }

    /** The end-to-end rate: the slowest of accepted, in the view, and stored. */
    public double endToEndFramesPerSecond() {
        return Math.min(acceptedFramesPerSecond, Math.min(viewFramesPerSecond, storedFramesPerSecond));
    }

    /** True when the pipeline kept up with what was offered (within 5 %) and lost nothing. */
    public boolean keptUp() {
        return caughtUp && endToEndFramesPerSecond() >= 0.95 * offeredFramesPerSecond
            && answers.keySet().stream().allMatch("202"::equals);
    }

    static double millis(Histogram histogram, double percentile) {
        return histogram.getTotalCount() == 0 ? Double.NaN : histogram.getValueAtPercentile(percentile) / 1000.0;
    }
}
