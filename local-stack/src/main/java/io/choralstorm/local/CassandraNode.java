package io.choralstorm.local;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Cassandra 5.0 node in a child JVM, run with the same Java as the stack JVM and the classpath that the
 * cassandra-node module copies to its {@code target/lib}. Its configuration, data and pid file live under the data
 * dir; its output goes to {@code cassandra.log} in the log dir.
 */
public final class CassandraNode {
    private static final Logger LOG = LoggerFactory.getLogger(CassandraNode.class);

    /** System property naming the directory of Cassandra's jars. */
    public static final String LIB_PROPERTY = "choral.cassandra.lib";
    public static final int DEFAULT_HEAP_MB = 1024;
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(120);

    static final String PORT_SETTING = "stack.cassandra.port";
    static final String STORAGE_PORT_SETTING = "stack.cassandra.storage.port";
    static final String JMX_PORT_SETTING = "stack.cassandra.jmx.port";
    static final String START_TIMEOUT_SETTING = "stack.cassandra.start.timeout.s";

    private static final String MAIN_CLASS = "org.apache.cassandra.service.CassandraDaemon";
    private static final String JAMM_JAR = "jamm-0.4.0.jar";
    private static final String PID_FILE = "cassandra.pid";
    private static final String LOCAL_DATACENTER = "datacenter1";
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(500);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

    /** Cassandra's own list for Java 17 (conf/jvm17-server.options). */
    private static final List<String> JAVA17_FLAGS = List.of(
        "-Djdk.attach.allowAttachSelf=true",
        "-Dio.netty.tryReflectionSetAccessible=true",
        "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
        "--add-exports", "java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED",
        "--add-exports", "java.rmi/sun.rmi.registry=ALL-UNNAMED",
        "--add-exports", "java.rmi/sun.rmi.server=ALL-UNNAMED",
        "--add-exports", "java.sql/java.sql=ALL-UNNAMED",
        "--add-exports", "java.base/java.lang.ref=ALL-UNNAMED",
        "--add-exports", "jdk.unsupported/sun.misc=ALL-UNNAMED",
        "--add-exports", "jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
        "--add-exports", "jdk.attach/sun.tools.attach=ALL-UNNAMED",
        "--add-opens", "java.base/java.lang.module=ALL-UNNAMED",
        "--add-opens", "java.base/jdk.internal.loader=ALL-UNNAMED",
        "--add-opens", "java.base/jdk.internal.ref=ALL-UNNAMED",
        "--add-opens", "java.base/jdk.internal.reflect=ALL-UNNAMED",
        "--add-opens", "java.base/jdk.internal.math=ALL-UNNAMED",
        "--add-opens", "java.base/jdk.internal.module=ALL-UNNAMED",
        "--add-opens", "java.base/jdk.internal.util.jar=ALL-UNNAMED",
        "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-opens", "java.base/java.io=ALL-UNNAMED",
        "--add-opens", "java.base/java.lang.reflect=ALL-UNNAMED",
        "--add-opens", "java.base/java.lang=ALL-UNNAMED",
        "--add-opens", "java.base/java.util=ALL-UNNAMED",
        "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
        "--add-opens", "jdk.compiler/com.sun.tools.javac=ALL-UNNAMED");

    /** Cassandra logs to its standard output, which goes to cassandra.log. */
    private static final String LOGBACK_XML = String.join("\n",
        "<configuration>",
        "  <appender name=\"STDOUT\" class=\"ch.qos.logback.core.ConsoleAppender\">",
        "    <encoder><pattern>%d{ISO8601} %-5level [%thread] %logger{36} - %msg%n</pattern></encoder>",
        "  </appender>",
        "  <root level=\"INFO\"><appender-ref ref=\"STDOUT\"/></root>",
        "</configuration>",
        "");

    private final Path libDir;
    private final Path dataDir;
    private final Path logDir;
    private final String host;
    private final int nativePort;
    private final int storagePort;
    private final int jmxPort;
    private final int heapMb;
    private final Duration startTimeout;

    private ChildProcess process;
    private String releaseVersion;

    /** A node with a 1 GiB heap and a 120 s start timeout; jmxPort 0 runs it without a JMX port. */
    public CassandraNode(Path libDir, Path dataDir, Path logDir, String host, int nativePort, int storagePort,
                         int jmxPort) {
        this(libDir, dataDir, logDir, host, nativePort, storagePort, jmxPort, DEFAULT_HEAP_MB, DEFAULT_START_TIMEOUT);
    }

    public CassandraNode(Path libDir, Path dataDir, Path logDir, String host, int nativePort, int storagePort,
                         int jmxPort, int heapMb, Duration startTimeout) {
        this.libDir = libDir.toAbsolutePath();
        this.dataDir = dataDir.toAbsolutePath();
        this.logDir = logDir.toAbsolutePath();
        this.host = host;
        this.nativePort = nativePort;
        this.storagePort = storagePort;
        this.jmxPort = jmxPort;
        this.heapMb = heapMb;
        this.startTimeout = startTimeout;
    }

    /**
     * The directory of Cassandra's jars: the {@value #LIB_PROPERTY} system property, else
     * {@code cassandra-node/target/lib} under the working dir or its parent.
     */
    public static Path defaultLibDir() {
        String configured = System.getProperty(LIB_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Paths.get(configured);
        }
        Path relative = Paths.get("cassandra-node", "target", "lib");
        Path workDir = Paths.get("").toAbsolutePath();
        Path parent = workDir.getParent();
        if (Files.isDirectory(workDir.resolve(relative)) || parent == null) {
            return workDir.resolve(relative);
        }
        return parent.resolve(relative);
    }

    /** Kills a Cassandra left running by an earlier stack JVM that died, as recorded in its pid file. */
    public static void killLeftover(Path dataDir) {
        ChildProcess.killLeftover("cassandra", dataDir.resolve(PID_FILE), MAIN_CLASS, STOP_GRACE);
    }

    /** Starts the node and returns once a CQL session can query it; fails at once if the child JVM exits. */
    public synchronized void start() {
        if (process != null) {
            throw new StackException("cassandra is already running, pid " + process.pid());
        }
        requirePortsFree();
        requireJars();
        long startNanos = System.nanoTime();

        List<String> command = command(writeConfiguration());
        LOG.info("[cassandra] starting on {}:{} (storage {}, jmx {}), heap {} MB, data {}", host, nativePort,
            storagePort, jmxPort == 0 ? "off" : Integer.toString(jmxPort), heapMb, dataDir);
        process = ChildProcess.launch("cassandra", command, dataDir, logDir.resolve("cassandra.log"),
            dataDir.resolve(PID_FILE));

        try {
            awaitCql();
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
        LOG.info("[cassandra] {} ready on {}:{} in {} ms", releaseVersion, host, nativePort,
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
    }

    /** SIGTERM, up to 30 s to exit, then SIGKILL; removes the pid file. Does nothing if it is not running. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        ChildProcess stopping = process;
        process = null;
        stopping.stop(STOP_GRACE);
    }

    /** The pid of the running child JVM; fails if the node is not running. */
    public synchronized long pid() {
        if (process == null) {
            throw new StackException("cassandra is not running");
        }
        return process.pid();
    }

    /** release_version as reported by the running node, such as 5.0.6; null before start. */
    public synchronized String releaseVersion() {
        return releaseVersion;
    }

    public String host() {
        return host;
    }

    public int nativePort() {
        return nativePort;
    }

    public Path logFile() {
        return logDir.resolve("cassandra.log");
    }

    private void requirePortsFree() {
        PortGuard.requireFree(host, nativePort, "cassandra", PORT_SETTING);
        PortGuard.requireFree(host, storagePort, "cassandra storage", STORAGE_PORT_SETTING);
        if (jmxPort != 0) {
            PortGuard.requireFree(host, jmxPort, "cassandra jmx", JMX_PORT_SETTING);
        }
    }

    /** Writes cassandra.yaml and logback.xml into the data dir; returns the yaml. */
    private Path writeConfiguration() {
        Path yaml = dataDir.resolve("cassandra.yaml");
        try {
            Files.createDirectories(dataDir);
            Files.createDirectories(logDir);
            Files.writeString(yaml, yaml(), StandardCharsets.UTF_8);
            Files.writeString(dataDir.resolve("logback.xml"), LOGBACK_XML, StandardCharsets.UTF_8);
            return yaml;
        } catch (IOException e) {
            throw new StackException("cannot write cassandra configuration under " + dataDir + ": "
                + e.getMessage(), e);
        }
    }

    private String yaml() {
        return String.join("\n",
            "# Written by the ChoralStorm local stack at each start; edits are overwritten.",
            "cluster_name: ChoralStorm",
            "num_tokens: 1",
            "partitioner: org.apache.cassandra.dht.Murmur3Partitioner",
            "seed_provider:",
            "  - class_name: org.apache.cassandra.locator.SimpleSeedProvider",
            "    parameters:",
            "      - seeds: \"127.0.0.1\"",
            "listen_address: " + host,
            "rpc_address: " + host,
            "native_transport_port: " + nativePort,
            "storage_port: " + storagePort,
            "endpoint_snitch: SimpleSnitch",
            "authenticator: AllowAllAuthenticator",
            "authorizer: AllowAllAuthorizer",
            "commitlog_sync: periodic",
            "commitlog_sync_period: 10000ms",
            "data_file_directories:",
            "  - " + dataDir.resolve("data"),
            "commitlog_directory: " + dataDir.resolve("commitlog"),
            "saved_caches_directory: " + dataDir.resolve("saved_caches"),
            "hints_directory: " + dataDir.resolve("hints"),
            "cdc_raw_directory: " + dataDir.resolve("cdc_raw"),
            "");
    }

    private List<String> command(Path yaml) {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xms" + heapMb + "m");
        command.add("-Xmx" + heapMb + "m");
        command.add("-XX:+UseG1GC");
        command.addAll(JAVA17_FLAGS);
        command.add("-javaagent:" + libDir.resolve(JAMM_JAR));

        command.add("-Dcassandra.config=" + yaml.toUri());
        command.add("-Dcassandra.storagedir=" + dataDir);
        command.add("-Dcassandra.logdir=" + logDir);
        command.add("-Dlogback.configurationFile=" + dataDir.resolve("logback.xml"));
        command.add("-Dcassandra-foreground=yes");
        command.add("-Dcassandra.skip_wait_for_gossip_to_settle=0");
        command.add("-Dcassandra.ring_delay_ms=0");
        command.add("-Dcassandra.superuser_setup_delay_ms=0");
        command.addAll(jmxFlags());

        command.add("-cp");
        command.add(libDir.resolve("*").toString());
        command.add(MAIN_CLASS);
        return command;
    }

    /** Local-only JMX on one fixed port (registry and RMI server), so nodetool works and no random port opens. */
    private List<String> jmxFlags() {
        if (jmxPort == 0) {
            return List.of();
        }
        return List.of(
            "-Dcassandra.jmx.local.port=" + jmxPort,
            "-Dcom.sun.management.jmxremote.rmi.port=" + jmxPort,
            "-Djava.rmi.server.hostname=" + host);
    }

    private void requireJars() {
        if (!Files.isRegularFile(libDir.resolve(JAMM_JAR))) {
            throw new StackException("no Cassandra classpath in " + libDir + " (" + JAMM_JAR + " missing); build it"
                + " with `mvn -o -pl cassandra-node package` or set -D" + LIB_PROPERTY + " to its target/lib");
        }
    }

    private void awaitCql() {
        long deadline = System.nanoTime() + startTimeout.toNanos();
        Exception lastError = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw process.diedDuringStart();
            }
            try {
                if (acceptsConnections()) {
                    releaseVersion = queryReleaseVersion();
                    return;
                }
            } catch (RuntimeException e) {
                lastError = e;
                LOG.debug("[cassandra] not ready yet: {}", e.getMessage());
            }
            pause();
        }
        throw process.notReadyWithin(startTimeout, START_TIMEOUT_SETTING, lastError);
    }

    /** A cheap TCP check first, so that the driver is only built once the port is open. */
    private boolean acceptsConnections() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, nativePort), (int) PROBE_TIMEOUT.toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private String queryReleaseVersion() {
        DriverConfigLoader config = DriverConfigLoader.programmaticBuilder()
            .withDuration(DefaultDriverOption.CONNECTION_CONNECT_TIMEOUT, PROBE_TIMEOUT)
            .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, PROBE_TIMEOUT)
            .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, PROBE_TIMEOUT)
            .withDuration(DefaultDriverOption.CONTROL_CONNECTION_TIMEOUT, PROBE_TIMEOUT)
            .build();
        try (CqlSession session = CqlSession.builder()
            .addContactPoint(new InetSocketAddress(host, nativePort))
            .withLocalDatacenter(LOCAL_DATACENTER)
            .withConfigLoader(config)
            .build()) {
            return session.execute("SELECT release_version FROM system.local").one().getString("release_version");
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_INTERVAL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while waiting for cassandra to start", e);
        }
    }
}
