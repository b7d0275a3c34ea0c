package io.choralstorm.cluster;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The HTTP contract of a cluster server, over real HTTP, with Kafka's own MockProducer standing in
 * for the broker so that the moment of the acknowledgement is under the test's control. The same
 * server against a real broker is exercised by the local stack's end-to-end test.
 */
public class ClusterHttpServerTest {
    private static final String FRAME = "{\"device_id\":\"t-01\",\"user_secret\":\"test-secret\","
        + "\"device_data\":{\"temperature\":21.5},\"device_timestamp\":1700000000000}";

    private MockProducer<String, byte[]> producer;
    private ClusterHttpServer server;
    private HttpClient client;

    @Before
    public void startServer() {
        producer = new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
        ClusterHttpConfig config = new ClusterHttpConfig(Map.of(ClusterHttpConfig.HTTP_PORT, "0",
            "edge.max.body.bytes", "4096", ClusterHttpConfig.AUTH_MODE, ClusterHttpConfig.AUTH_OPEN));
        server = new ClusterHttpServer(config, new FramePublisher(producer, "choraldatastream"));
        server.start();
        client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    }

    @After
    public void stopServer() {
        server.close();
    }

    @Test
    public void frameIsAnswered202OnlyAfterKafkaAcknowledged() throws Exception {
        CompletableFuture<HttpResponse<String>> response = post("/v1/frames", "application/json", bytes(FRAME));

        waitForSends(1);
        assertFalse("no answer may leave before Kafka acknowledged", response.isDone());
        producer.completeNext();

        HttpResponse<String> answer = response.get();
        assertEquals(202, answer.statusCode());
        assertEquals("{\"accepted\":1}", answer.body());
        ProducerRecord<String, byte[]> record = producer.history().get(0);
        assertEquals("t-01", record.key());
        assertFalse("the secret must not reach Kafka",
            new String(record.value(), StandardCharsets.UTF_8).contains("test-secret"));
    }

    @Test
    public void kafkaFailureIsAnswered503WithRetryAfter() throws Exception {
        CompletableFuture<HttpResponse<String>> response = post("/", "application/json", bytes(FRAME));

        waitForSends(1);
        producer.errorNext(new TimeoutException("no broker"));

        HttpResponse<String> answer = response.get();
        assertEquals(503, answer.statusCode());
        assertTrue(answer.body(), answer.body().contains("\"kafka_unavailable\""));
        assertEquals("2", answer.headers().firstValue("Retry-After").orElse(""));
    }

    @Test
    public void invalidFrameIsAnswered400AndNothingIsPublished() throws Exception {
        String body = FRAME.replace("1700000000000", "1700000000");

        HttpResponse<String> answer = post("/v1/frames", "application/json", bytes(body)).get();

        assertEquals(400, answer.statusCode());
        assertTrue(answer.body(), answer.body().contains("\"code\":\"timestamp_in_seconds\""));
        assertTrue(answer.body(), answer.body().contains("\"field\":\"device_timestamp\""));
        assertTrue("nothing may reach Kafka", producer.history().isEmpty());
    }

    @Test
    public void batchWithOneBadFramePublishesNothing() throws Exception {
        String body = "[" + FRAME + "," + FRAME.replace("21.5", "NaN") + "]";

        HttpResponse<String> answer = post("/v1/frames", "application/json", bytes(body)).get();

        assertEquals(400, answer.statusCode());
        assertTrue("nothing may reach Kafka", producer.history().isEmpty());
    }

    @Test
    public void wrongContentTypeIsAnswered415() throws Exception {
        HttpResponse<String> answer = post("/v1/frames", "text/plain", bytes(FRAME)).get();

        assertEquals(415, answer.statusCode());
        assertTrue(answer.body(), answer.body().contains("unsupported_media_type"));
    }

    @Test
    public void gzipBodyIsInflatedAndAccepted() throws Exception {
        CompletableFuture<HttpResponse<String>> response = send(request("/v1/frames", "application/json",
            gzip(bytes(FRAME))).header("Content-Encoding", "gzip").build());

        waitForSends(1);
        producer.completeNext();

        assertEquals(202, response.get().statusCode());
    }

    @Test
    public void bodiesOverTheLimitAreAnswered413BeforeAnyPublish() throws Exception {
        byte[] big = bytes(FRAME.replace("21.5", "\"" + "x".repeat(5000) + "\""));
        byte[] bomb = gzip(new byte[1 << 20]);

        assertEquals(413, post("/v1/frames", "application/json", big).get().statusCode());
        HttpResponse<String> inflated = send(request("/v1/frames", "application/json", bomb)
            .header("Content-Encoding", "gzip").build()).get();
        assertEquals(413, inflated.statusCode());
        assertTrue("nothing may reach Kafka", producer.history().isEmpty());
    }

    @Test
    public void healthAnswersWithoutKafka() throws Exception {
        HttpResponse<String> answer = client.send(HttpRequest.newBuilder(uri("/health")).build(),
            HttpResponse.BodyHandlers.ofString());

        assertEquals(200, answer.statusCode());
        assertTrue(answer.body(), answer.body().contains("\"kafka\":\"available\""));
        assertTrue(answer.body(), answer.body().endsWith("\"auth\":{}}"));
    }

    private void waitForSends(int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (producer.history().size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + count + " record(s) sent to Kafka, saw "
                    + producer.history().size());
            }
            Thread.sleep(5);
        }
    }

    private CompletableFuture<HttpResponse<String>> post(String path, String type, byte[] body) {
        return send(request(path, type, body).build());
    }

    private HttpRequest.Builder request(String path, String type, byte[] body) {
        return HttpRequest.newBuilder(uri(path)).header("Content-Type", type)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    }

    private CompletableFuture<HttpResponse<String>> send(HttpRequest request) {
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.address().getPort() + path);
    }

    private static byte[] gzip(byte[] raw) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(raw);
        }
        return out.toByteArray();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
