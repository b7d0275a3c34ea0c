package io.choralstorm.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The state file of a running stack ({@code <home>/stack.json}): the pid of the stack's JVM, its
 * phase (starting, ready, stopping) and where each part listens. Commands that talk to the stack
 * read their endpoints from it.
 */
public final class StackState {
    public static final String FILE = "stack.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final long pid;
    private final String phase;
    private final Map<String, String> endpoints;
    private final long readyMillis;

    public StackState(long pid, String phase, Map<String, String> endpoints, long readyMillis) {
        this.pid = pid;
        this.phase = phase;
        this.endpoints = Map.copyOf(endpoints);
        this.readyMillis = readyMillis;
    }

    public long pid() {
        return pid;
    }

    public String phase() {
        return phase;
    }

    /** Part name ("gateway", "cluster-http", "kafka", "cassandra", "redis") to its address. */
    public Map<String, String> endpoints() {
        return endpoints;
    }

    public String endpoint(String part) {
        String value = endpoints.get(part);
        if (value == null) {
            throw new StackException("the stack state has no endpoint for " + part);
        }
        return value;
    }

    public long readyMillis() {
        return readyMillis;
    }

    public boolean isAlive() {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    public void write(Path home) {
        ObjectNode root = JSON.createObjectNode();
        root.put("pid", pid);
        root.put("phase", phase);
        root.put("ready_ms", readyMillis);
        ObjectNode parts = root.putObject("endpoints");
        endpoints.forEach(parts::put);
        try {
            Files.createDirectories(home);
            Path temp = Files.createTempFile(home, "stack", ".json.tmp");
            JSON.writerWithDefaultPrettyPrinter().writeValue(temp.toFile(), root);
            Files.move(temp, home.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the stack state to " + home.resolve(FILE), e);
        }
    }

    /** The state in {@code home}, if a stack wrote one. */
    public static Optional<StackState> read(Path home) {
        Path file = home.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            var root = JSON.readTree(file.toFile());
            Map<String, String> parts = new LinkedHashMap<>();
            root.path("endpoints").fields().forEachRemaining(e -> parts.put(e.getKey(), e.getValue().asText()));
            return Optional.of(new StackState(root.path("pid").asLong(), root.path("phase").asText(), parts,
                root.path("ready_ms").asLong()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the stack state " + file, e);
        }
    }

    public static void delete(Path home) {
        try {
            Files.deleteIfExists(home.resolve(FILE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the stack state " + home.resolve(FILE), e);
        }
    }
}
