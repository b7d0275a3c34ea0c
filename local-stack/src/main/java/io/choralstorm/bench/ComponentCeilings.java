package io.choralstorm.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import io.choralstorm.cluster.ClusterHttpConfig;
import io.choralstorm.cluster.ClusterHttpServer;
import io.choralstorm.cluster.FramePublisher;
import io.choralstorm.gateway.GatewayConfig;
import io.choralstorm.gateway.IngestGateway;
import io.choralstorm.protocol.Frame;
import io.choralstorm.protocol.FrameValidator;
import io.choralstorm.protocol.ValidationPolicy;
import io.choralstorm.topology.config.TopologySettings;
import io.choralstorm.topology.storage.CassandraSessions;
import io.choralstorm.topology.storage.CqlFrameStore;
import io.choralstorm.topology.storage.InFlightLimiter;
import io.choralstorm.topology.view.DeviceFrames;
import io.choralstorm.topology.view.RedisViewStore;
import io.choralstorm.topology.view.ViewKeys;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import redis.clients.jedis.JedisPooled;

/**
 * What each component alone sustains on this machine, doing the work it does in the pipeline:
 * Kafka produce with the cluster server's producer settings and record size, Cassandra writes
 * through the topology's store and concurrency, Redis view updates through the topology's script,
 * and HTTP accept (validation included) with no Kafka behind it.
 */
public final class ComponentCeilings {
    /** Topic of the produce ceiling, apart from the one the topology reads. */
    public static final String BENCH_TOPIC = "choral.bench.ceiling";
    private static final int DEVICES = 1000;

    private final Duration duration;
    private final FrameValidator validator = new FrameValidator(ValidationPolicy.defaults());
    private final BenchFrames frames = new BenchFrames("ceiling-", DEVICES, Map.of());

    public ComponentCeilings(Duration duration) {
        this.duration = duration;
    }

    /** Records per second acknowledged by Kafka (acks=all, idempotent, lz4). */
    public double kafkaProduce(String bootstrap) throws Exception {
        createTopic(bootstrap);
        ClusterHttpConfig config = new ClusterHttpConfig(Map.of(ClusterHttpConfig.KAFKA_BOOTSTRAP_SERVERS, bootstrap,
            ClusterHttpConfig.KAFKA_TOPIC, BENCH_TOPIC));
        try (FramePublisher publisher = FramePublisher.create(config, "choral-bench")) {
            Semaphore inFlight = new Semaphore(20_000);
            AtomicReference<Exception> failure = new AtomicReference<>();
            return timed((n, done) -> {
                inFlight.acquire();
                publisher.publish(List.of(frame(n)), error -> {
                    if (error != null) {
                        failure.compareAndSet(null, error);
                    }
                    done.incrementAndGet();
                    inFlight.release();
                });
                rethrow(failure);
            }, () -> {
                inFlight.acquire(20_000);
                inFlight.release(20_000);
            });
        }
    }

    /**
     * Frames per second written by the topology's Cassandra store (one raw row and one row per metric), on a
     * session of its own as the bolt has.
     */
    public double cassandraWrites(TopologySettings settings) throws Exception {
        int maxInFlight = settings.get(TopologySettings.STORAGE_MAX_IN_FLIGHT);
        CqlSession session = CassandraSessions.open(settings);
        try (CqlFrameStore store = new CqlFrameStore(session, settings.cassandraKeyspace(),
                new InFlightLimiter(maxInFlight, 30_000))) {
            AtomicReference<Exception> failure = new AtomicReference<>();
            Semaphore outstanding = new Semaphore(maxInFlight * 4);
            return timed((n, done) -> {
                outstanding.acquire();
                store.write(frame(n)).whenComplete((ok, error) -> {
                    if (error != null) {
                        failure.compareAndSet(null, new IllegalStateException(error));
                    }
                    done.incrementAndGet();
                    outstanding.release();
                });
                rethrow(failure);
            }, () -> {
                outstanding.acquire(maxInFlight * 4);
                outstanding.release(maxInFlight * 4);
            });
        }
    }

    /** Frames per second merged into the view by the topology's script, batched and grouped as the flusher does. */
    public double redisViewUpdates(String redisUrl, long windowMs, long horizonMs, int batchMax) throws Exception {
        try (JedisPooled jedis = new JedisPooled(java.net.URI.create(redisUrl));
             RedisViewStore store = new RedisViewStore(jedis, new ViewKeys("bench-ceiling"), windowMs, horizonMs)) {
            long[] next = {0};
            return timed((n, done) -> {
                if (n % batchMax != 0) {
                    return;
                }
                Map<String, List<Frame>> byDevice = new LinkedHashMap<>();
                for (int i = 0; i < batchMax; i++) {
                    Frame frame = frame(next[0]++);
                    byDevice.computeIfAbsent(frame.deviceId(), id -> new ArrayList<>()).add(frame);
                }
                List<DeviceFrames> batch = new ArrayList<>();
                byDevice.forEach((device, deviceFrames) -> batch.add(new DeviceFrames(device, deviceFrames)));
                store.apply(batch);
                done.addAndGet(batchMax);
            }, () -> { });
        }
    }

    /** Requests per second the cluster HTTP server answers (validation included) with Kafka replaced by a stub. */
    public double httpAccept(int connections) throws Exception {
        MockProducer<String, byte[]> producer =
            new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
        try (ClusterHttpServer server = stubCluster(producer)) {
            return closedLoop(server.address(), connections, producer);
        }
    }

    /** The same through the gateway in front of that server: what relaying costs. */
    public double gatewayRelay(int connections) throws Exception {
        MockProducer<String, byte[]> producer =
            new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
        try (ClusterHttpServer server = stubCluster(producer);
             IngestGateway gateway = new IngestGateway(new GatewayConfig(Map.of(GatewayConfig.HTTP_PORT, "0",
                 GatewayConfig.HTTP_HOST, "127.0.0.1",
                 GatewayConfig.CLUSTERS, "http://127.0.0.1:" + server.address().getPort())))) {
            gateway.start();
            return closedLoop(gateway.address(), connections, producer);
        }
    }

    private static ClusterHttpServer stubCluster(MockProducer<String, byte[]> producer) {
        ClusterHttpConfig config = new ClusterHttpConfig(Map.of(ClusterHttpConfig.HTTP_PORT, "0",
            ClusterHttpConfig.AUTH_MODE, ClusterHttpConfig.AUTH_OPEN));
        ClusterHttpServer server = new ClusterHttpServer(config, new FramePublisher(producer, "stub"));
        server.start();
        return server;
    }

    private double closedLoop(InetSocketAddress address, int connections, MockProducer<String, byte[]> producer) {
        new HttpLoadGenerator(address, connections).run(0, duration.dividedBy(2), (n, due) -> request(address, n),
            (n, status, latency) -> producer.clear(), Duration.ofSeconds(5));
        AtomicLong accepted = new AtomicLong();
        long start = System.nanoTime();
        new HttpLoadGenerator(address, connections).run(0, duration, (n, due) -> request(address, n),
            (n, status, latency) -> {
                if (status == 202) {
                    accepted.incrementAndGet();
                }
                producer.clear();
            }, Duration.ofSeconds(5));
        return accepted.get() / ((System.nanoTime() - start) / 1e9);
    }

    private byte[] request(InetSocketAddress address, long n) {
        int device = frames.deviceOf(n);
        String body = frames.frame(device, frames.nextTimestamp(device, System.currentTimeMillis()));
        return HttpLoadGenerator.post(address.getHostString(), "/v1/frames", "",
            body.getBytes(StandardCharsets.UTF_8));
    }

    private Frame frame(long n) throws Exception {
        int device = frames.deviceOf(n);
        long now = System.currentTimeMillis();
        String json = frames.frame(device, frames.nextTimestamp(device, now));
        return validator.parseDeviceFrame(json.getBytes(StandardCharsets.UTF_8), now).frame();
    }

    /**
     * Runs {@code step} for frame 0, 1, ... for half the duration untimed (the JIT compiles the hot code
     * meanwhile), then for the duration, each followed by {@code drain}; returns done/s of the second run.
     */
    private double timed(Step step, Drain drain) throws Exception {
        AtomicLong done = new AtomicLong();
        long next = run(step, done, 0, duration.dividedBy(2).toNanos());
        drain.run();
        done.set(0);
        long start = System.nanoTime();
        run(step, done, next, duration.toNanos());
        drain.run();
        return done.get() / ((System.nanoTime() - start) / 1e9);
    }

    /** Runs {@code step} from frame {@code first} for {@code nanos}; returns the next frame number. */
    private static long run(Step step, AtomicLong done, long first, long nanos) throws Exception {
        long end = System.nanoTime() + nanos;
        long n = first;
        while (System.nanoTime() < end) {
            step.run(n++, done);
        }
        return n;
    }

    private static void createTopic(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(BENCH_TOPIC, 4, (short) 1))).all().get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    private static void rethrow(AtomicReference<Exception> failure) throws Exception {
        Exception error = failure.get();
        if (error != null) {
            throw error;
        }
    }

    @FunctionalInterface
    private interface Step {
        void run(long n, AtomicLong done) throws Exception;
    }

    @FunctionalInterface
    private interface Drain {
        void run() throws Exception;
    }
}
