package io.choralstorm.cluster;

import io.choralstorm.protocol.FrameValidator;
import io.choralstorm.protocol.ValidationPolicy;
import io.choralstorm.protocol.corpus.Corpus;
import io.choralstorm.protocol.corpus.CorpusCase;
import io.choralstorm.protocol.corpus.CorpusHttp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;

/**
 * Every case of the frame corpus (protocol's corpus/index.tsv) sent over real HTTP to a real
 * cluster server with default limits: each gets its documented status, error code, field and
 * indexes, and puts exactly its frames in Kafka (Kafka's MockProducer, acknowledging at once).
 * Authentication is in open mode: which secrets are right is not this contract.
 */
@RunWith(Parameterized.class)
public class ClusterHttpCorpusTest {
    private static final String TOPIC = "choraldatastream";

    private static MockProducer<String, byte[]> producer;
    private static ClusterHttpServer server;
    private static HttpClient client;
    private static URI endpoint;

    private final FrameValidator validator = new FrameValidator(ValidationPolicy.defaults());
    private final CorpusCase c;

    public ClusterHttpCorpusTest(CorpusCase c) {
        this.c = c;
    }

    @Parameters(name = "{0}")
    public static List<Object[]> cases() {
        return Corpus.asParameters(Corpus.load());
    }

    @BeforeClass
    public static void startServer() {
        producer = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
        ClusterHttpConfig config = new ClusterHttpConfig(Map.of(ClusterHttpConfig.HTTP_PORT, "0",
            ClusterHttpConfig.AUTH_MODE, ClusterHttpConfig.AUTH_OPEN));
        server = new ClusterHttpServer(config, new FramePublisher(producer, TOPIC));
        server.start();
        client = CorpusHttp.client();
        endpoint = URI.create("http://127.0.0.1:" + server.address().getPort() + "/v1/frames");
    }

    @AfterClass
    public static void stopServer() {
        server.close();
    }

    @Test
    public void caseGetsItsDocumentedAnswerAndPublishesExactlyItsFrames() throws Exception {
        int before = producer.history().size();

        HttpResponse<String> answer = CorpusHttp.send(client, endpoint, c);

        CorpusHttp.assertAnswer(c, answer);
        CorpusHttp.assertPublished(c, valuesSince(before), validator);
    }

    private static List<byte[]> valuesSince(int before) {
        List<ProducerRecord<String, byte[]>> history = producer.history();
        List<byte[]> values = new ArrayList<>();
        for (ProducerRecord<String, byte[]> record : history.subList(before, history.size())) {
            values.add(record.value());
        }
        return values;
    }
}
