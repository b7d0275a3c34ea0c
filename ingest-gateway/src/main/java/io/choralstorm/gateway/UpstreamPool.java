package io.choralstorm.gateway;

import io.undertow.client.ClientCallback;
import io.undertow.client.ClientConnection;
import io.undertow.client.ClientExchange;
import io.undertow.client.ClientRequest;
import io.undertow.client.ClientResponse;
import io.undertow.client.UndertowClient;
import io.undertow.connector.ByteBufferPool;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.StringReadChannelListener;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.XnioWorker;
import org.xnio.channels.StreamSinkChannel;

/**
 * Keep-alive HTTP/1.1 connections to one cluster server, on the gateway's own I/O threads (Undertow's
 * client): at most {@code maxConnections} open, one request at a time on each, further requests wait
 * in line. A connection that fails or times out is closed and replaced on demand.
 *
 * <p>The server may close a keep-alive connection after any answer (its idle timeout, a restart).
 * Connections known to be closed are dropped; a request whose reused connection fails before any answer
 * is sent once more, on a new connection. Resending is safe: the cluster server publishes a frame at
 * most once per request, and the topology counts a device's reading once however often it arrives.
 */
final class UpstreamPool implements AutoCloseable {
    /** A cluster's answer. */
    static final class Response {
        final int status;
        final String body;
        final String retryAfter;

        Response(int status, String body, String retryAfter) {
            this.status = status;
            this.body = body;
            this.retryAfter = retryAfter;
        }
    }

    private static final String FRAMES_PATH = "/v1/frames";

    private final URI cluster;
    private final XnioWorker worker;
    private final ByteBufferPool buffers;
    private final int maxConnections;
    private final long timeoutMs;
    private final Deque<ClientConnection> idle = new ArrayDeque<>();
    private final Deque<Pending> waiting = new ArrayDeque<>();
    private int open;
    private boolean closed;

    UpstreamPool(URI cluster, XnioWorker worker, ByteBufferPool buffers, int maxConnections, long timeoutMs) {
        this.cluster = cluster;
        this.worker = worker;
        this.buffers = buffers;
        this.maxConnections = maxConnections;
        this.timeoutMs = timeoutMs;
    }

    /**
     * POSTs {@code body} to the cluster's frame path. Fails with a TimeoutException when the request was
     * sent but no answer came within the timeout (the cluster may have taken the frames), and with an
     * IOException when it could not be sent (no connection, or one lost before the answer).
     */
    CompletableFuture<Response> post(byte[] body, String authorization) {
        Pending pending = new Pending(body, authorization);
        CompletableFuture<Void> deadline = new CompletableFuture<Void>().orTimeout(timeoutMs, TimeUnit.MILLISECONDS);
        deadline.whenComplete((ignored, timeout) -> expire(pending));
        pending.result.whenComplete((response, error) -> deadline.complete(null)); // cancels the timer
        ClientConnection connection;
        synchronized (this) {
            if (closed) {
                pending.result.completeExceptionally(new IOException("the gateway is stopping"));
                return pending.result;
            }
            connection = openIdleConnection();
            if (connection == null) {
                waiting.add(pending);
                if (open < maxConnections) {
                    open++;
                    connect();
                }
                return pending.result;
            }
        }
        send(connection, pending, true);
        return pending.result;
    }

    /** Ends a request still unanswered after the timeout, closing the connection it is on. */
    private void expire(Pending pending) {
        if (pending.result.isDone()) {
            return;
        }
        synchronized (this) {
            waiting.remove(pending);
        }
        if (!pending.sent) {
            pending.result.completeExceptionally(new IOException("no connection to " + cluster + " within "
                + timeoutMs + " ms"));
            return;
        }
        pending.result.completeExceptionally(new TimeoutException("no answer from " + cluster + " within "
            + timeoutMs + " ms"));
        ClientConnection connection = pending.connection.get();
        if (connection != null) {
            IoUtils.safeClose(connection);
        }
    }

    /** An idle connection still open, or null; closed ones found on the way are dropped. */
    private ClientConnection openIdleConnection() {
        for (ClientConnection connection = idle.poll(); connection != null; connection = idle.poll()) {
            if (connection.isOpen()) {
                return connection;
            }
            open--;
            IoUtils.safeClose(connection);
        }
        return null;
    }

    private void connect() {
        UndertowClient.getInstance().connect(new ClientCallback<>() {
            @Override
            public void completed(ClientConnection connection) {
                release(connection, false);
            }

            @Override
            public void failed(IOException e) {
                connectFailed(e);
            }
        }, cluster, worker, buffers, OptionMap.EMPTY);
    }

    /**
     * A connection free for the next request: to the first in line, else idle. {@code used}: it has
     * carried a request before, so the server may close it at any moment.
     */
    private void release(ClientConnection connection, boolean used) {
        if (!connection.isOpen()) {
            IoUtils.safeClose(connection);
            connectionLost();
            return;
        }
        Pending next;
        synchronized (this) {
            if (closed) {
                open--;
                IoUtils.safeClose(connection);
                return;
            }
            next = firstWaiting();
            if (next == null) {
                idle.add(connection);
                return;
            }
        }
        send(connection, next, used);
    }

    /** The first request in line that has not timed out meanwhile, taken out of the line. */
    private Pending firstWaiting() {
        for (Pending pending = waiting.poll(); pending != null; pending = waiting.poll()) {
            if (!pending.result.isDone()) {
                return pending;
            }
        }
        return null;
    }

    private void send(ClientConnection connection, Pending pending, boolean used) {
        if (pending.result.isDone()) {
            release(connection, used);
            return;
        }
        pending.reused = used;
        pending.sent = true;
        pending.connection.set(connection);
        ClientRequest request = new ClientRequest().setMethod(Methods.POST).setPath(FRAMES_PATH);
        request.getRequestHeaders().put(Headers.HOST, cluster.getHost() + ":" + cluster.getPort())
            .put(Headers.CONTENT_TYPE, "application/json")
            .put(Headers.CONTENT_LENGTH, pending.body.length);
        if (pending.authorization != null) {
            request.getRequestHeaders().put(Headers.AUTHORIZATION, pending.authorization);
        }
        connection.sendRequest(request, new ClientCallback<>() {
            @Override
            public void completed(ClientExchange exchange) {
                exchange.setResponseListener(responseListener(connection, pending));
                writeBody(exchange.getRequestChannel(), ByteBuffer.wrap(pending.body), connection, pending);
            }

            @Override
            public void failed(IOException e) {
                broken(connection, pending, e);
            }
        });
    }

    private ClientCallback<ClientExchange> responseListener(ClientConnection connection, Pending pending) {
        return new ClientCallback<>() {
            @Override
            public void completed(ClientExchange exchange) {
                pending.answered = true;
                ClientResponse response = exchange.getResponse();
                new StringReadChannelListener(buffers) {
                    @Override
                    protected void stringDone(String body) {
                        pending.result.complete(new Response(response.getResponseCode(), body,
                            response.getResponseHeaders().getFirst(Headers.RETRY_AFTER)));
                        release(connection, true);
                    }

                    @Override
                    protected void error(IOException e) {
                        broken(connection, pending, e);
                    }
                }.setup(exchange.getResponseChannel());
            }

            @Override
            public void failed(IOException e) {
                broken(connection, pending, e);
            }
        };
    }

    private void writeBody(StreamSinkChannel channel, ByteBuffer body, ClientConnection connection, Pending pending) {
        try {
            channel.write(body);
            if (body.hasRemaining()) {
                channel.getWriteSetter().set(sink -> writeBody(channel, body, connection, pending));
                channel.resumeWrites();
                return;
            }
            channel.getWriteSetter().set(null);
            channel.shutdownWrites();
            if (!channel.flush()) {
                channel.getWriteSetter().set(ChannelListeners.flushingChannelListener(null,
                    (sink, e) -> broken(connection, pending, e)));
                channel.resumeWrites();
            }
        } catch (IOException e) {
            broken(connection, pending, e);
        }
    }

    /**
     * The connection is in an unknown state: close it. A request that had reused a connection goes
     * once more on a new one (the server may have closed it after its last answer); otherwise it fails (and
     * the relay may fail over).
     */
    private void broken(ClientConnection connection, Pending pending, IOException cause) {
        if (!pending.connection.compareAndSet(connection, null)) {
            return; // closing the connection reports the same failure again through its listeners
        }
        IoUtils.safeClose(connection);
        if (pending.reused && !pending.resent && !pending.answered && !pending.result.isDone()) {
            pending.resent = true;
            resend(pending);
            return;
        }
        pending.result.completeExceptionally(cause);
        connectionLost();
    }

    /** Sends {@code pending} again in place of the connection just closed, on a new connection. */
    private void resend(Pending pending) {
        synchronized (this) {
            if (closed) {
                open--;
                pending.result.completeExceptionally(new IOException("the gateway is stopping"));
                return;
            }
            waiting.addFirst(pending);
        }
        connect();
    }

    private void connectionLost() {
        synchronized (this) {
            open--;
            if (waiting.isEmpty() || closed || open >= maxConnections) {
                return;
            }
            open++;
        }
        connect();
    }

    /** The cluster cannot be reached: those in line fail at once unless another connection will serve them. */
    private void connectFailed(IOException cause) {
        Deque<Pending> failed;
        synchronized (this) {
            open--;
            if (open > 0) {
                return;
            }
            failed = new ArrayDeque<>(waiting);
            waiting.clear();
        }
        failed.forEach(pending -> pending.result.completeExceptionally(cause));
    }

    @Override
    public void close() {
        Deque<ClientConnection> connections;
        synchronized (this) {
            closed = true;
            connections = new ArrayDeque<>(idle);
            idle.clear();
        }
        connections.forEach(IoUtils::safeClose);
    }

    /** A request waiting for, or on, a connection. */
    private static final class Pending {
        final byte[] body;
        final String authorization;
        final CompletableFuture<Response> result = new CompletableFuture<>();
        /** The connection carrying the request; cleared by the first report of its failure. */
        final AtomicReference<ClientConnection> connection = new AtomicReference<>();
        /** Sent on a connection the server may have closed meanwhile: one that had served or waited idle. */
        volatile boolean reused;
        /** Handed to a connection at least once. */
        volatile boolean sent;
        /** Sent once more after its reused connection failed. */
        volatile boolean resent;
        /** The answer's status line arrived. */
        volatile boolean answered;

        Pending(byte[] body, String authorization) {
            this.body = body;
            this.authorization = authorization;
        }
    }
}
