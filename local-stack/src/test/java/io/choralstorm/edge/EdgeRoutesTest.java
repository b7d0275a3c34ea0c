package io.choralstorm.edge;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.choralstorm.cluster.ClusterHttpConfig;
import io.choralstorm.cluster.ClusterHttpServer;
import io.choralstorm.cluster.FramePublisher;
import io.choralstorm.gateway.GatewayConfig;
import io.choralstorm.gateway.IngestGateway;
import io.choralstorm.protocol.corpus.CorpusHttp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The routes docs/protocol.md promises, on the gateway and on a cluster server alike: frames on
 * POST / and POST /v1/frames (a query string is ignored), GET /health, 404 for other paths and
 * 405 for other methods, each with a JSON body.
 */
public class EdgeRoutesTest {
    private static final String FRAME = "{\"device_id\":\"t-01\",\"device_data\":{\"temperature\":21.5}}";

    private final HttpClient client = CorpusHttp.client();
    private ClusterHttpServer cluster;
    private IngestGateway gateway;

    @Before
    public void startGatewayAndCluster() {
        cluster = new ClusterHttpServer(new ClusterHttpConfig(Map.of(ClusterHttpConfig.HTTP_PORT, "0",
            ClusterHttpConfig.AUTH_MODE, ClusterHttpConfig.AUTH_OPEN)), new FramePublisher(
            new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer()), "choraldatastream"));
        cluster.start();
        gateway = new IngestGateway(new GatewayConfig(Map.of(GatewayConfig.HTTP_PORT, "0",
            GatewayConfig.HTTP_HOST, "127.0.0.1",
            GatewayConfig.CLUSTERS, "http://127.0.0.1:" + cluster.address().getPort())));
        gateway.start();
    }

    @After
    public void stopGatewayAndCluster() {
        gateway.close();
        cluster.close();
    }

    @Test
    public void framesAreTakenOnBothPathsAndAQueryStringIsIgnored() throws Exception {
        for (String base : servers()) {
            for (String path : List.of("/", "/v1/frames", "/v1/frames?firmware=1.2")) {
                HttpResponse<String> answer = send(base, path, "POST");

                assertEquals(base + path + ": " + answer.body(), 202, answer.statusCode());
            }
        }
    }

    @Test
    public void healthAnswersUp() throws Exception {
        for (String base : servers()) {
            HttpResponse<String> answer = send(base, "/health", "GET");

            assertEquals(base, 200, answer.statusCode());
            assertTrue(answer.body(), answer.body().contains("\"status\":\"up\""));
        }
    }

    @Test
    public void otherPathsAre404AndOtherMethods405() throws Exception {
        for (String base : servers()) {
            HttpResponse<String> path = send(base, "/frames", "POST");
            HttpResponse<String> method = send(base, "/v1/frames", "PUT");

            assertEquals(base + " " + path.body(), 404, path.statusCode());
            assertTrue(path.body(), path.body().contains("\"code\":\"not_found\""));
            assertEquals(base + " " + method.body(), 405, method.statusCode());
            assertTrue(method.body(), method.body().contains("\"code\":\"method_not_allowed\""));
        }
    }

    private List<String> servers() {
        return List.of("http://127.0.0.1:" + gateway.address().getPort(),
            "http://127.0.0.1:" + cluster.address().getPort());
    }

    private HttpResponse<String> send(String base, String path, String method) throws Exception {
        HttpRequest.BodyPublisher body = method.equals("GET") ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(FRAME);
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json").method(method, body).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
