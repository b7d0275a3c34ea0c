package io.choralstorm.cli;

import com.datastax.oss.driver.api.core.CqlSession;
import io.choralstorm.local.LocalStack;
import io.choralstorm.local.StackState;
import io.choralstorm.query.LiveView;
import io.choralstorm.query.LiveViewReader;
import io.choralstorm.query.RangeQuery;
import io.choralstorm.simulator.Reading;
import io.choralstorm.simulator.SimulationOptions;
import io.choralstorm.simulator.SimulationReport;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import redis.clients.jedis.JedisPooled;

/**
 * The main job, end to end: start the stack (or use the running one), simulate devices through
 * the gateway, wait until every accepted frame is in the live view and in Cassandra, show a few
 * devices' live statistics and a range query, and stop what it started.
 */
@Command(name = "demo", description = "Start the stack, simulate devices, show live statistics and a range "
    + "query, then stop.")
final class DemoCommand implements Callable<Integer> {
    private static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(120);

    @Option(names = "--devices", defaultValue = "20", description = "Simulated devices (default: ${DEFAULT-VALUE}).")
    int devices;

    @Option(names = "--rate", defaultValue = "1", description = "Frames per second per device "
        + "(default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--duration", defaultValue = "30s", converter = DurationConverter.class,
        description = "How long the devices send (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Override
    public Integer call() throws Exception {
        Optional<StackState> running = StackLocator.running();
        LocalStack ownStack = null;
        Map<String, String> endpoints;
        if (running.isPresent()) {
            System.err.println("Using the local stack already running (pid " + running.get().pid() + ").");
            endpoints = running.get().endpoints();
        } else {
            ownStack = startStack();
            endpoints = ownStack.endpoints();
        }
        try {
            return demo(endpoints);
        } finally {
            if (ownStack != null) {
                System.err.println("Stopping the stack...");
                ownStack.close();
            }
        }
    }

    private static LocalStack startStack() {
        LocalStack stack = new LocalStack(StackLocator.config());
        Thread stopOnInterrupt = new Thread(stack::close, "choral-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(stopOnInterrupt);
        System.err.println("Starting the ChoralStorm local stack in " + stack.config().home());
        stack.start(step -> System.err.println("  " + step));
        StackPrinter.printEndpoints(System.out, stack.endpoints(), stack.readyMillis());
        return stack;
    }

    private int demo(Map<String, String> endpoints) throws Exception {
        RegistryOptions registry = new RegistryOptions();
        registry.cassandra = endpoints.get("cassandra");
        registry.keyspace = "choraldatastream";
        registry.datacenter = "datacenter1";
        SimulationOptions options = SimulateCommand.provisioned(new SimulationOptions(devices, rate, duration,
            URI.create(endpoints.get("gateway")), "sim-", Map.of(), 256, 42), registry);
        System.out.printf("%nSimulating %d devices (temperature and humidity, every third one sending numeric "
            + "strings) x %s frame/s for %d s%n", devices, rate, duration.toSeconds());
        SimulationReport report = SimulateCommand.run(options);
        SimulateCommand.printSummary(report);

        Map<String, List<Reading>> sent = report.accepted().stream()
            .collect(Collectors.groupingBy(Reading::deviceId, TreeMap::new, Collectors.toList()));
        try (JedisPooled redis = new JedisPooled(URI.create(endpoints.get("redis")));
             CqlSession session = StoreOptions.of(endpoints).cassandra()) {
            LiveViewReader views = new LiveViewReader(redis, "choral");
            RangeQuery query = new RangeQuery(session, "choraldatastream");
            boolean caughtUp = awaitPipeline(sent, views, query);
            showResults(sent, views, query);
            return caughtUp && report.failed() == 0 ? 0 : Choral.EXIT_FAILURE;
        }
    }

    private static boolean awaitPipeline(Map<String, List<Reading>> sent, LiveViewReader views, RangeQuery query)
            throws InterruptedException {
        long expected = sent.values().stream().mapToLong(List::size).sum();
        long deadline = System.nanoTime() + CATCH_UP_TIMEOUT.toNanos();
        System.out.println();
        while (true) {
            long inView = 0;
            long stored = 0;
            for (Map.Entry<String, List<Reading>> device : sent.entrySet()) {
                double count = views.read(device.getKey()).stat("temperature", "count");
                inView += Double.isNaN(count) ? 0 : (long) count;
                stored += countStored(query, device.getKey(), device.getValue());
            }
            System.err.printf("  pipeline: %,d/%,d readings in the live view, %,d/%,d frames in Cassandra%n",
                inView, expected, stored, expected);
            if (inView == expected && stored == expected) {
                System.out.println("Every accepted frame is in the live view and in Cassandra.");
                return true;
            }
            if (System.nanoTime() > deadline) {
                System.out.println("The pipeline did not catch up within " + CATCH_UP_TIMEOUT.toSeconds() + " s.");
                return false;
            }
            Thread.sleep(1000);
        }
    }

    private static long countStored(RangeQuery query, String device, List<Reading> readings) {
        long from = readings.stream().mapToLong(Reading::timestamp).min().orElse(0);
        long to = readings.stream().mapToLong(Reading::timestamp).max().orElse(0) + 1;
        return query.frames(device, from, to, Long.MAX_VALUE, frame -> { });
    }

    private static void showResults(Map<String, List<Reading>> sent, LiveViewReader views, RangeQuery query) {
        List<String> shown = sent.keySet().stream().limit(3).collect(Collectors.toList());
        for (String device : shown) {
            System.out.println();
            LiveView view = views.read(device);
            LiveCommand.printTable(view, System.out);
            List<Reading> readings = sent.get(device);
            double mean = readings.stream().mapToDouble(Reading::temperature).average().orElse(Double.NaN);
            System.out.printf("  recomputed from the %d frames sent: temperature mean %.3f, min %.1f, max %.1f%n",
                readings.size(), mean, readings.stream().mapToDouble(Reading::temperature).min().orElse(0),
                readings.stream().mapToDouble(Reading::temperature).max().orElse(0));
        }

        String device = shown.get(0);
        List<Reading> readings = sent.get(device);
        long from = readings.get(0).timestamp();
        long to = from + 10_000;
        System.out.printf("%nRange query: temperature of %s in [%s, %s)%n", device, Instant.ofEpochMilli(from),
            Instant.ofEpochMilli(to));
        System.out.printf("  scripts/choral query --device %s --metric temperature --from %d --to %d%n", device,
            from, to);
        try (QueryCommand.RowPrinter printer = new QueryCommand.RowPrinter(QueryCommand.Format.table, System.out,
                true)) {
            printer.finish(query.readings(device, "temperature", from, to, Long.MAX_VALUE,
                r -> printer.reading(r.deviceTimestamp(), r.value(), r.text())));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
