package io.choralstorm.topology.storage;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import io.choralstorm.topology.config.TopologySettings;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Opens driver sessions configured from the topology settings. */
public final class CassandraSessions {
    /**
     * Longest pause between reconnection attempts to a node that went down (the driver's default is 60 s):
     * writes resume within this long after Cassandra is back.
     */
    static final Duration RECONNECTION_MAX_DELAY = Duration.ofSeconds(10);

    private CassandraSessions() {
    }

    /** A session to the configured contact points and datacenter, with no keyspace selected. */
    public static CqlSession open(TopologySettings settings) {
        Duration timeout = Duration.ofMillis(settings.get(TopologySettings.CASSANDRA_REQUEST_TIMEOUT_MS));
        DriverConfigLoader config = DriverConfigLoader.programmaticBuilder()
            .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, timeout)
            .withString(DefaultDriverOption.REQUEST_CONSISTENCY, settings.get(TopologySettings.CASSANDRA_CONSISTENCY))
            .withString(DefaultDriverOption.SESSION_NAME, "choralstorm")
            .withDuration(DefaultDriverOption.RECONNECTION_MAX_DELAY, RECONNECTION_MAX_DELAY)
            .build();
        return CqlSession.builder()
            .addContactPoints(contactPoints(settings.get(TopologySettings.CASSANDRA_CONTACT_POINTS)))
            .withLocalDatacenter(settings.get(TopologySettings.CASSANDRA_LOCAL_DATACENTER))
            .withConfigLoader(config)
            .build();
    }

    /** Parses {@code host:port[,host:port...]} ({@code [v6-address]:port} accepted). */
    public static List<InetSocketAddress> contactPoints(String hostPorts) {
        List<InetSocketAddress> points = new ArrayList<>();
        for (String part : hostPorts.split(",")) {
            String trimmed = part.trim();
            int colon = trimmed.lastIndexOf(':');
            String host = trimmed.substring(0, colon).replace("[", "").replace("]", "");
            points.add(new InetSocketAddress(host, Integer.parseInt(trimmed.substring(colon + 1))));
        }
        return points;
    }
}
