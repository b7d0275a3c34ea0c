package io.choralstorm.pipeline;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DriverException;
import io.choralstorm.devices.CassandraDeviceStore;
import io.choralstorm.devices.DeviceRecord;
import io.choralstorm.devices.DeviceRegistry;
import io.choralstorm.devices.SecretGenerator;
import io.choralstorm.devices.SecretHasher;
import io.choralstorm.local.CassandraNode;
import io.choralstorm.local.LocalStack;
import io.choralstorm.local.PortGuard;
import io.choralstorm.local.StackConfig;
import io.choralstorm.protocol.Frame;
import io.choralstorm.protocol.FrameWriter;
import io.choralstorm.protocol.Metric;
import io.choralstorm.protocol.MetricKind;
import io.choralstorm.query.AggregateInterval;
import io.choralstorm.query.AggregateWindow;
import io.choralstorm.query.LiveView;
import io.choralstorm.query.LiveViewReader;
import io.choralstorm.query.RangeQuery;
import io.choralstorm.query.StoredFrame;
import io.choralstorm.query.StoredReading;
import io.choralstorm.simulator.DeviceProvisioning;
import io.choralstorm.simulator.DeviceSimulator;
import io.choralstorm.simulator.Reading;
import io.choralstorm.simulator.SimulationOptions;
import io.choralstorm.simulator.SimulationReport;
import io.choralstorm.topology.config.TopologySettings;
import io.choralstorm.topology.rollup.RollupLevel;
import io.choralstorm.topology.storage.CassandraSessions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import redis.clients.jedis.JedisPooled;

/**
 * The whole pipeline, every part real and started once for the class: frames POSTed to the
 * gateway go through the cluster HTTP server, Kafka and the Storm topology into Redis and Cassandra.
 */
public class ChoralPipelineIT {
    private static final Duration CATCH_UP = Duration.ofSeconds(120);
    /** How long the cluster server trusts a device record here: a revoked device is refused within it. */
    private static final long AUTH_TTL_MS = 1000;
    /** Device id to the secret its registration printed (devices register on first use). */
    private static final Map<String, String> SECRETS = new ConcurrentHashMap<>();

    @ClassRule
    public static final TemporaryFolder TEMP = new TemporaryFolder();

    private static LocalStack stack;
    private static JedisPooled redis;
    private static CqlSession session;
    private static LiveViewReader views;
    private static RangeQuery query;
    private static DeviceRegistry registry;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeClass
    public static void startStack() throws Exception {
        Map<String, String> settings = new HashMap<>();
        settings.put(StackConfig.HOME, TEMP.newFolder("stack").toString());
        for (String port : List.of(StackConfig.GATEWAY_PORT, StackConfig.CLUSTER_HTTP_PORT, StackConfig.KAFKA_PORT,
                StackConfig.KAFKA_CONTROLLER_PORT, StackConfig.CASSANDRA_PORT, StackConfig.CASSANDRA_STORAGE_PORT,
                StackConfig.REDIS_PORT)) {
            settings.put(port, String.valueOf(PortGuard.freePort()));
        }
        settings.put(StackConfig.AUTH_CACHE_TTL_MS, String.valueOf(AUTH_TTL_MS));
        stack = new LocalStack(new StackConfig(settings, TEMP.getRoot().toPath()));
        stack.start(step -> { });
        redis = new JedisPooled(URI.create(stack.endpoints().get("redis")));
        session = CassandraSessions.open(stack.topologySettings());
        views = new LiveViewReader(redis, stack.topologySettings().redisKeyPrefix());
        query = new RangeQuery(session, stack.topologySettings().cassandraKeyspace());
        registry = new DeviceRegistry(new CassandraDeviceStore(session, stack.topologySettings().cassandraKeyspace(),
            false));
    }

    @AfterClass
    public static void stopStack() {
        if (session != null) {
            session.close();
        }
        if (redis != null) {
            redis.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    public void everyAcceptedFrameIsStoredOnceAndEachViewMatchesWhatWasSent() throws Exception {
        SimulationOptions options = DeviceProvisioning.provision(registry, new SimulationOptions(12, 10,
            Duration.ofSeconds(10), URI.create(stack.endpoints().get("gateway")), "it-", Map.of(), 64, 7));

        SimulationReport report = new DeviceSimulator(HTTP).run(options, progress -> { });

        assertEquals("every frame answered 202: " + report.answers(), report.sent(), report.accepted().size());
        assertTrue("at least 1000 frames", report.accepted().size() >= 1000);
        Map<String, List<Reading>> sent = report.accepted().stream()
            .collect(Collectors.groupingBy(Reading::deviceId));
        awaitCondition("every accepted frame in Cassandra and in the view", () -> caughtUp(sent));

        for (Map.Entry<String, List<Reading>> device : sent.entrySet()) {
            assertStoredOnce(device.getKey(), device.getValue());
            LiveView view = views.read(device.getKey());
            assertViewMatches(view, "temperature", device.getValue(), Reading::temperature);
            assertViewMatches(view, "humidity", device.getValue(), Reading::humidity);
        }
    }

    @Test
    public void rangeQueryReturnsExactlyTheReadingsInTheHalfOpenRange() throws Exception {
        String device = "range-1";
        long base = System.currentTimeMillis() - 60_000;
        for (int i = 0; i < 20; i++) {
            assertEquals(202, post(frame(device, base + i * 1000L, "{\"temperature\":" + i + "}")).statusCode());
        }
        awaitCondition("20 readings stored", () -> readings(device, "temperature", base, base + 20_000).size() == 20);

        List<StoredReading> inRange = readings(device, "temperature", base + 5_000, base + 10_000);

        assertEquals("readings at +5 s .. +9 s, the end excluded", 5, inRange.size());
        for (int i = 0; i < 5; i++) {
            assertEquals(base + (5 + i) * 1000L, inRange.get(i).deviceTimestamp());
            assertEquals(5.0 + i, inRange.get(i).value(), 0.0);
        }
    }

    @Test
    public void firstReadingSetsMinAndMaxAlsoForNegativeOnlyDevices() throws Exception {
        long now = System.currentTimeMillis() - 10_000;
        for (int i = 0; i < 3; i++) {
            post(frame("first-1", now + i, "{\"t\":" + new int[] {5, 7, 6}[i] + "}"));
        }
        post(frame("neg-1", now, "{\"t\":-3}"));
        post(frame("neg-1", now + 1, "{\"t\":-8}"));

        awaitCondition("both views complete", () -> views.read("first-1").stat("t", "count") == 3
            && views.read("neg-1").stat("t", "count") == 2);

        LiveView first = views.read("first-1");
        assertEquals(5.0, first.stat("t", "min"), 0.0);
        assertEquals(7.0, first.stat("t", "max"), 0.0);
        assertEquals(6.0, first.stat("t", "mean"), 1e-9);
        LiveView negative = views.read("neg-1");
        assertEquals(-3.0, negative.stat("t", "max"), 0.0);
        assertEquals(-8.0, negative.stat("t", "min"), 0.0);
    }

    @Test
    public void lateReadingDoesNotReplaceTheNewestAndAResendCountsOnce() throws Exception {
        long t = System.currentTimeMillis() - 120_000;
        post(frame("late-1", t + 60_000, "{\"t\":25}"));
        post(frame("late-1", t, "{\"t\":20}"));
        post(frame("late-1", t + 30_000, "{\"t\":21}"));
        post(frame("late-1", t + 30_000, "{\"t\":21}"));

        awaitCondition("three readings stored", () -> readings("late-1", "t", t, t + 60_001).size() == 3);
        awaitCondition("three readings counted", () -> views.read("late-1").stat("t", "count") == 3);

        LiveView view = views.read("late-1");
        assertEquals("newest device time wins", 25.0, view.stat("t", "current"), 0.0);
        assertEquals(22.0, view.stat("t", "mean"), 1e-9);
    }

    @Test
    public void badRecordThatReachesKafkaGoesToTheDeadLetterTopicAndLaterFramesArrive() throws Exception {
        TopologySettings topology = stack.topologySettings();
        long t = System.currentTimeMillis() - 30_000;
        try (KafkaProducer<String, String> producer = producer(topology.kafkaBootstrapServers())) {
            producer.send(new ProducerRecord<>(topology.kafkaTopic(), "t-01",
                "{\"device_id\":\"t-01\",\"device_data\":\"oops\",\"device_timestamp\":1700000000000}")).get();
        }
        for (int i = 0; i < 50; i++) {
            assertEquals(202, post(frame("after-bad", t + i, "{\"t\":" + i + "}")).statusCode());
        }

        awaitCondition("the 50 frames after the bad one stored", () -> frames("after-bad", t, t + 50).size() == 50);
        List<ConsumerRecord<String, String>> deadLetters = deadLetters(topology);
        assertEquals("exactly the bad record is dead-lettered", 1, deadLetters.size());
        assertTrue(deadLetters.get(0).value(), deadLetters.get(0).value().contains("wrong_type"));
    }

    @Test
    public void revokedDeviceIsRefusedWithinSeconds() throws Exception {
        String device = "revoked-1";
        long t = System.currentTimeMillis() - 10_000;
        assertEquals(202, post(frame(device, t, "{\"t\":1}")).statusCode());

        registry.revoke(device);
        long revokedAt = System.nanoTime();

        long[] next = {t + 1};
        awaitWithin(Duration.ofMillis(AUTH_TTL_MS).plusSeconds(10), "the revoked device refused",
            () -> status(frame(device, next[0]++, "{\"t\":2}")) == 401);
        System.out.printf("ChoralPipelineIT: revoked device refused %d ms after revocation (ttl %d ms)%n",
            (System.nanoTime() - revokedAt) / 1_000_000, AUTH_TTL_MS);
        assertEquals("and from then on", 401, post(frame(device, next[0], "{\"t\":3}")).statusCode());
    }

    @Test
    public void unknownDeviceAndWrongSecretGetByteIdenticalAnswers() throws Exception {
        long t = System.currentTimeMillis() - 10_000;
        String secret = secretOf("known-1");

        HttpResponse<byte[]> unknown = postBytes(frame("never-registered-1", t, "{\"t\":1}", secret));
        HttpResponse<byte[]> wrong = postBytes(frame("known-1", t, "{\"t\":1}", new SecretGenerator().newSecret()));

        assertEquals(401, unknown.statusCode());
        assertEquals(401, wrong.statusCode());
        assertTrue("byte-identical bodies: " + new String(unknown.body()) + " / " + new String(wrong.body()),
            Arrays.equals(unknown.body(), wrong.body()));
        assertTrue(new String(wrong.body()), new String(wrong.body()).contains("\"code\":\"unauthorized\""));
    }

    @Test
    public void noSecretReachesAnyLogOrStore() throws Exception {
        String device = "leak-1";
        String secret = secretOf(device);
        String wrongSecret = new SecretGenerator().newSecret();
        long t = System.currentTimeMillis() - 20_000;
        Configurator.setLevel("io.choralstorm", Level.TRACE);
        try {
            assertEquals(202, post(frame(device, t, "{\"t\":1}")).statusCode());
            assertEquals(202, postBearer(frame(device, t + 1, "{\"t\":2}", secret).replace(
                "\"user_secret\":\"" + secret + "\",", ""), secret).statusCode());
            assertEquals(202, post("[" + frame(device, t + 2, "{\"t\":3}") + "," + frame(device, t + 3, "{\"t\":4}")
                + "]").statusCode());
            assertEquals(401, post(frame(device, t + 4, "{\"t\":5}", wrongSecret)).statusCode());
            assertEquals(401, post(frame("leak-unknown", t, "{\"t\":6}", secret)).statusCode());
            assertEquals(400, post(frame(device, 1_700_000_000L, "{\"t\":7}")).statusCode());
            awaitCondition("the 4 accepted frames stored and counted", () -> frames(device, t, t + 4).size() == 4
                && views.read(device).stat("t", "count") == 4);
        } finally {
            Configurator.setLevel("io.choralstorm", Level.WARN);
        }

        SecretLeakScanner secrets = new SecretLeakScanner(List.of(secret, wrongSecret));
        SecretLeakScanner control = new SecretLeakScanner(List.of(device));
        Path testLog = Path.of("target", "test.log");
        Path stackHome = stack.config().home();
        String bootstrap = stack.topologySettings().kafkaBootstrapServers();
        String keyspace = stack.topologySettings().cassandraKeyspace();
        assertEquals("no secret in a log or data file", List.of(), secrets.files(testLog, stackHome));
        assertEquals("no secret in Kafka", List.of(), secrets.kafka(bootstrap));
        assertEquals("no secret in Redis", List.of(), secrets.redis(redis));
        assertEquals("no secret in Cassandra", List.of(), secrets.cassandra(session, keyspace));

        assertTrue("the test log was scanned at TRACE", !control.files(testLog).isEmpty());
        assertTrue("Kafka was scanned", !control.kafka(bootstrap).isEmpty());
        assertTrue("Redis was scanned", !control.redis(redis).isEmpty());
        assertTrue("Cassandra was scanned", !control.cassandra(session, keyspace).isEmpty());
        DeviceRecord stored = registry.find(device).orElseThrow();
        assertTrue("the devices table holds the secret's hash", new SecretHasher().matches(secret, stored.secret()));
    }

    @Test
    public void framesSentWhileCassandraIsDownAreAllStoredOnceItIsBack() throws Exception {
        // given a registered device sending frames, and the stack's Cassandra stopped in the middle
        String device = "outage-1";
        long base = System.currentTimeMillis() - 600_000;
        secretOf(device);
        List<Long> accepted = new ArrayList<>();
        postEach(device, base, 0, 40, accepted);
        assertEquals("all frames accepted before the outage", 40, accepted.size());
        CassandraNode cassandra = stack.cassandraNode();
        cassandra.stop();

        // when frames keep coming (through the gateway while it accepts them, straight into the topic as the
        // cluster server writes it), the topology processes them, and Cassandra restarts on its data and port
        postEach(device, base, 40, 80, accepted);
        produceEach(device, base, 80, 200, accepted);
        awaitCondition("the topology processed the frames sent during the outage",
            () -> views.read(device).stat("t", "count") >= accepted.size());
        cassandra.start();
        postEach(device, base, 200, 240, accepted);

        // then every accepted frame is stored exactly once, and the minute rollups count each once
        long from = RollupLevel.MINUTE.windowStart(base);
        long to = RollupLevel.MINUTE.windowStart(base + 240_000) + 60_000;
        awaitCondition("all " + accepted.size() + " accepted frames stored after the restart",
            () -> storedTimestamps(device, from, to).size() == accepted.size());
        assertEquals("one row per accepted frame", accepted.stream().sorted().toList(),
            storedTimestamps(device, from, to));
        // (a frame's rollups are rewritten after its rows, so they may trail them by a moment)
        awaitCondition("the minute rollups count all " + accepted.size() + " readings",
            () -> minuteRollupCount(device, from, to) >= accepted.size());
        assertEquals("readings counted by the minute rollups", accepted.size(), minuteRollupCount(device, from, to));
    }

    private long minuteRollupCount(String device, long from, long to) {
        List<AggregateWindow> minutes = new ArrayList<>();
        query.aggregate(device, "t", from, to, AggregateInterval.parse("1m"), true, Long.MAX_VALUE, minutes::add);
        return minutes.stream().mapToLong(AggregateWindow::count).sum();
    }

    @Test
    public void replayingTheWholeTopicUnderANewConsumerGroupChangesNoView() throws Exception {
        // given 1,000 frames of 8 devices, out of device-time order, 48 of them sent twice, counted by the stack
        ViewScenario sent = ViewScenario.random("replay-", 8, 119, 48, System.currentTimeMillis() - 600_000, 11);
        assertEquals("frames sent", 1000, sent.deliveryCount());
        postAll(sent);
        awaitCondition("every distinct reading counted", () -> sent.viewsComplete(views));
        sent.assertViews(views, stack.topologySettings().get(TopologySettings.VIEW_WINDOW_MS));
        Map<String, Object> before = viewKeys(sent.devices());

        // when a second topology reads the whole topic again from its first offset, under a new consumer group
        try (ViewOnlyTopology replay = ViewOnlyTopology.submit(stack.stormCluster(), stack.topologySettings(),
                "choral-replay")) {
            awaitCondition("the replay to commit the end of every partition", replay::caughtUp);
        }

        // then no device's view changed: its hash, its seen set and its window zsets
        assertEquals("views after the replay", before, viewKeys(sent.devices()));
    }

    @Test
    public void twoTopologiesUpdatingTheSameDevicesAtOnceShowTheDistinctReadings() throws Exception {
        ViewScenario sent = ViewScenario.random("twin-", 6, 100, 60, System.currentTimeMillis() - 600_000, 13);
        // given a second topology on the same topic under its own consumer group, caught up with the topic
        try (ViewOnlyTopology twin = ViewOnlyTopology.submit(stack.stormCluster(), stack.topologySettings(),
                "choral-twin")) {
            awaitCondition("the second topology to catch up with the topic", twin::caughtUp);

            // when frames of 6 devices, out of order and 60 of them twice, arrive while both topologies run
            postAll(sent);

            // then once both have read every frame
            awaitCondition("the second topology to commit every frame", twin::caughtUp);
            awaitCondition("every distinct reading counted", () -> sent.viewsComplete(views));
        }

        // each device's view equals the statistics of its distinct readings
        sent.assertViews(views, stack.topologySettings().get(TopologySettings.VIEW_WINDOW_MS));
    }

    /** POSTs the scenario's deliveries as arrays of 25 frames; each must be accepted. */
    private static void postAll(ViewScenario scenario) throws Exception {
        for (String body : scenario.bodies(r -> frame(r.device(), r.ts(), r.data()), 25)) {
            assertEquals("batch accepted", 202, post(body).statusCode());
        }
    }

    /** Every Redis key of the devices' views, with its content (seen's packed entries in hex). */
    private static Map<String, Object> viewKeys(List<String> devices) {
        Map<String, Object> keys = new TreeMap<>();
        for (String device : devices) {
            keys.put(views.keys().view(device), redis.hgetAll(views.keys().view(device)));
            Map<String, String> seen = new TreeMap<>();
            redis.hgetAll(views.keys().seen(device).getBytes(StandardCharsets.UTF_8)).forEach((bucket, entries) ->
                seen.put(new String(bucket, StandardCharsets.UTF_8), HexFormat.of().formatHex(entries)));
            keys.put(views.keys().seen(device), seen);
            for (String metric : List.of("t", "h")) {
                String byTime = views.keys().window(device, metric);
                String byValue = views.keys().windowByValue(device, metric);
                keys.put(byTime, redis.zrangeWithScores(byTime, 0, -1));
                keys.put(byValue, redis.zrangeWithScores(byValue, 0, -1));
            }
        }
        return keys;
    }

    /** POSTs frames {@code first..last-1} of {@code device}; adds the times of those answered 202. */
    private static void postEach(String device, long base, int first, int last, List<Long> accepted)
            throws Exception {
        for (int i = first; i < last; i++) {
            long ts = base + i * 1000L;
            if (post(frame(device, ts, "{\"t\":" + i + "}")).statusCode() == 202) {
                accepted.add(ts);
            }
        }
    }

    /** Writes frames {@code first..last-1} of {@code device} into the frames topic, as cluster-http does. */
    private static void produceEach(String device, long base, int first, int last, List<Long> accepted)
            throws Exception {
        TopologySettings topology = stack.topologySettings();
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, topology.kafkaBootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer =
                 new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            for (int i = first; i < last; i++) {
                long ts = base + i * 1000L;
                Frame frame = new Frame(device, ts, System.currentTimeMillis(), false,
                    List.of(new Metric("t", MetricKind.NUMBER, Integer.toString(i), i)));
                producer.send(new ProducerRecord<>(topology.kafkaTopic(), device, FrameWriter.toRecord(frame))).get();
                accepted.add(ts);
            }
        }
    }

    /** The stored frame times of {@code device}; empty while Cassandra cannot answer (just restarted). */
    private static List<Long> storedTimestamps(String device, long from, long to) {
        try {
            return frames(device, from, to).stream().map(StoredFrame::deviceTimestamp).toList();
        } catch (DriverException e) {
            return List.of();
        }
    }

    private static boolean caughtUp(Map<String, List<Reading>> sent) {
        for (Map.Entry<String, List<Reading>> device : sent.entrySet()) {
            long from = device.getValue().stream().mapToLong(Reading::timestamp).min().orElseThrow();
            long to = device.getValue().stream().mapToLong(Reading::timestamp).max().orElseThrow() + 1;
            if (frames(device.getKey(), from, to).size() < device.getValue().size()
                    || views.read(device.getKey()).stat("temperature", "count") < device.getValue().size()) {
                return false;
            }
        }
        return true;
    }

    private static void assertStoredOnce(String device, List<Reading> sent) {
        long from = sent.stream().mapToLong(Reading::timestamp).min().orElseThrow();
        long to = sent.stream().mapToLong(Reading::timestamp).max().orElseThrow() + 1;
        List<Long> stored = frames(device, from, to).stream().map(StoredFrame::deviceTimestamp)
            .collect(Collectors.toList());
        List<Long> expected = sent.stream().map(Reading::timestamp).sorted().collect(Collectors.toList());
        assertEquals("one row per accepted frame of " + device, expected, stored);
    }

    private static void assertViewMatches(LiveView view, String metric, List<Reading> sent,
                                          ToDoubleFunction<Reading> value) {
        String what = view.deviceId() + " " + metric;
        double mean = sent.stream().mapToDouble(value).average().orElseThrow();
        Reading newest = sent.stream().max((a, b) -> Long.compare(a.timestamp(), b.timestamp())).orElseThrow();
        assertEquals(what + " count", sent.size(), view.stat(metric, "count"), 0.0);
        double min = sent.stream().mapToDouble(value).min().orElseThrow();
        double max = sent.stream().mapToDouble(value).max().orElseThrow();
        assertEquals(what + " min", min, view.stat(metric, "min"), 0.0);
        assertEquals(what + " max", max, view.stat(metric, "max"), 0.0);
        assertEquals(what + " mean", mean, view.stat(metric, "mean"), 1e-9);
        assertEquals(what + " current", value.applyAsDouble(newest), view.stat(metric, "current"), 0.0);
    }

    private static List<StoredFrame> frames(String device, long from, long to) {
        List<StoredFrame> rows = new ArrayList<>();
        query.frames(device, from, to, Long.MAX_VALUE, rows::add);
        return rows;
    }

    private static List<StoredReading> readings(String device, String metric, long from, long to) {
        List<StoredReading> rows = new ArrayList<>();
        query.readings(device, metric, from, to, Long.MAX_VALUE, rows::add);
        return rows;
    }

    private static List<ConsumerRecord<String, String>> deadLetters(TopologySettings topology) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, topology.kafkaBootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "pipeline-it");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                 new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topology.kafkaDeadLetterTopic()));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
            consumer.poll(Duration.ofSeconds(1)).forEach(records::add);
        }
        return records;
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    private static HttpResponse<String> post(String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(stack.endpoints().get("gateway") + "/v1/frames"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<byte[]> postBytes(String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(stack.endpoints().get("gateway") + "/v1/frames"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpResponse<String> postBearer(String body, String secret) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(stack.endpoints().get("gateway") + "/v1/frames"))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + secret)
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int status(String body) {
        try {
            return post(body).statusCode();
        } catch (Exception e) {
            throw new AssertionError("POST failed: " + e, e);
        }
    }

    private static String frame(String device, long ts, String data) {
        return frame(device, ts, data, secretOf(device));
    }

    private static String frame(String device, long ts, String data, String secret) {
        return "{\"device_id\":\"" + device + "\",\"user_secret\":\"" + secret + "\",\"device_data\":" + data
            + ",\"device_timestamp\":" + ts + "}";
    }

    private static String secretOf(String device) {
        return SECRETS.computeIfAbsent(device, id -> registry.add(id, true));
    }

    private static void awaitCondition(String what, BooleanSupplier condition) throws InterruptedException {
        awaitWithin(CATCH_UP, what, condition);
    }

    private static void awaitWithin(Duration limit, String what, BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within " + limit.toMillis() + " ms: " + what);
            }
            Thread.sleep(250);
        }
    }
}
