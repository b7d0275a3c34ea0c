package io.choralstorm.cluster;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.github.benmanes.caffeine.cache.Ticker;
import io.choralstorm.cluster.auth.RegistryAuthenticator;
import io.choralstorm.devices.DeviceRegistry;
import io.choralstorm.devices.DeviceVerifier;
import io.choralstorm.devices.InMemoryDeviceStore;
import io.choralstorm.devices.SecretGenerator;
import io.choralstorm.devices.SecretHasher;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.After;
import org.junit.Test;

/**
 * Authentication, rate limits and Kafka outages as devices see them, over real HTTP, with the
 * registry in memory, a clock the test moves, and Kafka's MockProducer for the broker.
 */
public class DeviceAuthenticationHttpTest {
    private static final Duration TTL = Duration.ofSeconds(5);

    private final InMemoryDeviceStore store = new InMemoryDeviceStore();
    private final SecretHasher hasher = new SecretHasher(1_000, new SecureRandom());
    private final DeviceRegistry registry = new DeviceRegistry(store, hasher, new SecretGenerator(), Clock.systemUTC());
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final ExecutorService hashWorkers = Executors.newSingleThreadExecutor();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private MockProducer<String, byte[]> producer;
    private ClusterHttpServer server;

    @After
    public void stop() {
        if (server != null) {
            server.close();
        }
        hashWorkers.shutdownNow();
    }

    @Test
    public void registeredDeviceIsAcceptedWithItsSecretInTheFrameOrInABearerHeader() throws Exception {
        start(true, Map.of());
        String secret = registry.add("d1", false);

        assertEquals(202, post(frame("d1", secret), null).statusCode());
        assertEquals(202, post(frame("d1", null), "Bearer " + secret).statusCode());
        assertEquals("both published", 2, producer.history().size());
    }

    @Test
    public void healthCountsSecretChecksAndRegistryReads() throws Exception {
        start(true, Map.of());
        String secret = registry.add("d1", false);
        for (int i = 0; i < 5; i++) {
            assertEquals(202, post(frame("d1", secret), null).statusCode());
        }

        HttpResponse<String> health = client.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.address().getPort() + "/health")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode());
        assertTrue(health.body(), health.body().contains("\"auth\":{\"secret_checks\":1,\"registry_reads\":1}"));
    }

    @Test
    public void unknownDeviceAndWrongSecretGetTheSameAnswerByteForByte() throws Exception {
        start(true, Map.of());
        String secret = registry.add("d1", false);

        HttpResponse<byte[]> unknown = postBytes(frame("d9", secret));
        HttpResponse<byte[]> wrong = postBytes(frame("d1", secret + "x"));

        assertEquals(401, unknown.statusCode());
        assertEquals(401, wrong.statusCode());
        assertArrayEquals("identical bodies", unknown.body(), wrong.body());
        assertEquals(unknown.headers().map().get("www-authenticate"), wrong.headers().map().get("www-authenticate"));
        assertTrue(new String(unknown.body()), new String(unknown.body()).contains("\"code\":\"unauthorized\""));
        assertTrue("nothing published", producer.history().isEmpty());
    }

    @Test
    public void frameWithoutASecretIsRefusedWith401() throws Exception {
        start(true, Map.of());
        registry.add("d1", false);

        HttpResponse<String> answer = post(frame("d1", null), null);

        assertEquals(401, answer.statusCode());
        assertTrue(answer.body(), answer.body().contains("presents no secret"));
        assertTrue(producer.history().isEmpty());
    }

    @Test
    public void revokedDeviceIsRefusedOnceItsRecordIsReadAgain() throws Exception {
        start(true, Map.of());
        String secret = registry.add("d1", false);
        assertEquals(202, post(frame("d1", secret), null).statusCode());

        registry.revoke("d1");
        nanos.addAndGet(TTL.toNanos());

        assertEquals(401, post(frame("d1", secret), null).statusCode());
    }

    @Test
    public void batchWithOneUnauthenticatedDevicePublishesNothing() throws Exception {
        start(true, Map.of());
        String secret = registry.add("d1", false);

        HttpResponse<String> answer = post("[" + frame("d1", secret) + "," + frame("d2", "guess") + "]", null);

        assertEquals(401, answer.statusCode());
        assertTrue("nothing of the batch published", producer.history().isEmpty());
    }

    @Test
    public void headerAndFrameWithDifferentSecretsAreRefusedWith400() throws Exception {
        start(true, Map.of());
        String secret = registry.add("d1", false);

        HttpResponse<String> answer = post(frame("d1", secret), "Bearer other");

        assertEquals(400, answer.statusCode());
        assertTrue(answer.body(), answer.body().contains("\"code\":\"invalid_authorization\""));
    }

    @Test
    public void deviceOverItsRateGets429WithRetryAfter() throws Exception {
        start(true, Map.of(ClusterHttpConfig.RATE_LIMIT_FRAMES_PER_SECOND, "1",
            ClusterHttpConfig.RATE_LIMIT_BURST_FRAMES, "2"));
        String secret = registry.add("d1", false);
        assertEquals(202, post(frame("d1", secret), null).statusCode());
        assertEquals(202, post(frame("d1", secret), null).statusCode());

        HttpResponse<String> answer = post(frame("d1", secret), null);

        assertEquals(429, answer.statusCode());
        assertTrue(answer.body(), answer.body().contains("\"code\":\"rate_limited\""));
        assertTrue("Retry-After in whole seconds",
            Integer.parseInt(answer.headers().firstValue("Retry-After").orElse("0")) >= 1);
        assertEquals("the refused frame was not published", 2, producer.history().size());
    }

    @Test
    public void whileKafkaIsKnownToBeDownRequestsGet503WithoutASend() throws Exception {
        start(false, Map.of());
        String secret = registry.add("d1", false);
        var first = client.sendAsync(request(frame("d1", secret), null), HttpResponse.BodyHandlers.ofString());
        awaitSends(1);
        producer.errorNext(new TimeoutException("no broker"));
        assertEquals(503, first.get().statusCode());

        HttpResponse<String> next = post(frame("d1", secret), null);

        assertEquals(503, next.statusCode());
        assertTrue(next.body(), next.body().contains("\"code\":\"kafka_unavailable\""));
        assertEquals("2", next.headers().firstValue("Retry-After").orElse(""));
        assertEquals("no second send while Kafka is down", 1, producer.history().size());
    }

    @Test
    public void requestKafkaDoesNotAcknowledgeInTimeGets503() throws Exception {
        start(false, Map.of(ClusterHttpConfig.KAFKA_ANSWER_TIMEOUT_MS, "200"));
        String secret = registry.add("d1", false);

        HttpResponse<String> answer = post(frame("d1", secret), null);

        assertEquals(503, answer.statusCode());
        assertTrue(answer.body(), answer.body().contains("did not acknowledge"));
        assertEquals("2", answer.headers().firstValue("Retry-After").orElse(""));
    }

    private void start(boolean autoAcknowledge, Map<String, String> overrides) {
        producer = new MockProducer<>(autoAcknowledge, null, new StringSerializer(), new ByteArraySerializer());
        Map<String, String> settings = new HashMap<>(overrides);
        settings.put(ClusterHttpConfig.HTTP_PORT, "0");
        Ticker ticker = nanos::get;
        DeviceVerifier verifier = new DeviceVerifier(store, hasher, TTL, Duration.ofMinutes(10), 1000, hashWorkers,
            ticker, Runnable::run);
        server = new ClusterHttpServer(new ClusterHttpConfig(settings), new FramePublisher(producer, "frames"),
            new RegistryAuthenticator(verifier, store, hashWorkers, "in-memory test registry"));
        server.start();
    }

    private void awaitSends(int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (producer.history().size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + count + " send(s), saw " + producer.history().size());
            }
            Thread.sleep(5);
        }
    }

    private HttpResponse<String> post(String body, String authorization) throws Exception {
        return client.send(request(body, authorization), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<byte[]> postBytes(String body) throws Exception {
        return client.send(request(body, null), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpRequest request(String body, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.address().getPort() + "/v1/frames"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return request.build();
    }

    private static String frame(String device, String secret) {
        return "{\"device_id\":\"" + device + "\"," + (secret == null ? "" : "\"user_secret\":\"" + secret + "\",")
            + "\"device_data\":{\"temperature\":21.5}}";
    }
}
