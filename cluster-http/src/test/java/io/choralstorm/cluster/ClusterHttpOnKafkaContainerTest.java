package io.choralstorm.cluster;

import static org.junit.Assert.assertEquals;
import static org.junit.Assume.assumeTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The cluster server against a broker in a container, for machines with a Docker engine. Where
 * there is none the test is skipped; the local stack's end-to-end test covers a real broker there.
 */
public class ClusterHttpOnKafkaContainerTest {
    private static final String FRAME = "{\"device_id\":\"t-01\",\"device_data\":{\"temperature\":21.5},"
        + "\"device_timestamp\":1700000000000}";

    @Test
    public void acceptedFrameIsInTheTopic() throws Exception {
        assumeTrue("needs a Docker engine", DockerClientFactory.instance().isDockerAvailable());

        try (KafkaContainer kafka = new KafkaContainer("apache/kafka:4.1.1")) {
            kafka.start();
            ClusterHttpConfig config = new ClusterHttpConfig(Map.of(ClusterHttpConfig.HTTP_PORT, "0",
                ClusterHttpConfig.KAFKA_BOOTSTRAP_SERVERS, kafka.getBootstrapServers(),
                ClusterHttpConfig.KAFKA_MAX_BLOCK_MS, "20000",
                ClusterHttpConfig.AUTH_MODE, ClusterHttpConfig.AUTH_OPEN));
            try (ClusterHttpServer server = new ClusterHttpServer(config)) {
                server.start();
                HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.address().getPort() + "/v1/frames"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(FRAME)).build(), HttpResponse.BodyHandlers.ofString());

                assertEquals(answer.body(), 202, answer.statusCode());
                assertEquals("one record in the topic", 1, countRecords(kafka.getBootstrapServers()));
            }
        }
    }

    private static int countRecords(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "check");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, byte[]> consumer =
                 new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("choraldatastream"));
            ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofSeconds(20));
            return records.count();
        }
    }
}
