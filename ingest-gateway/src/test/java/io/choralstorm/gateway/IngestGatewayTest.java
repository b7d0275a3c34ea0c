package io.choralstorm.gateway;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.undertow.Undertow;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.SameThreadExecutor;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** The gateway over real HTTP, in front of real HTTP servers that stand in for three clusters. */
public class IngestGatewayTest {
    private final List<FakeCluster> clusters = new ArrayList<>();
    private IngestGateway gateway;
    private ClusterRouter router;
    private final HttpClient client = HttpClient.newHttpClient();

    @Before
    public void start() {
        for (int i = 0; i < 3; i++) {
            clusters.add(new FakeCluster());
        }
        List<String> urls = new ArrayList<>();
        clusters.forEach(cluster -> urls.add(cluster.url()));
        router = new ClusterRouter(urls);
        gateway = startGateway(5_000);
    }

    @After
    public void stop() {
        gateway.close();
        clusters.forEach(FakeCluster::stop);
    }

    @Test
    public void eachDeviceReachesItsOwnClusterEveryTime() throws Exception {
        for (int i = 0; i < 30; i++) {
            String device = "sensor-" + i;

            HttpResponse<String> first = post(frame(device));
            HttpResponse<String> second = post(frame(device));

            assertEquals(202, first.statusCode());
            assertEquals(202, second.statusCode());
            FakeCluster expected = clusterAt(router.primary(device));
            assertEquals("both frames of " + device + " at its cluster", 2, expected.countFor(device));
        }
    }

    @Test
    public void deviceFailsOverWhenItsClusterIsDown() throws Exception {
        String device = "sensor-7";
        FakeCluster primary = clusterAt(router.primary(device));
        FakeCluster next = clusterAt(router.cluster(router.order(device)[1]));
        primary.stop();

        HttpResponse<String> answer = post(frame(device));

        assertEquals(202, answer.statusCode());
        assertEquals("the frame went to the next cluster in the device's order", 1, next.countFor(device));
    }

    @Test
    public void clusterWhoseKafkaIsDownIsSkipped() throws Exception {
        String device = "sensor-8";
        clusterAt(router.primary(device)).answer(503, "{\"error\":{\"code\":\"kafka_unavailable\"}}", "2");
        FakeCluster next = clusterAt(router.cluster(router.order(device)[1]));

        assertEquals(202, post(frame(device)).statusCode());
        assertEquals(1, next.countFor(device));
    }

    @Test
    public void clusterRefusalsArePassedThroughWithRetryAfter() throws Exception {
        String device = "sensor-9";
        clusterAt(router.primary(device)).answer(429, "{\"error\":{\"code\":\"rate_limited\"}}", "3");

        HttpResponse<String> answer = post(frame(device));

        assertEquals(429, answer.statusCode());
        assertEquals("{\"error\":{\"code\":\"rate_limited\"}}", answer.body());
        assertEquals("3", answer.headers().firstValue("Retry-After").orElse(""));
    }

    @Test
    public void invalidFrameIsRefusedAtTheGatewayAndReachesNoCluster() throws Exception {
        HttpResponse<String> answer = post(frame("sensor-1").replace("1700000000000", "1700000000000000"));

        assertEquals(400, answer.statusCode());
        assertTrue(answer.body(), answer.body().contains("timestamp_in_microseconds"));
        for (FakeCluster cluster : clusters) {
            assertEquals("no cluster may see a refused frame", 0, cluster.received.size());
        }
    }

    @Test
    public void allClustersDownIsAnswered503WithRetryAfter() throws Exception {
        clusters.forEach(FakeCluster::stop);

        HttpResponse<String> answer = post(frame("sensor-2"));

        assertEquals(503, answer.statusCode());
        assertTrue(answer.body(), answer.body().contains("no_cluster_available"));
        assertTrue(answer.headers().firstValue("Retry-After").isPresent());
    }

    @Test
    public void clustersThatNeverAnswerGive504AfterEachWasTried() throws Exception {
        clusters.forEach(FakeCluster::neverAnswer);
        restartGateway(1_000);

        HttpResponse<String> answer = post(frame("sensor-3"));

        assertEquals(answer.body(), 504, answer.statusCode());
        assertTrue(answer.body(), answer.body().contains("cluster_timeout"));
        assertTrue(answer.headers().firstValue("Retry-After").isPresent());
        for (FakeCluster cluster : clusters) {
            assertEquals("every cluster was tried once", 1, cluster.countFor("sensor-3"));
        }
    }

    @Test
    public void aClusterThatTimedOutBeforeOthersThatCannotBeReachedGives504() throws Exception {
        String device = "sensor-4";
        String[] order = firstSilentSecondDown(device);
        clusterAt(order[2]).stop();
        restartGateway(1_000);

        HttpResponse<String> answer = post(frame(device));

        assertEquals(answer.body(), 504, answer.statusCode());
        assertEquals("the frame reached the silent cluster", 1, clusterAt(order[0]).countFor(device));
    }

    @Test
    public void theLastClusters5xxIsPassedOnAfterAnEarlierTimedOut() throws Exception {
        String device = "sensor-5";
        String[] order = firstSilentSecondDown(device);
        clusterAt(order[2]).answer(503, "{\"error\":{\"code\":\"kafka_unavailable\"}}", "4");
        restartGateway(1_000);

        HttpResponse<String> answer = post(frame(device));

        assertEquals(answer.body(), 503, answer.statusCode());
        assertEquals("{\"error\":{\"code\":\"kafka_unavailable\"}}", answer.body());
        assertEquals("4", answer.headers().firstValue("Retry-After").orElse(""));
    }

    private IngestGateway startGateway(long upstreamTimeoutMs) {
        IngestGateway started = new IngestGateway(new GatewayConfig(Map.of(GatewayConfig.HTTP_PORT, "0",
            GatewayConfig.HTTP_HOST, "127.0.0.1", GatewayConfig.CLUSTERS, String.join(",", router.clusters()),
            GatewayConfig.CLUSTER_RETRY_MS, "60000", GatewayConfig.UPSTREAM_TIMEOUT_MS,
            String.valueOf(upstreamTimeoutMs))));
        started.start();
        return started;
    }

    private void restartGateway(long upstreamTimeoutMs) {
        gateway.close();
        gateway = startGateway(upstreamTimeoutMs);
    }

    /** The device's clusters in the order it tries them, the first made silent and the second stopped. */
    private String[] firstSilentSecondDown(String device) {
        String[] urls = new String[clusters.size()];
        int[] order = router.order(device);
        for (int i = 0; i < order.length; i++) {
            urls[i] = router.cluster(order[i]);
        }
        clusterAt(urls[0]).neverAnswer();
        clusterAt(urls[1]).stop();
        return urls;
    }

    private HttpResponse<String> post(String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.address().getPort() + "/"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private FakeCluster clusterAt(String url) {
        return clusters.stream().filter(c -> c.url().equals(url)).findFirst().orElseThrow();
    }

    private static String frame(String device) {
        return "{\"device_id\":\"" + device + "\",\"device_data\":{\"t\":1},\"device_timestamp\":1700000000000}";
    }

    /** A real HTTP server that records what it receives and answers 202 unless told otherwise. */
    private static final class FakeCluster {
        final ConcurrentLinkedQueue<String> received = new ConcurrentLinkedQueue<>();
        private final Map<String, Object> reply = new HashMap<>(Map.of("status", 202, "body", "{\"accepted\":1}"));
        private boolean silent;
        private final Undertow server;
        private final int port;

        FakeCluster() {
            server = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(this::handle).build();
            server.start();
            port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        }

        String url() {
            return "http://127.0.0.1:" + port;
        }

        synchronized void answer(int status, String body, String retryAfter) {
            reply.put("status", status);
            reply.put("body", body);
            reply.put("retryAfter", retryAfter);
        }

        /** Takes each request and leaves it unanswered, as a cluster stuck behind its Kafka would. */
        synchronized void neverAnswer() {
            silent = true;
        }

        long countFor(String device) {
            return received.stream().filter(body -> body.contains("\"" + device + "\"")).count();
        }

        void stop() {
            server.stop();
        }

        private void handle(HttpServerExchange exchange) {
            exchange.getRequestReceiver().receiveFullString((ex, body) -> {
                received.add(body);
                synchronized (this) {
                    if (silent) {
                        ex.dispatch(SameThreadExecutor.INSTANCE, (Runnable) () -> { });
                        return;
                    }
                    ex.setStatusCode((Integer) reply.get("status"));
                    ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
                    if (reply.get("retryAfter") != null) {
                        ex.getResponseHeaders().put(new HttpString("Retry-After"), (String) reply.get("retryAfter"));
                    }
                    ex.getResponseSender().send((String) reply.get("body"));
                }
            });
        }
    }
}
