package io.choralstorm.cli;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.CqlSession;
import io.choralstorm.local.StackException;
import io.choralstorm.topology.config.TopologySettings;
import io.choralstorm.topology.storage.CassandraSessions;
import io.choralstorm.topology.storage.SchemaApplier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The Cassandra schema: {@code choral schema apply}. */
@Command(name = "schema", description = "Manage the Cassandra schema (cql/schema.cql).",
    subcommands = SchemaCommand.Apply.class)
final class SchemaCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a schema command is required: apply");
    }

    /** Applies cql/schema.cql (idempotent) and prints the schema version recorded in the keyspace. */
    @Command(name = "apply", description = {"Apply cql/schema.cql to Cassandra (safe to repeat) and print the",
        "schema version recorded in the keyspace."})
    static final class Apply implements Callable<Integer> {
        @Option(names = "--cassandra", description = "Cassandra host:port (default: the running local stack's).")
        String cassandra;

        @Option(names = "--file", description = "The CQL script (default: cql/schema.cql of the checkout, else the "
            + "copy built into the command).")
        Path file;

        @Override
        public Integer call() {
            String contact = cassandra != null ? cassandra : StackLocator.requireRunning().endpoint("cassandra");
            TopologySettings settings = TopologySettings.defaults()
                .with(TopologySettings.CASSANDRA_CONTACT_POINTS, contact);
            Path script = file != null ? file : StackLocator.root().resolve("cql").resolve("schema.cql");
            if (file != null && !Files.isRegularFile(file)) {
                throw new IllegalArgumentException("--file " + file + " is not a readable file");
            }

            try (CqlSession session = CassandraSessions.open(settings)) {
                SchemaApplier applier = new SchemaApplier(session);
                boolean fromFile = Files.isRegularFile(script);
                int statements = fromFile ? applier.applyFile(script) : applier.applySchema();
                Optional<Integer> version = applier.recordedVersion();
                System.out.println("Applied " + statements + " statements of "
                    + (fromFile ? script.toString() : "the built-in cql/schema.cql") + " to " + contact + ".");
                System.out.println("Schema version: " + version.map(String::valueOf).orElse("none recorded"));
                return version.isPresent() ? 0 : Choral.EXIT_FAILURE;
            } catch (AllNodesFailedException e) {
                throw new StackException("cannot reach Cassandra at " + contact + " (" + e.getMessage()
                    + "); is it running? Give its CQL address with --cassandra host:port", e);
            }
        }
    }
}
