package io.choralstorm.simulator;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Sends frames of simulated devices to a gateway at a steady pace (devices x rate frames per
 * second, spread evenly), with a bounded number of requests in flight, and reports progress
 * about once a second.
 */
public final class DeviceSimulator {
    private static final long PROGRESS_INTERVAL_NANOS = Duration.ofSeconds(1).toNanos();

    /** A snapshot of a running simulation. */
    public static final class Progress {
        public final Duration elapsed;
        public final long sent;
        public final long accepted;
        public final long refused;
        public final long totalPlanned;

        Progress(Duration elapsed, long sent, long accepted, long refused, long totalPlanned) {
            this.elapsed = elapsed;
            this.sent = sent;
            this.accepted = accepted;
            this.refused = refused;
            this.totalPlanned = totalPlanned;
        }
    }

    private final HttpClient client;

    public DeviceSimulator(HttpClient client) {
        this.client = client;
    }

    public SimulationReport run(SimulationOptions options, Consumer<Progress> onProgress) throws InterruptedException {
        List<SimulatedDevice> devices = new ArrayList<>();
        for (int i = 0; i < options.devices(); i++) {
            devices.add(new SimulatedDevice(options.deviceId(i), i % 3 == 0, options.seed() + i));
        }
        URI target = options.gateway().resolve("/v1/frames");
        Semaphore inFlight = new Semaphore(options.maxInFlight());
        Tally tally = new Tally();
        long total = options.totalFrames();
        double intervalNanos = 1e9 / (options.devices() * options.framesPerSecondPerDevice());
        long start = System.nanoTime();
        long nextProgress = start + PROGRESS_INTERVAL_NANOS;

        for (long k = 0; k < total; k++) {
            LockSupport.parkNanos(start + (long) (k * intervalNanos) - System.nanoTime());
            if (Thread.interrupted()) {
                throw new InterruptedException("simulation interrupted after " + k + " frames");
            }
            SimulatedDevice device = devices.get((int) (k % devices.size()));
            inFlight.acquire();
            send(device.next(System.currentTimeMillis()), options, target, inFlight, tally);
            if (System.nanoTime() >= nextProgress) {
                onProgress.accept(tally.progress(start, total));
                nextProgress += PROGRESS_INTERVAL_NANOS;
            }
        }
        inFlight.acquire(options.maxInFlight());
        onProgress.accept(tally.progress(start, total));
        return tally.report(start);
    }

    private void send(Reading reading, SimulationOptions options, URI target, Semaphore inFlight, Tally tally) {
        HttpRequest request = HttpRequest.newBuilder(target)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(reading.toJson(options.secrets().get(reading.deviceId()))))
            .timeout(Duration.ofSeconds(30))
            .build();
        long sentAt = System.nanoTime();
        tally.sent.incrementAndGet();
        client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
            tally.latencyMicros.recordValue(Math.max(1, (System.nanoTime() - sentAt) / 1000));
            String answer = error != null ? "io-error" : String.valueOf(response.statusCode());
            tally.answers.computeIfAbsent(answer, key -> new AtomicLong()).incrementAndGet();
            if (error == null && response.statusCode() == 202) {
                tally.accepted.add(reading);
            }
            inFlight.release();
        });
    }

    /** Counters shared by the sending loop and the response callbacks. */
    private static final class Tally {
        final AtomicLong sent = new AtomicLong();
        final Map<String, AtomicLong> answers = new ConcurrentHashMap<>();
        final ConcurrentLinkedQueue<Reading> accepted = new ConcurrentLinkedQueue<>();
        final Recorder latencyMicros = new Recorder(3);
        private final Histogram latencyTotal = new Histogram(3);

        Progress progress(long start, long total) {
            long acceptedCount = accepted.size();
            long answered = answers.values().stream().mapToLong(AtomicLong::get).sum();
            return new Progress(Duration.ofNanos(System.nanoTime() - start), sent.get(), acceptedCount,
                answered - acceptedCount, total);
        }

        SimulationReport report(long start) {
            latencyTotal.add(latencyMicros.getIntervalHistogram());
            Map<String, Long> counts = new ConcurrentHashMap<>();
            answers.forEach((answer, count) -> counts.put(answer, count.get()));
            return new SimulationReport(sent.get(), counts, new ArrayList<>(accepted), latencyTotal,
                Duration.ofNanos(System.nanoTime() - start));
        }
    }
}
