package io.choralstorm.cli;

import io.choralstorm.devices.RegistryUnavailableException;
import io.choralstorm.local.StackException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code choral} command line: the local stack, simulated devices, the live view and queries. */
@Command(name = "choral", mixinStandardHelpOptions = true, version = "ChoralStorm 0.1.0",
    description = "ChoralStorm: IoT telemetry through gateway, Kafka, Storm, Redis and Cassandra.",
    subcommands = {DemoCommand.class, UpCommand.class, DownCommand.class, StatusCommand.class, RunCommand.class,
        SimulateCommand.class, LiveCommand.class, QueryCommand.class, BenchCommand.class,
        SchemaCommand.class, DevicesCommand.class})
public final class Choral implements Runnable {
    static final int EXIT_FAILURE = 1;
    static final int EXIT_USAGE = 2;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    static int execute(String... args) {
        CommandLine commandLine = new CommandLine(new Choral());
        commandLine.setExecutionExceptionHandler((error, cmd, parsed) -> {
            if (error instanceof StackException || error instanceof IllegalArgumentException
                    || error instanceof RegistryUnavailableException) {
                cmd.getErr().println("error: " + error.getMessage());
            } else {
                cmd.getErr().println("error: " + error);
                org.slf4j.LoggerFactory.getLogger(Choral.class).error("command failed", error);
            }
            return EXIT_FAILURE;
        });
        commandLine.setParameterExceptionHandler((error, parsedArgs) -> {
            CommandLine cmd = error.getCommandLine();
            cmd.getErr().println("error: " + error.getMessage());
            if (args.length > 0) {
                cmd.usage(cmd.getErr());
            }
            return EXIT_USAGE;
        });
        return commandLine.execute(args);
    }
}
