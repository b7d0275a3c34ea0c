package io.choralstorm.gateway;

import io.choralstorm.edge.EdgeResponses;
import io.choralstorm.edge.EdgeSettings;
import io.choralstorm.protocol.FrameValidator;
import io.undertow.Undertow;
import io.undertow.connector.ByteBufferPool;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.server.RoutingHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;
import org.xnio.XnioWorker;
import org.slf4j.LoggerFactory;

/**
 * The one endpoint devices know: {@code POST /} and {@code POST /v1/frames} relay frames to the
 * device's cluster; {@code GET /health} answers for the gateway itself.
 */
public final class IngestGateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IngestGateway.class);

    private final GatewayConfig config;
    /** Size of the I/O buffers shared by the listener and the upstream connections. */
    private static final int BUFFER_BYTES = 16 * 1024;

    private final List<UpstreamPool> pools = new ArrayList<>();
    private XnioWorker worker;
    private Undertow undertow;

    public IngestGateway(GatewayConfig config) {
        this.config = config;
    }

    public void start() {
        List<String> clusters = config.clusters().stream().map(URI::toString).map(IngestGateway::trimSlash)
            .collect(Collectors.toList());
        worker = createWorker(config.getInt(GatewayConfig.HTTP_IO_THREADS));
        ByteBufferPool buffers = new DefaultByteBufferPool(true, BUFFER_BYTES);
        for (String cluster : clusters) {
            pools.add(new UpstreamPool(URI.create(cluster), worker, buffers,
                config.getInt(GatewayConfig.UPSTREAM_CONNECTIONS), config.getInt(GatewayConfig.UPSTREAM_TIMEOUT_MS)));
        }
        ClusterRelay relay = new ClusterRelay(new ClusterRouter(clusters), pools,
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
            .setWorker(worker)
            .setByteBufferPool(buffers)
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
        pools.forEach(UpstreamPool::close);
        pools.clear();
        if (worker != null) {
            worker.shutdown();
            worker = null;
        }
        LOG.info("gateway: stopped");
    }

    /** One XNIO worker for the listener and the upstream connections: relaying adds no threads. */
    private static XnioWorker createWorker(int ioThreads) {
        try {
            return Xnio.getInstance(Undertow.class.getClassLoader()).createWorker(OptionMap.builder()
                .set(Options.WORKER_IO_THREADS, ioThreads)
                .set(Options.WORKER_TASK_CORE_THREADS, ioThreads * 4)
                .set(Options.WORKER_TASK_MAX_THREADS, ioThreads * 4)
                .set(Options.TCP_NODELAY, true)
                .getMap());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the gateway's I/O threads", e);
        }
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
