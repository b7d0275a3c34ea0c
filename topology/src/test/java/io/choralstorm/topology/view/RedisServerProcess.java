package io.choralstorm.topology.view;

import io.choralstorm.topology.Await;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.Assume;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * A real redis-server started for a test on a free port: the binary on PATH, else the one shipped inside
 * embedded-redis ({@code -Dchoral.test.redis=embedded} forces that one). Stopped by its own process
 * handle. Skips the test (Assume) when neither exists.
 */
public final class RedisServerProcess implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedisServerProcess.class);
    private static final String BINARY_PROPERTY = "choral.test.redis";
    private static final String EMBEDDED_AMD64 = "/redis-server-6.2.6-v5-linux-amd64";
    private static final String EMBEDDED_ARM64 = "/redis-server-6.2.7-linux-arm64";

    private final Process process;
    private final int port;
    private final Path workDir;

    private RedisServerProcess(Process process, int port, Path workDir) {
        this.process = process;
        this.port = port;
        this.workDir = workDir;
    }

    public static RedisServerProcess start() throws IOException {
        Path workDir = Files.createTempDirectory("choral-redis");
        boolean embeddedOnly = "embedded".equals(System.getProperty(BINARY_PROPERTY));
        Optional<Path> binary = (embeddedOnly ? Optional.<Path>empty() : onPath()).or(() -> embedded(workDir));
        Assume.assumeTrue("no redis-server on PATH and no embedded binary for this platform", binary.isPresent());

        int port = freePort();
        Process process = new ProcessBuilder(binary.get().toString(), "--port", Integer.toString(port),
            "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", workDir.toString())
            .redirectErrorStream(true)
            .redirectOutput(workDir.resolve("redis.log").toFile())
            .start();
        RedisServerProcess server = new RedisServerProcess(process, port, workDir);
        server.awaitReady();
        LOG.info("started {} on port {} (pid {})", binary.get(), port, process.pid());
        return server;
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public Jedis client() {
        return new Jedis("127.0.0.1", port);
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var files = Files.walk(workDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }

    private void awaitReady() {
        Await.until("redis-server on port " + port + " to answer PING (log in " + workDir + ")", 10_000,
            this::answersPing, () -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("redis-server exited with " + process.exitValue()
                        + "; see " + workDir.resolve("redis.log"));
                }
            });
    }

    private boolean answersPing() {
        try (Jedis jedis = client()) {
            return "PONG".equals(jedis.ping());
        } catch (JedisConnectionException e) {
            return false;
        }
    }

    private static Optional<Path> onPath() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "redis-server");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static Optional<Path> embedded(Path workDir) {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        if (!os.contains("linux")) {
            return Optional.empty();
        }
        String resource = List.of("amd64", "x86_64").contains(arch) ? EMBEDDED_AMD64
            : List.of("aarch64", "arm64").contains(arch) ? EMBEDDED_ARM64 : null;
        if (resource == null) {
            return Optional.empty();
        }
        try (InputStream in = RedisServerProcess.class.getResourceAsStream(resource)) {
            if (in == null) {
                return Optional.empty();
            }
            Path target = workDir.resolve("redis-server");
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            return target.toFile().setExecutable(true) ? Optional.of(target) : Optional.empty();
        } catch (IOException e) {
            throw new IllegalStateException("cannot extract the embedded redis-server " + resource, e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
