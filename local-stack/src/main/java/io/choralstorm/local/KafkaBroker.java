package io.choralstorm.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka 4.1 broker in KRaft mode (broker and controller roles in one server), running inside the
 * stack JVM. Data lives under the data dir and survives restarts: the cluster id is kept in {@code cluster.id}.
 */
public final class KafkaBroker {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);

    static final String PORT_SETTING = "stack.kafka.port";
    static final String CONTROLLER_PORT_SETTING = "stack.kafka.controller.port";

    private static final int NODE_ID = 1;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(200);

    private final Path dataDir;
    private final String host;
    private final int port;
    private final int controllerPort;

    private KafkaRaftServer server;

    public KafkaBroker(Path dataDir, String host, int port, int controllerPort) {
        this.dataDir = dataDir.toAbsolutePath();
        this.host = host;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    /** Formats the storage on first use, starts the server and returns once an admin client sees the broker. */
    public synchronized void start() {
        if (server != null) {
            throw new StackException("kafka is already running on " + bootstrapServers());
        }
        PortGuard.requireFree(host, port, "kafka", PORT_SETTING);
        PortGuard.requireFree(host, controllerPort, "kafka controller", CONTROLLER_PORT_SETTING);
        long startNanos = System.nanoTime();
        LOG.info("[kafka] starting on {}, controller port {}, data {}", bootstrapServers(), controllerPort, dataDir);

        Properties props = serverProperties();
        Path propsFile = writeServerProperties(props);
        formatIfNeeded(propsFile);

        KafkaRaftServer starting = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        try {
            starting.startup();
        } catch (RuntimeException e) {
            shutdownAfterFailedStart(starting, e);
            throw new StackException("kafka failed to start on " + bootstrapServers() + ": " + e.getMessage(), e);
        }
        server = starting;

        awaitBroker();
        LOG.info("[kafka] ready on {} in {} ms", bootstrapServers(),
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
    }

    /** Creates the topics that do not exist yet; an existing topic is left as it is. */
    public void createTopics(Map<String, Integer> nameToPartitions) {
        List<NewTopic> topics = new ArrayList<>();
        nameToPartitions.forEach((name, partitions) -> topics.add(new NewTopic(name, partitions, (short) 1)));

        try (Admin admin = Admin.create(adminProperties(ADMIN_TIMEOUT))) {
            Map<String, KafkaFuture<Void>> results = admin.createTopics(topics).values();
            for (Map.Entry<String, KafkaFuture<Void>> result : results.entrySet()) {
                awaitTopic(result.getKey(), nameToPartitions.get(result.getKey()), result.getValue());
            }
        }
    }

    /** host:port of the PLAINTEXT listener, for bootstrap.servers. */
    public String bootstrapServers() {
        return host + ":" + port;
    }

    /** Shuts the server down and waits for it, at most 30 s. Does nothing if it is not running. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        KafkaRaftServer stopping = server;
        server = null;

        FutureTask<Void> shutdown = new FutureTask<>(() -> {
            stopping.shutdown();
            stopping.awaitShutdown();
            return null;
        });
        Thread stopper = new Thread(shutdown, "kafka-shutdown");
        stopper.setDaemon(true);
        stopper.start();

        awaitShutdown(shutdown);
        LOG.info("[kafka] stopped");
    }

    private Properties serverProperties() {
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@" + host + ":" + controllerPort);
        props.put("listeners", "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", logDir().toString());

        props.put("num.partitions", "4");
        props.put("auto.create.topics.enable", "false");
        props.put("min.insync.replicas", "1");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "4");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        return props;
    }

    private Path logDir() {
        return dataDir.resolve("logs");
    }

    private Path writeServerProperties(Properties props) {
        Path file = dataDir.resolve("server.properties");
        try {
            Files.createDirectories(dataDir);
            try (OutputStream out = Files.newOutputStream(file)) {
                props.store(out, "written by the ChoralStorm local stack at each start; edits are overwritten");
            }
            return file;
        } catch (IOException e) {
            throw new StackException("cannot write kafka settings to " + file + ": " + e.getMessage(), e);
        }
    }

    private void formatIfNeeded(Path propsFile) {
        if (Files.exists(logDir().resolve("meta.properties"))) {
            return;
        }
        String clusterId = clusterId();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        String[] args = {"format", "--cluster-id", clusterId, "--config", propsFile.toString()};

        int exitCode;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            exitCode = StorageTool.execute(args, out);
        } catch (Exception e) {
            throw new StackException("cannot format kafka storage " + logDir() + ": " + e.getMessage(), e);
        }

        String printed = output.toString(StandardCharsets.UTF_8).trim();
        if (exitCode != 0) {
            throw new StackException("cannot format kafka storage " + logDir() + " (exit " + exitCode + "): "
                + printed);
        }
        LOG.info("[kafka] formatted {} for cluster id {}", logDir(), clusterId);
    }

    /** The cluster id kept under the data dir, created on first use. */
    private String clusterId() {
        Path file = dataDir.resolve("cluster.id");
        try {
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.US_ASCII).trim();
            }
            String clusterId = Uuid.randomUuid().toString();
            Files.writeString(file, clusterId, StandardCharsets.US_ASCII);
            return clusterId;
        } catch (IOException e) {
            throw new StackException("cannot read or write the kafka cluster id " + file + ": " + e.getMessage(), e);
        }
    }

    private void awaitBroker() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        Exception lastError = null;
        try (Admin admin = Admin.create(adminProperties(Duration.ofSeconds(2)))) {
            while (System.nanoTime() < deadline) {
                try {
                    if (!admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    lastError = e;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StackException("interrupted while waiting for kafka to start", e);
                }
                pause();
            }
        }
        stop();
        throw new StackException("kafka on " + bootstrapServers() + " did not answer describeCluster within "
            + START_TIMEOUT.toSeconds() + " s (last error: " + lastError + ")", lastError);
    }

    private Properties adminProperties(Duration timeout) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "choral-local-stack");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis()));
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis()));
        return props;
    }

    private void awaitTopic(String name, int partitions, KafkaFuture<Void> creation) {
        try {
            creation.get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("[kafka] created topic {} with {} partitions", name, partitions);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new StackException("cannot create kafka topic " + name + " with " + partitions
                    + " partitions: " + e.getCause().getMessage(), e.getCause());
            }
            LOG.info("[kafka] topic {} already exists", name);
        } catch (TimeoutException e) {
            throw new StackException("kafka did not create topic " + name + " within "
                + ADMIN_TIMEOUT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while creating kafka topic " + name, e);
        }
    }

    private void awaitShutdown(FutureTask<Void> shutdown) {
        try {
            shutdown.get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new StackException("kafka failed to shut down: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new StackException("kafka did not shut down within " + STOP_TIMEOUT.toSeconds()
                + " s; its threads may still hold " + bootstrapServers(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while stopping kafka", e);
        }
    }

    private static void shutdownAfterFailedStart(KafkaRaftServer failed, RuntimeException cause) {
        try {
            failed.shutdown();
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_INTERVAL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while waiting for kafka to start", e);
        }
    }
}
