package io.choralstorm.edge;

import io.choralstorm.cluster.ClusterHttpConfig;
import io.choralstorm.cluster.ClusterHttpServer;
import io.choralstorm.cluster.FramePublisher;
import io.choralstorm.gateway.GatewayConfig;
import io.choralstorm.gateway.IngestGateway;
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
 * Every case of the frame corpus sent over real HTTP to the real gateway, in front of a real
 * cluster server (open mode, Kafka's MockProducer acknowledging at once): the device sees the same
 * documented answer as at the cluster, whether the gateway refuses the body itself or passes the
 * cluster's answer through, and exactly the case's frames reach Kafka.
 */
@RunWith(Parameterized.class)
public class GatewayCorpusTest {
    private static MockProducer<String, byte[]> producer;
    private static ClusterHttpServer cluster;
    private static IngestGateway gateway;
    private static HttpClient client;
    private static URI endpoint;

    private final FrameValidator validator = new FrameValidator(ValidationPolicy.defaults());
    private final CorpusCase c;

    public GatewayCorpusTest(CorpusCase c) {
        this.c = c;
    }

    @Parameters(name = "{0}")
    public static List<Object[]> cases() {
        return Corpus.asParameters(Corpus.load());
    }

    @BeforeClass
    public static void startGatewayAndCluster() {
        producer = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
        cluster = new ClusterHttpServer(new ClusterHttpConfig(Map.of(ClusterHttpConfig.HTTP_PORT, "0",
            ClusterHttpConfig.AUTH_MODE, ClusterHttpConfig.AUTH_OPEN)),
            new FramePublisher(producer, "choraldatastream"));
        cluster.start();
        gateway = new IngestGateway(new GatewayConfig(Map.of(GatewayConfig.HTTP_PORT, "0",
            GatewayConfig.HTTP_HOST, "127.0.0.1",
            GatewayConfig.CLUSTERS, "http://127.0.0.1:" + cluster.address().getPort())));
        gateway.start();
        client = CorpusHttp.client();
        endpoint = URI.create("http://127.0.0.1:" + gateway.address().getPort() + "/");
    }

    @AfterClass
    public static void stopGatewayAndCluster() {
        gateway.close();
        cluster.close();
    }

    @Test
    public void caseGetsItsDocumentedAnswerThroughTheGateway() throws Exception {
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
