package io.choralstorm.cluster;

import io.choralstorm.edge.EdgeResponses;
import io.choralstorm.edge.EdgeSettings;
import io.choralstorm.protocol.FrameValidator;
import io.undertow.Undertow;
import io.undertow.server.RoutingHandler;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One cluster's HTTP server: {@code POST /} (the original device path), {@code POST /v1/frames}
 * and {@code GET /health}. Frames are validated and published to the cluster's Kafka topic.
 */
public final class ClusterHttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterHttpServer.class);

    private final ClusterHttpConfig config;
    private final FramePublisher publisher;
    private Undertow undertow;

    public ClusterHttpServer(ClusterHttpConfig config) {
        this(config, FramePublisher.create(config, "choral-cluster-http"));
    }

    public ClusterHttpServer(ClusterHttpConfig config, FramePublisher publisher) {
        this.config = config;
        this.publisher = publisher;
    }

    public void start() {
        FrameIngestHandler ingest = new FrameIngestHandler(
            EdgeSettings.bodyReader(config),
            new FrameValidator(config.validationPolicy()), publisher, System::currentTimeMillis);
        RoutingHandler routes = new RoutingHandler()
            .post("/", ingest)
            .post("/v1/frames", ingest)
            .get("/health", exchange -> EdgeResponses.sendJson(exchange, 200,
                "{\"status\":\"up\",\"topic\":\"" + publisher.topic() + "\"}"))
            .setFallbackHandler(exchange -> EdgeResponses.sendJson(exchange, 404,
                "{\"error\":{\"code\":\"not_found\",\"message\":\"POST frames to / or /v1/frames\"}}"))
            .setInvalidMethodHandler(exchange -> EdgeResponses.sendJson(exchange, 405,
                "{\"error\":{\"code\":\"method_not_allowed\",\"message\":\"POST frames, GET /health\"}}"));
        undertow = Undertow.builder()
            .addHttpListener(config.getInt(ClusterHttpConfig.HTTP_PORT), config.getString(ClusterHttpConfig.HTTP_HOST))
            .setIoThreads(config.getInt(ClusterHttpConfig.HTTP_IO_THREADS))
            .setHandler(routes)
            .build();
        undertow.start();
        LOG.info("cluster-http: listening on {} and publishing to topic {}", address(), publisher.topic());
    }

    /** The bound address (useful when the configured port is 0). */
    public InetSocketAddress address() {
        return (InetSocketAddress) undertow.getListenerInfo().get(0).getAddress();
    }

    @Override
    public void close() {
        if (undertow != null) {
            undertow.stop();
            undertow = null;
        }
        publisher.close();
        LOG.info("cluster-http: stopped");
    }

    public static void main(String[] args) throws InterruptedException {
        ClusterHttpConfig config = ClusterHttpConfig.load(args.length > 0 ? Path.of(args[0]) : null);
        ClusterHttpServer server = new ClusterHttpServer(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "cluster-http-shutdown"));
        server.start();
        stopped.await();
    }
}
