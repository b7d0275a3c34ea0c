package io.choralstorm.cli;

import io.choralstorm.devices.CassandraDeviceStore;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Where the device registry is: the running local stack's Cassandra by default, or as given. */
final class RegistryOptions {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    @Option(names = "--cassandra", description = "Cassandra host:port of the registry (default: the running local "
        + "stack's).")
    String cassandra;

    @Option(names = "--keyspace", defaultValue = "choraldatastream", description = "Keyspace of the devices table "
        + "(default: ${DEFAULT-VALUE}).")
    String keyspace;

    @Option(names = "--datacenter", defaultValue = "datacenter1", description = "Cassandra's local datacenter "
        + "(default: ${DEFAULT-VALUE}).")
    String datacenter;

    /** Options as picocli would set them when none is given, for commands that use the registry internally. */
    RegistryOptions withDefaults() {
        keyspace = "choraldatastream";
        datacenter = "datacenter1";
        return this;
    }

    CassandraDeviceStore store() {
        String contact = cassandra != null ? cassandra : StackLocator.requireRunning().endpoint("cassandra");
        return CassandraDeviceStore.connect(contact, datacenter, keyspace, REQUEST_TIMEOUT);
    }
}
