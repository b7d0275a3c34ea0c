package io.choralstorm.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.choralstorm.local.StackState;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Tells whether the local stack runs and whether each part answers. Exit 0 when all parts answer. */
@Command(name = "status", description = "Show whether the local stack runs and whether each part answers.")
final class StatusCommand implements Callable<Integer> {
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Optional<StackState> state = StackLocator.running();
        if (state.isEmpty()) {
            if (json) {
                System.out.println("{\"running\":false}");
            } else {
                System.out.println("No local stack is running. Start one with: scripts/choral up");
            }
            return Choral.EXIT_FAILURE;
        }
        Map<String, String> checks = probe(state.get());
        boolean healthy = state.get().phase().equals("ready") && checks.values().stream().allMatch("up"::equals);
        if (json) {
            printJson(state.get(), checks, healthy);
        } else {
            System.out.println("Local stack pid " + state.get().pid() + ", " + state.get().phase());
            Table table = new Table("part", "address", "state");
            checks.forEach((part, check) -> table.row(part, state.get().endpoints().get(part), check));
            table.print(System.out);
        }
        return healthy ? 0 : Choral.EXIT_FAILURE;
    }

    private static Map<String, String> probe(StackState state) {
        Map<String, String> checks = new LinkedHashMap<>();
        HttpClient client = HttpClient.newBuilder().connectTimeout(PROBE_TIMEOUT).build();
        for (String part : new String[] {"gateway", "cluster-http"}) {
            if (state.endpoints().containsKey(part)) {
                checks.put(part, httpHealth(client, state.endpoint(part)));
            }
        }
        for (String part : new String[] {"kafka", "cassandra", "redis"}) {
            if (state.endpoints().containsKey(part)) {
                checks.put(part, tcp(state.endpoint(part)));
            }
        }
        return checks;
    }

    private static String httpHealth(HttpClient client, String base) {
        try {
            HttpResponse<Void> response = client.send(HttpRequest.newBuilder(URI.create(base + "/health"))
                .timeout(PROBE_TIMEOUT).build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200 ? "up" : "answers " + response.statusCode();
        } catch (java.io.IOException e) {
            return "down (" + e.getClass().getSimpleName() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private static String tcp(String address) {
        URI uri = URI.create(address.contains("://") ? address : "tcp://" + address);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), (int) PROBE_TIMEOUT.toMillis());
            return "up";
        } catch (java.io.IOException e) {
            return "down (" + e.getClass().getSimpleName() + ")";
        }
    }

    private static void printJson(StackState state, Map<String, String> checks, boolean healthy) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("running", true);
        root.put("healthy", healthy);
        root.put("pid", state.pid());
        root.put("phase", state.phase());
        ObjectNode parts = root.putObject("parts");
        checks.forEach((part, check) -> parts.putObject(part).put("address", state.endpoints().get(part))
            .put("state", check));
        System.out.println(mapper.writeValueAsString(root));
    }
}
