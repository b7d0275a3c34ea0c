package io.choralstorm.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time and resident memory of named processes, read from /proc (Linux). A sample taken before
 * and after a phase gives each process's CPU share of the machine during it.
 */
public final class ProcessSampler {
    private static final double CLOCK_TICKS_PER_SECOND = 100.0;

    /** CPU seconds (user + system) and RSS in bytes of each process at one moment. */
    public static final class Sample {
        final long takenNanos;
        final Map<String, double[]> cpuSecondsAndRss;

        Sample(long takenNanos, Map<String, double[]> cpuSecondsAndRss) {
            this.takenNanos = takenNanos;
            this.cpuSecondsAndRss = cpuSecondsAndRss;
        }
    }

    /** One process's use of the machine over a phase. */
    public static final class Usage {
        public final double cpuPercentOfOneCore;
        public final long rssBytes;

        Usage(double cpuPercentOfOneCore, long rssBytes) {
            this.cpuPercentOfOneCore = cpuPercentOfOneCore;
            this.rssBytes = rssBytes;
        }
    }

    private final Map<String, Long> pids;

    /** {@code pids}: a name per process to watch, e.g. "stack JVM" -> its pid; a process that ended is left out. */
    public ProcessSampler(Map<String, Long> pids) {
        this.pids = new LinkedHashMap<>(pids);
    }

    public Sample sample() {
        Map<String, double[]> values = new LinkedHashMap<>();
        pids.forEach((name, pid) -> {
            double[] value = read(pid);
            if (value != null) {
                values.put(name, value);
            }
        });
        return new Sample(System.nanoTime(), values);
    }

    /** Per process: CPU in percent of one core between the two samples, and RSS at the second. */
    public static Map<String, Usage> between(Sample before, Sample after) {
        double wallSeconds = (after.takenNanos - before.takenNanos) / 1e9;
        Map<String, Usage> usage = new LinkedHashMap<>();
        after.cpuSecondsAndRss.forEach((name, end) -> {
            double[] start = before.cpuSecondsAndRss.get(name);
            double cpu = start == null || wallSeconds <= 0 ? 0 : (end[0] - start[0]) / wallSeconds * 100;
            usage.put(name, new Usage(cpu, (long) end[1]));
        });
        return usage;
    }

    private static double[] read(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            double cpuSeconds = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / CLOCK_TICKS_PER_SECOND;
            long rssKb = 0;
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    rssKb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            return new double[] {cpuSeconds, rssKb * 1024.0};
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/" + pid, e);
        }
    }
}
