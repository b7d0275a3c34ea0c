package io.choralstorm.pipeline;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import io.choralstorm.local.LocalStack;
import io.choralstorm.local.PortGuard;
import io.choralstorm.local.StackConfig;
import io.choralstorm.query.LiveView;
import io.choralstorm.query.LiveViewReader;
import io.choralstorm.query.RangeQuery;
import io.choralstorm.query.StoredFrame;
import io.choralstorm.query.StoredReading;
import io.choralstorm.simulator.DeviceSimulator;
import io.choralstorm.simulator.Reading;
import io.choralstorm.simulator.SimulationOptions;
import io.choralstorm.simulator.SimulationReport;
import io.choralstorm.topology.config.TopologySettings;
import io.choralstorm.topology.storage.CassandraSessions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
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

    @ClassRule
    public static final TemporaryFolder TEMP = new TemporaryFolder();

    private static LocalStack stack;
    private static JedisPooled redis;
    private static CqlSession session;
    private static LiveViewReader views;
    private static RangeQuery query;
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
        stack = new LocalStack(new StackConfig(settings, TEMP.getRoot().toPath()));
        stack.start(step -> { });
        redis = new JedisPooled(URI.create(stack.endpoints().get("redis")));
        session = CassandraSessions.open(stack.topologySettings());
        views = new LiveViewReader(redis, stack.topologySettings().redisKeyPrefix());
        query = new RangeQuery(session, stack.topologySettings().cassandraKeyspace());
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
        SimulationOptions options = new SimulationOptions(12, 10, Duration.ofSeconds(10),
            URI.create(stack.endpoints().get("gateway")), "it-", Map.of(), 64, 7);

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

    private static String frame(String device, long ts, String data) {
        return "{\"device_id\":\"" + device + "\",\"device_data\":" + data + ",\"device_timestamp\":" + ts + "}";
    }

    private static void awaitCondition(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + CATCH_UP.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within " + CATCH_UP.toSeconds() + " s: " + what);
            }
            Thread.sleep(250);
        }
    }
}
