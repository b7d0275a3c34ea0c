package io.choralstorm.local;

import com.datastax.oss.driver.api.core.CqlSession;
import io.choralstorm.cluster.ClusterHttpConfig;
import io.choralstorm.cluster.ClusterHttpServer;
import io.choralstorm.gateway.GatewayConfig;
import io.choralstorm.gateway.IngestGateway;
import io.choralstorm.topology.ChoralTopology;
import io.choralstorm.topology.config.TopologySettings;
import io.choralstorm.topology.storage.CassandraSessions;
import io.choralstorm.topology.storage.SchemaApplier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.storm.LocalCluster;
import org.apache.storm.generated.TopologyInfo;
import org.apache.storm.thrift.TException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole pipeline on one machine, every part real: Redis, a Kafka KRaft broker, a Cassandra
 * node (child JVM), the Storm topology in a LocalCluster, one cluster HTTP server and the gateway.
 * Everything it starts is stopped by {@link #close()}, in reverse order.
 */
public final class LocalStack implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);
    private static final Duration TOPOLOGY_READY_TIMEOUT = Duration.ofSeconds(90);

    private final StackConfig config;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final Map<String, String> endpoints = new LinkedHashMap<>();
    private TopologySettings topologySettings;
    private CassandraNode cassandra;
    private LocalCluster storm;
    private long readyMillis;

    public LocalStack(StackConfig config) {
        this.config = config;
    }

    /** Starts every part, reporting each step to {@code progress}; on failure stops what had started. */
    public void start(Consumer<String> progress) {
        long startNanos = System.nanoTime();
        checkPorts();
        Path home = config.home();
        try {
            startStores(home, progress);
            startPipeline(progress);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        readyMillis = (System.nanoTime() - startNanos) / 1_000_000;
        LOG.info("[stack] ready in {} ms: {}", readyMillis, endpoints);
    }

    private void startStores(Path home, Consumer<String> progress) {
        String host = config.host();
        RedisNode redis = new RedisNode(config.getString(StackConfig.REDIS_URL), home.resolve("redis"),
            home.resolve("logs"), host, config.port(StackConfig.REDIS_PORT));
        progress.accept("starting redis");
        redis.start();
        started.push(redis::stop);
        endpoints.put("redis", redis.uri());
        endpoints.put("redis-source", redis.source());

        KafkaBroker kafka = new KafkaBroker(home.resolve("kafka"), host, config.port(StackConfig.KAFKA_PORT),
            config.port(StackConfig.KAFKA_CONTROLLER_PORT));
        progress.accept("starting kafka");
        kafka.start();
        started.push(kafka::stop);
        endpoints.put("kafka", kafka.bootstrapServers());

        CassandraNode.killLeftover(home.resolve("cassandra"));
        cassandra = new CassandraNode(config.cassandraLib(), home.resolve("cassandra"),
            home.resolve("logs"), host, config.port(StackConfig.CASSANDRA_PORT),
            config.port(StackConfig.CASSANDRA_STORAGE_PORT), 0, config.getInt(StackConfig.CASSANDRA_HEAP_MB),
            Duration.ofSeconds(config.getInt(StackConfig.CASSANDRA_START_TIMEOUT_S)));
        progress.accept("starting cassandra (the slowest part, about 10-30 s)");
        cassandra.start();
        started.push(cassandra::stop);
        endpoints.put("cassandra", host + ":" + config.port(StackConfig.CASSANDRA_PORT));

        topologySettings = topologySettings(redis.uri(), kafka.bootstrapServers());
        kafka.createTopics(Map.of(topologySettings.kafkaTopic(), config.getInt(StackConfig.KAFKA_PARTITIONS),
            topologySettings.kafkaDeadLetterTopic(), 1));
        try (CqlSession session = CassandraSessions.open(topologySettings)) {
            SchemaApplier schema = new SchemaApplier(session);
            int statements = schema.applySchema();
            LOG.info("[stack] applied {} schema statements, schema version {}", statements,
                schema.recordedVersion().map(String::valueOf).orElse("none recorded"));
        }
    }

    private void startPipeline(Consumer<String> progress) {
        progress.accept("starting the storm topology");
        storm = startStorm();
        started.push(storm);
        awaitTopologyRunning(storm);
        endpoints.put("storm", "LocalCluster, topology " + topologySettings.topologyName());

        String host = config.host();
        int clusterPort = config.port(StackConfig.CLUSTER_HTTP_PORT);
        ClusterHttpServer clusterHttp = new ClusterHttpServer(new ClusterHttpConfig(Map.of(
            ClusterHttpConfig.HTTP_HOST, host, ClusterHttpConfig.HTTP_PORT, String.valueOf(clusterPort),
            ClusterHttpConfig.KAFKA_BOOTSTRAP_SERVERS, topologySettings.kafkaBootstrapServers(),
            ClusterHttpConfig.KAFKA_TOPIC, topologySettings.kafkaTopic(),
            ClusterHttpConfig.AUTH_MODE, config.getString(StackConfig.AUTH_MODE),
            ClusterHttpConfig.AUTH_CACHE_TTL_MS, String.valueOf(config.getLong(StackConfig.AUTH_CACHE_TTL_MS)),
            ClusterHttpConfig.REGISTRY_CONTACT_POINTS, host + ":" + config.port(StackConfig.CASSANDRA_PORT),
            ClusterHttpConfig.RATE_LIMIT_FRAMES_PER_SECOND,
            String.valueOf(config.getInt(StackConfig.RATE_LIMIT_FRAMES_PER_SECOND)),
            ClusterHttpConfig.RATE_LIMIT_BURST_FRAMES,
            String.valueOf(config.getInt(StackConfig.RATE_LIMIT_BURST_FRAMES)))));
        progress.accept("starting cluster-http and the gateway");
        clusterHttp.start();
        started.push(clusterHttp);
        endpoints.put("cluster-http", "http://" + host + ":" + clusterPort);

        int gatewayPort = config.port(StackConfig.GATEWAY_PORT);
        IngestGateway gateway = new IngestGateway(new GatewayConfig(Map.of(GatewayConfig.HTTP_HOST, host,
            GatewayConfig.HTTP_PORT, String.valueOf(gatewayPort),
            GatewayConfig.CLUSTERS, endpoints.get("cluster-http"))));
        gateway.start();
        started.push(gateway);
        endpoints.put("gateway", "http://" + host + ":" + gatewayPort);
    }

    private LocalCluster startStorm() {
        try {
            LocalCluster cluster = new LocalCluster();
            cluster.submitTopology(topologySettings.topologyName(), ChoralTopology.config(topologySettings),
                ChoralTopology.build(topologySettings));
            return cluster;
        } catch (Exception e) {
            throw new StackException("the storm topology failed to start: " + e.getMessage(), e);
        }
    }

    /** Waits until every executor of the topology runs, so frames sent from now on flow through at once. */
    private void awaitTopologyRunning(LocalCluster storm) {
        long deadline = System.nanoTime() + TOPOLOGY_READY_TIMEOUT.toNanos();
        String name = topologySettings.topologyName();
        try {
            while (System.nanoTime() < deadline) {
                TopologyInfo info = storm.getTopologyInfoByName(name);
                boolean spoutRunning = info.get_executors().stream()
                    .anyMatch(executor -> executor.get_component_id().equals(ChoralTopology.SPOUT));
                if (spoutRunning) {
                    return;
                }
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while waiting for the topology", e);
        } catch (TException e) {
            throw new StackException("cannot read the state of topology " + name + ": " + e.getMessage(), e);
        }
        throw new StackException("the topology's executors did not start within "
            + TOPOLOGY_READY_TIMEOUT.toSeconds() + " s; see " + config.home().resolve("logs"));
    }

    private TopologySettings topologySettings(String redisUri, String bootstrap) {
        return TopologySettings.defaults()
            .with(TopologySettings.KAFKA_BOOTSTRAP_SERVERS, bootstrap)
            .with(TopologySettings.REDIS_URL, redisUri)
            .with(TopologySettings.CASSANDRA_CONTACT_POINTS,
                config.host() + ":" + config.port(StackConfig.CASSANDRA_PORT));
    }

    private void checkPorts() {
        String host = config.host();
        PortGuard.requireFree(host, config.port(StackConfig.GATEWAY_PORT), "gateway", StackConfig.GATEWAY_PORT);
        PortGuard.requireFree(host, config.port(StackConfig.CLUSTER_HTTP_PORT), "cluster-http",
            StackConfig.CLUSTER_HTTP_PORT);
        PortGuard.requireFree(host, config.port(StackConfig.KAFKA_PORT), "kafka", StackConfig.KAFKA_PORT);
        PortGuard.requireFree(host, config.port(StackConfig.KAFKA_CONTROLLER_PORT), "kafka controller",
            StackConfig.KAFKA_CONTROLLER_PORT);
        PortGuard.requireFree(host, config.port(StackConfig.CASSANDRA_PORT), "cassandra", StackConfig.CASSANDRA_PORT);
        PortGuard.requireFree(host, config.port(StackConfig.CASSANDRA_STORAGE_PORT), "cassandra storage",
            StackConfig.CASSANDRA_STORAGE_PORT);
        if (config.getString(StackConfig.REDIS_URL).isBlank()) {
            PortGuard.requireFree(host, config.port(StackConfig.REDIS_PORT), "redis", StackConfig.REDIS_PORT);
        }
    }

    /** Where each part listens, in start order. */
    public Map<String, String> endpoints() {
        return Map.copyOf(endpoints);
    }

    public TopologySettings topologySettings() {
        return topologySettings;
    }

    /**
     * The stack's Cassandra node, for tests that stop and restart it (same data dir and ports) while the
     * rest of the stack keeps running; null before {@link #start}.
     */
    public CassandraNode cassandraNode() {
        return cassandra;
    }

    /**
     * The LocalCluster running the topology, for tests that submit a second topology beside it (a redeploy,
     * another cluster's topology); null before {@link #start}.
     */
    public LocalCluster stormCluster() {
        return storm;
    }

    public StackConfig config() {
        return config;
    }

    public long readyMillis() {
        return readyMillis;
    }

    /** Stops everything this stack started, newest first; a part that fails to stop does not keep the rest up. */
    @Override
    public synchronized void close() {
        while (!started.isEmpty()) {
            AutoCloseable part = started.pop();
            try {
                part.close();
            } catch (Exception e) {
                LOG.warn("[stack] a part failed to stop cleanly", e);
            }
        }
    }
}
