package io.choralstorm.cli;

import com.datastax.oss.driver.api.core.CqlSession;
import io.choralstorm.topology.config.TopologySettings;
import io.choralstorm.topology.storage.CassandraSessions;
import java.util.Map;
import picocli.CommandLine.Option;
import redis.clients.jedis.JedisPooled;

/** Where the stores are: the running local stack's by default, or as given. */
final class StoreOptions {
    @Option(names = "--redis", description = "Redis URL (default: the running local stack's).")
    String redisUrl;

    @Option(names = "--cassandra", description = "Cassandra host:port (default: the running local stack's).")
    String cassandra;

    @Option(names = "--key-prefix", defaultValue = "choral", description = "Redis key prefix of the live view "
        + "(default: ${DEFAULT-VALUE}).")
    String keyPrefix;

    @Option(names = "--keyspace", defaultValue = "choraldatastream", description = "Cassandra keyspace "
        + "(default: ${DEFAULT-VALUE}).")
    String keyspace;

    /** The stores of a stack's endpoints, with the options' defaults otherwise. */
    static StoreOptions of(Map<String, String> endpoints) {
        StoreOptions options = new StoreOptions();
        options.redisUrl = endpoints.get("redis");
        options.cassandra = endpoints.get("cassandra");
        options.keyPrefix = "choral";
        options.keyspace = "choraldatastream";
        return options;
    }

    JedisPooled redis() {
        String url = redisUrl != null ? redisUrl : StackLocator.requireRunning().endpoint("redis");
        return new JedisPooled(java.net.URI.create(url));
    }

    CqlSession cassandra() {
        String contact = cassandra != null ? cassandra : StackLocator.requireRunning().endpoint("cassandra");
        return CassandraSessions.open(TopologySettings.defaults()
            .with(TopologySettings.CASSANDRA_CONTACT_POINTS, contact)
            .with(TopologySettings.CASSANDRA_KEYSPACE, keyspace));
    }
}
