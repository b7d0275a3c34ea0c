package io.choralstorm.edge;

import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a device request body with the edge's rules: POST only, a JSON content type, at most
 * {@code maxBodyBytes} on the wire (refused before anything is read when Content-Length says so),
 * and {@code Content-Encoding: gzip} inflated to at most {@code maxBodyBytes} (a bomb stops at the
 * limit, in bounded memory). Chunked bodies are read like any other.
 */
public final class RequestBodyReader {
    private static final int INFLATE_CHUNK = 8192;
    private static final int DRAIN_FACTOR = 16;

    /** Receives the (inflated) body on the exchange's I/O thread. */
    @FunctionalInterface
    public interface BodyHandler {
        void handle(HttpServerExchange exchange, byte[] body);
    }

    private final int maxBodyBytes;

    public RequestBodyReader(int maxBodyBytes) {
        if (maxBodyBytes < 1024) {
            throw new IllegalArgumentException("the body limit must be at least 1024 bytes, got " + maxBodyBytes);
        }
        this.maxBodyBytes = maxBodyBytes;
    }

    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    /** Reads the body and hands it to {@code handler}, or answers the refusal itself. */
    public void read(HttpServerExchange exchange, BodyHandler handler) {
        boolean gzip;
        try {
            gzip = checkHeaders(exchange);
        } catch (EdgeException e) {
            EdgeResponses.sendError(exchange, e);
            return;
        }
        if (exchange.getRequestContentLength() < 0) {
            readUnsized(exchange, gzip, handler);
            return;
        }
        exchange.setMaxEntitySize(maxBodyBytes);
        exchange.getRequestReceiver().receiveFullBytes(
            (ex, bytes) -> deliver(ex, bytes, gzip, handler),
            (ex, error) -> EdgeResponses.sendError(ex, readFailure(error)));
    }

    /**
     * A body without Content-Length (chunked): collected up to the limit. Past it the device gets 413
     * at once and the rest is read and dropped, so that the answer reaches it instead of a reset
     * connection; a body past {@value #DRAIN_FACTOR} times the limit is cut off.
     */
    private void readUnsized(HttpServerExchange exchange, boolean gzip, BodyHandler handler) {
        exchange.setMaxEntitySize((long) maxBodyBytes * DRAIN_FACTOR);
        ByteArrayOutputStream collected = new ByteArrayOutputStream(INFLATE_CHUNK);
        AtomicBoolean refused = new AtomicBoolean();
        exchange.getRequestReceiver().receivePartialBytes((ex, bytes, last) -> {
            if (refused.get()) {
                return;
            }
            if (collected.size() + bytes.length > maxBodyBytes) {
                refused.set(true);
                EdgeResponses.sendError(ex, tooLarge(-1));
            } else {
                collected.write(bytes, 0, bytes.length);
                if (last) {
                    deliver(ex, collected.toByteArray(), gzip, handler);
                }
            }
        }, (ex, error) -> {
            if (refused.compareAndSet(false, true)) {
                EdgeResponses.sendError(ex, readFailure(error));
            }
        });
    }

    private void deliver(HttpServerExchange exchange, byte[] bytes, boolean gzip, BodyHandler handler) {
        byte[] body;
        try {
            body = gzip ? inflate(bytes) : bytes;
        } catch (EdgeException e) {
            EdgeResponses.sendError(exchange, e);
            return;
        }
        handler.handle(exchange, body);
    }

    private boolean checkHeaders(HttpServerExchange exchange) throws EdgeException {
        if (!Methods.POST.equals(exchange.getRequestMethod())) {
            throw new EdgeException(405, "method_not_allowed", "send frames with POST");
        }
        String type = exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE);
        if (!isJson(type)) {
            throw new EdgeException(415, "unsupported_media_type", "send frames with Content-Type: "
                + "application/json (got " + (type == null ? "none" : "'" + truncate(type) + "'") + ")");
        }
        long length = exchange.getRequestContentLength();
        if (length > maxBodyBytes) {
            throw tooLarge(length);
        }
        return isGzip(exchange.getRequestHeaders().getFirst(Headers.CONTENT_ENCODING));
    }

    private static boolean isGzip(String encoding) throws EdgeException {
        if (encoding == null || encoding.isBlank() || encoding.equalsIgnoreCase("identity")) {
            return false;
        }
        if (encoding.trim().equalsIgnoreCase("gzip")) {
            return true;
        }
        throw new EdgeException(415, "unsupported_encoding", "Content-Encoding '" + truncate(encoding)
            + "' is not supported; send the body as is or with Content-Encoding: gzip");
    }

    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return mediaType.equals("application/json")
            || (mediaType.startsWith("application/") && mediaType.endsWith("+json"));
    }

    byte[] inflate(byte[] compressed) throws EdgeException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxBodyBytes, compressed.length * 4));
        byte[] chunk = new byte[INFLATE_CHUNK];
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(compressed), INFLATE_CHUNK)) {
            for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
                if (out.size() + n > maxBodyBytes) {
                    throw new EdgeException(413, "body_too_large", "the gzip body inflates beyond the limit of "
                        + maxBodyBytes + " bytes; send smaller batches");
                }
                out.write(chunk, 0, n);
            }
        } catch (ZipException | java.io.EOFException e) {
            throw new EdgeException(400, "malformed_gzip", "the body is not valid gzip: " + e.getMessage());
        } catch (IOException e) {
            throw new EdgeException(400, "malformed_gzip", "the gzip body could not be read: " + e.getMessage());
        }
        return out.toByteArray();
    }

    private EdgeException readFailure(IOException error) {
        if (error instanceof RequestTooBigException) {
            return tooLarge(-1);
        }
        return new EdgeException(400, "body_unreadable", "the request body could not be read completely");
    }

    private EdgeException tooLarge(long length) {
        String seen = length >= 0 ? " (Content-Length " + length + ")" : "";
        return new EdgeException(413, "body_too_large", "the body exceeds the limit of " + maxBodyBytes
            + " bytes" + seen + "; send smaller batches");
    }

    private static String truncate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 60) + "...";
    }
}
