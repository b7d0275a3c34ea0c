package io.choralstorm.gateway;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.undertow.Undertow;
import io.undertow.server.DefaultByteBufferPool;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;
import org.xnio.XnioWorker;

public class UpstreamPoolTest {
    private ServerSocket server;
    private Thread serverThread;
    private XnioWorker worker;
    private final AtomicInteger connectionsAccepted = new AtomicInteger();
    private final AtomicReference<IOException> stubFailure = new AtomicReference<>();

    @Before
    public void start() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        serverThread = new Thread(this::answerOnceThenClose, "stub-cluster");
        serverThread.setDaemon(true);
        serverThread.start();
        worker = Xnio.getInstance(Undertow.class.getClassLoader()).createWorker(OptionMap.builder()
            .set(Options.WORKER_IO_THREADS, 1).set(Options.WORKER_TASK_CORE_THREADS, 1)
            .set(Options.WORKER_TASK_MAX_THREADS, 1).getMap());
    }

    @After
    public void stop() throws IOException {
        server.close();
        worker.shutdownNow();
        assertNull("the stub cluster failed", stubFailure.get());
    }

    @Test
    public void aRequestOnAnIdleConnectionTheServerClosedGoesThroughOnANewOne() throws Exception {
        // given a cluster server that closes each keep-alive connection right after its one answer
        try (UpstreamPool pool = new UpstreamPool(URI.create("http://127.0.0.1:" + server.getLocalPort()), worker,
                new DefaultByteBufferPool(true, 16 * 1024), 1, 5_000)) {
            assertEquals(202, pool.post(body(), null).get(5, TimeUnit.SECONDS).status);

            // when the next request finds that connection idle in the pool
            UpstreamPool.Response second = pool.post(body(), null).get(5, TimeUnit.SECONDS);

            // then it is answered, on a new connection
            assertEquals(202, second.status);
            assertEquals(2, connectionsAccepted.get());
        }
    }

    @Test
    public void aRequestWaitingInLineForAConnectionTheServerThenClosesGoesThroughOnANewOne() throws Exception {
        // given one connection, a first request on it and a second waiting in line for it
        try (UpstreamPool pool = new UpstreamPool(URI.create("http://127.0.0.1:" + server.getLocalPort()), worker,
                new DefaultByteBufferPool(true, 16 * 1024), 1, 5_000)) {
            CompletableFuture<UpstreamPool.Response> first = pool.post(body(), null);
            CompletableFuture<UpstreamPool.Response> second = pool.post(body(), null);

            // when the server closes the connection right after answering the first
            assertEquals(202, first.get(5, TimeUnit.SECONDS).status);

            // then the second is answered, on a new connection
            assertEquals(202, second.get(5, TimeUnit.SECONDS).status);
            assertEquals("connections the server accepted", 2, connectionsAccepted.get());
        }
    }

    @Test
    public void aRequestSentButNeverAnsweredTimesOut() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                UpstreamPool pool = new UpstreamPool(URI.create("http://127.0.0.1:" + silent.getLocalPort()),
                    worker, new DefaultByteBufferPool(true, 16 * 1024), 1, 300)) {
            CompletableFuture<UpstreamPool.Response> answer = pool.post(body(), null);

            try (Socket taken = silent.accept()) {
                Throwable cause = failureOf(answer);

                assertTrue("sent, so the cluster may have taken it: " + cause, cause instanceof TimeoutException);
            }
        }
    }

    @Test
    public void aRequestThatNeverGotAConnectionFailsWithAnIoError() throws Exception {
        // given a server whose queue of connections not yet accepted is full, so a new one hangs
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> queued = fillAcceptQueue(full);
            try (UpstreamPool pool = new UpstreamPool(URI.create("http://127.0.0.1:" + full.getLocalPort()), worker,
                    new DefaultByteBufferPool(true, 16 * 1024), 1, 300)) {
                Throwable cause = failureOf(pool.post(body(), null));

                assertTrue("never sent, so nothing was taken: " + cause, cause instanceof IOException);
            } finally {
                for (Socket socket : queued) {
                    socket.close();
                }
            }
        }
    }

    private static Throwable failureOf(CompletableFuture<UpstreamPool.Response> answer) throws Exception {
        try {
            UpstreamPool.Response response = answer.get(5, TimeUnit.SECONDS);
            throw new AssertionError("expected no answer, got " + response.status);
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    /** Connects to {@code server} without it accepting, until the kernel takes no more connections. */
    private static List<Socket> fillAcceptQueue(ServerSocket server) throws IOException {
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            Socket socket = new Socket();
            try {
                socket.connect(server.getLocalSocketAddress(), 200);
                sockets.add(socket);
            } catch (SocketTimeoutException e) {
                socket.close();
                return sockets;
            }
        }
        throw new AssertionError("the accept queue never filled: " + sockets.size() + " connections taken");
    }

    private static byte[] body() {
        return "{\"device_id\":\"d1\",\"device_data\":{\"t\":1}}".getBytes(StandardCharsets.UTF_8);
    }

    /** Reads one request per connection, answers 202 with keep-alive, then closes the connection. */
    private void answerOnceThenClose() {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                connectionsAccepted.incrementAndGet();
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.ISO_8859_1));
                int length = 0;
                for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                    if (line.toLowerCase().startsWith("content-length:")) {
                        length = Integer.parseInt(line.substring("content-length:".length()).trim());
                    }
                }
                for (int i = 0; i < length; i++) {
                    in.read();
                }
                OutputStream out = socket.getOutputStream();
                out.write(("HTTP/1.1 202 Accepted\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
                    + "Connection: keep-alive\r\n\r\n{}").getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (IOException e) {
                if (!server.isClosed()) {
                    stubFailure.compareAndSet(null, e);
                }
            }
        }
    }
}
