package io.choralstorm.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * An open-loop HTTP/1.1 load generator on one thread: requests are due at a fixed rate, each is
 * sent on an idle keep-alive connection, and latency is measured from the moment a request was due
 * (so a saturated server shows up as latency, not as a slower generator: no coordinated omission).
 * One selector thread and request bytes built as connections free up keep its own cost small.
 */
public final class HttpLoadGenerator {
    /** Builds the bytes of request {@code sequence} (0, 1, ...), due at {@code dueNanos} (System.nanoTime). */
    @FunctionalInterface
    public interface Requests {
        byte[] build(long sequence, long dueNanos);
    }

    /** What happened to one request. */
    @FunctionalInterface
    public interface Outcome {
        /** {@code status} is -1 when the connection failed; {@code latencyNanos} counts from the due time. */
        void completed(long sequence, int status, long latencyNanos);
    }

    private static final int READ_BUFFER_BYTES = 64 * 1024;

    private final InetSocketAddress target;
    private final int connections;

    public HttpLoadGenerator(InetSocketAddress target, int connections) {
        this.target = target;
        this.connections = connections;
    }

    /** A POST of {@code body} to {@code path} with the given extra header lines ("Name: value\r\n"). */
    public static byte[] post(String host, String path, String extraHeaders, byte[] body) {
        String head = "POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\n"
            + extraHeaders + "Content-Length: " + body.length + "\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        byte[] request = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, request, 0, headBytes.length);
        System.arraycopy(body, 0, request, headBytes.length, body.length);
        return request;
    }

    /**
     * Sends {@code rate} requests per second for {@code duration} ({@code rate} 0: as fast as the server
     * answers, each connection sending its next request when the last is answered); {@code requests}
     * builds request number n. Returns once every request was answered or failed, or {@code drainTimeout}
     * after the last was due.
     */
    public void run(double rate, Duration duration, Requests requests, Outcome outcome,
                    Duration drainTimeout) {
        try (Selector selector = Selector.open()) {
            List<Connection> all = open(selector);
            new Loop(selector, all, rate, duration, requests, outcome, drainTimeout).run();
            for (Connection connection : all) {
                connection.channel.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("load generation against " + target + " failed", e);
        }
    }

    private List<Connection> open(Selector selector) throws IOException {
        List<Connection> all = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            SocketChannel channel = SocketChannel.open(target);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.configureBlocking(false);
            Connection connection = new Connection(channel);
            channel.register(selector, 0, connection);
            all.add(connection);
        }
        return all;
    }

    /** One keep-alive connection: at most one request in flight. */
    private static final class Connection {
        final SocketChannel channel;
        final ByteBuffer in = ByteBuffer.allocate(READ_BUFFER_BYTES);
        ByteBuffer out;
        long sequence;
        long dueNanos;
        boolean busy;
        int status;
        int bodyRemaining = -1;

        Connection(SocketChannel channel) {
            this.channel = channel;
        }
    }

    /** The selector loop: pace, send, read, account. */
    private static final class Loop {
        private final Selector selector;
        private final Deque<Connection> idle;
        private final boolean closedLoop;
        private final double intervalNanos;
        private final long total;
        private final long endNanos;
        private final Requests requests;
        private final Outcome outcome;
        private final long drainNanos;
        private final Deque<long[]> backlog = new ArrayDeque<>();
        private long next;
        private long inFlight;

        Loop(Selector selector, List<Connection> all, double rate, Duration duration, Requests requests,
             Outcome outcome, Duration drainTimeout) {
            this.selector = selector;
            this.idle = new ArrayDeque<>(all);
            this.closedLoop = rate <= 0;
            this.intervalNanos = closedLoop ? 0 : 1e9 / rate;
            this.total = closedLoop ? Long.MAX_VALUE : (long) Math.floor(rate * duration.toNanos() / 1e9);
            this.endNanos = System.nanoTime() + duration.toNanos();
            this.requests = requests;
            this.outcome = outcome;
            this.drainNanos = drainTimeout.toNanos();
        }

        void run() throws IOException {
            long start = System.nanoTime();
            long lastDue = closedLoop ? endNanos : start + (long) ((total - 1) * intervalNanos);
            while (next < total || inFlight > 0 || !backlog.isEmpty()) {
                long now = System.nanoTime();
                if ((closedLoop || next >= total) && now > lastDue + drainNanos) {
                    abandonRemaining(now);
                    return;
                }
                queueDue(start, now);
                dispatch();
                long wait = !closedLoop && next < total
                    ? start + (long) (next * intervalNanos) - System.nanoTime() : 1_000_000L;
                selector.select(Math.max(1, wait / 1_000_000L));
                handleReady();
            }
        }

        private void queueDue(long start, long now) {
            if (closedLoop) {
                if (now >= endNanos) {
                    next = total;
                    return;
                }
                for (int i = backlog.size(); i < idle.size(); i++) {
                    backlog.add(new long[] {next++, now});
                }
                return;
            }
            while (next < total && start + (long) (next * intervalNanos) <= now) {
                backlog.add(new long[] {next, start + (long) (next * intervalNanos)});
                next++;
            }
        }

        private void dispatch() throws IOException {
            while (!backlog.isEmpty() && !idle.isEmpty()) {
                long[] due = backlog.poll();
                Connection connection = idle.poll();
                connection.sequence = due[0];
                connection.dueNanos = due[1];
                connection.out = ByteBuffer.wrap(requests.build(due[0], due[1]));
                connection.busy = true;
                connection.status = 0;
                connection.bodyRemaining = -1;
                inFlight++;
                write(connection);
            }
        }

        private void handleReady() throws IOException {
            for (SelectionKey key : selector.selectedKeys()) {
                Connection connection = (Connection) key.attachment();
                try {
                    if (key.isValid() && key.isWritable()) {
                        write(connection);
                    }
                    if (key.isValid() && key.isReadable()) {
                        read(connection);
                    }
                } catch (IOException e) {
                    fail(connection, key, e);
                }
            }
            selector.selectedKeys().clear();
        }

        private void write(Connection connection) throws IOException {
            connection.channel.write(connection.out);
            int interest = connection.out.hasRemaining() ? SelectionKey.OP_WRITE | SelectionKey.OP_READ
                : SelectionKey.OP_READ;
            connection.channel.keyFor(selector).interestOps(interest);
        }

        private void read(Connection connection) throws IOException {
            if (connection.channel.read(connection.in) < 0) {
                throw new IOException("connection closed by the server");
            }
            if (ResponseParser.parse(connection)) {
                long latency = System.nanoTime() - connection.dueNanos;
                connection.busy = false;
                inFlight--;
                connection.channel.keyFor(selector).interestOps(0);
                idle.add(connection);
                outcome.completed(connection.sequence, connection.status, latency);
            }
        }

        /** A broken connection leaves the pool; its request counts as failed. */
        private void fail(Connection connection, SelectionKey key, IOException cause) throws IOException {
            key.cancel();
            connection.channel.close();
            if (connection.busy) {
                inFlight--;
                outcome.completed(connection.sequence, -1, System.nanoTime() - connection.dueNanos);
            }
            if (idle.isEmpty() && inFlight == 0) {
                throw new IOException("every connection to the server failed; last: " + cause.getMessage(), cause);
            }
        }

        private void abandonRemaining(long now) {
            for (long[] due : backlog) {
                outcome.completed(due[0], -1, now - due[1]);
            }
            backlog.clear();
            for (SelectionKey key : selector.keys()) {
                Connection connection = (Connection) key.attachment();
                if (connection.busy) {
                    outcome.completed(connection.sequence, -1, now - connection.dueNanos);
                }
            }
        }
    }

    /** Reads a status line, headers with Content-Length, and skips the body, from the connection's buffer. */
    private static final class ResponseParser {
        private ResponseParser() {
        }

        /** True when a whole response has been read; the buffer then holds what follows it. */
        static boolean parse(Connection connection) throws IOException {
            ByteBuffer in = connection.in;
            if (connection.bodyRemaining < 0) {
                int end = headerEnd(in);
                if (end < 0) {
                    return false;
                }
                String head = new String(in.array(), 0, end, StandardCharsets.US_ASCII);
                connection.status = Integer.parseInt(head.substring(9, 12));
                connection.bodyRemaining = contentLength(head);
                compact(in, end + 4);
            }
            int available = in.position();
            int consumed = Math.min(available, connection.bodyRemaining);
            compact(in, consumed);
            connection.bodyRemaining -= consumed;
            return connection.bodyRemaining == 0;
        }

        private static int headerEnd(ByteBuffer in) {
            byte[] bytes = in.array();
            for (int i = 3; i < in.position(); i++) {
                if (bytes[i] == '\n' && bytes[i - 1] == '\r' && bytes[i - 2] == '\n' && bytes[i - 3] == '\r') {
                    return i - 3;
                }
            }
            return -1;
        }

        private static int contentLength(String head) throws IOException {
            for (String line : head.split("\r\n")) {
                if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                    return Integer.parseInt(line.substring(15).trim());
                }
            }
            throw new IOException("response without Content-Length: " + head.lines().findFirst().orElse(""));
        }

        private static void compact(ByteBuffer in, int consumed) {
            in.flip();
            in.position(consumed);
            in.compact();
        }
    }
}
