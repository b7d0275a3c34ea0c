package io.choralstorm.cli;

import io.choralstorm.local.LocalStack;
import io.choralstorm.local.StackConfig;
import io.choralstorm.local.StackException;
import io.choralstorm.local.StackState;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;

/** Runs the local stack in this JVM until it is interrupted (Ctrl-C, or SIGTERM from {@code choral down}). */
@Command(name = "run", description = "Run the local stack in the foreground; Ctrl-C stops it.")
final class RunCommand implements Callable<Integer> {
    @Override
    public Integer call() throws InterruptedException {
        StackConfig config = StackLocator.config();
        StackLocator.running().ifPresent(state -> {
            throw new StackException("a stack is already running (pid " + state.pid()
                + "); stop it with: scripts/choral down");
        });
        long pid = ProcessHandle.current().pid();
        new StackState(pid, "starting", Map.of(), 0).write(config.home());

        LocalStack stack = new LocalStack(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stack.close();
            StackState.delete(config.home());
            stopped.countDown();
        }, "choral-stack-shutdown"));

        System.err.println("Starting the ChoralStorm local stack in " + config.home());
        stack.start(step -> System.err.println("  " + step));
        new StackState(pid, "ready", stack.endpoints(), stack.readyMillis()).write(config.home());
        StackPrinter.printEndpoints(System.out, stack.endpoints(), stack.readyMillis());
        stopped.await();
        return 0;
    }
}
