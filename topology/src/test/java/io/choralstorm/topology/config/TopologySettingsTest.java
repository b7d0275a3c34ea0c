package io.choralstorm.topology.config;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.Test;

public class TopologySettingsTest {

    @Test
    public void defaultsAreTheDocumentedValues() {
        TopologySettings s = TopologySettings.defaults();

        assertEquals("topic", "choraldatastream", s.kafkaTopic());
        assertEquals("dead-letter topic", "choraldatastream.invalid", s.kafkaDeadLetterTopic());
        assertEquals("redis url", "redis://127.0.0.1:6379", s.redisUrl().toString());
        assertEquals("key prefix", "choral", s.redisKeyPrefix());
        assertEquals("contact points", "127.0.0.1:9042", s.get(TopologySettings.CASSANDRA_CONTACT_POINTS));
        assertEquals("datacenter", "datacenter1", s.get(TopologySettings.CASSANDRA_LOCAL_DATACENTER));
        assertEquals("keyspace", "choraldatastream", s.cassandraKeyspace());
        assertEquals("window", 300_000L, (long) s.get(TopologySettings.VIEW_WINDOW_MS));
        assertEquals("workers", 1, (int) s.get(TopologySettings.TOPOLOGY_WORKERS));
        assertEquals("topology name", "choralstorm", s.topologyName());
    }

    @Test
    public void environmentOverridesPropertiesWhichOverrideDefaults() throws Exception {
        // given a properties file and an environment variable for overlapping keys
        Path file = Files.createTempFile("topology", ".properties");
        Files.writeString(file, "kafka.topic=from-file\nview.window.ms=60000\n");
        Map<String, String> env = Map.of("CHORAL_KAFKA_TOPIC", "from-env", "UNRELATED", "x");

        // when loaded
        TopologySettings s = TopologySettings.load(file, env);
        Files.delete(file);

        // then environment beats file, file beats default
        assertEquals("topic", "from-env", s.kafkaTopic());
        assertEquals("window", 60_000L, (long) s.get(TopologySettings.VIEW_WINDOW_MS));
        assertEquals("untouched default", "choralstorm", s.kafkaGroupId());
        assertTrue("source is shown", s.describe().contains("kafka.topic=from-env (environment CHORAL_KAFKA_TOPIC)"));
    }

    @Test
    public void invalidValueIsRefusedNamingKeyValueRuleAndSource() {
        // given a non-numeric window
        Properties p = new Properties();
        p.setProperty("view.window.ms", "5min");

        // when loaded, then the error says which key, what was seen, the rule and where it came from
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> TopologySettings.load(p, Map.of()));
        String message = e.getMessage();
        assertTrue("key: " + message, message.contains("view.window.ms"));
        assertTrue("value: " + message, message.contains("'5min'"));
        assertTrue("rule: " + message, message.contains("whole number > 0"));
        assertTrue("source: " + message, message.contains("properties"));
    }

    @Test
    public void malformedAddressesAreRefused() {
        TopologySettings s = TopologySettings.defaults();
        assertThrows(IllegalArgumentException.class, () -> s.with(TopologySettings.CASSANDRA_CONTACT_POINTS, "h"));
        assertThrows(IllegalArgumentException.class,
            () -> s.with(TopologySettings.KAFKA_BOOTSTRAP_SERVERS, "a:9092,b:99999"));
        assertThrows(IllegalArgumentException.class, () -> s.with(TopologySettings.REDIS_URL, "http://h:1"));
        assertThrows(IllegalArgumentException.class, () -> s.with(TopologySettings.REDIS_KEY_PREFIX, "a{b}"));
        assertThrows(IllegalArgumentException.class, () -> s.with(TopologySettings.CASSANDRA_CONSISTENCY, "MOST"));
        assertEquals("IPv6 and lists pass", "[::1]:9042,db2:9042",
            s.with(TopologySettings.CASSANDRA_CONTACT_POINTS, "[::1]:9042,db2:9042")
                .get(TopologySettings.CASSANDRA_CONTACT_POINTS));
    }

    @Test
    public void dedupHorizonShorterThanWindowIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> TopologySettings.defaults().with(TopologySettings.VIEW_DEDUP_HORIZON_MS, "1000"));
        assertTrue("names both settings: " + e.getMessage(),
            e.getMessage().contains("view.dedup.horizon.ms") && e.getMessage().contains("view.window.ms"));
    }

    @Test
    public void redisPasswordIsMaskedInDescriptionAndErrors() {
        TopologySettings s = TopologySettings.defaults().with(TopologySettings.REDIS_URL, "redis://u:s3cret@h:6379");

        assertTrue("works", s.redisUrl().getUserInfo().equals("u:s3cret"));
        assertFalse("masked in describe", String.join("\n", s.describe()).contains("s3cret"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> s.with(TopologySettings.REDIS_URL, "redis://u:s3cret@"));
        assertFalse("masked in errors: " + e.getMessage(), e.getMessage().contains("s3cret"));
    }

    @Test
    public void everySettingHasAUniqueKeyAndADoc() {
        Set<String> keys = new HashSet<>();
        for (Setting<?> setting : TopologySettings.all()) {
            assertTrue("unique key " + setting.key(), keys.add(setting.key()));
            assertFalse("doc of " + setting.key(), setting.doc().isBlank());
        }
        assertEquals("env name", "CHORAL_KAFKA_BOOTSTRAP_SERVERS", TopologySettings.KAFKA_BOOTSTRAP_SERVERS.envName());
    }

    @Test
    public void settingsSurviveJavaSerialization() throws Exception {
        // given settings as Storm ships them to workers inside a bolt
        TopologySettings s = TopologySettings.defaults().with(TopologySettings.KAFKA_TOPIC, "t2");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(s);
        }

        // when read back
        TopologySettings copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (TopologySettings) in.readObject();
        }

        // then the values are the same
        assertEquals("topic", "t2", copy.kafkaTopic());
        assertEquals("description", s.describe(), copy.describe());
    }
}
