package io.choralstorm.cluster;

import io.choralstorm.edge.EdgeSettings;
import io.choralstorm.protocol.ValidationPolicy;
import io.choralstorm.settings.SettingsSource;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/** Settings of one cluster's HTTP server. Each key may be overridden by a CHORAL_ variable. */
public final class ClusterHttpConfig extends AbstractConfig {
    public static final String HTTP_HOST = "cluster.http.host";
    public static final String HTTP_PORT = "cluster.http.port";
    public static final String HTTP_IO_THREADS = "cluster.http.io.threads";
    public static final String KAFKA_BOOTSTRAP_SERVERS = "kafka.bootstrap.servers";
    public static final String KAFKA_TOPIC = "kafka.topic";
    public static final String KAFKA_DELIVERY_TIMEOUT_MS = "kafka.delivery.timeout.ms";
    public static final String KAFKA_MAX_BLOCK_MS = "kafka.max.block.ms";
    public static final String KAFKA_LINGER_MS = "kafka.linger.ms";

    public static final ConfigDef CONFIG = EdgeSettings.define(new ConfigDef()
        .define(HTTP_HOST, Type.STRING, "127.0.0.1", Importance.HIGH, "Address the server binds.")
        .define(HTTP_PORT, Type.INT, 8082, Range.between(0, 65535), Importance.HIGH,
            "Port of POST / and POST /v1/frames (0 picks a free port).")
        .define(HTTP_IO_THREADS, Type.INT, 2, Range.atLeast(1), Importance.LOW, "Undertow I/O threads.")
        .define(KAFKA_BOOTSTRAP_SERVERS, Type.STRING, "127.0.0.1:9092", Importance.HIGH,
            "Kafka brokers of this cluster.")
        .define(KAFKA_TOPIC, Type.STRING, "choraldatastream", Importance.HIGH, "Topic frames are published to.")
        .define(KAFKA_DELIVERY_TIMEOUT_MS, Type.INT, 3000, Range.atLeast(100), Importance.MEDIUM,
            "Longest wait for Kafka's acknowledgement before the device gets 503.")
        .define(KAFKA_MAX_BLOCK_MS, Type.INT, 2000, Range.atLeast(0), Importance.LOW,
            "Longest a request thread may wait for producer metadata or buffer space.")
        .define(KAFKA_LINGER_MS, Type.INT, 2, Range.atLeast(0), Importance.LOW,
            "Producer linger: how long records wait to share a batch."));

    public ClusterHttpConfig(Map<String, ?> values) {
        super(CONFIG, values, true);
    }

    /** Settings from a properties file (null for none), overridden by CHORAL_ variables. */
    public static ClusterHttpConfig load(Path file) {
        return new ClusterHttpConfig(SettingsSource.of(CONFIG, file, System.getenv()).values());
    }

    public ValidationPolicy validationPolicy() {
        return EdgeSettings.validationPolicy(this);
    }
}
