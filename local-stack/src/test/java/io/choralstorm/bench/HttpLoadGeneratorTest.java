package io.choralstorm.bench;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.undertow.Undertow;
import io.undertow.util.Headers;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** The load generator against a real HTTP server: every request answered and counted once. */
public class HttpLoadGeneratorTest {
    private Undertow server;
    private InetSocketAddress address;
    private final AtomicInteger received = new AtomicInteger();

    @Before
    public void startServer() {
        server = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(exchange ->
            exchange.getRequestReceiver().receiveFullBytes((ex, body) -> {
                int n = received.incrementAndGet();
                ex.setStatusCode(n % 10 == 0 ? 503 : 202);
                ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
                ex.getResponseSender().send("{\"accepted\":1,\"padding\":\"" + "x".repeat(n % 300) + "\"}");
            })).build();
        server.start();
        address = (InetSocketAddress) server.getListenerInfo().get(0).getAddress();
    }

    @After
    public void stopServer() {
        server.stop();
    }

    @Test
    public void pacedRunAnswersEveryRequestOnceWithItsStatus() {
        Map<Integer, Integer> statuses = new TreeMap<>();
        byte[] request = HttpLoadGenerator.post("127.0.0.1", "/", "", "{}".getBytes(StandardCharsets.UTF_8));

        new HttpLoadGenerator(address, 4).run(500, Duration.ofSeconds(1), (n, due) -> request,
            (n, status, latency) -> statuses.merge(status, 1, Integer::sum), Duration.ofSeconds(10));

        assertEquals("every request answered, none lost or doubled", 500, received.get());
        assertEquals(Map.of(202, 450, 503, 50), statuses);
    }

    @Test
    public void closedLoopKeepsEveryConnectionBusyUntilTheEnd() {
        AtomicInteger answered = new AtomicInteger();
        byte[] request = HttpLoadGenerator.post("127.0.0.1", "/", "", "{}".getBytes(StandardCharsets.UTF_8));

        new HttpLoadGenerator(address, 8).run(0, Duration.ofMillis(500), (n, due) -> request,
            (n, status, latency) -> answered.incrementAndGet(), Duration.ofSeconds(10));

        assertTrue("a closed loop sends many requests in 0.5 s, got " + answered.get(), answered.get() > 100);
        assertEquals("every request sent was answered", received.get(), answered.get());
    }
}
