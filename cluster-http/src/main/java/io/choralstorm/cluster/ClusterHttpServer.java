package io.choralstorm.cluster;

import io.choralstorm.cluster.admission.DeviceRateLimiter;
import io.choralstorm.cluster.auth.DeviceAuthenticator;
import io.choralstorm.cluster.auth.RegistryAuthenticator;
import io.choralstorm.edge.EdgeResponses;
import io.choralstorm.edge.EdgeSettings;
import io.choralstorm.protocol.FrameValidator;
import io.undertow.Undertow;
import io.undertow.server.RoutingHandler;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One cluster's HTTP server: {@code POST /} (the original device path), {@code POST /v1/frames}
 * and {@code GET /health}. Frames are validated, their devices authenticated against the shared
 * registry and rate-limited, and the frames published to the cluster's Kafka topic.
 */
public final class ClusterHttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterHttpServer.class);

    private final ClusterHttpConfig config;
    private final FramePublisher publisher;
    private DeviceAuthenticator authenticator;
    private Undertow undertow;

    public ClusterHttpServer(ClusterHttpConfig config) {
        this(config, FramePublisher.create(config, "choral-cluster-http"));
    }

    /** A server whose devices are authenticated as {@value ClusterHttpConfig#AUTH_MODE} says, from {@link #start}. */
    public ClusterHttpServer(ClusterHttpConfig config, FramePublisher publisher) {
        this(config, publisher, null);
    }

    public ClusterHttpServer(ClusterHttpConfig config, FramePublisher publisher, DeviceAuthenticator authenticator) {
        this.config = config;
        this.publisher = publisher;
        this.authenticator = authenticator;
    }

    /** Starts listening; on failure (e.g. the registry is unreachable) releases what it holds and throws. */
    public void start() {
        try {
            listen();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private void listen() {
        if (authenticator == null) {
            authenticator = authenticatorFor(config);
        }
        DeviceRateLimiter rateLimiter = new DeviceRateLimiter(
            config.getInt(ClusterHttpConfig.RATE_LIMIT_FRAMES_PER_SECOND),
            config.getInt(ClusterHttpConfig.RATE_LIMIT_BURST_FRAMES),
            config.getInt(ClusterHttpConfig.AUTH_CACHE_MAX_DEVICES), System::nanoTime);
        FrameIngestHandler ingest = new FrameIngestHandler(EdgeSettings.bodyReader(config),
            new FrameValidator(config.validationPolicy()), authenticator, rateLimiter, publisher,
            config.getInt(ClusterHttpConfig.KAFKA_ANSWER_TIMEOUT_MS), System::currentTimeMillis);
        RoutingHandler routes = new RoutingHandler()
            .post("/", ingest)
            .post("/v1/frames", ingest)
            .get("/health", exchange -> EdgeResponses.sendJson(exchange, 200, health()))
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
        LOG.info("cluster-http: listening on {} and publishing to topic {}; device rate limit {}", address(),
            publisher.topic(), rateLimiter.describe());
    }

    private static DeviceAuthenticator authenticatorFor(ClusterHttpConfig config) {
        if (ClusterHttpConfig.AUTH_OPEN.equals(config.getString(ClusterHttpConfig.AUTH_MODE))) {
            LOG.warn("cluster-http: DEVICE AUTHENTICATION IS OFF ({}={}): any device_id is accepted with any secret "
                + "or none. Use this only in a lab; set {}={} to check secrets.", ClusterHttpConfig.AUTH_MODE,
                ClusterHttpConfig.AUTH_OPEN, ClusterHttpConfig.AUTH_MODE, ClusterHttpConfig.AUTH_REGISTRY);
            return DeviceAuthenticator.open();
        }
        RegistryAuthenticator registry = RegistryAuthenticator.connect(
            config.getString(ClusterHttpConfig.REGISTRY_CONTACT_POINTS),
            config.getString(ClusterHttpConfig.REGISTRY_LOCAL_DATACENTER),
            config.getString(ClusterHttpConfig.REGISTRY_KEYSPACE),
            Duration.ofMillis(config.getInt(ClusterHttpConfig.REGISTRY_REQUEST_TIMEOUT_MS)),
            Duration.ofMillis(config.getLong(ClusterHttpConfig.AUTH_CACHE_TTL_MS)),
            Duration.ofMillis(config.getLong(ClusterHttpConfig.AUTH_CACHE_STALE_MAX_MS)),
            config.getInt(ClusterHttpConfig.AUTH_CACHE_MAX_DEVICES),
            config.getInt(ClusterHttpConfig.AUTH_HASH_THREADS),
            config.getInt(ClusterHttpConfig.AUTH_HASH_MAX_QUEUED));
        LOG.info("cluster-http: devices are authenticated by the {}", registry.describe());
        return registry;
    }

    /** Whether Kafka takes records, and the authenticator's counters: {"status":"up",...,"auth":{...}}. */
    private String health() {
        StringBuilder json = new StringBuilder("{\"status\":\"up\",\"topic\":\"").append(publisher.topic())
            .append("\",\"kafka\":\"").append(publisher.available() ? "available" : "unavailable")
            .append("\",\"auth\":{");
        String separator = "";
        for (Map.Entry<String, Long> counter : authenticator.counters().entrySet()) {
            json.append(separator).append('"').append(counter.getKey()).append("\":").append(counter.getValue());
            separator = ",";
        }
        return json.append("}}").toString();
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
        if (authenticator != null) {
            authenticator.close();
        }
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
