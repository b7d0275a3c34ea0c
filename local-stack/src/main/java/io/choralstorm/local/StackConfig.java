package io.choralstorm.local;

import io.choralstorm.settings.SettingsSource;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;

/**
 * Settings of the embedded local stack: where it keeps its data and logs and the port of each
 * part. Read from {@code config/local-stack.properties}, then {@code CHORAL_STACK_...} variables.
 */
public final class StackConfig extends AbstractConfig {
    public static final String HOME = "stack.home";
    public static final String HOST = "stack.host";
    public static final String GATEWAY_PORT = "stack.gateway.port";
    public static final String CLUSTER_HTTP_PORT = "stack.cluster.http.port";
    public static final String KAFKA_PORT = KafkaBroker.PORT_SETTING;
    public static final String KAFKA_CONTROLLER_PORT = KafkaBroker.CONTROLLER_PORT_SETTING;
    public static final String KAFKA_PARTITIONS = "stack.kafka.partitions";
    public static final String CASSANDRA_PORT = "stack.cassandra.port";
    public static final String CASSANDRA_STORAGE_PORT = "stack.cassandra.storage.port";
    public static final String CASSANDRA_HEAP_MB = "stack.cassandra.heap.mb";
    public static final String CASSANDRA_LIB = "stack.cassandra.lib";
    public static final String CASSANDRA_START_TIMEOUT_S = CassandraNode.START_TIMEOUT_SETTING;
    public static final String REDIS_PORT = RedisNode.PORT_SETTING;
    public static final String REDIS_URL = "stack.redis.url";
    public static final String AUTH_MODE = "stack.auth.mode";
    public static final String AUTH_CACHE_TTL_MS = "stack.auth.cache.ttl.ms";
    public static final String RATE_LIMIT_FRAMES_PER_SECOND = "stack.rate.limit.frames.per.second";
    public static final String RATE_LIMIT_BURST_FRAMES = "stack.rate.limit.burst.frames";

    public static final ConfigDef CONFIG = new ConfigDef()
        .define(HOME, Type.STRING, ".choral", Importance.HIGH,
            "Directory of the stack's data, logs and state file (relative to the checkout's root).")
        .define(HOST, Type.STRING, "127.0.0.1", Importance.MEDIUM, "Address every part listens on.")
        .define(GATEWAY_PORT, Type.INT, 8081, Range.between(1, 65535), Importance.HIGH,
            "Port of the device gateway.")
        .define(CLUSTER_HTTP_PORT, Type.INT, 8082, Range.between(1, 65535), Importance.MEDIUM,
            "Port of the cluster HTTP server.")
        .define(KAFKA_PORT, Type.INT, 9092, Range.between(1, 65535), Importance.MEDIUM, "Kafka broker port.")
        .define(KAFKA_CONTROLLER_PORT, Type.INT, 9093, Range.between(1, 65535), Importance.LOW,
            "Kafka KRaft controller port.")
        .define(KAFKA_PARTITIONS, Type.INT, 4, Range.atLeast(1), Importance.LOW,
            "Partitions of the frames topic.")
        .define(CASSANDRA_PORT, Type.INT, 9042, Range.between(1, 65535), Importance.MEDIUM,
            "Cassandra CQL (native protocol) port.")
        .define(CASSANDRA_STORAGE_PORT, Type.INT, 7000, Range.between(1, 65535), Importance.LOW,
            "Cassandra inter-node storage port.")
        .define(CASSANDRA_HEAP_MB, Type.INT, 1024, Range.atLeast(256), Importance.LOW,
            "Heap of the Cassandra child JVM, in MiB.")
        .define(CASSANDRA_START_TIMEOUT_S, Type.INT, 120, Range.atLeast(10), Importance.LOW,
            "Longest wait for Cassandra to answer CQL, in seconds.")
        .define(CASSANDRA_LIB, Type.STRING, "", Importance.LOW,
            "Directory of Cassandra's jars (default: cassandra-node/target/lib of the build).")
        .define(REDIS_PORT, Type.INT, 6379, Range.between(1, 65535), Importance.MEDIUM,
            "Port of the Redis server the stack starts.")
        .define(REDIS_URL, Type.STRING, "", Importance.MEDIUM,
            "An external Redis (redis://host:port) to use instead of starting one; REDIS_URL also sets it.")
        .define(AUTH_MODE, Type.STRING, "registry", ValidString.in("registry", "open"), Importance.HIGH,
            "registry: frames must carry their device's registered secret (scripts/choral devices add); "
                + "open: no check, for lab use only.")
        .define(AUTH_CACHE_TTL_MS, Type.LONG, 5000L, Range.atLeast(0), Importance.LOW,
            "How long the cluster server trusts a device's registry record; a revocation takes effect within it.")
        .define(RATE_LIMIT_FRAMES_PER_SECOND, Type.INT, 100, Range.atLeast(0), Importance.MEDIUM,
            "Frames per second each device may send on average (more get 429); 0: no limit.")
        .define(RATE_LIMIT_BURST_FRAMES, Type.INT, 1000, Range.atLeast(1), Importance.LOW,
            "Most frames a device may send at once after a pause.");

    private final Path root;

    /** Settings from {@code values}; a relative {@value #HOME} is taken from {@code root}. */
    public StackConfig(Map<String, ?> values, Path root) {
        super(CONFIG, values, false);
        this.root = root;
    }

    /** The settings file of a checkout, relative to its root. */
    public static final String FILE = "config/local-stack.properties";

    /** Settings from {@code root}/config/local-stack.properties (may be absent), the environment, and REDIS_URL. */
    public static StackConfig load(Path root, Map<String, String> env) {
        SettingsSource source = SettingsSource.of(CONFIG, root.resolve(FILE), env);
        String redisUrl = env.get("REDIS_URL");
        if (redisUrl != null && !redisUrl.isBlank() && !env.containsKey(SettingsSource.envName(REDIS_URL))) {
            source.with(REDIS_URL, redisUrl);
        }
        return new StackConfig(source.values(), root);
    }

    /** The stack's directory; a relative {@value #HOME} is taken from the checkout's root. */
    public Path home() {
        return root.resolve(getString(HOME)).toAbsolutePath().normalize();
    }

    public String host() {
        return getString(HOST);
    }

    public int port(String key) {
        return getInt(key);
    }

    public Path cassandraLib() {
        String configured = getString(CASSANDRA_LIB);
        return configured.isBlank() ? CassandraNode.defaultLibDir() : Path.of(configured);
    }
}
