package io.choralstorm.gateway;

import io.choralstorm.edge.EdgeResponses;
import io.choralstorm.edge.EdgeSettings;
import io.choralstorm.protocol.FrameValidator;
import io.undertow.Undertow;
import io.undertow.server.RoutingHandler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one endpoint devices know: {@code POST /} and {@code POST /v1/frames} relay frames to the
 * device's cluster; {@code GET /health} answers for the gateway itself.
 */
public final class IngestGateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IngestGateway.class);

    private final GatewayConfig config;
    private Undertow undertow;
    private ExecutorService relayExecutor;

    public IngestGateway(GatewayConfig config) {
        this.config = config;
    }

    public void start() {
        List<String> clusters = config.clusters().stream().map(URI::toString).map(IngestGateway::trimSlash)
            .collect(Collectors.toList());
        relayExecutor = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "gateway-relay");
            thread.setDaemon(true);
            return thread;
        });
        HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1))
            .executor(relayExecutor)
            .build();
        ClusterRelay relay = new ClusterRelay(new ClusterRouter(clusters), client,
            Duration.ofMillis(config.getInt(GatewayConfig.UPSTREAM_TIMEOUT_MS)),
            config.getInt(GatewayConfig.CLUSTER_RETRY_MS), System::currentTimeMillis);
        RelayHandler handler = new RelayHandler(EdgeSettings.bodyReader(config),
            new FrameValidator(EdgeSettings.validationPolicy(config)), relay, System::currentTimeMillis);

        RoutingHandler routes = new RoutingHandler()
            .post("/", handler)
            .post("/v1/frames", handler)
            .get("/health", exchange -> EdgeResponses.sendJson(exchange, 200,
                "{\"status\":\"up\",\"clusters\":" + clusters.size() + "}"))
            .setFallbackHandler(exchange -> EdgeResponses.sendJson(exchange, 404,
                "{\"error\":{\"code\":\"not_found\",\"message\":\"POST frames to / or /v1/frames\"}}"))
            .setInvalidMethodHandler(exchange -> EdgeResponses.sendJson(exchange, 405,
                "{\"error\":{\"code\":\"method_not_allowed\",\"message\":\"POST frames, GET /health\"}}"));
        undertow = Undertow.builder()
            .addHttpListener(config.getInt(GatewayConfig.HTTP_PORT), config.getString(GatewayConfig.HTTP_HOST))
            .setIoThreads(config.getInt(GatewayConfig.HTTP_IO_THREADS))
            .setHandler(routes)
            .build();
        undertow.start();
        LOG.info("gateway: listening on {}, relaying to {}", address(), clusters);
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) undertow.getListenerInfo().get(0).getAddress();
    }

    @Override
    public void close() {
        if (undertow != null) {
            undertow.stop();
            undertow = null;
        }
        if (relayExecutor != null) {
            relayExecutor.shutdownNow();
        }
        LOG.info("gateway: stopped");
    }

    private static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    public static void main(String[] args) throws InterruptedException {
        IngestGateway gateway = new IngestGateway(GatewayConfig.load(args.length > 0 ? Path.of(args[0]) : null));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.close();
            stopped.countDown();
        }, "gateway-shutdown"));
        gateway.start();
        stopped.await();
    }
}
