package io.choralstorm.gateway;

import io.choralstorm.edge.EdgeSettings;
import io.choralstorm.settings.SettingsSource;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/** Settings of the device-facing gateway. Each key may be overridden by a CHORAL_ variable. */
public final class GatewayConfig extends AbstractConfig {
    public static final String HTTP_HOST = "gateway.http.host";
    public static final String HTTP_PORT = "gateway.http.port";
    public static final String HTTP_IO_THREADS = "gateway.http.io.threads";
    public static final String CLUSTERS = "gateway.clusters";
    public static final String UPSTREAM_TIMEOUT_MS = "gateway.upstream.timeout.ms";
    public static final String UPSTREAM_CONNECTIONS = "gateway.upstream.connections";
    public static final String CLUSTER_RETRY_MS = "gateway.cluster.retry.ms";

    public static final ConfigDef CONFIG = EdgeSettings.define(new ConfigDef()
        .define(HTTP_HOST, Type.STRING, "0.0.0.0", Importance.HIGH, "Address devices reach the gateway on.")
        .define(HTTP_PORT, Type.INT, 8081, Range.between(0, 65535), Importance.HIGH,
            "The one port devices know (0 picks a free port).")
        .define(HTTP_IO_THREADS, Type.INT, 2, Range.atLeast(1), Importance.LOW, "Undertow I/O threads.")
        .define(CLUSTERS, Type.LIST, "http://127.0.0.1:8082", Importance.HIGH,
            "Base URLs of the cluster HTTP servers, comma-separated. The order does not matter: a device "
                + "is routed by a hash of its id and each cluster's URL.")
        .define(UPSTREAM_TIMEOUT_MS, Type.INT, 5000, Range.atLeast(100), Importance.MEDIUM,
            "Longest wait for a cluster's answer before failing over to the next cluster; when the last "
                + "one does not answer in time either, the device gets 504.")
        .define(UPSTREAM_CONNECTIONS, Type.INT, 64, Range.atLeast(1), Importance.LOW,
            "Most keep-alive connections to each cluster; more requests wait for a free one.")
        .define(CLUSTER_RETRY_MS, Type.INT, 2000, Range.atLeast(0), Importance.LOW,
            "How long a cluster that failed is skipped before it is tried again."));

    public GatewayConfig(Map<String, ?> values) {
        super(CONFIG, values, true);
        clusters();
    }

    /** Settings from a properties file (null for none), overridden by CHORAL_ variables. */
    public static GatewayConfig load(Path file) {
        return new GatewayConfig(SettingsSource.of(CONFIG, file, System.getenv()).values());
    }

    public List<URI> clusters() {
        List<URI> uris = new ArrayList<>();
        for (String url : getList(CLUSTERS)) {
            URI uri = URI.create(url.trim());
            if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new ConfigException(CLUSTERS, url, "each cluster must be an http://host:port URL");
            }
            uris.add(uri);
        }
        if (uris.isEmpty()) {
            throw new ConfigException(CLUSTERS, "", "at least one cluster is required");
        }
        return uris;
    }
}
