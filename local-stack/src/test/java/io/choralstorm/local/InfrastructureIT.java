package io.choralstorm.local;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import redis.clients.jedis.Jedis;

/**
 * Starts the real Kafka broker, Cassandra node and Redis server once, on free ports under a temporary dir, and
 * checks what the local stack relies on: records flow, CQL answers, Redis stores, taken ports are refused with a
 * usable message, and stopping leaves no process behind.
 */
public class InfrastructureIT {
    private static final String HOST = "127.0.0.1";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @ClassRule
    public static final TemporaryFolder TEMP = new TemporaryFolder();

    private static Path logDir;
    private static int kafkaPort;
    private static int cassandraPort;
    private static int redisPort;
    private static KafkaBroker kafka;
    private static CassandraNode cassandra;
    private static RedisNode redis;

    @BeforeClass
    public static void startInfrastructure() throws Exception {
        Path root = TEMP.getRoot().toPath();
        logDir = root.resolve("logs");
        kafkaPort = PortGuard.freePort();
        cassandraPort = PortGuard.freePort();
        redisPort = PortGuard.freePort();

        kafka = new KafkaBroker(root.resolve("kafka"), HOST, kafkaPort, PortGuard.freePort());
        kafka.start();

        cassandra = new CassandraNode(CassandraNode.defaultLibDir(), root.resolve("cassandra"), logDir, HOST,
            cassandraPort, PortGuard.freePort(), PortGuard.freePort());
        cassandra.start();

        redis = new RedisNode(null, root.resolve("redis"), logDir, HOST, redisPort);
        redis.start();
    }

    @AfterClass
    public static void stopInfrastructure() {
        List<RuntimeException> failures = new ArrayList<>();
        stopAndCollect(redis == null ? null : redis::stop, failures);
        stopAndCollect(cassandra == null ? null : cassandra::stop, failures);
        stopAndCollect(kafka == null ? null : kafka::stop, failures);
        if (!failures.isEmpty()) {
            RuntimeException first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
    }

    @Test
    public void recordProducedToACreatedTopicIsConsumed() throws Exception {
        // given
        kafka.createTopics(Map.of("it.frames", 2));

        // when
        RecordMetadata sent;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProperties())) {
            sent = producer.send(new ProducerRecord<>("it.frames", "device-1", "{\"t\":21.5}"))
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }

        // then
        ConsumerRecord<String, String> received = consumeOne("it.frames");
        assertEquals("partition of the consumed record", sent.partition(), received.partition());
        assertEquals("key", "device-1", received.key());
        assertEquals("value", "{\"t\":21.5}", received.value());
    }

    @Test
    public void creatingExistingTopicsAgainChangesNothing() throws Exception {
        // given
        kafka.createTopics(Map.of("it.twice", 3));

        // when
        kafka.createTopics(Map.of("it.twice", 3, "it.added", 1));

        // then
        Map<String, Object> adminConfig = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (Admin admin = Admin.create(adminConfig)) {
            Map<String, TopicDescription> topics = admin.describeTopics(List.of("it.twice", "it.added"))
                .allTopicNames().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertEquals("partitions of the topic created twice", 3, topics.get("it.twice").partitions().size());
            assertEquals("partitions of the topic added on the second call", 1,
                topics.get("it.added").partitions().size());
        }
    }

    @Test
    public void cassandraAnswersCqlWithRelease50() {
        // when
        String version;
        try (CqlSession session = cqlSession()) {
            Row row = session.execute("SELECT release_version FROM system.local").one();
            version = row.getString("release_version");
        }

        // then
        assertTrue("release_version " + version + " is 5.0.x", version.startsWith("5.0."));
        assertEquals("version seen by start()", version, cassandra.releaseVersion());
    }

    @Test
    public void redisReturnsTheValueThatWasSet() {
        // when
        String value;
        try (Jedis jedis = new Jedis(HOST, redisPort)) {
            jedis.set("it:key", "it-value");
            value = jedis.get("it:key");
        }

        // then
        assertEquals("value read back", "it-value", value);
        assertEquals("uri", "redis://" + HOST + ":" + redisPort, redis.uri());
        assertTrue("source names a version: " + redis.source(), redis.source().matches(".*\\d+\\.\\d+.*"));
    }

    @Test
    public void embeddedRedisServesWhenNoRedisServerIsOnThePath() {
        // given: an empty search path
        int port = PortGuard.freePort();
        RedisNode embedded = new RedisNode(null, TEMP.getRoot().toPath().resolve("redis-embedded"), logDir, HOST,
            port, "");
        embedded.start();
        long pid = embedded.pid().orElseThrow();

        try (Jedis jedis = new Jedis(HOST, port)) {
            // when
            jedis.set("it:embedded", "yes");

            // then
            assertEquals("value read back", "yes", jedis.get("it:embedded"));
            assertTrue("source: " + embedded.source(), embedded.source().startsWith("embedded-redis 6.2"));
        } finally {
            embedded.stop();
        }
        assertProcessGone("embedded redis-server", pid);
    }

    @Test
    public void externalRedisUrlStartsNothingAndStopLeavesTheServerRunning() {
        // given
        RedisNode external = new RedisNode(redis.uri(), TEMP.getRoot().toPath().resolve("redis-external"), logDir,
            HOST, PortGuard.freePort());

        // when
        external.start();
        String source = external.source();
        boolean startedAProcess = external.pid().isPresent();
        external.stop();

        // then
        assertTrue("source: " + source, source.startsWith("external REDIS_URL "));
        assertFalse("no process started", startedAProcess);
        try (Jedis jedis = new Jedis(HOST, redisPort)) {
            assertEquals("the external server still answers", "PONG", jedis.ping());
        }
    }

    @Test
    public void secondKafkaOnTheSamePortIsRefusedNamingPortAndSetting() {
        // given
        KafkaBroker second = new KafkaBroker(TEMP.getRoot().toPath().resolve("kafka-2"), HOST, kafkaPort,
            PortGuard.freePort());

        // when
        StackException refused = assertThrows(StackException.class, second::start);

        // then
        assertEquals("message", "port " + kafkaPort + " (kafka) is already in use on " + HOST
            + "; stop what holds it or set stack.kafka.port / CHORAL_STACK_KAFKA_PORT to another port",
            refused.getMessage());
        assertFalse("no data dir created for the refused broker",
            Files.exists(TEMP.getRoot().toPath().resolve("kafka-2")));
    }

    @Test
    public void secondCassandraOnTheSamePortIsRefusedBeforeAnyProcessStarts() {
        // given
        Path dataDir = TEMP.getRoot().toPath().resolve("cassandra-2");
        CassandraNode second = new CassandraNode(CassandraNode.defaultLibDir(), dataDir, logDir, HOST,
            cassandraPort, PortGuard.freePort(), PortGuard.freePort());

        // when
        StackException refused = assertThrows(StackException.class, second::start);

        // then
        assertTrue("message: " + refused.getMessage(), refused.getMessage().startsWith(
            "port " + cassandraPort + " (cassandra) is already in use on " + HOST));
        assertTrue("message: " + refused.getMessage(),
            refused.getMessage().contains("stack.cassandra.port / CHORAL_STACK_CASSANDRA_PORT"));
        assertFalse("no pid file", Files.exists(dataDir.resolve("cassandra.pid")));
    }

    @Test
    public void secondRedisOnTheSamePortIsRefusedNamingPortAndSetting() {
        // given
        RedisNode second = new RedisNode(null, TEMP.getRoot().toPath().resolve("redis-2"), logDir, HOST, redisPort);

        // when
        StackException refused = assertThrows(StackException.class, second::start);

        // then
        assertEquals("message", "port " + redisPort + " (redis) is already in use on " + HOST
            + "; stop what holds it or set stack.redis.port / CHORAL_STACK_REDIS_PORT to another port",
            refused.getMessage());
    }

    @Test
    public void cassandraJvmThatExitsDuringStartFailsAtOnceWithTheEndOfItsLog() throws Exception {
        // given: a classpath holding the agent but not Cassandra itself
        Path libDir = Files.createDirectories(TEMP.getRoot().toPath().resolve("lib-without-cassandra"));
        Files.copy(CassandraNode.defaultLibDir().resolve("jamm-0.4.0.jar"), libDir.resolve("jamm-0.4.0.jar"));
        Path dataDir = TEMP.getRoot().toPath().resolve("cassandra-broken");
        Path brokenLogDir = TEMP.getRoot().toPath().resolve("logs-broken");
        CassandraNode broken = new CassandraNode(libDir, dataDir, brokenLogDir, HOST, PortGuard.freePort(),
            PortGuard.freePort(), 0, 256, Duration.ofSeconds(120));

        // when
        StackException failure = assertThrows(StackException.class, broken::start);

        // then
        String message = failure.getMessage();
        assertTrue("exit reported: " + message, message.contains(") exited with code 1 before it was ready"));
        assertTrue("log tail names the missing class: " + message, message.contains("CassandraDaemon"));
        assertFalse("pid file removed", Files.exists(dataDir.resolve("cassandra.pid")));
    }

    @Test
    public void cassandraStopEndsItsJvmAndARestartKeepsTheData() {
        // given
        try (CqlSession session = cqlSession()) {
            session.execute("CREATE KEYSPACE IF NOT EXISTS it WITH replication ="
                + " {'class': 'SimpleStrategy', 'replication_factor': 1}");
            session.execute("CREATE TABLE IF NOT EXISTS it.kept (id text PRIMARY KEY, value text)");
            session.execute("INSERT INTO it.kept (id, value) VALUES ('a', 'before restart')");
        }
        long pid = cassandra.pid();
        Path pidFile = TEMP.getRoot().toPath().resolve("cassandra").resolve("cassandra.pid");
        assertTrue("pid file while running", Files.exists(pidFile));

        // when
        cassandra.stop();

        // then
        assertProcessGone("cassandra", pid);
        assertFalse("pid file removed", Files.exists(pidFile));

        // when
        cassandra.start();

        // then
        assertNotEquals("a new JVM", pid, cassandra.pid());
        try (CqlSession session = cqlSession()) {
            Row row = session.execute("SELECT value FROM it.kept WHERE id = 'a'").one();
            assertNotNull("row written before the restart", row);
            assertEquals("value", "before restart", row.getString("value"));
        }
    }

    @Test
    public void redisStopEndsTheServerItStarted() {
        // given
        long pid = redis.pid().orElseThrow();

        // when
        redis.stop();

        // then
        assertProcessGone("redis-server", pid);
        assertFalse("no pid after stop", redis.pid().isPresent());
        redis.start();
    }

    private static void stopAndCollect(Runnable stop, List<RuntimeException> failures) {
        if (stop == null) {
            return;
        }
        try {
            stop.run();
        } catch (RuntimeException e) {
            failures.add(e);
        }
    }

    private static void assertProcessGone(String what, long pid) {
        boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        assertFalse(what + " pid " + pid + " still alive after stop()", alive);
    }

    private static CqlSession cqlSession() {
        return CqlSession.builder()
            .addContactPoint(new InetSocketAddress(HOST, cassandraPort))
            .withLocalDatacenter("datacenter1")
            .build();
    }

    private static Properties producerProperties() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return props;
    }

    private static ConsumerRecord<String, String> consumeOne(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-consumer");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());

        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    return record;
                }
            }
        }
        throw new AssertionError("no record consumed from " + topic + " within " + WAIT.toSeconds() + " s");
    }
}
