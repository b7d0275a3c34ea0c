package io.choralstorm.cluster;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.choralstorm.cluster.auth.RegistryAuthenticator;
import io.choralstorm.devices.DeviceRegistry;
import io.choralstorm.devices.DeviceVerifier;
import io.choralstorm.devices.InMemoryDeviceStore;
import io.choralstorm.devices.SecretGenerator;
import io.choralstorm.devices.SecretHasher;
import io.choralstorm.protocol.FrameValidator;
import io.choralstorm.protocol.ValidationPolicy;
import io.choralstorm.protocol.corpus.Corpus;
import io.choralstorm.protocol.corpus.CorpusCase;
import io.choralstorm.protocol.corpus.CorpusHttp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * Issue 3, item 7: frames exactly as the 2017 simulators sent them (the corpus's poc-* cases: the
 * Java, JavaScript and Python simulators and the Particle firmware) are accepted by a cluster that
 * checks secrets, once their devices are registered with the secrets that firmware carries; before
 * that they are refused 401, and the POC's known mistakes stay refused 400 either way.
 */
public class PocCompatibilityTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final InMemoryDeviceStore store = new InMemoryDeviceStore();
    private final SecretHasher hasher = new SecretHasher(1_000, new SecureRandom());
    private final DeviceRegistry registry = new DeviceRegistry(store, hasher, new SecretGenerator(), Clock.systemUTC());
    private final ExecutorService hashWorkers = Executors.newSingleThreadExecutor();
    private final HttpClient client = CorpusHttp.client();
    private final List<CorpusCase> pocCases = Corpus.load().stream().filter(c -> c.name().startsWith("poc-"))
        .collect(Collectors.toList());
    private MockProducer<String, byte[]> producer;
    private ClusterHttpServer server;
    private URI endpoint;

    @Before
    public void startCheckingServer() {
        producer = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
        DeviceVerifier verifier = DeviceVerifier.create(store, Duration.ofSeconds(5), Duration.ofMinutes(10), 1000,
            hashWorkers);
        server = new ClusterHttpServer(new ClusterHttpConfig(Map.of(ClusterHttpConfig.HTTP_PORT, "0")),
            new FramePublisher(producer, "choraldatastream"),
            new RegistryAuthenticator(verifier, store, hashWorkers, "in-memory test registry"));
        server.start();
        endpoint = URI.create("http://127.0.0.1:" + server.address().getPort() + "/");
    }

    @After
    public void stop() {
        server.close();
        hashWorkers.shutdownNow();
    }

    @Test
    public void pocFramesAreRefusedUntilTheirDevicesAreRegistered() throws Exception {
        for (CorpusCase c : pocCases) {
            HttpResponse<String> answer = CorpusHttp.send(client, endpoint, c);

            int expected = c.status() == 202 ? 401 : c.status();
            assertEquals(c.name() + " before registration: " + answer.body(), expected, answer.statusCode());
        }
        assertTrue("nothing published", producer.history().isEmpty());
    }

    @Test
    public void pocFramesAreAcceptedOnceTheirDevicesAreRegisteredWithTheirFirmwareSecrets() throws Exception {
        registerPocDevices();
        FrameValidator validator = new FrameValidator(ValidationPolicy.defaults());

        for (CorpusCase c : pocCases) {
            int before = producer.history().size();

            HttpResponse<String> answer = CorpusHttp.send(client, endpoint, c);

            CorpusHttp.assertAnswer(c, answer);
            CorpusHttp.assertPublished(c, producer.history().subList(before, producer.history().size()).stream()
                .map(record -> record.value()).collect(Collectors.toList()), validator);
        }
        assertTrue("the POC's accepted frames are the most of them", producer.history().size() >= 7);
    }

    /** Each POC device once, with the secret its simulator or firmware sends. */
    private void registerPocDevices() throws Exception {
        Map<String, String> secrets = new HashMap<>();
        for (CorpusCase c : pocCases) {
            if (c.status() == 202) {
                JsonNode frame = JSON.readTree(c.body());
                secrets.put(frame.path("device_id").asText(), frame.path("user_secret").asText());
            }
        }
        secrets.forEach((id, secret) -> registry.register(id, secret, false));
    }
}
