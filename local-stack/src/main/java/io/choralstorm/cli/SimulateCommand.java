package io.choralstorm.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.choralstorm.devices.CassandraDeviceStore;
import io.choralstorm.devices.DeviceRegistry;
import io.choralstorm.simulator.DeviceProvisioning;
import io.choralstorm.simulator.DeviceSimulator;
import io.choralstorm.simulator.SimulationOptions;
import io.choralstorm.simulator.SimulationReport;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Simulated devices posting frames to the gateway. */
@Command(name = "simulate", description = "Simulate devices sending temperature and humidity to the gateway.")
final class SimulateCommand implements Callable<Integer> {
    @Option(names = "--devices", defaultValue = "10", description = "Number of devices (default: ${DEFAULT-VALUE}).")
    int devices;

    @Option(names = "--rate", defaultValue = "1", description = "Frames per second per device "
        + "(default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--duration", defaultValue = "30s", converter = DurationConverter.class,
        description = "How long to send, e.g. 30s, 2m (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--gateway", description = "Gateway URL (default: the running local stack's).")
    URI gateway;

    @Option(names = "--prefix", defaultValue = "sim-", description = "Device id prefix (default: ${DEFAULT-VALUE}).")
    String prefix;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the simulated values.")
    long seed;

    @Option(names = "--json", description = "Print the summary as JSON.")
    boolean json;

    @Option(names = "--provision", negatable = true, description = "Register the simulated devices in the registry "
        + "first, each with a fresh secret, and send with those secrets (default: on without --gateway, i.e. "
        + "with the local stack; off with --gateway).")
    Boolean provision;

    @Mixin
    RegistryOptions registry;

    @Override
    public Integer call() throws Exception {
        URI target = gateway != null ? gateway
            : URI.create(StackLocator.requireRunning().endpoint("gateway"));
        SimulationOptions options = new SimulationOptions(devices, rate, duration, target, prefix, Map.of(),
            256, seed);
        if (provision != null ? provision : gateway == null) {
            options = provisioned(options, registry);
        }
        System.err.printf("Simulating %d devices x %s frame/s for %d s -> %s%n", devices, rate,
            duration.toSeconds(), target);
        SimulationReport report = run(options);
        if (json) {
            System.out.println(toJson(report).toString());
        } else {
            printSummary(report);
        }
        return report.failed() == 0 ? 0 : Choral.EXIT_FAILURE;
    }

    /** The options with every simulated device registered anew in the registry and its secret filled in. */
    static SimulationOptions provisioned(SimulationOptions options, RegistryOptions registry) {
        System.err.printf("Registering %d simulated devices, each with a fresh secret...%n", options.devices());
        try (CassandraDeviceStore store = registry.store()) {
            return DeviceProvisioning.provision(new DeviceRegistry(store), options);
        }
    }

    static SimulationReport run(SimulationOptions options) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        return new DeviceSimulator(client).run(options, progress -> System.err.printf(
            "  %5.1f s  sent %,d/%,d  accepted %,d  refused or failed %,d%n", progress.elapsed.toMillis() / 1000.0,
            progress.sent, progress.totalPlanned, progress.accepted, progress.refused));
    }

    static void printSummary(SimulationReport report) {
        Histogram latency = report.latencyMicros();
        System.out.printf("Sent %,d frames in %.1f s (%,.0f frames/s); accepted %,d.%n", report.sent(),
            report.elapsed().toMillis() / 1000.0, report.sent() / Math.max(0.001, report.elapsed().toMillis() / 1000.0),
            report.accepted().size());
        Table answers = new Table("answer", "frames");
        report.answers().forEach((answer, count) -> answers.row(answer, count));
        answers.print(System.out);
        System.out.printf("POST latency ms: p50 %.1f  p99 %.1f  max %.1f%n", latency.getValueAtPercentile(50) / 1000.0,
            latency.getValueAtPercentile(99) / 1000.0, latency.getMaxValue() / 1000.0);
    }

    private static ObjectNode toJson(SimulationReport report) {
        ObjectNode root = new ObjectMapper().createObjectNode();
        root.put("sent", report.sent());
        root.put("accepted", report.accepted().size());
        root.put("elapsed_ms", report.elapsed().toMillis());
        ObjectNode answers = root.putObject("answers");
        report.answers().forEach(answers::put);
        ObjectNode latency = root.putObject("latency_ms");
        latency.put("p50", report.latencyMicros().getValueAtPercentile(50) / 1000.0);
        latency.put("p99", report.latencyMicros().getValueAtPercentile(99) / 1000.0);
        latency.put("max", report.latencyMicros().getMaxValue() / 1000.0);
        return root;
    }
}
