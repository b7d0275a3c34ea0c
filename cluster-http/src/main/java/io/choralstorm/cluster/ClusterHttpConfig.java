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
import org.apache.kafka.common.config.ConfigDef.ValidString;

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
    public static final String KAFKA_ANSWER_TIMEOUT_MS = "kafka.answer.timeout.ms";
    public static final String KAFKA_PROBE_INTERVAL_MS = "kafka.probe.interval.ms";
    public static final String AUTH_MODE = "auth.mode";
    public static final String AUTH_CACHE_TTL_MS = "auth.cache.ttl.ms";
    public static final String AUTH_CACHE_STALE_MAX_MS = "auth.cache.stale.max.ms";
    public static final String AUTH_CACHE_MAX_DEVICES = "auth.cache.max.devices";
    public static final String AUTH_HASH_THREADS = "auth.hash.threads";
    public static final String AUTH_HASH_MAX_QUEUED = "auth.hash.max.queued";
    public static final String REGISTRY_CONTACT_POINTS = "registry.cassandra.contact.points";
    public static final String REGISTRY_LOCAL_DATACENTER = "registry.cassandra.local.datacenter";
    public static final String REGISTRY_KEYSPACE = "registry.cassandra.keyspace";
    public static final String REGISTRY_REQUEST_TIMEOUT_MS = "registry.cassandra.request.timeout.ms";
    public static final String RATE_LIMIT_FRAMES_PER_SECOND = "rate.limit.frames.per.second";
    public static final String RATE_LIMIT_BURST_FRAMES = "rate.limit.burst.frames";

    /** Values of {@value #AUTH_MODE}. */
    public static final String AUTH_REGISTRY = "registry";
    public static final String AUTH_OPEN = "open";

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
            "Producer linger: how long records wait to share a batch.")
        .define(KAFKA_ANSWER_TIMEOUT_MS, Type.INT, 1500, Range.atLeast(100), Importance.MEDIUM,
            "Longest a device waits for Kafka's acknowledgement before it gets 503 (its retry is stored once).")
        .define(KAFKA_PROBE_INTERVAL_MS, Type.INT, 500, Range.atLeast(50), Importance.LOW,
            "How often Kafka's metadata is probed, so that an outage is answered 503 at once.")
        .define(AUTH_MODE, Type.STRING, AUTH_REGISTRY, ValidString.in(AUTH_REGISTRY, AUTH_OPEN), Importance.HIGH,
            "registry: every frame's device must present its registered secret; open: no check (lab use only).")
        .define(AUTH_CACHE_TTL_MS, Type.LONG, 5000L, Range.atLeast(0), Importance.MEDIUM,
            "How long a device's registry record is trusted; a revoked device is refused within this time.")
        .define(AUTH_CACHE_STALE_MAX_MS, Type.LONG, 600_000L, Range.atLeast(0), Importance.LOW,
            "How long a device's last registry record stands in while Cassandra cannot be read (0: never).")
        .define(AUTH_CACHE_MAX_DEVICES, Type.INT, 100_000, Range.atLeast(1), Importance.LOW,
            "Most devices whose records and checked secrets are kept in memory.")
        .define(AUTH_HASH_THREADS, Type.INT, 2, Range.atLeast(1), Importance.LOW,
            "Threads that check secrets with PBKDF2 (about 40 ms of a core each, once per device and secret).")
        .define(AUTH_HASH_MAX_QUEUED, Type.INT, 1000, Range.atLeast(1), Importance.LOW,
            "Secret checks that may wait for a hash thread; beyond, devices get 503.")
        .define(REGISTRY_CONTACT_POINTS, Type.STRING, "127.0.0.1:9042", Importance.HIGH,
            "Cassandra holding the shared device registry (host:port[,host:port]).")
        .define(REGISTRY_LOCAL_DATACENTER, Type.STRING, "datacenter1", Importance.MEDIUM,
            "Local datacenter of the registry's Cassandra.")
        .define(REGISTRY_KEYSPACE, Type.STRING, "choraldatastream", Importance.MEDIUM,
            "Keyspace of the devices table.")
        .define(REGISTRY_REQUEST_TIMEOUT_MS, Type.INT, 2000, Range.atLeast(100), Importance.LOW,
            "Longest wait for a registry read before the device gets 503.")
        .define(RATE_LIMIT_FRAMES_PER_SECOND, Type.INT, 0, Range.atLeast(0), Importance.MEDIUM,
            "Frames per second each device may send on average; more get 429 with Retry-After. 0: no limit.")
        .define(RATE_LIMIT_BURST_FRAMES, Type.INT, 1000, Range.atLeast(1), Importance.MEDIUM,
            "Most frames a device may send at once (after a pause) within its rate."));

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
