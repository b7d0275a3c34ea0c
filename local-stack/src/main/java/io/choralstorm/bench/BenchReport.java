package io.choralstorm.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The figures of a benchmark run, as a table for people, JSON for programs and a plot. */
public final class BenchReport {
    private final Map<String, Double> ceilings = new LinkedHashMap<>();
    private final List<StepResult> steps = new ArrayList<>();

    public void ceiling(String component, double perSecond) {
        ceilings.put(component, perSecond);
    }

    public void step(StepResult step) {
        steps.add(step);
    }

    public List<StepResult> steps() {
        return steps;
    }

    /** The highest end-to-end rate of the steps of {@code mode} that kept up, or 0. */
    public double sustained(String mode) {
        return steps.stream().filter(s -> s.mode.equals(mode) && s.keptUp())
            .mapToDouble(StepResult::endToEndFramesPerSecond).max().orElse(0);
    }

    /** The highest end-to-end rate of the steps of {@code mode}, whether they kept up or not, or 0. */
    public double best(String mode) {
        return steps.stream().filter(s -> s.mode.equals(mode))
            .mapToDouble(StepResult::endToEndFramesPerSecond).max().orElse(0);
    }

    /**
     * What went wrong in the steps, compared within the run: a step whose accepted frames did not all reach
     * the view and Cassandra, or whose end-to-end rate is under {@code minRatio} of the slowest ceiling.
     */
    public List<String> collapses(double minRatio) {
        double slowest = slowestCeiling();
        List<String> collapses = new ArrayList<>();
        if (Double.isNaN(slowest)) {
            collapses.add("no component ceiling was measured, so no step can be compared with one");
        }
        for (StepResult s : steps) {
            String step = String.format(Locale.ROOT, "%s at %.0f frames/s", s.mode, s.offeredFramesPerSecond);
            if (!s.caughtUp) {
                collapses.add(step + ": accepted frames missing from the view or Cassandra after the wait");
            }
            double ratio = s.endToEndFramesPerSecond() / slowest;
            if (!(ratio >= minRatio)) {
                collapses.add(String.format(Locale.ROOT, "%s: end to end %.0f frames/s is %.3f of the slowest "
                    + "ceiling (%.0f/s), under %.2f", step, s.endToEndFramesPerSecond(), ratio, slowest, minRatio));
            }
        }
        return collapses;
    }

    public double slowestCeiling() {
        return ceilings.values().stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    public void printTables(PrintStream out) {
        out.println("Component ceilings (each alone, same work as in the pipeline):");
        ceilings.forEach((name, rate) -> out.printf(Locale.ROOT, "  %-34s %,12.0f /s%n", name, rate));
        out.println();
        out.printf(Locale.ROOT, "%-7s %9s %9s %9s %9s %8s %8s %9s %9s %9s %9s  %s%n", "mode", "offered/s",
            "accept/s", "view/s", "stored/s", "post p50", "post p99", "post p999", "view p50", "view p99",
            "view p999", "answers");
        for (StepResult s : steps) {
            out.printf(Locale.ROOT, "%-7s %9.0f %9.0f %9.0f %9.0f %8.1f %8.1f %9.1f %9.1f %9.1f %9.1f  %s%s%n",
                s.mode, s.offeredFramesPerSecond, s.acceptedFramesPerSecond, s.viewFramesPerSecond,
                s.storedFramesPerSecond, StepResult.millis(s.postLatencyMicros, 50),
                StepResult.millis(s.postLatencyMicros, 99), StepResult.millis(s.postLatencyMicros, 99.9),
                StepResult.millis(s.viewLatencyMicros, 50), StepResult.millis(s.viewLatencyMicros, 99),
                StepResult.millis(s.viewLatencyMicros, 99.9), s.answers, s.keptUp() ? "" : "  (did not keep up)");
        }
        out.println("(latencies in ms; view = POST to the update on the view's pub/sub channel)");
        out.println();
        out.println("CPU (% of one core) and RSS per process, at each step:");
        for (StepResult s : steps) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-7s %7.0f/s ", s.mode,
                s.offeredFramesPerSecond));
            s.processes.forEach((name, use) -> line.append(String.format(Locale.ROOT, " %s %.0f%% %.0f MB;", name,
                use.cpuPercentOfOneCore, use.rssBytes / 1048576.0)));
            if (s.secretChecks > 0) {
                line.append(String.format(Locale.ROOT, " (%d device secret checks, ~40 ms of CPU each)",
                    s.secretChecks));
            }
            out.println(line);
        }
    }

    public ObjectNode toJson() {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        ObjectNode ceilingNode = root.putObject("ceilings_per_second");
        ceilings.forEach(ceilingNode::put);
        ArrayNode stepNodes = root.putArray("steps");
        for (StepResult s : steps) {
            ObjectNode node = stepNodes.addObject();
            node.put("mode", s.mode);
            node.put("frames_per_request", s.framesPerRequest);
            node.put("offered_per_second", s.offeredFramesPerSecond);
            node.put("accepted_per_second", s.acceptedFramesPerSecond);
            node.put("view_per_second", s.viewFramesPerSecond);
            node.put("stored_per_second", s.storedFramesPerSecond);
            node.put("accepted_frames", s.acceptedFrames);
            node.put("kept_up", s.keptUp());
            putLatency(node.putObject("post_latency_ms"), s.postLatencyMicros);
            putLatency(node.putObject("view_latency_ms"), s.viewLatencyMicros);
            ObjectNode answers = node.putObject("answers");
            s.answers.forEach(answers::put);
            node.put("secret_checks", s.secretChecks);
            ObjectNode processes = node.putObject("processes");
            s.processes.forEach((name, use) -> processes.putObject(name)
                .put("cpu_percent_of_one_core", use.cpuPercentOfOneCore).put("rss_bytes", use.rssBytes));
        }
        root.put("sustained_single_per_second", sustained("single"));
        root.put("sustained_batch_per_second", sustained("batch"));
        return root;
    }

    /** Throughput against p99 latency (POST and POST-to-view), one series per mode, as a PNG. */
    public void plot(Path png) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(560).title("ChoralStorm end to end")
            .xAxisTitle("frames/s through the whole pipeline").yAxisTitle("p99 latency (ms)").build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setXAxisDecimalPattern("#,###");
        for (String mode : new String[] {"single", "batch"}) {
            addSeries(chart, mode, "POST", s -> s.postLatencyMicros);
            addSeries(chart, mode, "to view", s -> s.viewLatencyMicros);
        }
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private void addSeries(XYChart chart, String mode, String what,
                           java.util.function.Function<StepResult, Histogram> latency) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (StepResult s : steps) {
            if (s.mode.equals(mode) && latency.apply(s).getTotalCount() > 0) {
                x.add(s.endToEndFramesPerSecond());
                y.add(Math.max(0.1, StepResult.millis(latency.apply(s), 99)));
            }
        }
        if (!x.isEmpty()) {
            chart.addSeries(mode + " " + what + " p99", x, y).setMarker(SeriesMarkers.CIRCLE);
        }
    }

    private static void putLatency(ObjectNode node, Histogram histogram) {
        node.put("p50", StepResult.millis(histogram, 50));
        node.put("p99", StepResult.millis(histogram, 99));
        node.put("p999", StepResult.millis(histogram, 99.9));
        node.put("max", histogram.getTotalCount() == 0 ? Double.NaN : histogram.getMaxValue() / 1000.0);
    }
}
