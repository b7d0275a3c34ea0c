package io.choralstorm.cli;

import com.datastax.oss.driver.api.core.CqlSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.choralstorm.bench.BenchFrames;
import io.choralstorm.bench.BenchReport;
import io.choralstorm.bench.ClusterHealth;
import io.choralstorm.bench.ComponentCeilings;
import io.choralstorm.bench.EndToEndRun;
import io.choralstorm.bench.ProcessSampler;
import io.choralstorm.bench.StepResult;
import io.choralstorm.bench.ViewLatencyProbe;
import io.choralstorm.devices.CassandraDeviceStore;
import io.choralstorm.devices.DeviceRegistry;
import io.choralstorm.local.StackState;
import io.choralstorm.topology.config.TopologySettings;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import redis.clients.jedis.JedisPooled;

/**
 * Measures the pipeline on this machine: each component's ceiling alone, then frames POSTed to the
 * gateway at rising rates (single frames, then batches of 100) until the pipeline no longer keeps up,
 * all in one run so that ratios hold on a noisy machine.
 */
@Command(name = "bench", description = "Measure component ceilings and end-to-end throughput and latency.")
final class BenchCommand implements Callable<Integer> {
    private static final List<Double> SINGLE_RATES = List.of(1000.0, 2000.0, 4000.0, 6000.0, 8000.0, 10000.0,
        12000.0, 15000.0);
    private static final List<Double> BATCH_RATES = List.of(5000.0, 10000.0, 20000.0, 30000.0, 40000.0, 50000.0);
    private static final List<Double> QUICK_SINGLE_RATES = List.of(500.0);
    private static final List<Double> QUICK_BATCH_RATES = List.of(3000.0);
    /** --quick fails when a step's end-to-end rate falls under this share of the slowest ceiling. */
    private static final double COLLAPSE_RATIO = 0.05;
    private static final int DEVICES = 1000;
    private static final int QUICK_DEVICES = 100;
    private static final int BATCH_FRAMES = 100;
    private static final int WARM_UP_ROUNDS = 5;
    /** About what two hash threads verify at 40 ms a secret: faster only queues checks past the timeouts. */
    private static final double WARM_UP_DEVICES_PER_SECOND = 40;
    private static final double WARM_UP_SINGLE_RATE = 500;
    private static final double WARM_UP_BATCH_RATE = 3000;

    @Option(names = "--quick", description = "A short run (under 2 minutes) that catches a collapse in throughput: "
        + "exits 1 when a step loses frames or runs under 5 % of the slowest component's ceiling.")
    boolean quick;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON to FILE.")
    Path jsonFile;

    @Option(names = "--plot", paramLabel = "FILE", defaultValue = ".choral/bench.png",
        description = "PNG plot of throughput against p99 latency (default: ${DEFAULT-VALUE}).")
    Path plotFile;

    @Option(names = "--connections", defaultValue = "64", description = "Keep-alive connections of the load "
        + "generator (default: ${DEFAULT-VALUE}).")
    int connections;

    @Override
    public Integer call() throws Exception {
        Optional<StackState> running = StackLocator.running();
        StackState stack = running.isPresent() ? running.get() : UpCommand.startInBackground(Duration.ofSeconds(180));
        try {
            BenchReport report = measure(stack);
            report.printTables(System.out);
            return conclude(report);
        } finally {
            if (running.isEmpty()) {
                System.err.println("Stopping the stack the benchmark started...");
                DownCommand.stop(stack.pid());
            }
        }
    }

    private BenchReport measure(StackState stack) throws Exception {
        TopologySettings topology = TopologySettings.defaults();
        BenchReport report = new BenchReport();
        Duration ceilingTime = Duration.ofSeconds(quick ? 3 : 10);
        ProcessSampler sampler = new ProcessSampler(processes(stack));
        try (JedisPooled redis = new JedisPooled(URI.create(stack.endpoint("redis")));
             CqlSession session = StoreOptions.of(stack.endpoints()).cassandra()) {
            BenchFrames frames = provisioned(quick ? QUICK_DEVICES : DEVICES);
            try (ViewLatencyProbe probe = new ViewLatencyProbe(redis, topology.redisKeyPrefix() + ":updates")) {
                EndToEndRun run = new EndToEndRun(gateway(stack), connections, frames, redis,
                    topology.redisKeyPrefix(), session, topology.cassandraKeyspace(), probe, sampler,
                    new ClusterHealth(URI.create(stack.endpoint("cluster-http"))));
                run.baseline();
                warmUp(run, frames);
                warmUpLoad(run);
                measureCeilings(report, stack, topology, ceilingTime);
                rise(report, run, "single", 1, quick ? QUICK_SINGLE_RATES : SINGLE_RATES);
                rise(report, run, "batch", BATCH_FRAMES, quick ? QUICK_BATCH_RATES : BATCH_RATES);
            }
        }
        return report;
    }

    /** Registers the benchmark's devices, each with a fresh secret that its frames carry. */
    private static BenchFrames provisioned(int devices) {
        System.err.printf("Registering %d benchmark devices...%n", devices);
        BenchFrames unnamed = new BenchFrames("bench-", devices, Map.of());
        Map<String, String> secrets = new ConcurrentHashMap<>();
        try (CassandraDeviceStore store = new RegistryOptions().withDefaults().store()) {
            DeviceRegistry registry = new DeviceRegistry(store);
            IntStream.range(0, devices).parallel().mapToObj(unnamed::deviceId)
                .forEach(id -> secrets.put(id, registry.add(id, true)));
        }
        return new BenchFrames("bench-", devices, secrets);
    }

    /**
     * One frame per device before measuring, so that each device's secret has been verified once (a
     * deliberately slow hash, about 40 ms here, cached afterwards) and no step pays for it. A round whose
     * answers are not all 202 (the hash workers were full, say) is sent again, up to a few times.
     */
    private static void warmUp(EndToEndRun run, BenchFrames frames) throws InterruptedException {
        double rate = Math.min(WARM_UP_DEVICES_PER_SECOND, frames.devices());
        Duration sending = Duration.ofMillis((long) (frames.devices() / rate * 1000));
        for (int round = 1; round <= WARM_UP_ROUNDS; round++) {
            System.err.printf("Warming up: one frame per device at %.0f frames/s (round %d)...%n", rate, round);
            StepResult warm = run.step("warm-up", rate, 1, sending, Duration.ofMillis(frames.devices() * 100L),
                message -> { });
            System.err.printf("  answers %s, %d device secret checks%n", warm.answers, warm.secretChecks);
            if (warm.answers.keySet().stream().allMatch("202"::equals)) {
                return;
            }
        }
        System.err.println("Warning: some devices were still refused after the warm-up; the steps will show it.");
    }

    /**
     * Load at moderate rates before measuring, not reported: the stack's JVMs (the stack's own and
     * Cassandra's) spend their first minutes compiling their hot code, which takes a large share of two
     * cores and would be counted against the first steps.
     */
    private void warmUpLoad(EndToEndRun run) throws InterruptedException {
        Duration each = Duration.ofSeconds(quick ? 8 : 30);
        System.err.printf("Warming up the JVMs: %d s of single frames at %.0f/s, then %d s of batches at %.0f "
            + "frames/s...%n", each.toSeconds(), WARM_UP_SINGLE_RATE, each.toSeconds(), WARM_UP_BATCH_RATE);
        StepResult single = run.step("warm-up", WARM_UP_SINGLE_RATE, 1, each, message -> { });
        StepResult batch = run.step("warm-up", WARM_UP_BATCH_RATE, BATCH_FRAMES, each, message -> { });
        System.err.printf("  end to end %.0f frames/s single, %.0f frames/s in batches%n",
            single.endToEndFramesPerSecond(), batch.endToEndFramesPerSecond());
    }

    private void measureCeilings(BenchReport report, StackState stack, TopologySettings topology, Duration time)
            throws Exception {
        ComponentCeilings ceilings = new ComponentCeilings(time);
        System.err.println("Measuring component ceilings, " + time.toSeconds() + " s each...");
        report.ceiling("Kafka produce (records)", ceilings.kafkaProduce(stack.endpoint("kafka")));
        report.ceiling("Cassandra writes (frames)", ceilings.cassandraWrites(topology
            .with(TopologySettings.CASSANDRA_CONTACT_POINTS, stack.endpoint("cassandra"))));
        report.ceiling("Redis view updates (frames)", ceilings.redisViewUpdates(stack.endpoint("redis"),
            topology.get(TopologySettings.VIEW_WINDOW_MS), topology.get(TopologySettings.VIEW_DEDUP_HORIZON_MS),
            topology.get(TopologySettings.VIEW_BATCH_MAX)));
        report.ceiling("HTTP accept, no Kafka (requests)", ceilings.httpAccept(connections));
        report.ceiling("gateway + HTTP accept, no Kafka", ceilings.gatewayRelay(connections));
    }

    private void rise(BenchReport report, EndToEndRun run, String mode, int framesPerRequest, List<Double> rates)
            throws InterruptedException {
        Duration stepTime = Duration.ofSeconds(quick ? 5 : 10);
        for (double rate : rates) {
            System.err.printf("  %s: offering %.0f frames/s for %d s...%n", mode, rate, stepTime.toSeconds());
            StepResult step = run.step(mode, rate, framesPerRequest, stepTime, message -> { });
            report.step(step);
            System.err.printf("    accepted %.0f/s, view %.0f/s, stored %.0f/s, POST p99 %.1f ms, view p99 %.1f ms%s%n",
                step.acceptedFramesPerSecond, step.viewFramesPerSecond, step.storedFramesPerSecond,
                step.postLatencyMicros.getValueAtPercentile(99) / 1000.0,
                step.viewLatencyMicros.getValueAtPercentile(99) / 1000.0, step.keptUp() ? "" : " (saturated)");
            if (!step.keptUp()) {
                return;
            }
        }
    }

    private int conclude(BenchReport report) throws Exception {
        Files.createDirectories(plotFile.toAbsolutePath().getParent());
        report.plot(plotFile);
        System.out.println("Plot: " + plotFile.toAbsolutePath());
        if (jsonFile != null) {
            new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(jsonFile.toFile(), report.toJson());
            System.out.println("Figures: " + jsonFile.toAbsolutePath());
        }
        double slowest = report.slowestCeiling();
        System.out.printf("Sustained end to end: %.0f frames/s single, %.0f frames/s in batches; best end to end over "
            + "the slowest ceiling: %.2f single, %.2f in batches%n", report.sustained("single"),
            report.sustained("batch"), report.best("single") / slowest, report.best("batch") / slowest);
        if (!quick) {
            return 0;
        }
        List<String> collapses = report.collapses(COLLAPSE_RATIO);
        collapses.forEach(collapse -> System.out.println("COLLAPSE: " + collapse));
        return collapses.isEmpty() ? 0 : Choral.EXIT_FAILURE;
    }

    private static Map<String, Long> processes(StackState stack) throws Exception {
        Path home = StackLocator.config().home();
        Map<String, Long> pids = new LinkedHashMap<>();
        pids.put("stack JVM", stack.pid());
        readPid(home.resolve("cassandra").resolve("cassandra.pid")).ifPresent(pid -> pids.put("cassandra", pid));
        readPid(home.resolve("redis").resolve("redis.pid")).ifPresent(pid -> pids.put("redis", pid));
        pids.put("load generator", ProcessHandle.current().pid());
        return pids;
    }

    private static Optional<Long> readPid(Path file) throws Exception {
        return Files.isRegularFile(file) ? Optional.of(Long.parseLong(Files.readString(file).trim()))
            : Optional.empty();
    }

    private static InetSocketAddress gateway(StackState stack) {
        URI uri = URI.create(stack.endpoint("gateway"));
        return new InetSocketAddress(uri.getHost(), uri.getPort());
    }
}
