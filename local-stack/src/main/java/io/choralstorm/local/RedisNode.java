package io.choralstorm.local;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.util.JedisURIHelper;
import redis.embedded.core.ExecutableProvider;

/**
 * Redis for the stack, from the first source that applies: an external server given by a REDIS_URL (nothing is
 * started), a {@code redis-server} found on the PATH, or the redis-server binary shipped inside embedded-redis.
 * A started server keeps nothing on disk ({@code save ""}, no append-only file), logs to {@code redis.log} in the
 * log dir and records its pid in {@code redis.pid} under the data dir.
 */
public final class RedisNode {
    private static final Logger LOG = LoggerFactory.getLogger(RedisNode.class);

    static final String PORT_SETTING = "stack.redis.port";

    private static final String BINARY = "redis-server";
    private static final String PID_FILE = "redis.pid";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
    private static final int CLIENT_TIMEOUT_MS = 2000;

    private final String redisUrl;
    private final Path dataDir;
    private final Path logDir;
    private final String host;
    private final int port;
    private final String searchPath;

    private ChildProcess process;
    private boolean fromPath;
    private String source;

    /**
     * @param redisUrl an external server such as {@code redis://host:6379}, or null to start one on host:port
     */
    public RedisNode(String redisUrl, Path dataDir, Path logDir, String host, int port) {
        this(redisUrl, dataDir, logDir, host, port, System.getenv("PATH"));
    }

    /** As the public constructor, with the search path for redis-server given; empty forces the embedded binary. */
    RedisNode(String redisUrl, Path dataDir, Path logDir, String host, int port, String searchPath) {
        this.redisUrl = redisUrl == null || redisUrl.isBlank() ? null : validUrl(redisUrl.trim());
        this.dataDir = dataDir.toAbsolutePath();
        this.logDir = logDir.toAbsolutePath();
        this.host = host;
        this.port = port;
        this.searchPath = searchPath == null ? "" : searchPath;
    }

    /** Kills a redis-server left running by an earlier stack JVM that died, as recorded in its pid file. */
    public static void killLeftover(Path dataDir) {
        ChildProcess.killLeftover("redis", dataDir.resolve(PID_FILE), BINARY, STOP_GRACE);
    }

    /** Starts the server unless an external one is given, then returns once it answers PING. */
    public synchronized void start() {
        if (source != null) {
            throw new StackException("redis is already started (" + source + ")");
        }
        long startNanos = System.nanoTime();

        if (redisUrl == null) {
            PortGuard.requireFree(host, port, "redis", PORT_SETTING);
            launch();
        }

        try {
            String version = awaitPing();
            source = describeSource(version);
        } catch (RuntimeException e) {
            stopProcess();
            throw e;
        }
        LOG.info("[redis] {} ready on {} in {} ms", source, safeUri(),
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
    }

    /** redis://host:port of the server in use; the given REDIS_URL as is when external. */
    public String uri() {
        return redisUrl != null ? redisUrl : "redis://" + host + ":" + port;
    }

    /**
     * Where the server in use comes from, with its version: "redis-server 7.0.15 from PATH",
     * "embedded-redis 6.2.11" or "external REDIS_URL 7.2.4"; null before start.
     */
    public synchronized String source() {
        return source;
    }

    /** The pid of the redis-server this node started; empty when external or not running. */
    public synchronized OptionalLong pid() {
        return process == null ? OptionalLong.empty() : OptionalLong.of(process.pid());
    }

    /** Stops the redis-server this node started, if any; an external server is left alone. */
    public synchronized void stop() {
        if (source == null) {
            return;
        }
        source = null;
        stopProcess();
    }

    private void launch() {
        Optional<Path> onPath = findOnPath();
        fromPath = onPath.isPresent();
        Path binary = onPath.orElseGet(this::extractEmbedded);
        Path dbDir = dataDir.resolve("db");
        Path logFile = logDir.resolve("redis.log");
        List<String> command = List.of(binary.toString(),
            "--port", Integer.toString(port),
            "--bind", host,
            "--dir", dbDir.toString(),
            "--save", "",
            "--appendonly", "no",
            "--daemonize", "no",
            "--logfile", logFile.toString());

        LOG.info("[redis] starting {} on {}:{}, log {}", binary, host, port, logFile);
        process = ChildProcess.launch("redis", command, dbDir, logFile, dataDir.resolve(PID_FILE));
    }

    private Optional<Path> findOnPath() {
        for (String dir : searchPath.split(File.pathSeparator)) {
            if (dir.isBlank()) {
                continue;
            }
            Path candidate = Paths.get(dir, BINARY);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The redis-server binary inside the embedded-redis jar, written under the data dir. */
    private Path extractEmbedded() {
        Path binDir = dataDir.resolve("bin");
        try {
            Files.createDirectories(binDir);
            return ExecutableProvider.newJarResourceProvider(binDir.toFile()).get().toPath();
        } catch (IOException | RuntimeException e) {
            throw new StackException("no redis-server on the PATH and the one in embedded-redis cannot run here ("
                + System.getProperty("os.name") + " " + System.getProperty("os.arch") + "): " + e.getMessage()
                + "; install redis-server or set REDIS_URL", e);
        }
    }

    /** Waits until the server answers PING; returns its version from INFO server. */
    private String awaitPing() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        JedisException lastError = null;
        while (System.nanoTime() < deadline) {
            if (process != null && !process.isAlive()) {
                throw process.diedDuringStart();
            }
            try (Jedis jedis = client()) {
                if ("PONG".equals(jedis.ping())) {
                    return version(jedis.info("server"));
                }
            } catch (JedisException e) {
                lastError = e;
                LOG.debug("[redis] not answering yet: {}", e.getMessage());
            }
            pause();
        }
        throw notReady(lastError);
    }

    private Jedis client() {
        if (redisUrl != null) {
            return new Jedis(URI.create(redisUrl), CLIENT_TIMEOUT_MS);
        }
        return new Jedis(host, port, CLIENT_TIMEOUT_MS);
    }

    private StackException notReady(JedisException lastError) {
        if (process != null) {
            return process.notReadyWithin(START_TIMEOUT, PORT_SETTING, lastError);
        }
        return new StackException("redis at " + safeUri() + " (REDIS_URL) did not answer PING within "
            + START_TIMEOUT.toSeconds() + " s: " + (lastError == null ? "no answer" : lastError.getMessage())
            + "; check the server or unset REDIS_URL to start one locally", lastError);
    }

    private String describeSource(String version) {
        if (redisUrl != null) {
            return "external REDIS_URL " + version;
        }
        if (fromPath) {
            return "redis-server " + version + " from PATH";
        }
        return "embedded-redis " + version;
    }

    /** The URI without a password, for logs and messages. */
    private String safeUri() {
        URI uri = URI.create(uri());
        if (uri.getUserInfo() == null) {
            return uri.toString();
        }
        return uri.getScheme() + "://***@" + uri.getHost() + ":" + uri.getPort() + uri.getPath();
    }

    private void stopProcess() {
        if (process == null) {
            return;
        }
        ChildProcess stopping = process;
        process = null;
        stopping.stop(STOP_GRACE);
    }

    private static String validUrl(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw invalidUrl("not a valid URI at index " + e.getIndex(), null);
        }

        boolean redisScheme = JedisURIHelper.isRedisScheme(uri) || JedisURIHelper.isRedisSSLScheme(uri);
        if (!redisScheme || !JedisURIHelper.isValid(uri)) {
            throw invalidUrl("not a redis:// or rediss:// URL with a host and a port", null);
        }
        return url;
    }

    private static StackException invalidUrl(String reason, Exception cause) {
        return new StackException("REDIS_URL is not usable (" + reason + "); give it as redis://host:6379"
            + " or unset it to start redis locally", cause);
    }

    private static String version(String serverInfo) {
        for (String line : serverInfo.split("\\R")) {
            if (line.startsWith("redis_version:")) {
                return line.substring("redis_version:".length()).trim();
            }
        }
        return "(version unknown)";
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_INTERVAL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while waiting for redis to start", e);
        }
    }
}
