package io.choralstorm.cli;

import io.choralstorm.local.StackConfig;
import io.choralstorm.local.StackException;
import io.choralstorm.local.StackState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Starts the local stack in the background and returns once it is ready. */
@Command(name = "up", description = "Start the local stack in the background; returns once it is ready.")
final class UpCommand implements Callable<Integer> {
    static final String JAVA_OPTS_ENV = "CHORAL_STACK_JAVA_OPTS";
    private static final String DEFAULT_JAVA_OPTS = "-Xms256m -Xmx1g -XX:+UseG1GC";

    @Option(names = "--timeout", converter = DurationConverter.class, defaultValue = "180s",
        description = "Longest wait for the stack to be ready (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Optional<StackState> running = StackLocator.running();
        if (running.isPresent() && running.get().phase().equals("ready")) {
            System.out.println("A local stack is already running (pid " + running.get().pid() + ").");
            StackPrinter.printEndpoints(System.out, running.get().endpoints(), running.get().readyMillis());
            return 0;
        }
        if (running.isPresent()) {
            throw new StackException("a stack is starting or stopping (pid " + running.get().pid() + "); "
                + "wait, or stop it with: scripts/choral down");
        }
        StackState state = startInBackground(timeout);
        StackPrinter.printEndpoints(System.out, state.endpoints(), state.readyMillis());
        System.out.println("Stop it with: scripts/choral down");
        return 0;
    }

    /** Starts the stack in its own JVM and returns once it is ready, echoing its progress to stderr. */
    static StackState startInBackground(Duration timeout) throws IOException, InterruptedException {
        StackConfig config = StackLocator.config();
        Process process = launch(config.home());
        System.err.println("Starting the local stack (pid " + process.pid() + "), logs in "
            + config.home().resolve("logs"));
        return awaitReady(config.home(), process, timeout);
    }

    private static Process launch(Path home) throws IOException {
        Path logs = Files.createDirectories(home.resolve("logs"));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String opts = System.getenv().getOrDefault(JAVA_OPTS_ENV, DEFAULT_JAVA_OPTS);
        command.addAll(List.of(opts.trim().split("\\s+")));
        command.add("-Dchoral.root=" + StackLocator.root());
        command.add("-Dchoral.log.dir=" + logs);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Choral.class.getName(), "run"));
        ProcessBuilder builder = new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(logs.resolve("stack.out").toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        return builder.start();
    }

    private static StackState awaitReady(Path home, Process process, Duration timeout)
            throws InterruptedException, IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int shownLines = 0;
        Path out = home.resolve("logs").resolve("stack.out");
        while (System.nanoTime() < deadline) {
            shownLines = echoNewLines(out, shownLines);
            Optional<StackState> state = StackState.read(home);
            if (state.isPresent() && state.get().pid() == process.pid() && state.get().phase().equals("ready")) {
                return state.get();
            }
            if (!process.isAlive()) {
                echoNewLines(out, shownLines);
                throw new StackException("the stack exited with code " + process.exitValue() + " before it was "
                    + "ready; see " + out + " and " + home.resolve("logs"));
            }
            Thread.sleep(250);
        }
        process.destroy();
        throw new StackException("the stack was not ready within " + timeout.toSeconds() + " s; it was stopped. "
            + "See " + out);
    }

    /** Echoes the stack's progress lines (those it prints indented) as they appear. */
    private static int echoNewLines(Path out, int alreadyShown) throws IOException {
        if (!Files.exists(out)) {
            return alreadyShown;
        }
        List<String> lines = Files.readAllLines(out);
        for (int i = alreadyShown; i < lines.size(); i++) {
            if (lines.get(i).startsWith("  ") || lines.get(i).startsWith("error")) {
                System.err.println(lines.get(i));
            }
        }
        return lines.size();
    }
}
