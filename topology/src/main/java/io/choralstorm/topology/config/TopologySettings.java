package io.choralstorm.topology.config;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import io.choralstorm.topology.storage.Retention;
import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The settings of the ChoralStorm topology: immutable, serializable, checked when built.
 *
 * <p>Each setting is defined once below with its default and a one-line doc. Values come from the
 * defaults, then a properties file, then environment variables ({@code CHORAL_} + the key in upper
 * case with dots as underscores, e.g. {@code CHORAL_KAFKA_BOOTSTRAP_SERVERS}); later sources win.
 */
public final class TopologySettings implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(TopologySettings.class);

    private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9a-fA-F:.]+\\]|[^\\s:,\\[\\]]+):(\\d{1,5})");
    private static final Pattern KAFKA_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
    private static final Pattern CQL_NAME = Pattern.compile("[a-zA-Z][a-zA-Z0-9_]{0,47}");
    private static final Pattern KEY_PREFIX = Pattern.compile("[a-zA-Z0-9._:-]{1,64}");
    private static final Pattern TOPOLOGY_NAME_PATTERN = Pattern.compile("[a-zA-Z0-9_-]{1,128}");

    public static final Setting<String> TOPOLOGY_NAME = Setting.text("topology.name", "choralstorm")
        .check(v -> TOPOLOGY_NAME_PATTERN.matcher(v).matches(), "must be letters, digits, '_' or '-'")
        .doc("name the topology is submitted under");
    public static final Setting<Integer> TOPOLOGY_WORKERS = Setting.positiveInt("topology.workers", 1)
        .doc("worker JVMs of the topology");
    public static final Setting<Integer> TOPOLOGY_MAX_SPOUT_PENDING =
        Setting.positiveInt("topology.max.spout.pending", 10_000)
            .doc("tuples in flight per spout task; bounds memory and, over the time to ack a frame, throughput");
    public static final Setting<Integer> TOPOLOGY_MESSAGE_TIMEOUT_SECS =
        Setting.positiveInt("topology.message.timeout.secs", 30)
            .doc("seconds before an unacked tuple is failed and replayed");
    public static final Setting<Integer> TOPOLOGY_PRODUCER_BATCH_SIZE =
        Setting.positiveInt("topology.producer.batch.size", 1)
            .check(v -> v <= 1000, "must be from 1 to 1000")
            .doc("tuples an executor hands to the next one's queue at a time (flushed at least every ms)");

    public static final Setting<String> KAFKA_BOOTSTRAP_SERVERS =
        Setting.text("kafka.bootstrap.servers", "127.0.0.1:9092")
            .check(TopologySettings::isHostPortList, "must be host:port[,host:port...]")
            .doc("Kafka brokers the spout reads from and the dead-letter bolt writes to");
    public static final Setting<String> KAFKA_TOPIC = Setting.text("kafka.topic", "choraldatastream")
        .check(v -> KAFKA_NAME.matcher(v).matches(), "must be a Kafka topic name ([a-zA-Z0-9._-], at most 249)")
        .doc("topic of validated frames, keyed by device_id");
    public static final Setting<String> KAFKA_DEAD_LETTER_TOPIC =
        Setting.text("kafka.dead.letter.topic", "choraldatastream.invalid")
            .check(v -> KAFKA_NAME.matcher(v).matches(), "must be a Kafka topic name ([a-zA-Z0-9._-], at most 249)")
            .doc("topic receiving records the topology cannot read, with the reason");
    public static final Setting<String> KAFKA_GROUP_ID = Setting.text("kafka.group.id", "choralstorm")
        .doc("consumer group of the spout; offsets are committed under it");

    public static final Setting<String> REDIS_URL = Setting.text("redis.url", "redis://127.0.0.1:6379")
        .check(TopologySettings::isRedisUrl, "must be redis://[user:password@]host:port[/db] or rediss://...")
        .shownAs(TopologySettings::maskUserInfo)
        .doc("Redis holding the real-time view");
    public static final Setting<String> REDIS_KEY_PREFIX = Setting.text("redis.key.prefix", "choral")
        .check(v -> KEY_PREFIX.matcher(v).matches(), "must be 1-64 of [a-zA-Z0-9._:-] (no braces)")
        .doc("first part of every Redis key and channel of the view");
    public static final Setting<Integer> REDIS_TIMEOUT_MS = Setting.positiveInt("redis.timeout.ms", 2000)
        .doc("Redis connect and read timeout");

    public static final Setting<String> CASSANDRA_CONTACT_POINTS =
        Setting.text("cassandra.contact.points", "127.0.0.1:9042")
            .check(TopologySettings::isHostPortList, "must be host:port[,host:port...]")
            .doc("Cassandra nodes the driver first connects to");
    public static final Setting<String> CASSANDRA_LOCAL_DATACENTER =
        Setting.text("cassandra.local.datacenter", "datacenter1")
            .doc("datacenter the driver sends requests to");
    public static final Setting<String> CASSANDRA_KEYSPACE = Setting.text("cassandra.keyspace", "choraldatastream")
        .check(v -> CQL_NAME.matcher(v).matches(), "must be a CQL name: a letter, then up to 47 [a-zA-Z0-9_]")
        .doc("keyspace holding raw_data and readings (see cql/schema.cql)");
    public static final Setting<String> CASSANDRA_CONSISTENCY = Setting.text("cassandra.consistency", "LOCAL_QUORUM")
        .check(TopologySettings::isConsistencyLevel, "must be a consistency level such as LOCAL_QUORUM or ONE")
        .doc("consistency level of the writes");
    public static final Setting<Integer> CASSANDRA_REQUEST_TIMEOUT_MS =
        Setting.positiveInt("cassandra.request.timeout.ms", 5000)
            .doc("time before a write is failed (and its tuple replayed)");

    public static final Setting<Long> VIEW_WINDOW_MS = Setting.positiveLong("view.window.ms", 300_000L)
        .doc("length of the moving window of each metric, in device time");
    public static final Setting<Long> VIEW_DEDUP_HORIZON_MS = Setting.positiveLong("view.dedup.horizon.ms", 86_400_000L)
        .doc("frames older than a device's newest by more than this are left out of its view; bounds the seen set");
    public static final Setting<Integer> VIEW_BATCH_MAX = Setting.positiveInt("view.batch.max", 5000)
        .doc("most tuples one Redis flush takes; several frames of a device in one flush share one script call");
    public static final Setting<Long> VIEW_IDLE_EXPIRY_MS = Setting.wholeLong("view.idle.expiry.ms", 0L)
        .check(v -> v >= 0, "must be a whole number >= 0 (0 = never)")
        .doc("a device's view keys expire this long (wall clock) after its last counted frame; 0 = never");
    public static final Setting<Integer> STORAGE_MAX_IN_FLIGHT = Setting.positiveInt("storage.max.in.flight", 256)
        .doc("most Cassandra writes in flight per writer task");
    public static final Setting<Long> STORAGE_TTL_SECS = Setting.wholeLong("storage.ttl.secs", Retention.KEEP_FOREVER)
        .check(Retention::isValid, Retention.RULE)
        .doc("TTL of stored rows and rollups, counted from the write; 0 keeps them forever");
    public static final Setting<Integer> ROLLUP_MAX_IN_FLIGHT = Setting.positiveInt("rollup.max.in.flight", 64)
        .doc("most rollup window recomputations in flight per writer task");
    public static final Setting<Long> ROLLUP_LINGER_MS = Setting.wholeLong("rollup.linger.ms", 500L)
        .check(v -> v >= 0 && v <= 10_000, "must be a whole number from 0 to 10000")
        .doc("how long a touched minute waits for more readings before its rollups are recomputed; 0 = at once");

    public static final Setting<Integer> SPOUT_PARALLELISM = Setting.positiveInt("spout.parallelism", 1)
        .doc("Kafka spout executors (useful up to the topic's partition count)");
    public static final Setting<Integer> PARSE_PARALLELISM = Setting.positiveInt("parse.parallelism", 1)
        .doc("ParseBolt executors");
    public static final Setting<Integer> VIEW_PARALLELISM = Setting.positiveInt("view.parallelism", 1)
        .doc("RealtimeViewBolt executors");
    public static final Setting<Integer> STORAGE_PARALLELISM = Setting.positiveInt("storage.parallelism", 1)
        .doc("CassandraWriterBolt executors");
    public static final Setting<Integer> DEAD_LETTER_PARALLELISM = Setting.positiveInt("dead.letter.parallelism", 1)
        .doc("dead-letter KafkaBolt executors");

    private static final List<Setting<?>> ALL = List.of(TOPOLOGY_NAME, TOPOLOGY_WORKERS, TOPOLOGY_MAX_SPOUT_PENDING,
        TOPOLOGY_MESSAGE_TIMEOUT_SECS, TOPOLOGY_PRODUCER_BATCH_SIZE, KAFKA_BOOTSTRAP_SERVERS, KAFKA_TOPIC,
        KAFKA_DEAD_LETTER_TOPIC, KAFKA_GROUP_ID, REDIS_URL, REDIS_KEY_PREFIX, REDIS_TIMEOUT_MS,
        CASSANDRA_CONTACT_POINTS, CASSANDRA_LOCAL_DATACENTER, CASSANDRA_KEYSPACE, CASSANDRA_CONSISTENCY,
        CASSANDRA_REQUEST_TIMEOUT_MS, VIEW_WINDOW_MS, VIEW_DEDUP_HORIZON_MS, VIEW_BATCH_MAX, VIEW_IDLE_EXPIRY_MS,
        STORAGE_MAX_IN_FLIGHT, STORAGE_TTL_SECS, ROLLUP_MAX_IN_FLIGHT, ROLLUP_LINGER_MS, SPOUT_PARALLELISM,
        PARSE_PARALLELISM, VIEW_PARALLELISM, STORAGE_PARALLELISM, DEAD_LETTER_PARALLELISM);

    private final Map<String, Object> values;
    private final Map<String, String> texts;
    private final Map<String, String> sources;

    private TopologySettings(Map<String, String> texts, Map<String, String> sources) {
        Map<String, Object> parsed = new LinkedHashMap<>();
        for (Setting<?> setting : ALL) {
            parsed.put(setting.key(), setting.parse(texts.get(setting.key()), sources.get(setting.key())));
        }
        this.values = Collections.unmodifiableMap(parsed);
        this.texts = Collections.unmodifiableMap(new LinkedHashMap<>(texts));
        this.sources = Collections.unmodifiableMap(new LinkedHashMap<>(sources));
        checkConsistency();
    }

    /** Every setting at its default. */
    public static TopologySettings defaults() {
        return load(new Properties(), Map.of());
    }

    /** Defaults overridden by {@code properties}, then by the {@code CHORAL_...} entries of {@code env}. */
    public static TopologySettings load(Properties properties, Map<String, String> env) {
        Map<String, String> texts = new LinkedHashMap<>();
        Map<String, String> sources = new LinkedHashMap<>();
        for (Setting<?> setting : ALL) {
            texts.put(setting.key(), setting.defaultText());
            sources.put(setting.key(), "default");
        }

        for (String key : properties.stringPropertyNames()) {
            if (texts.containsKey(key)) {
                texts.put(key, properties.getProperty(key));
                sources.put(key, "properties");
            }
        }
        warnUnknownKeys(properties);

        for (Setting<?> setting : ALL) {
            String value = env.get(setting.envName());
            if (value != null) {
                texts.put(setting.key(), value);
                sources.put(setting.key(), "environment " + setting.envName());
            }
        }
        return new TopologySettings(texts, sources);
    }

    /** Loads a properties file (null: none) and applies {@code env} over it. */
    public static TopologySettings load(Path propertiesFile, Map<String, String> env) {
        Properties properties = new Properties();
        if (propertiesFile != null) {
            try (Reader reader = Files.newBufferedReader(propertiesFile, StandardCharsets.UTF_8)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read topology settings file " + propertiesFile, e);
            }
        }
        return load(properties, env);
    }

    /** A copy with one setting changed (checked like any other source). */
    public TopologySettings with(Setting<?> setting, String value) {
        Map<String, String> newTexts = new LinkedHashMap<>(texts);
        Map<String, String> newSources = new LinkedHashMap<>(sources);
        newTexts.put(setting.key(), value);
        newSources.put(setting.key(), "code");
        return new TopologySettings(newTexts, newSources);
    }

    /** The parsed value of {@code setting}. */
    public <T> T get(Setting<T> setting) {
        @SuppressWarnings("unchecked")
        T value = (T) values.get(setting.key());
        return value;
    }

    /** All settings, in the order they are documented. */
    public static List<Setting<?>> all() {
        return ALL;
    }

    /** One line per setting: key=value (source), secrets masked. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        for (Setting<?> setting : ALL) {
            String key = setting.key();
            lines.add(key + "=" + setting.display(texts.get(key)) + " (" + sources.get(key) + ")");
        }
        return lines;
    }

    /** Logs the effective settings once, at INFO. */
    public void log() {
        LOG.info("[choralstorm] effective topology settings:\n  {}", String.join("\n  ", describe()));
    }

    public String topologyName() {
        return get(TOPOLOGY_NAME);
    }

    public String kafkaBootstrapServers() {
        return get(KAFKA_BOOTSTRAP_SERVERS);
    }

    public String kafkaTopic() {
        return get(KAFKA_TOPIC);
    }

    public String kafkaDeadLetterTopic() {
        return get(KAFKA_DEAD_LETTER_TOPIC);
    }

    public String kafkaGroupId() {
        return get(KAFKA_GROUP_ID);
    }

    public URI redisUrl() {
        return URI.create(get(REDIS_URL));
    }

    public String redisKeyPrefix() {
        return get(REDIS_KEY_PREFIX);
    }

    public String cassandraKeyspace() {
        return get(CASSANDRA_KEYSPACE);
    }

    private void checkConsistency() {
        long window = get(VIEW_WINDOW_MS);
        long horizon = get(VIEW_DEDUP_HORIZON_MS);
        if (horizon < window) {
            throw new IllegalArgumentException("setting " + VIEW_DEDUP_HORIZON_MS.key() + " (" + horizon
                + ") must be >= " + VIEW_WINDOW_MS.key() + " (" + window + "): a window cannot reach back further"
                + " than the frames the view still accepts; raise the horizon or shorten the window");
        }
    }

    private static void warnUnknownKeys(Properties properties) {
        TreeSet<String> unknown = new TreeSet<>(properties.stringPropertyNames());
        ALL.forEach(s -> unknown.remove(s.key()));
        if (!unknown.isEmpty()) {
            LOG.warn("[choralstorm] ignoring unknown topology settings {}; known keys are {}", unknown, ALL);
        }
    }

    static boolean isHostPortList(String value) {
        for (String part : value.split(",", -1)) {
            var matcher = HOST_PORT.matcher(part.trim());
            if (!matcher.matches()) {
                return false;
            }
            int port = Integer.parseInt(matcher.group(2));
            if (port < 1 || port > 65_535) {
                return false;
            }
        }
        return true;
    }

    private static boolean isRedisUrl(String value) {
        try {
            URI uri = new URI(value);
            boolean redisScheme = "redis".equals(uri.getScheme()) || "rediss".equals(uri.getScheme());
            return redisScheme && uri.getHost() != null && uri.getPort() > 0;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private static boolean isConsistencyLevel(String value) {
        try {
            DefaultConsistencyLevel.valueOf(value);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static String maskUserInfo(String url) {
        int at = url.indexOf('@');
        int scheme = url.indexOf("://");
        if (at < 0 || scheme < 0 || at < scheme) {
            return url;
        }
        return url.substring(0, scheme + 3) + "***" + url.substring(at);
    }
}
