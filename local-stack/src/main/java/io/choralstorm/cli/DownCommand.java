package io.choralstorm.cli;

import io.choralstorm.local.CassandraNode;
import io.choralstorm.local.RedisNode;
import io.choralstorm.local.StackConfig;
import io.choralstorm.local.StackState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;

/** Stops the background stack and anything it left behind. */
@Command(name = "down", description = "Stop the local stack started by 'up' and every process it started.")
final class DownCommand implements Callable<Integer> {
    private static final Duration GRACE = Duration.ofSeconds(90);

    @Override
    public Integer call() throws Exception {
        StackConfig config = StackLocator.config();
        Path home = config.home();
        Optional<StackState> state = StackState.read(home);
        long start = System.nanoTime();
        if (state.isPresent() && state.get().isAlive()) {
            stop(state.get().pid());
        } else {
            System.out.println("No local stack is running.");
        }
        CassandraNode.killLeftover(home.resolve("cassandra"));
        RedisNode.killLeftover(home.resolve("redis"));
        StackState.delete(home);
        if (state.isPresent() && state.get().pid() > 0) {
            System.out.printf("Stopped in %.1f s.%n", (System.nanoTime() - start) / 1e9);
        }
        return 0;
    }

    static void stop(long pid) throws Exception {
        ProcessHandle handle = ProcessHandle.of(pid).orElse(null);
        if (handle == null) {
            return;
        }
        System.err.println("Stopping the local stack (pid " + pid + ")...");
        handle.destroy();
        try {
            handle.onExit().get(GRACE.toSeconds(), TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            System.err.println("The stack did not stop within " + GRACE.toSeconds() + " s; killing it.");
            handle.destroyForcibly();
            handle.onExit().get(10, TimeUnit.SECONDS);
        }
    }
}
